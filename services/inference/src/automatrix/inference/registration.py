"""Register each served deployment with the registry and keep its heartbeat going."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Protocol

from automatrix.shared.bus import Bus
from automatrix.shared.contracts import ControlEvent, ControlKind
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)


class Registrable(Protocol):
    """A deployment as the registry records it."""

    @property
    def name(self) -> str: ...

    def registry_payload(self) -> dict[str, object]: ...


class Registrar:
    """Publishes ``deployment_register`` once, then ``deployment_heartbeat`` every interval.

    Replicas serving the same deployment all heartbeat it; relaycore marks a deployment
    unhealthy when every heartbeat stops, so a stopping replica sends no unregister.
    """

    def __init__(
        self,
        bus: Bus,
        deployments: Sequence[Registrable],
        *,
        instance: str,
        interval_s: float = 5.0,
    ) -> None:
        self.bus = bus
        self.deployments = deployments
        self.instance = instance
        self.interval_s = interval_s
        self._beating: asyncio.Task[None] | None = None

    def _event(self, kind: ControlKind, deployment: Registrable) -> ControlEvent:
        payload = deployment.registry_payload() if kind is ControlKind.DEPLOYMENT_REGISTER else {}
        return ControlEvent(
            kind=kind,
            target=deployment.name,
            issued_by=f"inference/{self.instance}",
            payload={**payload, "instance": self.instance, "interval_s": self.interval_s},
        )

    async def start(self) -> None:
        for deployment in self.deployments:
            await self.bus.publish(self._event(ControlKind.DEPLOYMENT_REGISTER, deployment))
        self._beating = asyncio.create_task(self._beat(), name="inference-heartbeat")

    async def stop(self) -> None:
        await cancel_and_wait(self._beating)
        self._beating = None

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            for deployment in self.deployments:
                try:
                    await self.bus.publish(
                        self._event(ControlKind.DEPLOYMENT_HEARTBEAT, deployment)
                    )
                except Exception:
                    log.exception("heartbeat of %s not published", deployment.name)
