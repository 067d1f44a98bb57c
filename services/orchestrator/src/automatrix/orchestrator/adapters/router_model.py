"""The platform's own router model, asked over request-reply (``ai.v1.classify.<model>``).

Inference answers with the probabilities of the version in production and that version's
number. No answer (no inference replica, no version promoted yet, a timeout) means the
caller keeps its heuristic; after a timeout the model is not asked again for a while, so a
stalled inference service costs one slow request, not every one.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import nats.errors
from pydantic import ValidationError

from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    CLASSIFY,
    ROUTER_MODEL,
    Classification,
    ClassifyReply,
    ClassifyRequested,
)

log = logging.getLogger(__name__)

RETRY_AFTER_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class ModelVerdict:
    """The served model's probabilities for one text, and the version that gave them."""

    model: str
    version: int
    probabilities: Classification


class RouterModel:
    """Asks the served router model to classify one text."""

    def __init__(self, bus: Bus, *, model: str = ROUTER_MODEL, timeout_s: float = 0.5) -> None:
        self.bus = bus
        self.model = model
        self.timeout_s = timeout_s
        self._quiet_until = 0.0

    async def __call__(self, text: str, tenant: str) -> ModelVerdict | None:
        if time.monotonic() < self._quiet_until or not self.bus.connected():
            return None
        request = ClassifyRequested(tenant=tenant, model=self.model, input=[text])
        try:
            msg = await self.bus.nc.request(
                CLASSIFY.format(model=self.model), request.to_bytes(), timeout=self.timeout_s
            )
            reply = ClassifyReply.model_validate_json(msg.data)
        except nats.errors.NoRespondersError:
            return None
        except nats.errors.TimeoutError:
            log.warning("router model did not answer in %.2fs; heuristic for now", self.timeout_s)
            self._quiet_until = time.monotonic() + RETRY_AFTER_TIMEOUT_S
            return None
        except ValidationError as exc:
            log.warning("unreadable router model reply: %s", exc)
            return None
        if reply.error or reply.version is None or not reply.results:
            log.debug("router model unavailable: %s", reply.error)
            return None
        return ModelVerdict(self.model, reply.version, reply.results[0])
