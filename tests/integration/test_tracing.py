"""One request is one trace across three processes, asserted from the spans they export.

origin → relay → sink are ``tests.support.hop`` processes, each with its own
``setup_telemetry`` exporting OTLP to a receiver in this test. The trace context has to
cross two bus hops, and in the second test the Redis fallback and its replay as well.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from automatrix.shared.bus.fallback import FallbackEntry, FallbackStore
from automatrix.shared.contracts import TELEMETRY
from automatrix.shared.natsserver import NatsServer
from tests.support.hop import ROLES, ready_key, record_key
from tests.support.otlp_sink import OtlpSink, SpanRecord
from tests.support.processes import kill, spawn, wait_until

pytestmark = pytest.mark.timeout(120)

SERVICES = {role: f"hop-{role}" for role in ROLES}
DESTINATION = "messaging.destination.name"


@pytest.fixture
async def otlp() -> AsyncIterator[OtlpSink]:
    async with OtlpSink() as sink:
        yield sink


@pytest.fixture
def clean_otel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hops inherit this environment: no OTEL_* setting of the caller's may steer them."""
    for name in list(os.environ):
        if name.startswith("OTEL_"):
            monkeypatch.delenv(name)


class Chain:
    """The three hop processes of one test, on subjects and consumers of its own."""

    def __init__(self, logs: Path, redis: Redis, namespace: str) -> None:
        self.logs = logs
        self.redis = redis
        self.namespace = namespace
        token = uuid.uuid4().hex[:10]
        self.request_id = f"req-{token}"
        self.first, self.second = f"first-{token}", f"second-{token}"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, env: dict[str, str]) -> None:
        args = {
            "origin": ["--to", self.first, "--request", self.request_id],
            "relay": [
                "--durable",
                f"hop-relay-{self.first}",
                "--filter",
                TELEMETRY.filter(service=self.first),
                "--to",
                self.second,
            ],
            "sink": [
                "--durable",
                f"hop-sink-{self.second}",
                "--filter",
                TELEMETRY.filter(service=self.second),
            ],
        }
        for role in ROLES:
            self.procs[role] = spawn(
                "tests.support.hop", role, *args[role], env=env, log=self.logs / f"{role}.log"
            )

    def tails(self) -> str:
        return "\n".join(
            f"--- {role} (rc={proc.poll()}):\n" + _tail(self.logs / f"{role}.log")
            for role, proc in self.procs.items()
        )

    def _check_alive(self) -> None:
        if any(proc.poll() is not None for proc in self.procs.values()):
            raise AssertionError(f"a hop exited early:\n{self.tails()}")

    async def wait_ready(self) -> None:
        async def ready() -> bool:
            self._check_alive()
            members = await self.redis.smembers(ready_key(self.namespace))
            return {m if isinstance(m, str) else m.decode() for m in members} >= set(ROLES)

        await wait_until(ready, within=60, what="all hops to start their bus")

    async def records(self, role: str) -> list[dict[str, Any]]:
        rows = await self.redis.lrange(record_key(self.namespace, role), 0, -1)
        return [json.loads(row) for row in rows]

    async def wait_record(self, role: str, *, within: float = 30) -> dict[str, Any]:
        async def recorded() -> bool:
            self._check_alive()
            return bool(await self.records(role))

        try:
            await wait_until(recorded, within=within, what=f"a record from the {role}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.tails()}") from None
        (row,) = await self.records(role)
        return row

    def publish(self) -> None:
        """Tell the origin to publish the request's first event."""
        self.procs["origin"].send_signal(signal.SIGUSR1)

    async def terminate(self) -> None:
        """SIGTERM each hop (it stops its bus and flushes its spans); each must exit 0."""
        for proc in self.procs.values():
            proc.terminate()
        # Off the event loop: the hops flush to the OTLP receiver running on it.
        codes = {role: await asyncio.to_thread(proc.wait, 30) for role, proc in self.procs.items()}
        assert codes == dict.fromkeys(ROLES, 0), self.tails()

    def kill(self) -> None:
        for proc in self.procs.values():
            kill(proc)


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture
def chain(
    tmp_path: Path,
    redis: Redis,
    namespace: str,
    nats_server: NatsServer,
    redis_url: str,
    otlp: OtlpSink,
    clean_otel_env: None,
) -> Iterator[Chain]:
    chain = Chain(tmp_path, redis, namespace)
    chain.start(
        {
            "NATS_URL": nats_server.url,
            "REDIS_URL": redis_url,
            "BUS_NAMESPACE": namespace,
            "OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "100",
        }
    )
    try:
        yield chain
    finally:
        chain.kill()


def _from_all_hops(spans: list[SpanRecord]) -> bool:
    return {span.service for span in spans} >= set(SERVICES.values())


