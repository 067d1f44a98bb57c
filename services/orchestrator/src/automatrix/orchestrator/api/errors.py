"""Errors in OpenAI's shape (``{"error": {message, type, param, code}}``) with its status codes."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from automatrix.shared.contracts import ErrorKind

log = logging.getLogger(__name__)

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    502: "server_error",
    503: "service_unavailable",
    504: "timeout_error",
}


class ApiError(Exception):
    """An error answered to the client; the message must be safe to show."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        retry_after_s: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.headers = dict(headers or {})
        if retry_after_s is not None:
            self.headers["Retry-After"] = str(max(1, math.ceil(retry_after_s)))

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.message, code=self.code, param=self.param)

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def error_body(
    status: int, message: str, *, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    """OpenAI's error object for ``status``."""
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def invalid_request(exc: ValidationError, *, param: str | None = None) -> ApiError:
    """400 for a value that passed the HTTP schema but not the bus contract."""
    return ApiError(400, f"Invalid request: {exc.errors()[0]['msg']}", param=param)


_FAILURE_STATUS = {
    ErrorKind.BAD_REQUEST: 400,
    ErrorKind.CONTEXT_LENGTH: 400,
    ErrorKind.AUTH: 502,
    ErrorKind.RATE_LIMITED: 429,
    ErrorKind.TIMEOUT: 504,
    ErrorKind.DEADLINE_EXCEEDED: 504,
    ErrorKind.UNAVAILABLE: 503,
    ErrorKind.NO_CAPACITY: 503,
    ErrorKind.INTERNAL: 502,
}


def failure_error(kind: ErrorKind, message: str, *, retryable: bool) -> ApiError:
    """The client-facing error for a request the platform could not serve."""
    status = _FAILURE_STATUS.get(kind, 502)
    code = "context_length_exceeded" if kind is ErrorKind.CONTEXT_LENGTH else kind.value
    retry = 1.0 if retryable and status in (429, 503) else None
    return ApiError(status, message, code=code, retry_after_s=retry)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "header", "path")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    """Answer every error in OpenAI's shape, validation errors field by field (400)."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        fields = [
            {"field": _field_path(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))}
            for e in errors
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:10])
        body = error_body(
            400,
            f"Invalid request: {summary}",
            code="invalid_request",
            param=fields[0]["field"] if fields else None,
        )
        body["error"]["fields"] = fields
        return JSONResponse(body, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            error_body(exc.status_code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body(500, "internal error"), status_code=500)
