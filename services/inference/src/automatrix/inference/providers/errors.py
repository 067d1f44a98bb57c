"""Classify litellm and transport exceptions into the contract's error kinds."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from automatrix.inference.providers._litellm import exceptions
from automatrix.inference.providers.base import ProviderError
from automatrix.shared.contracts.inference import ErrorKind

__all__ = ["ProviderError", "map_exception", "retry_after_seconds"]

MAX_RETRY_AFTER_S = 3600.0

# Checked in order, subclasses before their bases: ContextWindowExceededError and
# PaymentRequiredError are BadRequestErrors; the transport's own errors come last.
_BY_CLASS: tuple[tuple[type[BaseException], ErrorKind, bool], ...] = (
    (exceptions.ContextWindowExceededError, ErrorKind.CONTEXT_LENGTH, False),
    (exceptions.RateLimitError, ErrorKind.RATE_LIMITED, True),
    (exceptions.Timeout, ErrorKind.TIMEOUT, True),
    (exceptions.AuthenticationError, ErrorKind.AUTH, False),
    (exceptions.PermissionDeniedError, ErrorKind.AUTH, False),
    (exceptions.PaymentRequiredError, ErrorKind.AUTH, False),
    (exceptions.NotFoundError, ErrorKind.UNAVAILABLE, False),
    (exceptions.BadRequestError, ErrorKind.BAD_REQUEST, False),
    (exceptions.UnprocessableEntityError, ErrorKind.BAD_REQUEST, False),
    (exceptions.ServiceUnavailableError, ErrorKind.UNAVAILABLE, True),
    (exceptions.BadGatewayError, ErrorKind.UNAVAILABLE, True),
    (exceptions.InternalServerError, ErrorKind.UNAVAILABLE, True),
    (exceptions.APIConnectionError, ErrorKind.UNAVAILABLE, True),
    (httpx.TimeoutException, ErrorKind.TIMEOUT, True),
    (TimeoutError, ErrorKind.TIMEOUT, True),
    (httpx.TransportError, ErrorKind.UNAVAILABLE, True),
    (ConnectionError, ErrorKind.UNAVAILABLE, True),
)


def map_exception(exc: BaseException) -> ProviderError:
    """The ``ProviderError`` for an exception raised by litellm or the transport under it."""
    if isinstance(exc, ProviderError):
        return exc
    status = _status(exc)
    kind, retryable = _classify(exc, status)
    if kind is ErrorKind.BAD_REQUEST and status is not None and 400 < status < 500:
        # litellm raises BadRequestError for some other 4xx (a 403 from an OpenAI-compatible
        # server, for one); the status says more than the class.
        kind, retryable = _by_status(status)
    if kind is ErrorKind.BAD_REQUEST and _is_context_length(exc):
        kind, retryable = ErrorKind.CONTEXT_LENGTH, False
    return ProviderError(
        kind,
        _message(exc),
        retryable=retryable,
        retry_after_s=retry_after_seconds(_headers(exc)) if retryable else None,
        status=status,
    )


def _classify(exc: BaseException, status: int | None) -> tuple[ErrorKind, bool]:
    for cls, kind, retryable in _BY_CLASS:
        if isinstance(exc, cls):
            return kind, retryable
    return _by_status(status)


def _by_status(status: int | None) -> tuple[ErrorKind, bool]:
    if status is None:
        return ErrorKind.INTERNAL, False
    if status == 429:
        return ErrorKind.RATE_LIMITED, True
    if status in (401, 402, 403):
        return ErrorKind.AUTH, False
    if status in (408, 504):
        return ErrorKind.TIMEOUT, True
    if status == 404:
        return ErrorKind.UNAVAILABLE, False
    if 400 <= status < 500:
        return ErrorKind.BAD_REQUEST, False
    if status >= 500:
        return ErrorKind.UNAVAILABLE, True
    return ErrorKind.INTERNAL, False


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return status
    response = getattr(exc, "response", None)
    return response.status_code if isinstance(response, httpx.Response) else None


def _is_context_length(exc: BaseException) -> bool:
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        error = body.get("error", body)
        if isinstance(error, Mapping) and error.get("code") == "context_length_exceeded":
            return True
    text = str(exc).lower()
    return "context_length_exceeded" in text or "maximum context length" in text


def _headers(exc: BaseException) -> Mapping[str, str] | None:
    for candidate in (
        getattr(exc, "litellm_response_headers", None),
        getattr(getattr(exc, "response", None), "headers", None),
        getattr(exc, "headers", None),
    ):
        if isinstance(candidate, httpx.Headers):
            return candidate
        if isinstance(candidate, Mapping) and candidate:
            return httpx.Headers({str(k): str(v) for k, v in candidate.items()})
    return None


def retry_after_seconds(headers: Mapping[str, Any] | None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or HTTP date)."""
    if not headers:
        return None
    lowered = {str(key).lower(): str(value) for key, value in headers.items()}
    seconds: float | None = None
    if "retry-after-ms" in lowered:
        seconds = _float(lowered["retry-after-ms"])
        seconds = None if seconds is None else seconds / 1000
    if seconds is None and "retry-after" in lowered:
        raw = lowered["retry-after"].strip()
        seconds = _float(raw)
        if seconds is None:
            try:
                seconds = parsedate_to_datetime(raw).timestamp() - time.time()
            except (TypeError, ValueError, IndexError):
                seconds = None
    if seconds is None or math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _message(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
