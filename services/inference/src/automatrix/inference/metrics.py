"""Prometheus metrics of the model runner (names the Grafana dashboards query)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from automatrix.shared.contracts import ErrorKind, Outcome, Usage

ATTEMPTS = Counter(
    "automatrix_inference_requests_total",
    "Attempts served, by deployment, outcome and error kind (empty on success).",
    ["deployment", "outcome", "error_kind"],
)
SECONDS = Histogram(
    "automatrix_inference_request_seconds",
    "Time the provider took for one attempt.",
    ["deployment"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
TOKENS = Counter(
    "automatrix_inference_tokens_total",
    "Tokens per deployment, by direction (input, output).",
    ["deployment", "direction"],
)


def record_attempt(
    deployment: str,
    outcome: Outcome,
    error_kind: ErrorKind | None,
    latency_ms: float | None,
    usage: Usage | None,
) -> None:
    """Count one finished attempt, whatever its outcome."""
    ATTEMPTS.labels(deployment, outcome.value, error_kind.value if error_kind else "").inc()
    if latency_ms is not None:
        SECONDS.labels(deployment).observe(latency_ms / 1000)
    if usage is not None:
        TOKENS.labels(deployment, "input").inc(usage.input_tokens)
        TOKENS.labels(deployment, "output").inc(usage.output_tokens)
