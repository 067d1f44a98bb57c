"""Control events for the router: registry commands, heartbeats, feedback, start/stop/optimize."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from automatrix.relaycore.domain.registry import ControlError, apply
from automatrix.shared.bus import ConsumerSpec, Delivery, RejectMessage
from automatrix.shared.contracts import (
    CONTROL,
    ControlEvent,
    ControlKind,
    DeploymentRecord,
)
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.registry import ROUTING_KEY, RoutingSwitch
from automatrix.shared.kv import KeyValueStore

log = logging.getLogger(__name__)

ROUTER_KINDS = (ControlKind.ROUTER_START, ControlKind.ROUTER_STOP, ControlKind.ROUTER_OPTIMIZE)
DEPLOYMENT_KINDS = tuple(k for k in ControlKind if k.value.startswith("deployment_"))


def control_spec(durable: str) -> ConsumerSpec:
    """The shared consumer of the control kinds the router acts on."""
    kinds = (*DEPLOYMENT_KINDS, *ROUTER_KINDS)
    return ConsumerSpec(
        durable=durable,
        stream=CONTROL.stream or "",
        filter_subjects=tuple(CONTROL.format(kind=kind.value) for kind in kinds),
        description="relaycore: registry commands, heartbeats and router switches",
    )


class ControlHandler:
    """Applies each command once (shared consumer), with compare-and-set on the buckets."""

    def __init__(
        self,
        registry: KeyValueStore[DeploymentRecord],
        switch: KeyValueStore[RoutingSwitch],
        optimize: Callable[[], Awaitable[None]],
    ) -> None:
        self.registry = registry
        self.switch = switch
        self.optimize = optimize

    async def handle(self, event: ControlEvent, _: Delivery) -> None:
        if event.kind in ROUTER_KINDS:
            await self._router(event)
            return
        if event.target is None:
            raise RejectMessage(f"{event.kind.value} needs a target deployment")
        now = utcnow()

        def change(record: DeploymentRecord | None) -> DeploymentRecord | None:
            return apply(record, event, now)

        try:
            await self.registry.mutate(event.target, change)
        except ControlError as exc:
            raise RejectMessage(f"{event.kind.value} {event.target}: {exc}") from None
        if event.kind is not ControlKind.DEPLOYMENT_HEARTBEAT:
            log.info("%s %s by %s", event.kind.value, event.target, event.issued_by)

    async def _router(self, event: ControlEvent) -> None:
        if event.kind is ControlKind.ROUTER_OPTIMIZE:
            await self.optimize()
            return
        enabled = event.kind is ControlKind.ROUTER_START
        new = RoutingSwitch(enabled=enabled, reason=event.reason, updated_by=event.issued_by)
        await self.switch.mutate(ROUTING_KEY, lambda _: new)
        log.warning("routing %s by %s", "started" if enabled else "stopped", event.issued_by)
