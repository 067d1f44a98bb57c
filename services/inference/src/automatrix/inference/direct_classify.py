"""Query classification on request-reply (``ai.v1.classify.<model>``) for the gateway.

The router model neuroweaver trains takes a MiniLM embedding (and, from the versions that
read the words too, the text itself), so a classification is two steps on this service:
embed the text with the encoder session the embedding deployment already holds, then run the
active version of the router model in Triton (through the ``ModelSwapper``, which counts the
request so a swap never unloads the version under it).
The reply names that version; until neuroweaver promotes one, the reply is an error and
the gateway keeps its heuristic.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from numpy.typing import NDArray
from pydantic import ValidationError

from automatrix.inference.direct_embed import Encode
from automatrix.inference.hotswap import ActiveModel, ModelSwapper
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    CAPABILITY_LABELS,
    CLASSIFY,
    TIER_LABELS,
    Classification,
    ClassifyReply,
    ClassifyRequested,
)

log = logging.getLogger(__name__)

QUEUE_GROUP = "inference-classify"
INPUT = "embedding"
TEXT_INPUT = "text"
CAPABILITY_OUTPUT = "capability_probs"
TIER_OUTPUT = "tier_probs"


class DirectClassifier:
    """Answers ``ClassifyRequested`` for router models, once an encoder is set."""

    def __init__(self, bus: Bus, swapper: ModelSwapper, models: tuple[str, ...]) -> None:
        self.bus = bus
        self.swapper = swapper
        self.models = models
        self.encode: Encode | None = None
        """The MiniLM encoder; set once the embedding model is loaded, before ``start``."""
        self._subscriptions: list[Subscription] = []

    async def start(self) -> None:
        for model in self.models:
            self._subscriptions.append(
                await self.bus.nc.subscribe(
                    CLASSIFY.format(model=model), queue=QUEUE_GROUP, cb=self._handler(model)
                )
            )

    async def stop(self) -> None:
        for subscription in self._subscriptions:
            await subscription.unsubscribe()
        self._subscriptions.clear()

    def _handler(self, model: str) -> Callable[[Msg], Awaitable[None]]:
        async def handle(msg: Msg) -> None:
            reply = await self.answer(model, msg.data)
            if msg.reply:
                await self.bus.nc.publish(msg.reply, reply.model_dump_json().encode())

        return handle

    async def answer(self, model: str, data: bytes) -> ClassifyReply:
        """The reply to one request; never raises (the error goes back to the caller)."""
        try:
            request = ClassifyRequested.parse(data)
        except ValidationError as exc:
            return ClassifyReply(model=model, error=f"invalid request: {exc}"[:2048])
        if self.swapper.active(model) is None:
            return ClassifyReply(model=model, error=f"no version of {model} is in production")
        if self.encode is None:
            return ClassifyReply(model=model, error="no local MiniLM encoder is loaded here")
        try:
            texts = list(request.input)
            vectors = await asyncio.to_thread(self.encode, texts)

            def inputs(version: ActiveModel) -> dict[str, NDArray[Any]]:
                given = {INPUT: vectors.astype(np.float32)}
                if TEXT_INPUT in version.inputs:
                    given[TEXT_INPUT] = np.array(
                        [text.encode() for text in texts], dtype=object
                    ).reshape(-1, 1)
                return given

            active, outputs = await self.swapper.infer_versioned(
                model, inputs, [CAPABILITY_OUTPUT, TIER_OUTPUT]
            )
        except Exception as exc:
            log.exception("classification by %s failed", model)
            return ClassifyReply(model=model, error=f"classifier failed: {exc!r}"[:2048])
        capabilities, tiers = outputs[CAPABILITY_OUTPUT], outputs[TIER_OUTPUT]
        return ClassifyReply(
            model=model,
            version=active.version,
            results=[
                Classification(
                    capabilities=dict(zip(CAPABILITY_LABELS, map(float, cap), strict=True)),
                    tiers=dict(zip(TIER_LABELS, map(float, tier), strict=True)),
                )
                for cap, tier in zip(capabilities, tiers, strict=True)
            ],
        )
