"""The running platform, as operators watch it: one trace across all four services, and
every metric a Grafana dashboard queries really exported.

One chat completion goes through the gateway with a W3C ``traceparent`` of the test's own;
the spans come back over OTLP to the in-process receiver standing in for the collector.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from automatrix.shared.launcher.config import SERVICES
from tests.deploy.conftest import CHAT_MODEL, System
from tests.deploy.promql import exported_names, metric_names, sample_values, unknown
from tests.support.otlp_sink import SpanRecord

pytestmark = pytest.mark.timeout(900)

DASHBOARDS = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "dashboards"
SERVICE_NAMES = {f"automatrix-{name}" for name in SERVICES}


@dataclass(frozen=True)
class Answered:
    """The request the tests sent: its trace, the caller's span id, and the reply."""

    trace_id: str
    caller_span_id: str
    reply: dict[str, Any]


@pytest.fixture(scope="module")
def answered(system: System) -> Answered:
    trace_id, caller = secrets.token_hex(16), secrets.token_hex(8)
    with system.http() as http:
        response = http.post(
            "/v1/chat/completions",
            headers={"traceparent": f"00-{trace_id}-{caller}-01"},
            json={
                "model": CHAT_MODEL,
                "messages": [{"role": "user", "content": "Name one colour."}],
                "max_tokens": 4,
            },
        )
    assert response.status_code == 200, response.text
    return Answered(trace_id, caller, response.json())


def _in_trace(spans: list[SpanRecord], trace_id: str) -> list[SpanRecord]:
    return [span for span in spans if span.trace_id == trace_id]


def _complete(answered: Answered) -> Any:
    """Spans from every service, the model call among them, and every parent resolved."""

    def check(spans: list[SpanRecord]) -> bool:
        mine = _in_trace(spans, answered.trace_id)
        ids = {span.span_id for span in mine} | {answered.caller_span_id}
        return (
            {span.service for span in mine} >= SERVICE_NAMES
            and any(span.kind == "client" and span.name.startswith("chat ") for span in mine)
            and any(
                span.service == "automatrix-neuroweaver" and span.kind == "consumer"
                for span in mine
            )
            and all(span.parent_span_id in ids for span in mine)
        )

    return check


