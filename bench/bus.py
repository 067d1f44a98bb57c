"""Throughput and publish-to-handler latency: raw nats-py JetStream vs the project's bus.

Both sides run in one process against one fresh nats-server, alternating rounds, with the
same payload size, the same publish window and the same consumer batch. The raw side does
the least a correct consumer must (fetch, ack); the bus side does everything the bus does
(Nats-Msg-Id, trace headers, pydantic validation, metrics, explicit ack).

Prints a human table, then one JSON line last:
{"raw_eps":…, "bus_eps":…, "ratio":…, "p50_ms":…, "p99_ms":…, …}

    .venv/bin/python bench/bus.py [--events 20000] [--rounds 3] [--rate 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import nats
from nats.js.api import AckPolicy, ConsumerConfig

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import TELEMETRY, TelemetryEvent
from automatrix.shared.gc_tuning import tune_gc
from automatrix.shared.settings import BusSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: find bench/
from bench.infra import nats_and_redis

WINDOW = 256
BATCH = 256


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Run:
    """Counts handled events and their publish-to-handler latency."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.latencies_ms: list[float] = []
        self.done = asyncio.Event()

    def handled(self, sent_at: float) -> None:
        self.latencies_ms.append((time.perf_counter() - sent_at) * 1000)
        if len(self.latencies_ms) >= self.expected:
            self.done.set()


async def drive(publish: Callable[[int], Awaitable[None]], n: int, rate: float | None) -> None:
    """Publish ``n`` events: as fast as a window allows, or paced at ``rate`` per second."""
    started = time.perf_counter()
    for i in range(0, n, WINDOW if rate is None else 32):
        step = WINDOW if rate is None else 32
        if rate is not None and (ahead := started + i / rate - time.perf_counter()) > 0:
            await asyncio.sleep(ahead)
        await asyncio.gather(*(publish(j) for j in range(i, min(i + step, n))))


async def raw_round(url: str, round_id: str, n: int, rate: float | None) -> tuple[float, Run]:
    nc = await nats.connect(url)
    js = nc.jetstream()
    durable = f"raw-{round_id}"
    subject = TELEMETRY.format(service=round_id, kind="metrics")
    await js.add_consumer(
        "AI_TELEMETRY",
        ConsumerConfig(
            durable_name=durable,
            ack_policy=AckPolicy.EXPLICIT,
            filter_subject=subject,
            max_ack_pending=10_000,
        ),
    )
    run = Run(n)
    template = TelemetryEvent.example(service=round_id, kind="metrics").to_bytes()
    sub = await js.pull_subscribe_bind(durable, "AI_TELEMETRY")

    async def consume() -> None:
        while not run.done.is_set():
            try:
                msgs = await sub.fetch(BATCH, timeout=0.5)
            except nats.errors.TimeoutError:
                continue
            for msg in msgs:
                run.handled(float(msg.headers["Bench-Sent"]))  # type: ignore[index]
                await msg.ack()

    async def publish(i: int) -> None:
        await js.publish(
            subject,
            template,
            headers={
                "Nats-Msg-Id": f"{round_id}-{i}",
                "Bench-Sent": repr(time.perf_counter()),
            },
        )

    consumer = asyncio.create_task(consume())
    started = time.perf_counter()
    await drive(publish, n, rate)
    await run.done.wait()
    elapsed = time.perf_counter() - started
    consumer.cancel()
    await nc.close()
    return n / elapsed, run


async def bus_round(
    settings: BusSettings, round_id: str, n: int, rate: float | None
) -> tuple[float, Run]:
    run = Run(n)
    sent_at: dict[str, float] = {}

    async def handle(event: TelemetryEvent, _: Delivery) -> None:
        run.handled(sent_at.pop(event.message_id))

    bus = Bus(settings, name=f"bench-{round_id}")
    bus.subscribe(
        ConsumerSpec.on(TELEMETRY, f"bus-{round_id}", service=round_id, kind="metrics"),
        TelemetryEvent,
        handle,
        batch=BATCH,
    )
    events = [TelemetryEvent.example(service=round_id, kind="metrics") for _ in range(n)]
    async with bus:

        async def publish(i: int) -> None:
            event = events[i]
            sent_at[event.message_id] = time.perf_counter()
            await bus.publish(event)

        started = time.perf_counter()
        await drive(publish, n, rate)
        await run.done.wait()
        elapsed = time.perf_counter() - started
    return n / elapsed, run


async def bench(args: argparse.Namespace, nats_url: str, redis_url: str) -> dict[str, float]:
    settings = BusSettings(nats_url=nats_url, redis_url=redis_url, bus_namespace="bench:")
    async with Bus(settings, name="bench-provision"):
        pass  # provisions the streams both sides use
    tune_gc()  # as every service does after start-up; applies to both sides alike
    raw_eps: list[float] = []
    bus_eps: list[float] = []
    raw_lat: list[float] = []
    bus_lat: list[float] = []
    for r in range(args.rounds):
        eps, _ = await raw_round(nats_url, f"r{r}s", args.events, None)
        raw_eps.append(eps)
        eps, _ = await bus_round(settings, f"b{r}s", args.events, None)
        bus_eps.append(eps)
        _, run = await raw_round(nats_url, f"r{r}p", args.latency_events, args.rate)
        raw_lat += run.latencies_ms
        _, run = await bus_round(settings, f"b{r}p", args.latency_events, args.rate)
        bus_lat += run.latencies_ms
        print(
            f"round {r + 1}: raw {raw_eps[-1]:,.0f} ev/s, bus {bus_eps[-1]:,.0f} ev/s",
            file=sys.stderr,
        )
    raw, ours = statistics.median(raw_eps), statistics.median(bus_eps)
    return {
        "raw_eps": round(raw),
        "bus_eps": round(ours),
        "ratio": round(ours / raw, 3),
        "p50_ms": round(percentile(bus_lat, 0.50), 2),
        "p99_ms": round(percentile(bus_lat, 0.99), 2),
        "raw_p50_ms": round(percentile(raw_lat, 0.50), 2),
        "raw_p99_ms": round(percentile(raw_lat, 0.99), 2),
        "latency_rate_eps": args.rate,
        "events_per_round": args.events,
        "rounds": args.rounds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="events per throughput round")
    parser.add_argument(
        "--latency-events", type=int, default=5_000, help="events per latency round"
    )
    parser.add_argument("--rate", type=float, default=2_000, help="paced rate for latency, ev/s")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, nats_and_redis(Path(tmp)) as (nats_url, redis_url):
        result = asyncio.run(bench(args, nats_url, redis_url))
    print(
        f"raw JetStream: {result['raw_eps']:,} ev/s, p50 {result['raw_p50_ms']} ms, "
        f"p99 {result['raw_p99_ms']} ms at {args.rate:,.0f} ev/s"
    )
    print(
        f"AutoMatrix bus: {result['bus_eps']:,} ev/s ({result['ratio']:.0%} of raw), "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms at {args.rate:,.0f} ev/s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
