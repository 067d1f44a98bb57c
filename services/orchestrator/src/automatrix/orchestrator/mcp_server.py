"""The MCP endpoint (``/mcp``, streamable HTTP, the official ``mcp`` SDK) for AI assistants.

Tools: ask a question, register / pause / resume a deployment, read status and metrics,
start a training run. Resources: ``automatrix://status``, ``agents``, ``tasks``, ``metrics``
and ``models``. Every HTTP request to ``/mcp`` carries an API key (``Authorization: Bearer``
or ``x-api-key``), checked like any other route; the caller is handed to the tools through a
context variable (the SDK runs each handler in the context of the request that carried it).
Changing the platform needs an admin key. Stateless with JSON responses, so any gateway
replica can answer any call.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from automatrix.orchestrator.api.deps import Context
from automatrix.orchestrator.api.native import JobOut
from automatrix.orchestrator.auth import AuthError, Principal
from automatrix.orchestrator.ecosystem.deps import Ecosystem
from automatrix.orchestrator.ecosystem.hive import metrics_summary
from automatrix.orchestrator.ecosystem.loopback import credentials
from automatrix.orchestrator.ecosystem.schemas import DeploymentIn
from automatrix.shared.contracts.scoring import TrainableModel
from automatrix.shared.rpc import RpcFailure
from automatrix.shared.tasks import cancel_and_wait

PATH = "/mcp"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent the MCP request being handled, and the headers that prove it."""

    who: Principal
    headers: dict[str, str]


CALLER: ContextVar[Caller | None] = ContextVar("automatrix_mcp_caller", default=None)


