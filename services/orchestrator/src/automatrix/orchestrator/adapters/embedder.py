"""The cache's query embeddings: request-reply to inference first, the routed path if none.

The direct path (``ai.v1.embed.<model group>``, answered by inference's local encoder) takes a
few milliseconds; when no inference instance answers it (an external Triton, a remote
embedding model) the query is embedded like any request, through relaycore.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import nats.errors
from pydantic import ValidationError

from automatrix.shared.bus import Bus
from automatrix.shared.contracts import EMBED, EmbedReply, EmbedRequested

log = logging.getLogger(__name__)

Routed = Callable[[str, str], Awaitable[list[float]]]
"""(text, tenant) -> its embedding, through relaycore."""

RETRY_DIRECT_AFTER_S = 10.0


class QueryEmbedder:
    """Embeds one cache query, preferring the direct path while it answers."""

    def __init__(self, bus: Bus, model: str, routed: Routed, *, timeout_s: float = 2.0) -> None:
        self.bus = bus
        self.model = model
        self.routed = routed
        self.timeout_s = timeout_s
        self._direct_down_until = 0.0

    async def __call__(self, text: str, tenant: str) -> list[float]:
        if time.monotonic() >= self._direct_down_until:
            vector = await self._direct(text, tenant)
            if vector is not None:
                return vector
            self._direct_down_until = time.monotonic() + RETRY_DIRECT_AFTER_S
        return await self.routed(text, tenant)

    async def _direct(self, text: str, tenant: str) -> list[float] | None:
        request = EmbedRequested(tenant=tenant, model=self.model, input=[text])
        try:
            msg = await self.bus.nc.request(
                EMBED.format(model=self.model), request.to_bytes(), timeout=self.timeout_s
            )
            reply = EmbedReply.model_validate_json(msg.data)
        except (nats.errors.NoRespondersError, nats.errors.TimeoutError, ValidationError) as exc:
            log.info("direct embedding unavailable (%r); using the routed path", exc)
            return None
        if reply.error or not reply.embeddings:
            log.warning("direct embedding failed: %s; using the routed path", reply.error)
            return None
        return reply.embeddings[0]
