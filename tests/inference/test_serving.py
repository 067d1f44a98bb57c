"""Dispatched work served through the bus: results, stream chunks, telemetry, error kinds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest

from automatrix.inference.deployments import Deployment
from automatrix.inference.serving import DispatchServer
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    STREAM,
    ErrorKind,
    FinishReason,
    InferenceCompleted,
    InferenceDispatched,
    InferenceFailed,
    Outcome,
    StreamChunk,
)
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.settings import BusSettings
from bench.upstream import Upstream, UpstreamConfig
from tests.support.requester import Inbox, dispatched

pytestmark = pytest.mark.timeout(90)

KEY_ENV = "AUTOMATRIX_TEST_UPSTREAM_KEY"
DEPLOYMENT = "upstream-chat"


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with Upstream(config=UpstreamConfig(api_key="k-test", retry_after_s=3)) as server:
        yield server


@pytest.fixture
async def served(
    bus_settings: Callable[..., BusSettings], upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Bus, Inbox]]:
    """An inference bus serving one litellm deployment, and a requester reading results."""
    from automatrix.inference.providers.litellm_provider import LiteLLMProvider

    monkeypatch.setenv(KEY_ENV, "k-test")
    deployment = Deployment(
        name=DEPLOYMENT,
        model="openai/echo-1",
        api_base=upstream.base_url,
        api_key_env=KEY_ENV,
        cost_per_1k_input=1.0,
        cost_per_1k_output=2.0,
        timeout_s=2.0,
        tier="fast",
    )
    settings = bus_settings()
    bus = Bus(settings, name="inference-test")
    server = DispatchServer(
        bus, {DEPLOYMENT: (deployment, LiteLLMProvider(deployment))}, instance="t1"
    )
    server.subscribe()
    inbox = Inbox()
    inbox.listen(bus)
    async with bus:
        yield bus, inbox


def chat(request_id: str, text: str, **fields: Any) -> InferenceDispatched:
    return dispatched(
        DEPLOYMENT, request_id, messages=[{"role": "user", "content": text}], **fields
    )


async def test_a_dispatched_chat_is_answered_with_usage_and_recorded_in_telemetry(
    served: tuple[Bus, Inbox], upstream: Upstream
) -> None:
    bus, inbox = served
    await bus.publish(chat("req-plain", "hello there platform"))
    result = await inbox.result("req-plain")
    assert isinstance(result, InferenceCompleted)
    assert result.output is not None
    assert "hello there platform" in result.output
    assert result.finish_reason is FinishReason.STOP
    assert result.usage.input_tokens > 0
    assert result.usage.output_tokens > 0
    assert result.deployment == DEPLOYMENT
    telemetry = inbox.telemetry["req-plain"]
    assert telemetry.outcome is Outcome.SUCCESS
    assert telemetry.input_tokens == result.usage.input_tokens
    assert telemetry.output_tokens == result.usage.output_tokens
    expected_cost = (result.usage.input_tokens * 1.0 + result.usage.output_tokens * 2.0) / 1000
    assert telemetry.cost_usd == pytest.approx(expected_cost)
    assert telemetry.queue_ms is not None
    assert telemetry.latency_ms is not None
    assert sum(upstream.requests.values()) == 1


async def test_a_streamed_chat_relays_chunks_in_order_ending_with_usage(
    served: tuple[Bus, Inbox],
) -> None:
    bus, inbox = served
    chunks: list[StreamChunk] = []
    sub = await bus.nc.subscribe(STREAM.format(request_id="req-stream"))
    await bus.publish(chat("req-stream", "one two three four five", stream=True))
    result = await inbox.result("req-stream")
    async with asyncio.timeout(10):
        while not chunks or not chunks[-1].last:
            chunks.append(StreamChunk.parse((await sub.next_msg(timeout=10)).data))
    assert isinstance(result, InferenceCompleted)
    assert [chunk.index for chunk in chunks] == list(range(len(chunks)))
    assert len(chunks) > 2
    assert "".join(chunk.delta for chunk in chunks) == result.output
    assert chunks[-1].usage == result.usage
    assert all(chunk.usage is None for chunk in chunks[:-1])


@pytest.mark.parametrize(
    ("fault", "kind", "retryable"),
    [
        ("429", ErrorKind.RATE_LIMITED, True),
        ("401", ErrorKind.AUTH, False),
        ("400", ErrorKind.BAD_REQUEST, False),
        ("context_length", ErrorKind.CONTEXT_LENGTH, False),
        ("503", ErrorKind.UNAVAILABLE, True),
        ("hang", ErrorKind.TIMEOUT, True),
    ],
)
async def test_each_upstream_failure_reaches_the_requester_as_its_error_kind(
    served: tuple[Bus, Inbox], fault: str, kind: ErrorKind, retryable: bool
) -> None:
    bus, inbox = served
    request_id = f"req-{fault.replace('_', '-')}"
    await bus.publish(chat(request_id, f"[fault:{fault}] please"))
    result = await inbox.result(request_id)
    assert isinstance(result, InferenceFailed)
    assert result.kind is kind
    assert result.retryable is retryable
    assert [attempt.deployment for attempt in result.attempts] == [DEPLOYMENT]
    telemetry = inbox.telemetry[request_id]
    assert telemetry.error_kind is kind
    assert telemetry.outcome is (Outcome.TIMEOUT if kind is ErrorKind.TIMEOUT else Outcome.ERROR)


async def test_expired_work_is_not_started(served: tuple[Bus, Inbox], upstream: Upstream) -> None:
    bus, inbox = served
    past = utcnow() - timedelta(seconds=1)
    await bus.publish(chat("req-late", "too late", deadline=past))
    result = await inbox.result("req-late")
    assert isinstance(result, InferenceFailed)
    assert result.kind is ErrorKind.DEADLINE_EXCEEDED
    assert sum(upstream.requests.values()) == 0


async def test_an_attempt_failure_goes_where_the_router_asked(
    served: tuple[Bus, Inbox],
) -> None:
    bus, inbox = served
    failing = chat("req-routed", "[fault:503] x").model_copy(update={"report_failure_to": "tests"})
    await bus.publish(failing)
    result = await inbox.result("req-routed")
    assert isinstance(result, InferenceFailed)
    assert result.requester == "tests"
