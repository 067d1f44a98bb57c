"""The panels of AutoMatrix's Grafana dashboards; generate.py writes them as JSON.

Every query names a metric some service exports on ``/metrics`` (or Triton on its metrics
port); tests/deploy scrapes the running services and compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
RATE = "$__rate_interval"
WIDTH = 24


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = ""


@dataclass(frozen=True)
class Panel:
    title: str
    queries: tuple[Query, ...]
    unit: str = "short"
    kind: str = "timeseries"
    width: int = 12
    height: int = 8
    description: str = ""
    mappings: tuple[dict[str, Any], ...] = ()
    thresholds: tuple[tuple[float | None, str], ...] = ()


@dataclass(frozen=True)
class Row:
    title: str
    panels: tuple[Panel, ...]


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    rows: tuple[Row, ...]
    tags: tuple[str, ...] = field(default=("automatrix",))


def q(expr: str, legend: str = "") -> Query:
    return Query(" ".join(expr.split()), legend)


def quantiles(metric: str, by: str, legend: str) -> tuple[Query, ...]:
    """p50, p95 and p99 of a Prometheus histogram, per ``by``."""
    return tuple(
        q(
            f"histogram_quantile({p}, sum by (le, {by}) (rate({metric}_bucket[{RATE}])))",
            f"p{int(p * 100)} {legend}",
        )
        for p in (0.5, 0.95, 0.99)
    )


BREAKER_STATES = (
    {
        "type": "value",
        "options": {
            "0": {"text": "closed", "color": "green", "index": 0},
            "1": {"text": "open", "color": "red", "index": 1},
        },
    },
)

GATEWAY = Dashboard(
    uid="automatrix-gateway",
    title="AutoMatrix / Gateway",
    description="The orchestrator: latency, throughput, cache, queue depth, limits.",
    rows=(
        Row(
            "Traffic",
            (
                Panel(
                    "Throughput by route",
                    (
                        q(
                            "sum by (route, cache) "
                            f"(rate(automatrix_gateway_request_seconds_count[{RATE}]))",
                            "{{route}} ({{cache}})",
                        ),
                    ),
                    unit="reqps",
                ),
                Panel(
                    "Latency by route (first byte for streams)",
                    quantiles("automatrix_gateway_request_seconds", "route", "{{route}}"),
                    unit="s",
                ),
                Panel(
                    "Tokens served",
                    (
                        q(
                            f"sum by (direction) (rate(automatrix_gateway_tokens_total[{RATE}]))",
                            "{{direction}}",
                        ),
                    ),
                    unit="short",
                    description="Model tokens per second; cached answers cost none.",
                ),
                Panel(
                    "Refused: load shedding (503) and rate limits (429)",
                    (
                        q(
                            f"sum by (priority) (rate(automatrix_gateway_shed_total[{RATE}]))",
                            "shed {{priority}}",
                        ),
                        q(
                            f"sum by (limit) (rate(automatrix_gateway_rate_limited_total[{RATE}]))",
                            "rate-limited {{limit}}",
                        ),
                    ),
                    unit="reqps",
                ),
            ),
        ),
        Row(
            "Cache",
            (
                Panel(
                    "Cache hit rate",
                    (
                        q(
                            "sum(rate(automatrix_gateway_cache_total"
                            f'{{outcome=~"hit-.*"}}[{RATE}])) / '
                            "sum(rate(automatrix_gateway_cache_total"
                            f'{{outcome=~"hit-.*|miss"}}[{RATE}]))',
                            "hit rate",
                        ),
                    ),
                    unit="percentunit",
                    kind="stat",
                    width=6,
                    description="Exact and semantic hits over lookups (bypassed ones excluded).",
                ),
                Panel(
                    "Cache lookups by outcome",
                    (
                        q(
                            f"sum by (outcome) (rate(automatrix_gateway_cache_total[{RATE}]))",
                            "{{outcome}}",
                        ),
                    ),
                    unit="ops",
                    width=12,
                ),
                Panel(
                    "Cache errors (bypassed)",
                    (
                        q(
                            "sum by (operation) "
                            f"(rate(automatrix_gateway_cache_errors_total[{RATE}]))",
                            "{{operation}}",
                        ),
                    ),
                    unit="ops",
                    width=6,
                ),
            ),
        ),
        Row(
            "Queues",
            (
                Panel(
                    "Queue depth per priority (waiting for relaycore)",
                    (q("max by (priority) (automatrix_gateway_queue_depth)", "{{priority}}"),),
                    description="Requests in AI_REQUESTS per priority, as the gateway last saw.",
                ),
                Panel(
                    "Requests held by relaycore per priority",
                    (q("sum by (priority) (automatrix_relay_waiting)", "{{priority}}"),),
                ),
            ),
        ),
    ),
)

ROUTING = Dashboard(
    uid="automatrix-routing",
    title="AutoMatrix / Routing and inference",
    description="Relaycore decisions and breakers, provider errors, Triton.",
    rows=(
        Row(
            "Relaycore",
            (
                Panel(
                    "Circuit breaker state per deployment",
                    (q("max by (deployment) (automatrix_relay_breaker_open)", "{{deployment}}"),),
                    kind="state-timeline",
                    width=24,
                    mappings=BREAKER_STATES,
                    thresholds=((None, "green"), (1, "red")),
                ),
                Panel(
                    "Routing decisions",
                    (
                        q(
                            f"sum by (outcome) (rate(automatrix_relay_decisions_total[{RATE}]))",
                            "{{outcome}}",
                        ),
                    ),
                    unit="ops",
                ),
                Panel(
                    "Latency relaycore adds (take to dispatch)",
                    quantiles("automatrix_relay_added_seconds", "job", "{{job}}"),
                    unit="s",
                ),
                Panel(
                    "Retries per deployment",
                    (
                        q(
                            f"sum by (deployment) (rate(automatrix_relay_retries_total[{RATE}]))",
                            "{{deployment}}",
                        ),
                    ),
                    unit="ops",
                ),
                Panel(
                    "Open breakers",
                    (q("sum(max by (deployment) (automatrix_relay_breaker_open))", "open"),),
                    kind="stat",
                    thresholds=((None, "green"), (1, "red")),
                ),
            ),
        ),
        Row(
            "Providers",
            (
                Panel(
                    "Provider errors by deployment and kind",
                    (
                        q(
                            "sum by (deployment, error_kind) (rate(automatrix_inference_"
                            f'requests_total{{outcome!="success"}}[{RATE}]))',
                            "{{deployment}} {{error_kind}}",
                        ),
                    ),
                    unit="ops",
                ),
                Panel(
                    "Provider error ratio per deployment",
                    (
                        q(
                            "sum by (deployment) (rate(automatrix_inference_requests_total"
                            f'{{outcome!="success"}}[{RATE}])) / sum by (deployment) '
                            f"(rate(automatrix_inference_requests_total[{RATE}]))",
                            "{{deployment}}",
                        ),
                    ),
                    unit="percentunit",
                ),
                Panel(
                    "Attempt latency per deployment",
                    quantiles(
                        "automatrix_inference_request_seconds", "deployment", "{{deployment}}"
                    ),
                    unit="s",
                ),
                Panel(
                    "Tokens per deployment",
                    (
                        q(
                            "sum by (deployment, direction) "
                            f"(rate(automatrix_inference_tokens_total[{RATE}]))",
                            "{{deployment}} {{direction}}",
                        ),
                    ),
                ),
            ),
        ),
        Row(
            "Triton",
            (
                Panel(
                    "Triton inferences per model",
                    (
                        q(
                            f"sum by (model) (rate(nv_inference_request_success[{RATE}]))",
                            "{{model}} ok",
                        ),
                        q(
                            f"sum by (model) (rate(nv_inference_request_failure[{RATE}]))",
                            "{{model}} failed",
                        ),
                    ),
                    unit="reqps",
                ),
                Panel(
                    "Triton request and queue time per model",
                    (
                        q(
                            f"sum by (model) (rate(nv_inference_request_duration_us[{RATE}])) "
                            f"/ sum by (model) (rate(nv_inference_request_success[{RATE}]))",
                            "{{model}} request",
                        ),
                        q(
                            f"sum by (model) (rate(nv_inference_queue_duration_us[{RATE}])) "
                            f"/ sum by (model) (rate(nv_inference_request_success[{RATE}]))",
                            "{{model}} queue",
                        ),
                    ),
                    unit="µs",
                ),
                Panel(
                    "Triton average batch size per model",
                    (
                        q(
                            f"sum by (model) (rate(nv_inference_count[{RATE}])) "
                            f"/ sum by (model) (rate(nv_inference_exec_count[{RATE}]))",
                            "{{model}}",
                        ),
                    ),
                    description="Inferences per model execution: what dynamic batching gains.",
                ),
            ),
        ),
    ),
)

BUS = Dashboard(
    uid="automatrix-bus",
    title="AutoMatrix / Bus and training",
    description="JetStream publishes, the Redis fallback and its replay, dead letters, training.",
    rows=(
        Row(
            "Fallback and replay",
            (
                Panel(
                    "Events written to the Redis fallback",
                    (q("sum(increase(automatrix_bus_fallback_total[$__range]))", "fallback"),),
                    kind="stat",
                    width=6,
                    thresholds=((None, "green"), (1, "orange")),
                ),
                Panel(
                    "Fallback events replayed into JetStream",
                    (q("sum(increase(automatrix_bus_replayed_total[$__range]))", "replayed"),),
                    kind="stat",
                    width=6,
                ),
                Panel(
                    "Fallback writes and replays per service",
                    (
                        q(
                            f"sum by (job) (rate(automatrix_bus_fallback_total[{RATE}]))",
                            "{{job}} to fallback",
                        ),
                        q(
                            f"sum by (job) (rate(automatrix_bus_replayed_total[{RATE}]))",
                            "{{job}} replayed",
                        ),
                    ),
                    unit="ops",
                ),
                Panel(
                    "Events waiting in the fallback",
                    (q("max by (job) (automatrix_bus_fallback_pending)", "{{job}}"),),
                    width=24,
                ),
            ),
        ),
        Row(
            "JetStream",
            (
                Panel(
                    "Published by stream and path",
                    (
                        q(
                            f"sum by (stream, path) (rate(automatrix_bus_published_total[{RATE}]))",
                            "{{stream}} {{path}}",
                        ),
                    ),
                    unit="ops",
                ),
                Panel(
                    "Dead letters by stream and reason",
                    (
                        q(
                            "sum by (stream, reason) "
                            f"(rate(automatrix_bus_dead_letters_total[{RATE}]))",
                            "{{stream}} {{reason}}",
                        ),
                    ),
                    unit="ops",
                ),
                Panel(
                    "Deliveries handled by consumer and outcome",
                    (
                        q(
                            "sum by (consumer, outcome) "
                            f"(rate(automatrix_bus_handled_total[{RATE}]))",
                            "{{consumer}} {{outcome}}",
                        ),
                    ),
                    unit="ops",
                ),
                Panel(
                    "Handler time (p95) by consumer",
                    (
                        q(
                            "histogram_quantile(0.95, sum by (le, consumer) "
                            f"(rate(automatrix_bus_handler_seconds_bucket[{RATE}])))",
                            "{{consumer}}",
                        ),
                    ),
                    unit="s",
                ),
            ),
        ),
        Row(
            "Training",
            (
                Panel(
                    "Training progress events (AI_TRAINING)",
                    (
                        q(
                            "sum by (path) (rate(automatrix_bus_published_total"
                            f'{{stream="AI_TRAINING"}}[{RATE}]))',
                            "{{path}}",
                        ),
                    ),
                    unit="ops",
                    description="Started, epoch, trial, completed and failed events per second.",
                ),
                Panel(
                    "Telemetry handled by neuroweaver",
                    (
                        q(
                            "sum by (consumer, outcome) (rate(automatrix_bus_handled_total"
                            f'{{job="neuroweaver"}}[{RATE}]))',
                            "{{consumer}} {{outcome}}",
                        ),
                    ),
                    unit="ops",
                    description="What the trainer ingests into its datasets.",
                ),
            ),
        ),
    ),
)

ALL = (GATEWAY, ROUTING, BUS)
