"""The response cache: an exact key in Redis first, then a semantic match in Qdrant.

Both are scoped by tenant, model and parameters; the exact key also covers the whole
conversation, and a semantic match only ever compares the last user turn of conversations
whose earlier turns are identical, and whose negations and numbers agree (the guard). The
cache never fails a request: a store that cannot be reached is bypassed and logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from automatrix.orchestrator import metrics
from automatrix.orchestrator.adapters.exact_cache import ExactCache
from automatrix.orchestrator.adapters.semantic_cache import SemanticCache
from automatrix.orchestrator.domain.cache_keys import exact_key, semantic_scope, semantic_text
from automatrix.orchestrator.domain.guard import guard_signature
from automatrix.shared.contracts import ChatMessage, InferenceParams, RequestKind, Role

log = logging.getLogger(__name__)

CacheStatus = Literal["hit-exact", "hit-semantic", "miss", "bypass"]

Embed = Callable[[str, str], Awaitable[list[float]]]
"""(text, tenant) -> the text's embedding."""


@dataclass(frozen=True, slots=True)
class CacheControls:
    """What one request allows the cache to do."""

    lookup: bool = True
    store: bool = True
    ttl_s: float = 3600.0
    threshold: float = 0.95


@dataclass(slots=True)
class CacheLookup:
    """The outcome of a lookup, and what storing the answer later needs."""

    status: CacheStatus
    exact_key: str
    value: bytes | None = None
    score: float | None = None
    scope: str | None = None
    guard: str | None = None
    vector: list[float] | None = None
    text: str | None = None
    """What the semantic side embeds (the last user turn)."""
    tenant: str = ""
    controls: CacheControls = field(default_factory=CacheControls)


class ResponseCache:
    """Looks answers up and stores them, in both stores."""

    def __init__(
        self, exact: ExactCache, semantic: SemanticCache | None, embed: Embed | None
    ) -> None:
        self.exact = exact
        self.semantic = semantic
        self.embed = embed

    async def lookup(
        self,
        *,
        tenant: str,
        model: str,
        kind: RequestKind,
        params: InferenceParams,
        messages: Sequence[ChatMessage] = (),
        inputs: Sequence[str] = (),
        controls: CacheControls,
    ) -> CacheLookup:
        key = exact_key(
            tenant=tenant, model=model, kind=kind, params=params, messages=messages, inputs=inputs
        )
        found = CacheLookup(
            "miss" if controls.lookup else "bypass", key, tenant=tenant, controls=controls
        )
        semantic_wanted = (
            self.semantic is not None
            and self.embed is not None
            and kind is RequestKind.CHAT
            and bool(messages)
            and messages[-1].role is Role.USER
        )
        if semantic_wanted:
            found.scope = semantic_scope(
                tenant=tenant, model=model, kind=kind, params=params, messages=messages
            )
            found.guard = guard_signature(messages[-1].content)
            found.text = semantic_text(messages)
        if not controls.lookup:
            metrics.CACHE.labels("bypass").inc()
            return found
        try:
            value = await self.exact.get(key)
        except Exception as exc:
            _degraded("exact cache lookup", exc)
            value = None
        if value is not None:
            found.status, found.value = "hit-exact", value
            metrics.CACHE.labels("hit-exact").inc()
            return found
        if semantic_wanted:
            await self._semantic_lookup(found)
        metrics.CACHE.labels(found.status).inc()
        return found

    async def _semantic_lookup(self, found: CacheLookup) -> None:
        assert self.semantic is not None
        assert self.embed is not None
        assert found.scope is not None
        assert found.guard is not None
        assert found.text is not None
        try:
            found.vector = await self.embed(found.text, found.tenant)
            hit = await self.semantic.lookup(
                scope=found.scope,
                guard=found.guard,
                vector=found.vector,
                threshold=found.controls.threshold,
            )
        except Exception as exc:
            _degraded("semantic cache lookup", exc)
            return
        if hit is not None:
            found.status, found.value, found.score = "hit-semantic", hit.value, hit.score

    async def store(self, found: CacheLookup, value: bytes) -> None:
        """Keep an answer under the request's exact key and, for chat, its meaning."""
        if not found.controls.store:
            return
        ttl_s = found.controls.ttl_s
        try:
            await self.exact.put(found.exact_key, value, ttl_s=ttl_s)
        except Exception as exc:
            _degraded("exact cache store", exc)
        if self.semantic is None or self.embed is None or found.scope is None:
            return
        assert found.guard is not None
        assert found.text is not None
        try:
            if found.vector is None:  # not looked up (no-cache): embed now, to index it
                found.vector = await self.embed(found.text, found.tenant)
            await self.semantic.store(
                scope=found.scope, guard=found.guard, vector=found.vector, value=value, ttl_s=ttl_s
            )
        except Exception as exc:
            _degraded("semantic cache store", exc)

    async def sweep(self) -> int:
        """Delete expired semantic entries (Redis expires exact ones itself)."""
        if self.semantic is None:
            return 0
        return await self.semantic.sweep()


_last_warning: dict[str, float] = {}


def _degraded(what: str, exc: BaseException) -> None:
    metrics.CACHE_ERRORS.labels(what).inc()
    now = time.monotonic()
    if now - _last_warning.get(what, 0.0) >= 10.0:
        _last_warning[what] = now
        log.warning("%s failed, bypassed: %r", what, exc)
