"""One process of a traced chain for the tracing tests: origin → relay → sink over the bus.

Run ``python -m tests.support.hop ROLE ...`` from the repository root with NATS_URL,
REDIS_URL, BUS_NAMESPACE and OTEL_EXPORTER_OTLP_ENDPOINT in the environment.

- ``origin --to SERVICE --request ID``: on SIGUSR1, publishes one ``TelemetryEvent`` under
  a root span ``request`` and records the root span and the publish path.
- ``relay --durable NAME --filter SUBJECT --to SERVICE``: republishes every event it
  consumes as a new event (new message id) for ``SERVICE``, from inside the handler.
- ``sink --durable NAME --filter SUBJECT``: records every event it consumes.

Each marks itself ready once its bus is started; records are JSON lines in Redis lists.
SIGTERM stops the bus and flushes telemetry, then the process exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from typing import Any

from opentelemetry import trace
from redis.asyncio import Redis

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import TELEMETRY, TelemetryEvent, TelemetryKind
from automatrix.shared.settings import BusSettings
from automatrix.shared.telemetry import setup_telemetry

log = logging.getLogger(__name__)

ROLES = ("origin", "relay", "sink")


def ready_key(namespace: str) -> str:
    """A Redis set of the roles whose bus is started."""
    return f"{namespace}hop:ready"


def record_key(namespace: str, role: str) -> str:
    """A Redis list of JSON records written by ``role``."""
    return f"{namespace}hop:{role}:records"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.support.hop")
    parser.add_argument("role", choices=ROLES)
    parser.add_argument("--durable", help="durable consumer name (relay, sink)")
    parser.add_argument("--filter", help="subject filter to consume (relay, sink)")
    parser.add_argument("--to", help="service token of the event published (origin, relay)")
    parser.add_argument("--request", help="request id the origin puts on its event")
    args = parser.parse_args(argv)
    needed = {
        "origin": ("to", "request"),
        "relay": ("durable", "filter", "to"),
        "sink": ("durable", "filter"),
    }[args.role]
    missing = [f"--{name}" for name in needed if getattr(args, name) is None]
    if missing:
        parser.error(f"{args.role} needs {', '.join(missing)}")
    return args


async def record(redis: Redis, namespace: str, role: str, **fields: Any) -> None:
    await redis.rpush(record_key(namespace, role), json.dumps(fields))


def consumer_spec(durable: str, subject_filter: str) -> ConsumerSpec:
    assert TELEMETRY.stream is not None
    return ConsumerSpec(durable=durable, stream=TELEMETRY.stream, filter_subjects=(subject_filter,))


async def originate(bus: Bus, args: argparse.Namespace, go: asyncio.Event) -> None:
    """Publish the first event of the request under a root span, once ``go`` is set."""
    await go.wait()
    event = TelemetryEvent(service=args.to, kind=TelemetryKind.REQUEST, request_id=args.request)
    namespace = bus.settings.bus_namespace
    tracer = trace.get_tracer(__name__)
    with tracer.start_as_current_span("request") as span:
        try:
            path = await bus.publish(event)
        except Exception as exc:
            await record(bus.redis, namespace, "origin", error=repr(exc))
            raise
    context = span.get_span_context()
    await record(
        bus.redis,
        namespace,
        "origin",
        trace_id=trace.format_trace_id(context.trace_id),
        span_id=trace.format_span_id(context.span_id),
        message_id=event.message_id,
        path=path,
    )


def subscribe(bus: Bus, args: argparse.Namespace) -> None:
    namespace = bus.settings.bus_namespace

    async def forward(event: TelemetryEvent, _: Delivery) -> None:
        # Published inside the handler, so the consumer span is the current context.
        onward = TelemetryEvent(service=args.to, kind=event.kind, request_id=event.request_id)
        path = await bus.publish(onward)
        await record(
            bus.redis,
            namespace,
            "relay",
            received=event.message_id,
            message_id=onward.message_id,
            path=path,
        )

    async def keep(event: TelemetryEvent, delivery: Delivery) -> None:
        await record(
            bus.redis,
            namespace,
            "sink",
            message_id=event.message_id,
            request_id=event.request_id,
            traceparent=delivery.headers.get("traceparent"),
        )

    handler = forward if args.role == "relay" else keep
    bus.subscribe(consumer_spec(args.durable, args.filter), TelemetryEvent, handler)


async def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    telemetry = setup_telemetry(f"hop-{args.role}")
    if "traces" not in telemetry.exporting:
        print("hop: set OTEL_EXPORTER_OTLP_ENDPOINT; a hop exists to export spans", file=sys.stderr)
        return 2
    settings = BusSettings()
    bus = Bus(settings, name=f"hop-{args.role}")
    stop, go = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, go.set)
    if args.role != "origin":
        subscribe(bus, args)
    work: asyncio.Task[None] | None = None
    outcome: BaseException | None = None
    try:
        await bus.start()
        if args.role == "origin":
            work = asyncio.create_task(originate(bus, args, go), name="hop-originate")
        await bus.redis.sadd(ready_key(settings.bus_namespace), args.role)
        await stop.wait()
        if work is not None:
            work.cancel()
            (outcome,) = await asyncio.gather(work, return_exceptions=True)
    finally:
        await bus.stop()
        telemetry.shutdown()
    if isinstance(outcome, Exception):
        log.error("hop %s failed: %r", args.role, outcome)
        return 1
    return 0


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    raise SystemExit(asyncio.run(main()))
