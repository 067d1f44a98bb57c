"""One trace per API request: the SERVER span says who classified; the publish is its child."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from automatrix.orchestrator.app import create_app
from automatrix.orchestrator.settings import Settings
from automatrix.shared.bus.tracing import use_tracer_provider
from automatrix.shared.contracts import DeploymentRecord
from automatrix.shared.contracts.registry import DEPLOYMENTS
from automatrix.shared.settings import BusSettings
from tests.support.processes import wait_until

MASTER = "am-tracing-test-master-key"


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


async def test_an_auto_query_is_one_trace_saying_who_classified(
    bus_settings: Callable[..., BusSettings], tmp_path: Path, spans: InMemorySpanExporter
) -> None:
    bus = bus_settings()
    settings = Settings(
        nats_url=bus.nats_url,
        redis_url=bus.redis_url,
        bus_namespace=bus.bus_namespace,
        state_dir=tmp_path,
        automatrix_master_key=MASTER,
        cache_enabled=False,
    )
    service = create_app(settings)
    await service.start()
    try:
        kv = await service.bus.js.key_value(DEPLOYMENTS.name)
        record = DeploymentRecord.example(name="chat-1", model_group="chat")
        await kv.create(record.name, record.model_dump_json().encode())
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=service.app),
            base_url="http://gateway",
            headers={"Authorization": f"Bearer {MASTER}"},
        ) as http:

            async def submitted() -> bool:
                response = await http.post(
                    "/api/v2/queries", json={"text": "Write a Python function to sort a list"}
                )
                return response.status_code == 202

            await wait_until(submitted, within=10, what="an auto query to be accepted")
    finally:
        await service.stop()
    finished = spans.get_finished_spans()
    server = [s for s in finished if s.kind is SpanKind.SERVER and s.name.endswith("/queries")]
    assert server, [s.name for s in finished]
    root = server[-1]
    attributes = dict(root.attributes or {})
    assert attributes["automatrix.classification.decided_by"] == "heuristic"
    assert attributes["automatrix.classification.capability"] == "code"
    assert attributes["http.response.status_code"] == 202
    producers = [
        s
        for s in finished
        if s.kind is SpanKind.PRODUCER and s.name.startswith("send ai.v1.requests.")
    ]
    assert producers
    assert root.context is not None
    assert any(p.parent is not None and p.parent.span_id == root.context.span_id for p in producers)
