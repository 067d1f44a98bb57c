"""The native envelope ``{success, data, error, timestamp, request_id}`` of the ecosystem API.

Routes built with ``EnvelopeRoute`` answer every outcome in it: their data on success, and
on failure a code, a message and, for bad input, one entry per offending field. A service's
``RpcFailure`` maps to the HTTP status its code names.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, Generic, TypeVar

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from automatrix.orchestrator.api.errors import ApiError
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.rpc import RpcErrorCode
from automatrix.shared.rpc import RpcFailure

log = logging.getLogger(__name__)

T = TypeVar("T")

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")

RPC_STATUS: dict[RpcErrorCode, int] = {
    RpcErrorCode.INVALID: 400,
    RpcErrorCode.NOT_FOUND: 404,
    RpcErrorCode.CONFLICT: 409,
    RpcErrorCode.UNAVAILABLE: 503,
    RpcErrorCode.INTERNAL: 500,
}
_CODES = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found"}


class FieldProblem(BaseModel):
    """One invalid input field and what is wrong with it."""

    field: str = Field(description="Dotted path of the field, e.g. ``payload.concurrency``.")
    message: str


class ErrorInfo(BaseModel):
    """Why a request failed."""

    code: str = Field(description="Machine-readable reason, e.g. ``invalid_request``.")
    message: str
    fields: list[FieldProblem] = Field(default_factory=list)


class Envelope(BaseModel, Generic[T]):
    """Every ecosystem answer: ``data`` when ``success``, else ``error``."""

    success: bool
    data: T | None = None
    error: ErrorInfo | None = None
    timestamp: datetime
    request_id: str


class Failure(BaseModel):
    """The envelope of a failed request (for the OpenAPI document)."""

    success: bool = False
    data: None = None
    error: ErrorInfo
    timestamp: datetime
    request_id: str


FAILURES: dict[int | str, dict[str, Any]] = {
    code: {"model": Failure} for code in (400, 401, 403, 404, 409, 429, 503)
}


def request_id_of(request: Request) -> str:
    """The caller's ``x-request-id`` when it is a sane token, else a new one."""
    current = getattr(request.state, "request_id", None)
    if isinstance(current, str):
        return current
    given = request.headers.get(REQUEST_ID_HEADER, "")
    request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    request.state.request_id = request_id
    return request_id


def ok(request: Request, data: T) -> Envelope[T]:
    """A successful answer carrying ``data``."""
    return Envelope[T](
        success=True, data=data, timestamp=utcnow(), request_id=request_id_of(request)
    )


def failure(
    request: Request,
    status: int,
    code: str,
    message: str,
    fields: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Failure(
        error=ErrorInfo(code=code, message=message, fields=fields or []),
        timestamp=utcnow(),
        request_id=request_id_of(request),
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "header", "path")]
    return ".".join(parts) or "body"


def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    fields = [
        FieldProblem(field=field_path(tuple(e.get("loc", ()))), message=str(e.get("msg", "")))
        for e in exc.errors()
    ]
    summary = "; ".join(f"{f.field}: {f.message}" for f in fields[:10])
    return failure(request, 400, "invalid_request", f"Invalid request: {summary}", fields)


def from_rpc(request: Request, exc: RpcFailure) -> JSONResponse:
    """A service's failure, with its field errors, under the status its code names."""
    fields = [FieldProblem(field=field_path(f.loc), message=f.msg) for f in exc.fields]
    status = RPC_STATUS.get(exc.code, 502)
    headers = {"Retry-After": "1"} if status == 503 else None
    return failure(request, status, exc.code.value, exc.message, fields, headers)


def from_api_error(request: Request, exc: ApiError) -> JSONResponse:
    fields = [FieldProblem(field=exc.param, message=exc.message)] if exc.param else []
    code = exc.code or _CODES.get(exc.status, "error")
    return failure(request, exc.status, code, exc.message, fields, exc.headers)


class EnvelopeRoute(APIRoute):
    """A route whose errors (validation, auth, service failures) come back in the envelope."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        inner = super().get_route_handler()

        async def handler(request: Request) -> Response:
            request_id = request_id_of(request)
            try:
                response = await inner(request)
            except RequestValidationError as exc:
                response = invalid(request, exc)
            except ApiError as exc:
                response = from_api_error(request, exc)
            except RpcFailure as exc:
                response = from_rpc(request, exc)
            except Exception:
                log.exception("%s %s failed", request.method, request.url.path)
                response = failure(request, 500, "internal", "internal error")
            response.headers[REQUEST_ID_HEADER] = request_id
            return response

        return handler
