"""The model call's GenAI span: conventions always, message content only when the operator opts in.

A real bus, litellm and an OpenAI-compatible upstream over HTTP (bench/upstream.py); the
spans go to an in-memory exporter installed the way ``setup_telemetry`` installs its own.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from automatrix.inference.deployments import Deployment
from automatrix.inference.genai import CAPTURE_CONTENT_ENV, capture_content
from automatrix.inference.providers.litellm_provider import LiteLLMProvider
from automatrix.inference.serving import DispatchServer
from automatrix.shared.bus import Bus
from automatrix.shared.bus.tracing import use_tracer_provider
from automatrix.shared.contracts import InferenceCompleted, InferenceFailed, InferenceParams
from automatrix.shared.settings import BusSettings
from bench.upstream import Upstream, UpstreamConfig
from tests.support.requester import Inbox, dispatched

pytestmark = pytest.mark.timeout(90)

DEPLOYMENT = "capture-chat"
KEY_ENV = "AUTOMATRIX_TEST_CAPTURE_KEY"
SECRET = "my card number is 4111 1111 1111 1111"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    use_tracer_provider(provider)
    try:
        yield exporter
    finally:
        use_tracer_provider(None)
        provider.shutdown()


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with Upstream(config=UpstreamConfig(api_key="k-capture")) as server:
        yield server


async def _serve_one(
    bus_settings: Callable[..., BusSettings], upstream: Upstream, text: str
) -> InferenceCompleted | InferenceFailed:
    """One dispatched chat through a DispatchServer built as the service builds it."""
    deployment = Deployment(
        name=DEPLOYMENT,
        model="openai/echo-1",
        api_base=upstream.base_url,
        api_key_env=KEY_ENV,
        timeout_s=30.0,
        tier="fast",
    )
    bus = Bus(bus_settings(), name="capture-test")
    DispatchServer(
        bus, {DEPLOYMENT: (deployment, LiteLLMProvider(deployment))}, instance="t1"
    ).subscribe()
    inbox = Inbox()
    inbox.listen(bus)
    async with bus:
        await bus.publish(
            dispatched(
                DEPLOYMENT,
                "req-capture",
                messages=[{"role": "user", "content": text}],
                params=InferenceParams(max_tokens=16, temperature=0.2),
            )
        )
        return await inbox.result("req-capture")


def _client_span(spans: InMemorySpanExporter) -> ReadableSpan:
    (span,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CLIENT]
    return span


def _all_attribute_text(spans: InMemorySpanExporter) -> str:
    return json.dumps(
        [dict(s.attributes or {}) for s in spans.get_finished_spans()], ensure_ascii=False
    )


@pytest.mark.parametrize(
    ("value", "on"),
    [(None, False), ("", False), ("false", False), ("0", False), ("true", True), ("TRUE", True)],
)
def test_capture_is_off_unless_the_operator_sets_the_switch(value: str | None, on: bool) -> None:
    environ = {} if value is None else {CAPTURE_CONTENT_ENV: value}
    assert capture_content(environ) is on


async def test_the_model_call_span_follows_the_genai_conventions_without_content(
    bus_settings: Callable[..., BusSettings],
    upstream: Upstream,
    spans: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KEY_ENV, "k-capture")
    monkeypatch.delenv(CAPTURE_CONTENT_ENV, raising=False)
    result = await _serve_one(bus_settings, upstream, SECRET)
    assert isinstance(result, InferenceCompleted), result
    span = _client_span(spans)
    attributes = dict(span.attributes or {})
    assert span.name == "chat echo-1"
    assert attributes["gen_ai.operation.name"] == "chat"
    assert attributes["gen_ai.provider.name"] == "openai"
    assert attributes["gen_ai.request.model"] == "echo-1"
    assert attributes["gen_ai.request.max_tokens"] == 16
    assert attributes["gen_ai.request.temperature"] == pytest.approx(0.2)
    assert attributes["gen_ai.usage.input_tokens"] == result.usage.input_tokens > 0
    assert attributes["gen_ai.usage.output_tokens"] == result.usage.output_tokens > 0
    assert attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert "gen_ai.input.messages" not in attributes
    assert "gen_ai.output.messages" not in attributes
    assert "4111" not in _all_attribute_text(spans)
    # The call is a child of the delivery it serves.
    (consumer,) = [
        s
        for s in spans.get_finished_spans()
        if s.kind is SpanKind.CONSUMER and s.name == f"process ai.v1.dispatch.{DEPLOYMENT}"
    ]
    assert span.parent is not None
    assert consumer.context is not None
    assert span.parent.span_id == consumer.context.span_id


async def test_the_operator_turns_message_capture_on(
    bus_settings: Callable[..., BusSettings],
    upstream: Upstream,
    spans: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KEY_ENV, "k-capture")
    monkeypatch.setenv(CAPTURE_CONTENT_ENV, "true")
    result = await _serve_one(bus_settings, upstream, SECRET)
    assert isinstance(result, InferenceCompleted), result
    attributes = dict(_client_span(spans).attributes or {})
    sent = json.loads(str(attributes["gen_ai.input.messages"]))
    assert sent == [{"role": "user", "parts": [{"type": "text", "content": SECRET}]}]
    (answer,) = json.loads(str(attributes["gen_ai.output.messages"]))
    assert answer["role"] == "assistant"
    assert answer["finish_reason"] == "stop"
    assert answer["parts"] == [{"type": "text", "content": result.output}]


async def test_a_failed_call_carries_its_error_type(
    bus_settings: Callable[..., BusSettings],
    upstream: Upstream,
    spans: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KEY_ENV, "k-capture")
    result = await _serve_one(bus_settings, upstream, "[fault:401] who am I")
    assert isinstance(result, InferenceFailed), result
    span = _client_span(spans)
    assert dict(span.attributes or {})["error.type"] == result.kind.value == "auth"
    assert span.status.status_code is StatusCode.ERROR
