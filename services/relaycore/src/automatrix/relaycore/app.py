"""Wiring of the relaycore service."""

from __future__ import annotations

import asyncio
import os
import socket

from nats.js.api import DeliverPolicy
from pydantic import TypeAdapter

from automatrix.relaycore.adapters.ledger import Ledger, ledger_client
from automatrix.relaycore.control import ControlHandler, control_spec
from automatrix.relaycore.domain.attempts import RetryPolicy
from automatrix.relaycore.domain.breaker import BreakerPolicy
from automatrix.relaycore.domain.healing import HealingPolicy
from automatrix.relaycore.domain.priority import PriorityPolicy
from automatrix.relaycore.domain.registry import set_state
from automatrix.relaycore.domain.scaling import ScalingPolicy
from automatrix.relaycore.domain.strategies import Strategy
from automatrix.relaycore.maintenance import Upkeep
from automatrix.relaycore.router import Router
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.rpc import RelayMethods, rpc_server
from automatrix.relaycore.scheduler import Scheduler
from automatrix.relaycore.settings import Settings
from automatrix.relaycore.views import routes
from automatrix.shared.bus import ConsumerSpec
from automatrix.shared.bus.topology import relay_request_consumer
from automatrix.shared.contracts import (
    RESULTS,
    ControlEvent,
    DeploymentRecord,
    DeploymentState,
    InferenceCompleted,
    InferenceFailed,
    InferenceRequested,
    Priority,
)
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.registry import DEPLOYMENTS, ROUTER, RoutingSwitch
from automatrix.shared.kv import KeyValueStore
from automatrix.shared.service import Service, base_service
from automatrix.shared.tasks import cancel_and_wait

RESULT = TypeAdapter(InferenceCompleted | InferenceFailed)


def create_app(settings: Settings | None = None) -> Service:
    """Build the service: registry watch, scheduler, router handlers, upkeep, HTTP views."""
    settings = settings or Settings()
    service = base_service("relaycore", settings)
    bus = service.bus
    instance = f"{socket.gethostname()}-{os.getpid()}"
    registry = KeyValueStore(DEPLOYMENTS, DeploymentRecord)
    switch = KeyValueStore(ROUTER, RoutingSwitch)
    routing = Routing(
        registry.values,
        breaker_policy=BreakerPolicy(
            window_s=settings.relay_breaker_window_s,
            min_calls=settings.relay_breaker_min_calls,
            failure_rate=settings.relay_breaker_failure_rate,
            cooldown_s=settings.relay_breaker_cooldown_s,
        ),
        default_strategy=Strategy(settings.relay_strategy),
        strategies={group: Strategy(s) for group, s in settings.relay_strategies.items()},
        fallbacks=settings.relay_fallbacks,
    )
    ledger = Ledger(ledger_client(settings.redis_url), namespace=settings.bus_namespace)
    scheduler = Scheduler(
        routing,
        ledger,
        PriorityPolicy(settings.relay_starvation_limit),
        lease_grace_s=settings.relay_lease_grace_s,
        no_route_wait_s=settings.relay_no_route_wait_s,
        take_ahead=min(settings.relay_take_ahead, settings.relay_window),
        window=settings.relay_window,
    )
    probe_token = f"{settings.relay_token}-probe"
    upkeep = Upkeep(
        bus,
        registry,
        routing,
        scheduler,
        ledger,
        probe_token=probe_token,
        healing=HealingPolicy(
            error_rate=settings.relay_heal_error_rate,
            min_calls=settings.relay_heal_min_calls,
            probe_after_s=settings.relay_heal_probe_after_s,
        ),
        scaling=ScalingPolicy(target_latency_ms=settings.relay_target_latency_ms),
        interval_s=settings.relay_sweep_interval_s,
        scaling_interval_s=settings.relay_scaling_interval_s,
        instance=instance,
    )

    async def probed(name: str, ok: bool) -> None:
        if not ok:
            return

        def resume(current: DeploymentRecord | None) -> DeploymentRecord | None:
            if current is None or not current.auto_drained:
                return current
            return set_state(current, DeploymentState.ACTIVE, "probe succeeded", utcnow())

        await registry.mutate(name, resume)

    router = Router(
        bus,
        routing,
        scheduler,
        ledger,
        token=settings.relay_token,
        retry_policy=RetryPolicy(
            max_attempts=settings.relay_max_attempts,
            retries_per_deployment=settings.relay_retries_per_deployment,
            backoff_base_s=settings.relay_backoff_base_s,
            backoff_max_s=settings.relay_backoff_max_s,
        ),
        instance=instance,
        probe_token=probe_token,
        on_probe=probed,
    )
    control = ControlHandler(registry, switch, upkeep.publish_recommendations)
    rpc = rpc_server(
        bus, RelayMethods(registry, routing, scheduler, upkeep, service.readiness, instance)
    )

    for level in Priority:
        consumer = bus.subscribe(
            relay_request_consumer(level.value),
            InferenceRequested,
            router.on_request,
            batch=settings.relay_window,
        )
        consumer.window = scheduler.intake[level]
    results = ConsumerSpec(
        durable="relaycore-results",
        stream=RESULTS.stream or "",
        filter_subjects=(RESULTS.filter(),),
        description="relaycore: outcomes of attempts (retire, retry, fall back, fail)",
        deliver_policy=DeliverPolicy.NEW,
    )
    bus.subscribe(results, RESULT, router.on_result, batch=settings.relay_window)
    bus.subscribe(control_spec("relaycore-control"), ControlEvent, control.handle, batch=32)

    states: dict[str, DeploymentState | None] = {}

    def on_registry_change(name: str, record: DeploymentRecord | None) -> None:
        routing.registry_changed()
        previous = states.get(name)
        states[name] = record.state if record else None
        if (
            record is not None
            and record.state is DeploymentState.ACTIVE
            and previous
            not in (
                None,
                DeploymentState.ACTIVE,
            )
        ):
            # Back in service: judge it on what it does from now on.
            routing.stats.pop(name, None)
            routing.breakers.pop(name, None)
        scheduler.wake()

    registry.listeners.append(on_registry_change)

    def on_switch(_: str, value: RoutingSwitch | None) -> None:
        scheduler.enabled = value.enabled if value is not None else True
        scheduler.wake()

    switch.listeners.append(on_switch)
    tasks: list[asyncio.Task[None]] = []

    async def start_scheduler() -> None:
        tasks.append(asyncio.create_task(scheduler.run(), name="relay-scheduler"))

    async def open_stores() -> None:
        await registry.open(bus.js)
        await switch.open(bus.js)
        await bus.nc.subscribe(RESULTS.filter(), cb=router.observe)
        tasks.append(asyncio.create_task(upkeep.run(), name="relay-upkeep"))
        scheduler.wake()
        await rpc.start()

    async def hand_back() -> None:
        await rpc.stop()
        await scheduler.stop()

    async def close() -> None:
        for task in tasks:
            await cancel_and_wait(task)
        await registry.close()
        await switch.close()
        await ledger.redis.aclose()

    async def registry_check() -> str:
        healthy = sum(1 for r in registry.values.values() if r.routable())
        state = "routing" if scheduler.enabled else "STOPPED"
        return f"{state}, {healthy}/{len(registry.values)} deployments routable"

    service.prepare.append(start_scheduler)
    service.on_start.append(open_stores)
    service.before_stop.append(hand_back)
    service.on_stop.append(close)
    service.readiness.add("registry", registry_check)
    for route in routes(registry, routing, scheduler, upkeep):
        service.app.router.routes.append(route)  # type: ignore[attr-defined]
    return service
