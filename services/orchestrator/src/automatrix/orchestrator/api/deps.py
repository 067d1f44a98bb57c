"""What every route needs: the gateway's collaborators, the caller, limits and controls."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from automatrix.orchestrator import metrics
from automatrix.orchestrator.adapters.ratelimit import Limited, RateLimiter
from automatrix.orchestrator.api.errors import ApiError
from automatrix.orchestrator.api.schemas import CacheControls as CacheFields
from automatrix.orchestrator.auth import Authenticator, AuthError, Principal
from automatrix.orchestrator.cache import CacheControls
from automatrix.orchestrator.gateway import Gateway
from automatrix.orchestrator.jobs import JobStore
from automatrix.orchestrator.settings import Settings
from automatrix.orchestrator.shedding import LoadShedder
from automatrix.shared.contracts import Priority

PRIORITY_HEADER = "x-automatrix-priority"
CACHE_TTL_HEADER = "x-automatrix-cache-ttl"
CACHE_THRESHOLD_HEADER = "x-automatrix-cache-threshold"


@dataclass
class Context:
    """The gateway's collaborators, built once in ``create_app``."""

    settings: Settings
    gateway: Gateway
    auth: Authenticator
    limiter: RateLimiter
    shedder: LoadShedder
    jobs: JobStore


def context(request: Request) -> Context:
    ctx: Context = request.app.state.context
    return ctx


async def _context(request: Request) -> Context:
    # FastAPI runs a plain ``def`` dependency on a worker thread; this one never blocks.
    return context(request)


ContextDep = Annotated[Context, Depends(_context)]


def principal(request: Request, ctx: ContextDep) -> Principal:
    """The caller, from ``Authorization: Bearer`` or ``x-api-key``; 401 otherwise."""
    try:
        return ctx.auth.authenticate(
            authorization=request.headers.get("authorization"),
            api_key_header=request.headers.get("x-api-key"),
        )
    except AuthError as exc:
        raise ApiError(
            exc.status, exc.message, code=exc.code, headers={"WWW-Authenticate": "Bearer"}
        ) from None


async def _principal(request: Request, ctx: ContextDep) -> Principal:
    # Inline, not on a worker thread: a key lookup or a JWT check costs microseconds.
    return principal(request, ctx)


PrincipalDep = Annotated[Principal, Depends(_principal)]


def _limit_key(who: Principal) -> str:
    """Whose budget a request counts against: one per tenant and key."""
    return f"{who.tenant}:{who.key_id}"


async def admit(ctx: Context, who: Principal, *, tokens: int) -> None:
    """Count the request against the key's limits; 429 with Retry-After when over."""
    outcome = await ctx.limiter.admit(
        key_id=_limit_key(who),
        rpm=who.rpm or ctx.settings.gateway_default_rpm,
        tpm=who.tpm or ctx.settings.gateway_default_tpm,
        tokens=tokens,
    )
    if isinstance(outcome, Limited):
        metrics.RATE_LIMITED.labels(outcome.limit).inc()
        raise ApiError(
            429,
            f"Rate limit reached: {outcome.limit_value} {outcome.limit} per minute for this key",
            code=f"rate_limit_{outcome.limit}",
            retry_after_s=outcome.retry_after_s,
        )


def settle(ctx: Context, who: Principal, *, estimated: int, actual: int) -> None:
    """Correct the token count once real usage is known (after the response)."""
    if actual != estimated:
        ctx.gateway.later(
            ctx.limiter.settle(key_id=_limit_key(who), estimated=estimated, actual=actual)
        )


async def shed(ctx: Context, level: Priority) -> None:
    """503 with Retry-After when the queue is past this priority's share of the bound."""
    wait_s = await ctx.shedder.admit(level)
    if wait_s is not None:
        raise ApiError(
            503,
            f"The platform is overloaded ({ctx.shedder.total()} requests queued); retry later",
            code="overloaded",
            retry_after_s=wait_s,
        )


def priority_of(request: Request, field: Priority | None) -> Priority:
    """The body's ``priority``, else the header, else normal."""
    if field is not None:
        return field
    raw = request.headers.get(PRIORITY_HEADER)
    if raw is None:
        return Priority.NORMAL
    try:
        return Priority(raw.strip().lower())
    except ValueError:
        raise ApiError(
            400,
            f"{PRIORITY_HEADER} must be one of {', '.join(p.value for p in Priority)}",
            param=PRIORITY_HEADER,
            code="invalid_priority",
        ) from None


def cache_controls(
    request: Request, fields: CacheFields | None, who: Principal, settings: Settings
) -> CacheControls:
    """Body fields win over headers, headers over the key's and the platform's defaults."""
    directives = {
        d.strip().lower() for d in request.headers.get("cache-control", "").split(",") if d.strip()
    }
    ttl = fields.ttl_s if fields and fields.ttl_s else _header_float(request, CACHE_TTL_HEADER)
    threshold = (
        fields.threshold
        if fields and fields.threshold is not None
        else _header_float(request, CACHE_THRESHOLD_HEADER)
    )
    if threshold is not None and not 0 <= threshold <= 1:
        raise ApiError(400, f"{CACHE_THRESHOLD_HEADER} must be within [0, 1]", code="invalid")
    if ttl is not None and not ttl > 0:
        raise ApiError(400, f"{CACHE_TTL_HEADER} must be positive", code="invalid")
    enabled = settings.cache_enabled
    return CacheControls(
        lookup=enabled and not (fields and fields.no_cache) and "no-cache" not in directives,
        store=enabled and not (fields and fields.no_store) and "no-store" not in directives,
        ttl_s=min(ttl or settings.cache_ttl_s, settings.cache_max_ttl_s),
        threshold=(
            threshold
            if threshold is not None
            else (
                who.semantic_threshold
                if who.semantic_threshold is not None
                else settings.cache_semantic_threshold
            )
        ),
    )


def _header_float(request: Request, name: str) -> float | None:
    raw = request.headers.get(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be a number", param=name, code="invalid") from None
    if not math.isfinite(value):
        raise ApiError(400, f"{name} must be finite", param=name, code="invalid")
    return value


def estimate_tokens(texts: list[str], max_tokens: int | None) -> int:
    """A cheap upper-ish estimate for the token limit, corrected once usage is known."""
    return sum(len(t) for t in texts) // 4 + 1 + (max_tokens or 256)
