"""Request-reply calls between services (core NATS): the ecosystem API reaching a service.

A call is one ``RpcRequest`` on ``ai.v1.rpc.<service>.<method>``; one replica of the service
(a queue group per service) answers with an ``RpcReply`` on the request's inbox. Nothing is
persisted: a caller that gets no answer in time reports the service unavailable. Errors come
back in the reply, with field-level detail when the parameters were invalid, so the gateway
can answer the HTTP client with the same detail.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import Field, JsonValue

from automatrix.shared.contracts.base import Contract, Event, SubjectToken
from automatrix.shared.contracts.dlq import FieldError
from automatrix.shared.contracts.subject import Subject

RPC = Subject(
    "ai.v1.rpc.{service}.{method}",
    stream=None,
    description="Request-reply: call a method of a service (core NATS, queue group per service).",
)


class RpcErrorCode(StrEnum):
    """Why a call failed; the gateway maps each to an HTTP status."""

    INVALID = "invalid"
    """The parameters were invalid (400); ``fields`` says which."""
    NOT_FOUND = "not_found"
    """The method, or the thing it names, does not exist (404)."""
    CONFLICT = "conflict"
    """The call cannot be done in the current state (409), e.g. a promotion gate refused."""
    UNAVAILABLE = "unavailable"
    """No replica answered in time, or the service cannot serve now (503)."""
    INTERNAL = "internal"
    """The method failed (500)."""


class RpcError(Contract):
    """What went wrong with a call."""

    code: RpcErrorCode = Field(description="Kind of failure.")
    message: str = Field(max_length=4096, description="Human-readable reason.")
    fields: list[FieldError] = Field(
        default_factory=list, max_length=64, description="Invalid parameters, for ``invalid``."
    )


class RpcRequest(Event):
    """A call of ``method`` on ``service`` with JSON parameters."""

    SUBJECT: ClassVar[Subject] = RPC
    EVENT_TYPE: ClassVar[str] = "rpc.request"

    service: SubjectToken = Field(description="Service to call, e.g. ``neuroweaver``.")
    method: SubjectToken = Field(description="Method name, e.g. ``models``.")
    params: dict[str, JsonValue] = Field(
        default_factory=dict, description="Parameters, validated by the method."
    )

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {"service": "neuroweaver", "method": "models", "params": {"name": "query-router"}}


class RpcReply(Contract):
    """The result of a call: ``data`` when it worked, ``error`` when it did not."""

    ok: bool = Field(description="Whether the call succeeded.")
    data: JsonValue = Field(default=None, description="The method's result.")
    error: RpcError | None = Field(default=None, description="Why it failed.")
