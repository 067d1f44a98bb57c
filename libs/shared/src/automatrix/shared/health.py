"""Liveness, readiness (one check per dependency) and Prometheus metrics over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Check = Callable[[], Awaitable[str]]
"""A readiness check returns a short detail when healthy and raises when not."""


@dataclass
class Readiness:
    """Named dependency checks; the service is ready when every one passes."""

    checks: dict[str, Check] = field(default_factory=dict)
    timeout_s: float = 2.0

    def add(self, name: str, check: Check) -> None:
        self.checks[name] = check

    async def report(self) -> dict[str, object]:
        names = list(self.checks)
        results = await asyncio.gather(
            *(asyncio.wait_for(self.checks[name](), self.timeout_s) for name in names),
            return_exceptions=True,
        )
        checks = {
            name: (
                {"ok": False, "detail": repr(result) if not str(result) else str(result)}
                if isinstance(result, BaseException)
                else {"ok": True, "detail": result}
            )
            for name, result in zip(names, results, strict=True)
        }
        return {"ready": all(c["ok"] for c in checks.values()), "checks": checks}


def health_routes(service: str, readiness: Readiness) -> list[Route]:
    """``/livez``, ``/readyz`` and ``/metrics``, to mount on any Starlette or FastAPI app."""

    async def livez(_: Request) -> Response:
        return JSONResponse({"alive": True, "service": service})

    async def readyz(_: Request) -> Response:
        report = await readiness.report()
        return JSONResponse(
            {"service": service, **report}, status_code=200 if report["ready"] else 503
        )

    async def prometheus(_: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/livez", livez, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", prometheus, methods=["GET"]),
    ]


def health_app(service: str, readiness: Readiness) -> Starlette:
    """A bare app serving only the health routes."""
    return Starlette(routes=health_routes(service, readiness))
