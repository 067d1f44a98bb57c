"""Embeddings for training, from the platform's own MiniLM (request-reply to inference).

The router model is trained on the very embeddings the inference service computes when it
classifies a query, so train and serve cannot drift apart: both come from the encoder the
embedding deployment serves. Texts go in requests of ``MAX_DIRECT_INPUTS``, a few at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import nats.errors
import numpy as np
from numpy.typing import NDArray

from automatrix.shared.bus import Bus
from automatrix.shared.contracts import EMBED, EmbedReply, EmbedRequested
from automatrix.shared.contracts.embed import MAX_DIRECT_INPUTS

DIMENSIONS = 384
CONCURRENCY = 4


class EmbeddingUnavailableError(RuntimeError):
    """No inference replica embedded the texts (none running, or it failed)."""


class Embedder:
    """Embeds many texts through ``ai.v1.embed.<model>``."""

    def __init__(self, bus: Bus, model: str, *, timeout_s: float = 120.0) -> None:
        self.bus = bus
        self.model = model
        self.timeout_s = timeout_s

    async def __call__(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """``[len(texts), 384]`` in input order."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        limit = asyncio.Semaphore(CONCURRENCY)

        async def one(start: int) -> None:
            batch = list(texts[start : start + MAX_DIRECT_INPUTS])
            async with limit:
                out[start : start + len(batch)] = await self._request(batch)

        await asyncio.gather(*(one(s) for s in range(0, len(texts), MAX_DIRECT_INPUTS)))
        return out

    async def _request(self, batch: list[str]) -> NDArray[np.float32]:
        request = EmbedRequested(model=self.model, input=batch)
        try:
            msg = await self.bus.nc.request(
                EMBED.format(model=self.model), request.to_bytes(), timeout=self.timeout_s
            )
        except (nats.errors.NoRespondersError, nats.errors.TimeoutError) as exc:
            raise EmbeddingUnavailableError(
                f"no inference replica embedded with {self.model!r} ({exc!r});"
                " the inference service must be running with a local MiniLM deployment"
            ) from exc
        reply = EmbedReply.model_validate_json(msg.data)
        if reply.error or len(reply.embeddings) != len(batch):
            raise EmbeddingUnavailableError(f"embedding with {self.model!r} failed: {reply.error}")
        return np.asarray(reply.embeddings, dtype=np.float32)