def _ancestry(span: SpanRecord, by_id: dict[str, SpanRecord]) -> list[SpanRecord]:
    """``span`` and its ancestors up to a root; every parent link must resolve."""
    chain = [span]
    while not chain[-1].is_root:
        parent = by_id.get(chain[-1].parent_span_id)
        assert parent is not None, f"parent of {chain[-1]} was not exported"
        assert parent not in chain, f"parent cycle at {parent}"
        chain.append(parent)
    return chain


def _one(spans: list[SpanRecord], **match: str) -> SpanRecord:
    found = [s for s in spans if all(getattr(s, k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one span with {match}, got {found}"
    return found[0]


def _consumer_of(spans: list[SpanRecord], role: str, subject: str) -> SpanRecord:
    """The span of ``role`` processing its delivery (not a stand-in ``create`` span)."""
    (consumer,) = (
        s
        for s in spans
        if s.service == SERVICES[role]
        and s.kind == "consumer"
        and s.attributes.get("messaging.operation.type") == "process"
    )
    assert consumer.attributes.get(DESTINATION) == subject
    return consumer


async def _traced_request(chain: Chain, otlp: OtlpSink) -> tuple[SpanRecord, list[SpanRecord]]:
    """After the origin published: the sink's delivery, a clean shutdown, the root span."""
    origin = await chain.wait_record("origin")
    delivered = await chain.wait_record("sink")
    assert delivered["request_id"] == chain.request_id
    (relayed,) = await chain.records("relay")
    assert relayed["received"] == origin["message_id"]
    assert delivered["message_id"] == relayed["message_id"] != origin["message_id"]
    await chain.terminate()
    spans = await otlp.wait_for(_from_all_hops, within=20, what="spans from all three hops")
    root = _one(spans, name="request")
    assert root.is_root
    assert root.service == SERVICES["origin"]
    assert (root.trace_id, root.span_id) == (origin["trace_id"], origin["span_id"])
    # What the last hop got in its NATS headers is the same trace.
    assert delivered["traceparent"].split("-")[1] == root.trace_id
    return root, spans


async def test_one_request_is_one_trace_across_three_processes(
    chain: Chain, otlp: OtlpSink
) -> None:
    await chain.wait_ready()
    chain.publish()
    assert (await chain.wait_record("origin"))["path"] == "jetstream"
    root, spans = await _traced_request(chain, otlp)

    assert {span.trace_id for span in spans} == {root.trace_id}
    assert {span.service for span in spans} == set(SERVICES.values())
    kinds = {role: {s.kind for s in spans if s.service == name} for role, name in SERVICES.items()}
    assert kinds["origin"] >= {"producer"}
    assert kinds["relay"] >= {"consumer", "producer"}
    assert kinds["sink"] >= {"consumer"}

    by_id = {span.span_id: span for span in spans}
    for span in spans:
        assert _ancestry(span, by_id)[-1] == root
    # Each consumer span's parent is a span of the process before it: the hop carried it.
    relay_in = _consumer_of(spans, "relay", TELEMETRY.format(service=chain.first, kind="request"))
    sink_in = _consumer_of(spans, "sink", TELEMETRY.format(service=chain.second, kind="request"))
    assert by_id[relay_in.parent_span_id].service == SERVICES["origin"]
    assert by_id[relay_in.parent_span_id].kind == "producer"
    assert by_id[sink_in.parent_span_id].service == SERVICES["relay"]
    assert by_id[sink_in.parent_span_id].kind == "producer"
    assert relay_in in _ancestry(by_id[sink_in.parent_span_id], by_id)


async def test_trace_survives_the_redis_fallback_and_replay(
    chain: Chain, otlp: OtlpSink, nats_server: NatsServer, redis: Redis, namespace: str
) -> None:
    await chain.wait_ready()
    await asyncio.to_thread(nats_server.stop)
    try:
        chain.publish()
        origin = await chain.wait_record("origin")
        assert origin.get("path") == "fallback", origin
        # While NATS is down the event waits in Redis, its trace context in its headers.
        (_, fields), *_ = await FallbackStore(redis, namespace=namespace).oldest(10)
        entry = FallbackEntry.from_fields(fields)
        assert entry.headers["traceparent"].split("-")[1] == origin["trace_id"]
    finally:
        nats_server.start()
    await asyncio.to_thread(nats_server.wait_healthy, 20)
    root, spans = await _traced_request(chain, otlp)

    relay_in = _consumer_of(spans, "relay", TELEMETRY.format(service=chain.first, kind="request"))
    sink_in = _consumer_of(spans, "sink", TELEMETRY.format(service=chain.second, kind="request"))
    assert relay_in.trace_id == sink_in.trace_id == root.trace_id
    assert {span.trace_id for span in spans} == {root.trace_id}
    by_id = {span.span_id: span for span in spans}
    assert by_id[relay_in.parent_span_id].service == SERVICES["origin"]
    assert _ancestry(sink_in, by_id)[-1] == root
    assert relay_in in _ancestry(sink_in, by_id)
