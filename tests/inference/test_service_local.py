"""The inference service as built by ``create_app``: embedded Triton, the real local models."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import numpy as np
import pytest

from automatrix.inference.app import create_app
from automatrix.inference.settings import Settings
from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.contracts import (
    CONTROL,
    STREAM,
    ControlEvent,
    ControlKind,
    FinishReason,
    InferenceCompleted,
    Outcome,
    StreamChunk,
)
from automatrix.shared.service import Service
from automatrix.shared.settings import BusSettings
from tests.support.requester import Inbox, dispatched

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

CHAT = "gemma3-270m"
EMBED = "minilm-embed"

Running = tuple[Service, Bus, Inbox, list[ControlEvent], asyncio.Event]


@pytest.fixture
async def running(
    bus_settings: Callable[..., BusSettings], tmp_path: Path
) -> AsyncIterator[Running]:
    base = bus_settings()
    settings = Settings(
        nats_url=base.nats_url,
        redis_url=base.redis_url,
        bus_namespace=base.bus_namespace,
        state_dir=tmp_path / "inference",
        heartbeat_interval_s=0.5,
    )
    service = create_app(settings)
    client = Bus(base, name="tests-requester")
    inbox = Inbox()
    inbox.listen(client)
    control: list[ControlEvent] = []
    heartbeat = asyncio.Event()

    async def on_control(event: ControlEvent, _: Delivery) -> None:
        control.append(event)
        if event.kind is ControlKind.DEPLOYMENT_HEARTBEAT:
            heartbeat.set()

    client.subscribe(ConsumerSpec.on(CONTROL, "tests-control"), ControlEvent, on_control)
    await service.start()
    try:
        async with client:
            yield service, client, inbox, control, heartbeat
    finally:
        await service.stop()


async def test_local_models_serve_dispatched_work_and_register_with_heartbeats(
    running: Running,
) -> None:
    service, client, inbox, control, heartbeat = running
    report = await service.readiness.report()
    assert report["ready"], report

    question = [{"role": "user", "content": "Name three colours."}]
    await client.publish(
        dispatched(CHAT, "req-chat", messages=question, params={"max_tokens": 16, "seed": 7})
    )
    answer = await inbox.result("req-chat")
    assert isinstance(answer, InferenceCompleted)
    assert answer.output
    assert answer.finish_reason in {FinishReason.STOP, FinishReason.LENGTH}
    assert 0 < answer.usage.output_tokens <= 16
    assert answer.usage.input_tokens > 0
    assert inbox.telemetry["req-chat"].outcome is Outcome.SUCCESS

    chunks: list[StreamChunk] = []
    sub = await client.nc.subscribe(STREAM.format(request_id="req-stream"))
    await client.publish(
        dispatched(
            CHAT,
            "req-stream",
            messages=question,
            stream=True,
            params={"max_tokens": 16, "seed": 7},
        )
    )
    streamed = await inbox.result("req-stream")
    async with asyncio.timeout(10):
        while not chunks or not chunks[-1].last:
            chunks.append(StreamChunk.parse((await sub.next_msg(timeout=10)).data))
    assert isinstance(streamed, InferenceCompleted)
    assert len(chunks) > 1
    assert "".join(chunk.delta for chunk in chunks) == streamed.output
    assert chunks[-1].usage == streamed.usage

    texts = ["a cat sat on the mat", "the stock market fell today"]
    await client.publish(dispatched(EMBED, "req-embed", kind="embedding", input=texts))
    embedded = await inbox.result("req-embed")
    assert isinstance(embedded, InferenceCompleted)
    assert embedded.embeddings is not None
    vectors = np.array(embedded.embeddings)
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)

    async with asyncio.timeout(10):
        await heartbeat.wait()
    registered = {e.target: e for e in control if e.kind is ControlKind.DEPLOYMENT_REGISTER}
    assert {CHAT, EMBED} <= set(registered)
    assert registered[CHAT].payload["tier"] == "fast"
