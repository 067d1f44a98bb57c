"""Fuzz over the bus of a running platform: bad payloads on every subject something consumes.

The platform (``automatrix up``: relaycore, inference, neuroweaver, the gateway) runs as its
own processes. Every durable consumer it declares is found from the NATS server itself, and
every subject they consume gets random bytes, truncated events, empty messages and JSON of
the wrong shape, interleaved with good requests and telemetry. The core-NATS request-reply
subjects (embeddings, classification, RPC) and the subjects only live feeds read get garbage
too. Asserted: no process crashes or restarts; every bad message on a consumed subject is in
the dead-letter stream, once per consumer that reads it, as ``invalid_json`` or
``schema_invalid``; every garbage request is answered with an error; every good request is
answered exactly once and no good message is dead-lettered; every consumer settles; the
gateway still answers afterwards.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import nats
import pytest

from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.bus.headers import MSG_ID
from automatrix.shared.contracts import (
    DLQ,
    RESULTS,
    ChatMessage,
    DeadLetter,
    DeadLetterReason,
    InferenceCompleted,
    InferenceFailed,
    InferenceRequested,
    Priority,
    TelemetryEvent,
)
from automatrix.shared.settings import BusSettings
from tests.chaos.platform import BACKUP, ChaosPlatform
from tests.fuzz.payloads import BadPayloads, Payload, matches
from tests.support.processes import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

SEED = int(os.environ.get("FUZZ_SEED", "20260901"))
BAD_PER_SUBJECT = 25
GOOD_REQUESTS = 24
GOOD_TELEMETRY = 24
REQUESTER = "fuzzgood"
FEED_ONLY = ("ai.v1.dlq.fuzz", "ai.v1.anomalies.fuzz.detected", "ai.v1.training.fuzz.progress")
"""Stream subjects no durable consumer reads (live feeds do): stored, never dead-lettered."""
DEAD = {DeadLetterReason.INVALID_JSON, DeadLetterReason.SCHEMA_INVALID}


@dataclass(frozen=True)
class Consumer:
    stream: str
    durable: str
    filters: tuple[str, ...]


@dataclass
class Observed:
    """What came back to the test: dead letters and the answers to its good requests."""

    letters: list[DeadLetter] = field(default_factory=list)
    answers: Counter[str] = field(default_factory=Counter)
    completed: set[str] = field(default_factory=set)

    async def on_letter(self, letter: DeadLetter, _: Delivery) -> None:
        self.letters.append(letter)

    async def on_completed(self, result: InferenceCompleted, _: Delivery) -> None:
        self.answers[result.request_id] += 1
        self.completed.add(result.request_id)

    async def on_failed(self, result: InferenceFailed, _: Delivery) -> None:
        self.answers[result.request_id] += 1


def durable_consumers(platform: ChaosPlatform) -> list[Consumer]:
    """Every durable, explicitly acked consumer on the platform's streams."""
    monitor = platform.record().nats.monitor_url
    assert monitor is not None
    jsz = httpx.get(f"{monitor}/jsz", params={"consumers": "true", "config": "true"}, timeout=10)
    jsz.raise_for_status()
    found = []
    for account in jsz.json()["account_details"]:
        for stream in account["stream_detail"]:
            if not stream["name"].startswith("AI_"):
                continue
            for detail in stream.get("consumer_detail", []):
                config = detail["config"]
                if not config.get("durable_name") or config.get("ack_policy") != "explicit":
                    continue
                filters = config.get("filter_subjects") or [config.get("filter_subject") or ">"]
                found.append(Consumer(stream["name"], config["durable_name"], tuple(filters)))
    return found


def concrete(pattern: str) -> str:
    return ".".join("fuzzed" if token in ("*", ">") else token for token in pattern.split("."))


def readers(subject: str, consumers: list[Consumer]) -> list[Consumer]:
    return [c for c in consumers if any(matches(subject, f) for f in c.filters)]


