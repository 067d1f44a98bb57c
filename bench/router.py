"""Routing decisions/s and the latency relaycore adds, with a backlog of queued requests.

relaycore runs as its own process (``python -m automatrix.relaycore``) against a fresh
nats-server and Redis. The bench registers ``--deployments`` deployments, stops routing,
queues ``--requests`` requests of mixed priorities and capability requirements, then starts
routing: the whole backlog is waiting when the first decision is made. One consumer of
``ai.v1.dispatch.>`` in this process answers every dispatch at once (so slots free, as a
fast deployment would) and times it.

Added latency of one request: from relaycore taking it (the ``Am-Relay-Received`` header,
or the moment routing was switched on for a request it took while stopped) to its dispatch
being stored in JetStream (the stream's timestamp of the dispatch). Decisions/s: dispatches
over the time from the first of those starts to the last dispatch stored. ``fresh_*``: the
same percentiles over the requests relaycore took after routing was on; ``queued_*``: from
routing being switched on to the dispatch being stored, whether the request waited in JetStream
or in relaycore (the backlog's drain as each request saw it); ``relay_cpu_*``: relaycore's CPU
time over the round (Linux /proc), which shows whether its loop is saturated.

Prints a human summary, then one JSON line last:
{"decisions_per_s":…, "p50_ms":…, "p99_ms":…, "requests":…, "deployments":…, …}

    .venv/bin/python bench/router.py [--requests 1000] [--deployments 20] [--rounds 1]
                                     [--relay-cpu N]

``--relay-cpu N`` gives relaycore CPU ``N`` to itself: relaycore runs on it alone, and the bench,
NATS and Redis on the other CPUs (Linux affinity), as when the load and the deployments are on
other machines.

Where the added latency goes (``ledger_*``, ``publish_*``): from taking the request to its slot
confirmed by the Redis ledger (the ``Am-Relay-Placed`` header: the scheduling pass and the
ledger's round trip), and from there to the dispatch stored in JetStream.
``BENCH_RELAY_PROFILE=<file>`` runs relaycore under cProfile and leaves its stats there.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig

from automatrix.relaycore.router import PLACED_HEADER, RECEIVED_HEADER
from automatrix.relaycore.settings import Settings as RelaySettings
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    DISPATCH,
    CapabilityRequirement,
    ChatMessage,
    ControlEvent,
    ControlKind,
    InferenceCompleted,
    InferenceDispatched,
    InferenceRequested,
    Priority,
    Usage,
)
from automatrix.shared.contracts.registry import ROUTER, ROUTING_KEY, RoutingSwitch
from automatrix.shared.gc_tuning import tune_gc
from automatrix.shared.natsserver import NatsServer, free_port
from automatrix.shared.settings import BusSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: find bench/
from bench.infra import nats_and_redis

REQUESTER = "bench"
GROUPS = ("bench-fast", "bench-balanced", "bench-large")
CONCURRENCY = 64
PRIORITY_WEIGHTS = {Priority.CRITICAL: 1, Priority.HIGH: 2, Priority.NORMAL: 5, Priority.LOW: 2}
DISPATCH_DURABLE = "bench-router-dispatch"
DISPATCH_STREAM = DISPATCH.stream or ""
FETCH = 256
PUBLISH_WINDOW = 256
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ns(moment: datetime) -> int:
    """Wall-clock nanoseconds of an aware datetime (exact to its microsecond)."""
    return (moment - EPOCH) // timedelta(microseconds=1) * 1000


# -- the world around relaycore --------------------------------------------------------------


def deployment_name(index: int) -> str:
    return f"bench-d{index:02d}"


def deployment(index: int) -> ControlEvent:
    """Registration of ``bench-dNN``: three groups, chat on all, code on every other one."""
    name = deployment_name(index)
    capabilities = {"chat": round(0.95 - 0.01 * index, 2)}
    if index % 2 == 0:
        capabilities["code"] = round(0.9 - 0.02 * index, 2)
    return ControlEvent(
        kind=ControlKind.DEPLOYMENT_REGISTER,
        target=name,
        issued_by="bench",
        payload={
            "model_group": GROUPS[index % len(GROUPS)],
            "model": f"bench/{name}",
            "kind": "chat",
            "capabilities": capabilities,
            "concurrency": CONCURRENCY,
            "instance": f"{name}-1",
            "interval_s": 3600,
        },
    )


def request(tag: str, index: int, groups: int, rng: random.Random) -> InferenceRequested:
    """60% any model; 20% need code; 10% pin a group with chat >= 0.8; 10% pin a group."""
    priority = rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))[0]
    shape = index % 10
    model = GROUPS[index % groups] if shape >= 8 else "auto"
    needs = []
    if shape in (6, 7):
        needs = [CapabilityRequirement(name="code", min_proficiency=0.6)]
    elif shape == 8:
        needs = [CapabilityRequirement(name="chat", min_proficiency=0.8)]
    return InferenceRequested(
        request_id=f"{tag}-{index:05d}",
        requester=REQUESTER,
        priority=priority,
        model=model,
        messages=[ChatMessage(role="user", content=f"bench request {index}")],
        capabilities=needs,
    )


@dataclass
class Timing:
    """One dispatch: when relaycore took its request and when the dispatch was stored."""

    received_ns: int
    placed_ns: int
    stored_ns: int
    deployment: str


@dataclass
class Responder:
    """The one consumer of every dispatch: times it, answers it at once, acks it.

    ``AI_DISPATCH`` is a work queue: the server refuses a second consumer with an
    overlapping filter, so measuring and answering share this one.
    """

    bus: Bus
    tag: str = ""
    expected: int = 0
    timings: dict[str, Timing] = field(default_factory=dict)
    duplicates: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.bus.js.add_consumer(
            DISPATCH_STREAM,
            ConsumerConfig(
                durable_name=DISPATCH_DURABLE,
                ack_policy=AckPolicy.EXPLICIT,
                filter_subject=DISPATCH.filter(),
                max_ack_pending=10_000,
            ),
        )
        sub = await self.bus.js.pull_subscribe_bind(DISPATCH_DURABLE, DISPATCH_STREAM)
        self._task = asyncio.create_task(self._consume(sub), name="bench-responder")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def wait(self, within: float) -> None:
        """Until every expected dispatch was answered; raises if the consumer died."""
        assert self._task is not None
        answered = asyncio.create_task(self.done.wait())
        await asyncio.wait(
            {answered, self._task}, timeout=within, return_when=asyncio.FIRST_COMPLETED
        )
        answered.cancel()
        if self._task.done():
            self._task.result()  # the consumer's own error
            raise RuntimeError("the dispatch consumer stopped")
        if not self.done.is_set():
            raise TimeoutError(
                f"{len(self.timings)} of {self.expected} requests dispatched within {within:g} s"
            )

    def expect(self, tag: str, count: int) -> None:
        self.tag, self.expected = tag, count
        self.timings, self.duplicates = {}, 0
        self.done.clear()

    async def _consume(self, sub: Any) -> None:
        while True:
            try:
                msgs: list[Msg] = await sub.fetch(FETCH, timeout=0.5)
            except TimeoutError:  # nats.errors.TimeoutError, or asyncio's from a batch fetch
                continue
            await asyncio.gather(*(self._answer(msg) for msg in msgs))

    async def _answer(self, msg: Msg) -> None:
        dispatched = InferenceDispatched.parse(msg.data)
        request_id = dispatched.request_id
        await self.bus.publish(
            InferenceCompleted(
                tenant=dispatched.tenant,
                request_id=request_id,
                requester=dispatched.request.requester,
                deployment=dispatched.deployment,
                model=f"bench/{dispatched.deployment}",
                output="ok",
                usage=Usage(input_tokens=1, output_tokens=1, total_tokens=2),
                latency_ms=0.0,
            )
        )
        await msg.ack()
        if not request_id.startswith(f"{self.tag}-"):
            return  # a late redelivery from an earlier round
        if request_id in self.timings:
            self.duplicates += 1
            return
        headers = msg.headers or {}
        self.timings[request_id] = Timing(
            received_ns=int(headers[RECEIVED_HEADER]),
            placed_ns=int(headers[PLACED_HEADER]),
            stored_ns=ns(msg.metadata.timestamp),
            deployment=dispatched.deployment,
        )
        if len(self.timings) >= self.expected:
            self.done.set()


# -- relaycore as a process ------------------------------------------------------------------


@dataclass
class Relaycore:
    """``python -m automatrix.relaycore`` in its own process group, its output in a log."""

    env: dict[str, str]
    log_path: Path
    port: int
    cpu: int | None = None
    """The CPU relaycore runs on alone, if any."""
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, *profiler(self.env), "-m", "automatrix.relaycore"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=None if self.cpu is None else self._pin,
            )

    def _pin(self) -> None:
        """In the child, before exec: every thread relaycore starts stays on its CPU."""
        assert self.cpu is not None
        os.sched_setaffinity(0, {self.cpu})

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def cpu_s(self) -> float | None:
        """CPU seconds the process has used (user + system), where /proc tells."""
        if self.process is None:
            return None
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def profiler(env: dict[str, str]) -> list[str]:
    """``BENCH_RELAY_PROFILE=<file>``: run relaycore under cProfile, its stats written there."""
    target = env.get("BENCH_RELAY_PROFILE")
    return ["-m", "cProfile", "-o", target] if target else []


@contextmanager
def running(relay: Relaycore) -> Iterator[Relaycore]:
    """relaycore up for the block; killed after it, its log tail shown when the block failed."""
    relay.start()
    try:
        yield relay
    except BaseException:
        print(f"relaycore log, last lines:\n{relay.log_tail()}", file=sys.stderr)
        raise
    finally:
        relay.stop()


@contextmanager
def infrastructure(workdir: Path) -> Iterator[tuple[str, str]]:
    """A fresh nats-server; Redis from REDIS_URL, or a fresh redis-server too."""
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        with NatsServer(store_dir=workdir / "nats") as server:
            yield server.url, redis_url
    else:
        with nats_and_redis(workdir) as urls:
            yield urls


async def wait_for(
    check: Callable[[], Awaitable[bool]], relay: Relaycore, what: str, within: float = 60.0
) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not relay.alive():
            raise RuntimeError(f"relaycore exited while waiting for {what}")
        with contextlib.suppress(httpx.TransportError):
            if await check():
                return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"no {what} within {within:g} s")


# -- one round -------------------------------------------------------------------------------


async def switch(bus: Bus, http: httpx.AsyncClient, relay: Relaycore, on: bool) -> None:
    kind = ControlKind.ROUTER_START if on else ControlKind.ROUTER_STOP
    await bus.publish(ControlEvent(kind=kind, target=None, issued_by="bench", reason="bench"))

    async def switched() -> bool:
        queues = (await http.get("/v1/relay/queues")).json()
        return bool(queues["routing_enabled"] is on)

    await wait_for(switched, relay, f"routing_enabled {on}", within=15)


async def routing_on_ns(bus: Bus) -> int:
    """When relaycore wrote the switch that started routing (its clock, as the header's)."""
    entry = await (await bus.js.key_value(ROUTER.name)).get(ROUTING_KEY)
    value = RoutingSwitch.model_validate_json(entry.value or b"")
    assert value.enabled, "routing is not on"
    return ns(value.updated_at)


async def run_round(
    bus: Bus,
    http: httpx.AsyncClient,
    relay: Relaycore,
    responder: Responder,
    *,
    tag: str,
    requests: int,
    groups: int,
    seed: int,
) -> dict[str, float]:
    """Stop routing, queue ``requests``, start routing, wait for every dispatch."""
    rng = random.Random(seed)
    batch = [request(tag, i, groups, rng) for i in range(requests)]
    await switch(bus, http, relay, on=False)
    responder.expect(tag, requests)
    for i in range(0, requests, PUBLISH_WINDOW):
        await asyncio.gather(*(bus.publish(r) for r in batch[i : i + PUBLISH_WINDOW]))
    cpu_before, wall_before = relay.cpu_s(), time.monotonic()
    await switch(bus, http, relay, on=True)
    await responder.wait(within=max(30.0, requests / 50))
    cpu_after, wall_after = relay.cpu_s(), time.monotonic()
    cpu: dict[str, float] = {}
    if cpu_before is not None and cpu_after is not None:
        cpu = {
            "relay_cpu_ms_per_decision": round((cpu_after - cpu_before) * 1000 / requests, 3),
            "relay_cores_busy": round((cpu_after - cpu_before) / (wall_after - wall_before), 2),
        }
    return {
        **figures(list(responder.timings.values()), await routing_on_ns(bus)),
        "duplicates": responder.duplicates,
        **cpu,
    }


def figures(timings: list[Timing], started: int) -> dict[str, float]:
    """Added latency and decisions/s of one round; ``started``: when routing was switched on."""
    begins = [max(t.received_ns, started) for t in timings]
    added = [(t.stored_ns - b) / 1e6 for t, b in zip(timings, begins, strict=True)]
    fresh = [a for a, t in zip(added, timings, strict=True) if t.received_ns >= started]
    ledger = [(t.placed_ns - b) / 1e6 for t, b in zip(timings, begins, strict=True)]
    publish = [(t.stored_ns - t.placed_ns) / 1e6 for t in timings]
    queued = [(t.stored_ns - started) / 1e6 for t in timings]
    span_s = (max(t.stored_ns for t in timings) - min(begins)) / 1e9
    return {
        "decisions_per_s": round(len(timings) / span_s),
        "p50_ms": round(percentile(added, 0.50), 3),
        "p99_ms": round(percentile(added, 0.99), 3),
        "max_ms": round(max(added), 3),
        "fresh_p50_ms": round(percentile(fresh, 0.50), 3) if fresh else 0.0,
        "fresh_p99_ms": round(percentile(fresh, 0.99), 3) if fresh else 0.0,
        "held_at_start": len(timings) - len(fresh),
        "ledger_p50_ms": round(percentile(ledger, 0.50), 3),
        "ledger_p99_ms": round(percentile(ledger, 0.99), 3),
        "publish_p50_ms": round(percentile(publish, 0.50), 3),
        "publish_p99_ms": round(percentile(publish, 0.99), 3),
        "queued_p50_ms": round(percentile(queued, 0.50), 3),
        "queued_p99_ms": round(percentile(queued, 0.99), 3),
        "drain_s": round(span_s, 3),
        "dispatched": len(timings),
        "deployments_used": len({t.deployment for t in timings}),
    }


async def measure(
    args: argparse.Namespace,
    bus: Bus,
    http: httpx.AsyncClient,
    relay: Relaycore,
    responder: Responder,
    groups: int,
) -> list[dict[str, float]]:
    """An unmeasured warm-up round, then ``--rounds`` measured ones."""
    if args.warmup:
        await run_round(
            bus, http, relay, responder, tag="warm", requests=args.warmup, groups=groups, seed=0
        )
    rounds: list[dict[str, float]] = []
    for r in range(1, args.rounds + 1):
        result = await run_round(
            bus, http, relay, responder, tag=f"r{r}", requests=args.requests, groups=groups, seed=r
        )
        rounds.append(result)
        print(
            f"round {r}: {result['decisions_per_s']:,.0f} decisions/s, "
            f"added p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
            f"max {result['max_ms']} ms",
            file=sys.stderr,
        )
    return rounds


async def bench(
    args: argparse.Namespace, relay: Relaycore, settings: BusSettings
) -> dict[str, Any]:
    groups = min(len(GROUPS), args.deployments)
    async with (
        Bus(settings, name="bench-router") as bus,
        httpx.AsyncClient(base_url=relay.url, timeout=5) as http,
    ):

        async def ready() -> bool:
            return (await http.get("/readyz")).status_code == 200

        await wait_for(ready, relay, "relaycore /readyz 200")
        responder = Responder(bus)
        await responder.start()
        for index in range(args.deployments):
            await bus.publish(deployment(index))
        names = {deployment_name(index) for index in range(args.deployments)}

        async def registered() -> bool:
            views = (await http.get("/v1/relay/deployments")).json()["deployments"]
            return names <= {v["name"] for v in views if v["effective_state"] == "active"}

        await wait_for(registered, relay, f"{args.deployments} active deployments", within=30)
        tune_gc()
        try:
            rounds = await measure(args, bus, http, relay, responder, groups)
        finally:
            await responder.stop()
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    return {
        "decisions_per_s": round(median["decisions_per_s"]),
        "p50_ms": median["p50_ms"],
        "p99_ms": median["p99_ms"],
        "requests": args.requests,
        "deployments": args.deployments,
        "dispatched": min(r["dispatched"] for r in rounds),
        "duplicates": max(r["duplicates"] for r in rounds),
        "max_ms": median["max_ms"],
        "fresh_p50_ms": median["fresh_p50_ms"],
        "fresh_p99_ms": median["fresh_p99_ms"],
        "held_at_start": median["held_at_start"],
        **{
            f"{part}_{q}_ms": median[f"{part}_{q}_ms"]
            for part in ("ledger", "publish")
            for q in ("p50", "p99")
        },
        "queued_p50_ms": median["queued_p50_ms"],
        "queued_p99_ms": median["queued_p99_ms"],
        "drain_s": median["drain_s"],
        "deployments_used": min(r["deployments_used"] for r in rounds),
        **{
            key: median[key]
            for key in ("relay_cpu_ms_per_decision", "relay_cores_busy")
            if key in median
        },
        "relay_window": relay_setting(relay.env, "relay_window"),
        "relay_take_ahead": relay_setting(relay.env, "relay_take_ahead"),
        "warmup": args.warmup,
        "rounds": args.rounds,
        "relay_cpu": args.relay_cpu,
    }


def relay_setting(env: dict[str, str], name: str) -> int:
    """An integer setting of relaycore as its environment sets it, else its default."""
    default = RelaySettings.model_fields[name].default
    return int(env.get(name.upper(), default))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests queued per round")
    parser.add_argument("--deployments", type=int, default=20, help="deployments registered")
    parser.add_argument("--rounds", type=int, default=1, help="rounds; figures are medians")
    parser.add_argument(
        "--warmup", type=int, default=100, help="requests of an unmeasured first round (0: none)"
    )
    parser.add_argument(
        "--relay-window", type=int, help="RELAY_WINDOW for relaycore (default: its own)"
    )
    parser.add_argument(
        "--relay-take-ahead", type=int, help="RELAY_TAKE_AHEAD for relaycore (default: its own)"
    )
    parser.add_argument(
        "--relay-cpu",
        type=int,
        help="run relaycore alone on this CPU, the bench, NATS and Redis on the others",
    )
    args = parser.parse_args()
    if args.relay_cpu is not None:
        mine = os.sched_getaffinity(0)
        if args.relay_cpu not in mine or len(mine) < 2:
            parser.error(f"--relay-cpu {args.relay_cpu}: needs that CPU and at least one other")
        os.sched_setaffinity(0, mine - {args.relay_cpu})  # NATS and Redis inherit it
    with (
        tempfile.TemporaryDirectory() as tmp,
        infrastructure(Path(tmp)) as (nats_url, redis_url),
    ):
        namespace = f"bench-router-{uuid.uuid4().hex[:8]}:"
        env = {
            **os.environ,
            "NATS_URL": nats_url,
            "REDIS_URL": redis_url,
            "BUS_NAMESPACE": namespace,
            "HTTP_PORT": str(free_port()),
            "LOG_LEVEL": "WARNING",
        }
        if args.relay_window is not None:
            env["RELAY_WINDOW"] = str(args.relay_window)
        if args.relay_take_ahead is not None:
            env["RELAY_TAKE_AHEAD"] = str(args.relay_take_ahead)
        relay = Relaycore(
            env=env,
            log_path=Path(tmp) / "relaycore.log",
            port=int(env["HTTP_PORT"]),
            cpu=args.relay_cpu,
        )
        settings = BusSettings(nats_url=nats_url, redis_url=redis_url, bus_namespace=namespace)
        with running(relay):
            result = asyncio.run(bench(args, relay, settings))
    print(
        f"relaycore, {result['requests']:,} queued requests over {result['deployments']} "
        f"deployments (window {result['relay_window']}, take-ahead {result['relay_take_ahead']}): "
        f"{result['decisions_per_s']:,} decisions/s, added latency p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms (taken after the start: p50 {result['fresh_p50_ms']} ms, "
        f"p99 {result['fresh_p99_ms']} ms)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