def _one(spans: list[SpanRecord], **match: Any) -> SpanRecord:
    found = [s for s in spans if all(getattr(s, k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one span with {match}, got {found}"
    return found[0]


def _messaging(span: SpanRecord, operation: str) -> None:
    """The messaging conventions every bus span carries."""
    attributes = span.attributes
    assert attributes["messaging.system"] == "nats", span
    assert attributes["messaging.operation.type"] == operation, span
    assert attributes["messaging.operation.name"] in ("publish", "process"), span
    assert str(attributes["messaging.destination.name"]).startswith("ai.v1."), span
    assert attributes["messaging.message.id"], span
    if operation == "process":
        assert attributes["messaging.consumer.group.name"], span


def test_one_request_is_one_trace_across_all_four_services(
    system: System, answered: Answered
) -> None:
    """The gateway's span continues the caller's; each hop's CONSUMER span continues the
    PRODUCER span before it, through relaycore, inference and into neuroweaver's ingestion."""
    spans = _in_trace(
        system.otlp.wait_for(
            _complete(answered), within=90, what="the request's spans from all four services"
        ),
        answered.trace_id,
    )
    by_id = {span.span_id: span for span in spans}
    assert {span.service for span in spans} == SERVICE_NAMES

    gateway = _one(spans, service="automatrix-orchestrator", kind="server")
    assert gateway.parent_span_id == answered.caller_span_id
    assert gateway.name == "POST /v1/chat/completions"
    assert gateway.attributes["http.request.method"] == "POST"
    assert gateway.attributes["http.response.status_code"] == 200
    assert gateway.attributes["gen_ai.operation.name"] == "chat"
    assert gateway.attributes["gen_ai.request.model"] == CHAT_MODEL
    usage = answered.reply["usage"]
    assert gateway.attributes["gen_ai.usage.input_tokens"] == usage["prompt_tokens"] > 0
    assert gateway.attributes["gen_ai.usage.output_tokens"] == usage["completion_tokens"] > 0

    for span in spans:
        if span.kind in ("producer", "consumer"):
            _messaging(span, "send" if span.kind == "producer" else "process")
        # Every span hangs off the gateway's: one tree, rooted at the caller's request.
        ancestor = span
        while ancestor.span_id != gateway.span_id:
            assert ancestor.parent_span_id in by_id, f"{span} is not under the gateway span"
            ancestor = by_id[ancestor.parent_span_id]

    def hop(service: str, kind: str, subject: str) -> SpanRecord:
        (found,) = [
            s
            for s in spans
            if s.service == f"automatrix-{service}"
            and s.kind == kind
            and re.fullmatch(subject, str(s.attributes["messaging.destination.name"]))
        ]
        return found

    request_out = hop("orchestrator", "producer", r"ai\.v1\.requests\.\w+")
    request_in = hop("relaycore", "consumer", r"ai\.v1\.requests\.\w+")
    dispatch_out = hop("relaycore", "producer", rf"ai\.v1\.dispatch\.{CHAT_MODEL}")
    dispatch_in = hop("inference", "consumer", rf"ai\.v1\.dispatch\.{CHAT_MODEL}")
    assert request_in.parent_span_id == request_out.span_id
    assert dispatch_out.span_id in _ancestors(dispatch_in, by_id)
    assert request_in.span_id in _ancestors(dispatch_out, by_id)

    call = _one(spans, service="automatrix-inference", kind="client")
    assert call.name == f"chat {CHAT_MODEL}"
    assert call.parent_span_id == dispatch_in.span_id
    assert call.attributes["gen_ai.operation.name"] == "chat"
    assert call.attributes["gen_ai.provider.name"] == "triton"
    assert call.attributes["gen_ai.request.model"] == CHAT_MODEL
    assert call.attributes["gen_ai.response.model"] == CHAT_MODEL
    assert call.attributes["gen_ai.request.max_tokens"] == 4
    assert call.attributes["gen_ai.usage.input_tokens"] == usage["prompt_tokens"]
    assert call.attributes["gen_ai.usage.output_tokens"] == usage["completion_tokens"]
    assert call.attributes["gen_ai.response.finish_reasons"]
    # Off unless the operator turns capture on: no prompt or completion on any span.
    assert not [s for s in spans if "gen_ai.input.messages" in s.attributes]
    assert not [s for s in spans if "gen_ai.output.messages" in s.attributes]

    ingested = [
        s
        for s in spans
        if s.service == "automatrix-neuroweaver"
        and s.kind == "consumer"
        and str(s.attributes["messaging.destination.name"]).startswith("ai.v1.telemetry.")
    ]
    assert ingested, "neuroweaver consumed none of the request's telemetry"
    for span in ingested:
        assert by_id[span.parent_span_id].kind == "producer"


def _ancestors(span: SpanRecord, by_id: dict[str, SpanRecord]) -> set[str]:
    found: set[str] = set()
    while span.parent_span_id in by_id:
        span = by_id[span.parent_span_id]
        found.add(span.span_id)
    return found


def _dashboard_queries() -> list[tuple[str, str, str]]:
    """(dashboard file, panel title, expression) for every query of every dashboard."""
    queries = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel.get("targets", []):
                queries.append((path.name, panel["title"], target["expr"]))
    return queries


def test_every_dashboard_query_names_a_metric_the_services_export(
    system: System, answered: Answered
) -> None:
    expositions: dict[str, str] = {}
    with httpx.Client(timeout=30) as http:
        for name, url in system.platform.services.items():
            response = http.get(f"{url}/metrics")
            response.raise_for_status()
            expositions[name] = response.text
        triton = http.get(system.triton_metrics)
        triton.raise_for_status()
        expositions["triton"] = triton.text
    everywhere = set().union(*(exported_names(text) for text in expositions.values()))
    queries = _dashboard_queries()
    assert len(queries) >= 20, queries
    for dashboard, title, expr in queries:
        names = metric_names(expr)
        assert names, f"{dashboard} / {title}: no metric in {expr!r}"
        # A query pinned to one service's job must find the metric on that service.
        pinned = re.search(r'job="(\w+)"', expr)
        exported = exported_names(expositions[pinned[1]]) if pinned else everywhere
        missing = unknown(names, exported)
        assert not missing, f"{dashboard} / {title}: {missing} not exported ({expr})"

    # The request above was counted by the metrics the provider and Triton panels read.
    served = sample_values(
        expositions["inference"],
        "automatrix_inference_requests_total",
        deployment=CHAT_MODEL,
        outcome="success",
        error_kind="",
    )
    assert sum(served) >= 1, expositions["inference"]
    assert (
        sum(sample_values(expositions["triton"], "nv_inference_request_success", model=CHAT_MODEL))
        >= 1
    ), expositions["triton"]