async def test_bad_messages_on_every_subject_are_dead_lettered_and_good_ones_served(
    platform: ChaosPlatform,
) -> None:
    pids = platform.record().pids()
    consumers = durable_consumers(platform)
    subjects = sorted({concrete(f) for c in consumers for f in c.filters})
    streams = sorted({c.stream for c in consumers})
    assert {"AI_REQUESTS", "AI_DISPATCH", "AI_RESULTS", "AI_TELEMETRY", "AI_CONTROL"} <= set(
        streams
    ), streams
    draws = BadPayloads(SEED)
    bad: dict[str, tuple[str, Payload]] = {}
    for subject in subjects:
        for _ in range(BAD_PER_SUBJECT):
            bad[f"fuzz-{uuid.uuid4().hex}"] = (subject, draws.draw(subject))
    kinds = Counter(payload.kind for _, payload in bad.values())

    observed = Observed()
    bus = Bus(
        BusSettings(nats_url=platform.run.nats_url, redis_url=platform.redis.url),
        name="fuzz",
    )
    dlq_filters = tuple(DLQ.format(stream=stream) for stream in streams)
    bus.subscribe(
        ConsumerSpec("fuzz-dead-letters", "AI_DLQ", dlq_filters), DeadLetter, observed.on_letter
    )
    bus.subscribe(
        ConsumerSpec.on(RESULTS, "fuzz-completed", requester=REQUESTER),
        InferenceCompleted,
        observed.on_completed,
    )
    bus.subscribe(
        ConsumerSpec.on(RESULTS, "fuzz-failed", requester=REQUESTER),
        InferenceFailed,
        observed.on_failed,
    )
    good_requests = [f"good{n:03d}" for n in range(GOOD_REQUESTS)]
    good_telemetry = [TelemetryEvent.example(request_count=n) for n in range(GOOD_TELEMETRY)]
    good_ids = {event.message_id for event in good_telemetry}
    async with bus:
        js = bus.js
        goods = iter_goods(good_requests, good_telemetry)
        for n, (message_id, (subject, payload)) in enumerate(bad.items()):
            await js.publish(subject, payload.data, headers={MSG_ID: message_id})
            if n % 10 == 0 and (good := next(goods, None)) is not None:
                good_ids.add(good.message_id)
                await bus.publish(good)
        for good in goods:
            good_ids.add(good.message_id)
            await bus.publish(good)
        for subject in FEED_ONLY:
            for _ in range(BAD_PER_SUBJECT):
                payload = draws.draw(subject)
                await js.publish(subject, payload.data, headers={MSG_ID: uuid.uuid4().hex})
        replies = await garbage_requests(platform, draws)

        expected = {
            (message_id, reader.durable)
            for message_id, (subject, _) in bad.items()
            for reader in readers(subject, consumers)
        }

        def seen() -> set[tuple[str | None, str | None]]:
            return {(letter.original_message_id, letter.consumer) for letter in observed.letters}

        async def all_dead_lettered() -> bool:
            return expected <= seen()

        async def all_answered() -> bool:
            return set(good_requests) <= set(observed.answers)

        await wait_until(all_dead_lettered, within=120, what=f"{len(expected)} dead letters")
        await wait_until(all_answered, within=120, what="the answers to the good requests")
        await wait_until(
            lambda: settled(js, consumers), within=120, what="every consumer to settle"
        )

    ours = [letter for letter in observed.letters if letter.original_message_id in bad]
    assert {letter.reason_kind for letter in ours} <= DEAD, Counter(
        letter.reason_kind for letter in ours
    )
    for letter in ours:
        subject, payload = bad[letter.original_message_id or ""]
        assert letter.original_subject == subject
        assert letter.payload_bytes() == payload.data
    assert not [lt for lt in observed.letters if lt.original_message_id in good_ids]
    assert set(observed.answers.values()) == {1}, observed.answers
    assert observed.completed == set(good_requests)
    assert all(reply["error"] for reply in replies), replies
    assert len(kinds) >= 4, kinds
    assert platform.record().pids() == pids
    assert all(platform.alive().values()), platform.alive()
    with platform.http() as http:
        after = http.post(
            "/v1/chat/completions",
            json={"model": BACKUP, "messages": [{"role": "user", "content": "still there?"}]},
        )
    assert after.status_code == 200, after.text


def iter_goods(
    request_ids: list[str], telemetry: list[TelemetryEvent]
) -> Iterator[InferenceRequested | TelemetryEvent]:
    """Good events, alternating requests (all priorities) and telemetry."""
    levels = list(Priority)
    for n, request_id in enumerate(request_ids):
        yield InferenceRequested(
            request_id=request_id,
            requester=REQUESTER,
            model=BACKUP,
            priority=levels[n % len(levels)],
            messages=[ChatMessage(role="user", content=f"good question {request_id}")],
        )
        if n < len(telemetry):
            yield telemetry[n]
    yield from telemetry[len(request_ids) :]


async def garbage_requests(platform: ChaosPlatform, draws: BadPayloads) -> list[dict[str, Any]]:
    """Garbage to every request-reply subject a service answers; the replies, parsed."""
    subjects = responder_subjects(platform)
    assert subjects, "no request-reply subjects found"
    connection = await nats.connect(platform.run.nats_url)
    replies = []
    try:
        for subject in subjects:
            for _ in range(5):
                payload = draws.draw(subject)
                reply = await connection.request(subject, payload.data, timeout=10)
                replies.append(json.loads(reply.data))
    finally:
        await connection.close()
    return replies


def responder_subjects(platform: ChaosPlatform) -> list[str]:
    """Concrete request-reply subjects the services listen on (embed, classify, rpc)."""
    monitor = platform.record().nats.monitor_url
    subsz = httpx.get(f"{monitor}/subsz", params={"subs": "true"}, timeout=10).json()
    listening = {sub["subject"] for sub in subsz.get("subscriptions_list", [])}
    prefixes = ("ai.v1.embed.", "ai.v1.classify.", "ai.v1.rpc.")
    return sorted(concrete(s) for s in listening if s.startswith(prefixes))


async def settled(js: Any, consumers: list[Consumer]) -> bool:
    for consumer in consumers:
        info = await js.consumer_info(consumer.stream, consumer.durable)
        if info.num_pending or info.num_ack_pending:
            return False
    return True
