"""Embeddings on request-reply (``ai.v1.embed.<model group>``) for the gateway's cache.

A cache lookup embeds one short query and must cost a few milliseconds. Routed through
relaycore and Triton it costs ~15 ms here (Triton's Python-backend proxy alone ~7 ms for
one text, against ~2.5 ms for the encoder itself), so each local embedding deployment also
answers on core NATS, in a queue group, with the very encoder session Triton serves. Only
the embedded Triton's encoders are reachable this way; with an external Triton the gateway
falls back to the routed path.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import numpy as np
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from numpy.typing import NDArray
from pydantic import ValidationError

from automatrix.shared.bus import Bus
from automatrix.shared.contracts import EMBED, EmbedReply, EmbedRequested, Usage

log = logging.getLogger(__name__)

QUEUE_GROUP = "inference-embed"

Encode = Callable[[list[str]], NDArray[np.float32]]


@dataclass(frozen=True, slots=True)
class DirectModel:
    """A local embedding deployment and the encoder behind it."""

    deployment: str
    model_group: str
    encode: Encode


class DirectEmbedder:
    """Answers ``EmbedRequested`` for each local embedding model group."""

    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.models: dict[str, DirectModel] = {}
        """By model group; filled once the encoders are loaded, before ``start``."""
        self._subscriptions: list[Subscription] = []

    def add(self, model: DirectModel) -> None:
        self.models[model.model_group] = model

    async def start(self) -> None:
        for group, model in self.models.items():
            self._subscriptions.append(
                await self.bus.nc.subscribe(
                    EMBED.format(model=group), queue=QUEUE_GROUP, cb=self._handler(model)
                )
            )

    async def stop(self) -> None:
        for subscription in self._subscriptions:
            await subscription.unsubscribe()
        self._subscriptions.clear()

    def _handler(self, model: DirectModel) -> Callable[[Msg], Awaitable[None]]:
        async def handle(msg: Msg) -> None:
            reply = await self.answer(model, msg.data)
            if msg.reply:
                await self.bus.nc.publish(msg.reply, reply.model_dump_json().encode())

        return handle

    async def answer(self, model: DirectModel, data: bytes) -> EmbedReply:
        """The reply to one request; never raises (the error goes back to the caller)."""
        try:
            request = EmbedRequested.parse(data)
        except ValidationError as exc:
            return EmbedReply(deployment=model.deployment, error=f"invalid request: {exc}"[:2048])
        try:
            vectors = await asyncio.to_thread(model.encode, list(request.input))
        except Exception as exc:
            log.exception("direct embedding failed on %s", model.deployment)
            return EmbedReply(deployment=model.deployment, error=f"encoder failed: {exc!r}"[:2048])
        tokens = sum(len(text.split()) for text in request.input)
        return EmbedReply(
            deployment=model.deployment,
            embeddings=vectors.astype(np.float32).tolist(),
            usage=Usage(input_tokens=tokens, output_tokens=0, total_tokens=tokens),
        )