class Authenticated:
    """ASGI wrapper: 401 without a valid key; otherwise the caller is set for the handlers."""

    def __init__(self, app: ASGIApp, context: Callable[[], Context | None]) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ctx = self.context()
        if scope["type"] != "http" or ctx is None:
            await JSONResponse({"error": "the gateway is starting"}, 503)(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            who = ctx.auth.authenticate(
                authorization=headers.get("authorization"),
                api_key_header=headers.get("x-api-key"),
            )
        except AuthError as exc:
            body = {"error": {"code": exc.code, "message": exc.message}}
            answer = JSONResponse(body, exc.status, headers={"WWW-Authenticate": "Bearer"})
            await answer(scope, receive, send)
            return
        token = CALLER.set(Caller(who, credentials(headers)))
        try:
            await self.app(scope, receive, send)
        finally:
            CALLER.reset(token)


def caller(*, admin: bool = False) -> Caller:
    current = CALLER.get()
    if current is None:
        raise ToolError("no authenticated caller")
    if admin and not current.who.admin:
        raise ToolError("this tool needs an admin key")
    return current


async def _service(call: Any) -> Any:
    """A service's answer; its failure as a tool error naming the code and fields."""
    try:
        return await call
    except RpcFailure as exc:
        fields = "; ".join(f"{'.'.join(map(str, f.loc))}: {f.msg}" for f in exc.fields)
        detail = f" ({fields})" if fields else ""
        raise ToolError(f"{exc.code.value}: {exc.message}{detail}") from exc


def build(eco: Ecosystem) -> MCPServer:
    """The MCP server with AutoMatrix's tools and resources."""
    server: MCPServer = MCPServer(
        "automatrix",
        instructions="Query the AutoMatrix platform and steer it: deployments, status, training.",
        version="0.1.0",
    )

    @server.tool(description="Ask a question; routed, cached and answered like any query.")
    async def submit_query(
        text: str,
        model: str = "auto",
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"model": model, "messages": [{"role": "user", "content": text}]}
        if max_tokens is not None:
            body["max_tokens"] = max_tokens
        if temperature is not None:
            body["temperature"] = temperature
        response = await eco.loopback.post("/v1/chat/completions", body, caller().headers)
        data = response.json()
        if response.status_code != 200:
            raise ToolError(f"{response.status_code}: {data.get('error', {}).get('message', '')}")
        return {
            "answer": data["choices"][0]["message"]["content"],
            "model": data["model"],
            "deployment": response.headers.get("x-automatrix-deployment"),
            "cache": response.headers.get("x-automatrix-cache"),
            "request_id": response.headers.get("x-request-id"),
            "usage": data.get("usage"),
        }

    @server.tool(description="Register a deployment, or update a registered one (admin).")
    async def register_deployment(deployment: DeploymentIn) -> dict[str, Any]:
        who = caller(admin=True).who
        payload = deployment.model_dump(mode="json", exclude={"name"})
        payload["interval_s"] = payload.pop("heartbeat_interval_s")
        payload["instance"] = f"mcp-{who.key_id}"
        result: dict[str, Any] = await _service(
            eco.control(who, "register", deployment.name, payload=payload)
        )
        return result

    @server.tool(description="Pause, resume or drain a deployment (admin).")
    async def set_deployment_state(
        name: str, command: Literal["pause", "resume", "drain"], reason: str = ""
    ) -> dict[str, Any]:
        who = caller(admin=True).who
        result: dict[str, Any] = await _service(eco.control(who, command, name, reason=reason))
        return result

    @server.tool(description="Platform status: health, deployments, queues, cache, training.")
    async def get_status() -> dict[str, Any]:
        caller()
        return await eco.board.snapshot()

    @server.tool(description="Gateway metrics: latency, cache, tokens, refusals; served requests.")
    async def get_metrics() -> dict[str, Any]:
        caller()
        return metrics_summary(eco.board.requests.summary)

    @server.tool(description="Start a training run of a platform model (admin).")
    async def start_training(
        model: TrainableModel = "query-router",
        trials: int | None = None,
        timeout_s: float | None = None,
        seed: int | None = None,
    ) -> dict[str, Any]:
        caller(admin=True)
        given = {"trials": trials, "timeout_s": timeout_s, "seed": seed}
        params = {"model": model} | {k: v for k, v in given.items() if v is not None}
        result: dict[str, Any] = await _service(eco.neuroweaver("train", params))
        return result

    @server.resource("automatrix://status", mime_type="application/json")
    async def status() -> dict[str, Any]:
        """Health, deployments, queues, cache, latency and training, as the dashboard shows."""
        caller()
        return await eco.board.snapshot()

    @server.resource("automatrix://agents", mime_type="application/json")
    async def agents() -> Any:
        """Deployments with state, breaker, load and statistics (from relaycore)."""
        caller()
        return await _service(eco.relaycore("deployments"))

    @server.resource("automatrix://tasks", mime_type="application/json")
    async def tasks() -> list[dict[str, Any]]:
        """The caller's tenant's recent async queries."""
        who = caller().who
        jobs = await eco.tasks(who.tenant, limit=50)
        return [JobOut.of(job).model_dump(mode="json") for job in jobs]

    @server.resource("automatrix://metrics", mime_type="application/json")
    async def metrics() -> dict[str, Any]:
        """Gateway metrics and the platform's served requests."""
        caller()
        return metrics_summary(eco.board.requests.summary)

    @server.resource("automatrix://models", mime_type="application/json")
    async def models() -> Any:
        """Model versions and aliases (from neuroweaver)."""
        caller()
        return await _service(eco.neuroweaver("models", {}))

    return server


class McpEndpoint:
    """The streamable-HTTP app and its session manager, run beside the gateway."""

    def __init__(self, server: MCPServer, context: Callable[[], Context | None]) -> None:
        app: Starlette = server.streamable_http_app(
            streamable_http_path=PATH,
            stateless_http=True,
            json_response=True,
            # Every request carries a bearer credential, never an ambient one (cookie),
            # so a rebound DNS name gains nothing; the gateway may be reached by any name.
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        self.server = server
        self.app = Authenticated(app, context)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        ready = asyncio.Event()
        self._task = asyncio.create_task(self._run(ready), name="mcp-sessions")
        waiting = asyncio.create_task(ready.wait())
        await asyncio.wait({waiting, self._task}, return_when=asyncio.FIRST_COMPLETED)
        await cancel_and_wait(waiting)
        if self._task.done():
            self._task.result()  # it failed to start: say why

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await asyncio.shield(self._task)
            await cancel_and_wait(self._task)
            self._task = None

    async def _run(self, ready: asyncio.Event) -> None:
        async with self.server.session_manager.run():
            ready.set()
            await self._stop.wait()
