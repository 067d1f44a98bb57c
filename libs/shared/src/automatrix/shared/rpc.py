"""Request-reply calls between services over core NATS (``ai.v1.rpc.<service>.<method>``).

A service registers methods on an ``RpcServer``; each takes a pydantic model of parameters
(validated here, so a bad call gets field-level errors, not an exception in the handler) and
returns JSON-able data. ``RpcClient.call`` sends one ``RpcRequest`` and returns the data, or
raises ``RpcFailure`` with the reply's error (``unavailable`` when no replica answered in
time). The W3C trace context travels in the headers, so a call is part of the caller's trace.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from opentelemetry import propagate
from pydantic import BaseModel, JsonValue, TypeAdapter, ValidationError

from automatrix.shared.bus import Bus
from automatrix.shared.bus import tracing as bus_tracing
from automatrix.shared.contracts import FieldError
from automatrix.shared.contracts.rpc import RPC, RpcError, RpcErrorCode, RpcReply, RpcRequest

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 5.0
_JSON: TypeAdapter[JsonValue] = TypeAdapter(JsonValue)


class RpcFailure(Exception):  # noqa: N818  (the failure of a call, carried back)
    """A call failed; ``code`` says how (the gateway maps it to an HTTP status)."""

    def __init__(
        self, code: RpcErrorCode, message: str, fields: list[FieldError] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or []

    def to_error(self) -> RpcError:
        return RpcError(code=self.code, message=self.message[:4096], fields=self.fields[:64])


class NoParams(BaseModel):
    """Parameters of a method that takes none (unknown ones are an error)."""

    model_config = {"extra": "forbid"}


Handler = Callable[[Any], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Method:
    """One registered method: its parameter model and handler."""

    params: type[BaseModel]
    handler: Handler


class RpcServer:
    """Answers calls to one service's methods; every replica joins the service's queue group."""

    def __init__(self, bus: Bus, service: str) -> None:
        self.bus = bus
        self.service = service
        self.methods: dict[str, Method] = {}
        self._subscription: Subscription | None = None

    def method(self, name: str, handler: Handler, params: type[BaseModel] = NoParams) -> None:
        """Register ``handler(params) -> data`` under ``name``; ``params`` validates the call."""
        RPC.format(service=self.service, method=name)  # a valid subject token, or raise now
        self.methods[name] = Method(params, handler)

    async def start(self) -> None:
        self._subscription = await self.bus.nc.subscribe(
            RPC.filter(service=self.service), queue=f"rpc-{self.service}", cb=self._on_message
        )
        # The server has the subscription once start returns: a caller on another connection
        # gets an answer, not "no responders".
        await self.bus.sync()

    async def stop(self) -> None:
        if self._subscription is not None:
            await self._subscription.unsubscribe()
            self._subscription = None

    async def _on_message(self, msg: Msg) -> None:
        with bus_tracing.serving(
            f"rpc {msg.subject}",
            dict(msg.headers or {}),
            {"rpc.system": "nats", "rpc.service": self.service, "rpc.method": msg.subject},
        ):
            reply = await self.answer(msg.subject, msg.data)
        if msg.reply:
            await self.bus.nc.publish(msg.reply, reply.model_dump_json().encode())

    async def answer(self, subject: str, data: bytes) -> RpcReply:
        """The reply to one call; never raises."""
        method_name = subject.rsplit(".", 1)[-1]
        try:
            request = RpcRequest.parse(data)
        except ValidationError as exc:
            return _failed(
                RpcFailure(
                    RpcErrorCode.INVALID,
                    "the call is not a valid RpcRequest",
                    FieldError.from_validation_error(exc),
                )
            )
        method = self.methods.get(method_name)
        if method is None or request.method != method_name:
            known = ", ".join(sorted(self.methods))
            return _failed(
                RpcFailure(
                    RpcErrorCode.NOT_FOUND,
                    f"{self.service} has no method {method_name!r} (known: {known})",
                )
            )
        try:
            params = method.params.model_validate(request.params)
        except ValidationError as exc:
            return _failed(
                RpcFailure(
                    RpcErrorCode.INVALID,
                    f"invalid parameters for {self.service}.{method_name}",
                    FieldError.from_validation_error(exc),
                )
            )
        try:
            result = await method.handler(params)
            return RpcReply(ok=True, data=_JSON.validate_python(_plain(result)))
        except RpcFailure as exc:
            return _failed(exc)
        except Exception as exc:
            log.exception("rpc %s.%s failed", self.service, method_name)
            return _failed(RpcFailure(RpcErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}"))


def _plain(value: Any) -> Any:
    """Pydantic models (and lists of them) as JSON-mode dicts; anything else unchanged."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _failed(failure: RpcFailure) -> RpcReply:
    return RpcReply(ok=False, error=failure.to_error())


class RpcClient:
    """Calls methods of other services, through a service's bus or a bare NATS client (CLIs)."""

    def __init__(self, via: Bus | Client, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._via = via
        self.timeout_s = timeout_s

    @property
    def nc(self) -> Client:
        return self._via.nc if isinstance(self._via, Bus) else self._via

    async def call(
        self,
        service: str,
        method: str,
        params: dict[str, Any] | BaseModel | None = None,
        *,
        timeout_s: float | None = None,
    ) -> Any:
        """The method's data; raises ``RpcFailure`` (``unavailable`` if nobody answered)."""
        if isinstance(params, BaseModel):
            params = params.model_dump(mode="json", exclude_none=True)
        request = RpcRequest(service=service, method=method, params=params or {})
        headers: dict[str, str] = {}
        propagate.inject(headers)
        try:
            msg = await self.nc.request(
                request.subject(),
                request.to_bytes(),
                timeout=timeout_s or self.timeout_s,
                headers=headers,
            )
        except NoRespondersError as exc:
            raise RpcFailure(RpcErrorCode.UNAVAILABLE, f"no {service} replica is running") from exc
        except NatsTimeoutError as exc:
            raise RpcFailure(
                RpcErrorCode.UNAVAILABLE, f"{service} did not answer {method} in time"
            ) from exc
        reply = RpcReply.model_validate_json(msg.data)
        if not reply.ok:
            error = reply.error or RpcError(code=RpcErrorCode.INTERNAL, message="no error given")
            raise RpcFailure(error.code, error.message, list(error.fields))
        return reply.data
