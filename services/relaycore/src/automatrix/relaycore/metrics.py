"""Prometheus metrics of the router."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

DECISIONS = Counter(
    "automatrix_relay_decisions_total",
    "Routing outcomes: dispatched, again (redelivery), expired, no_route, gave_up.",
    ["outcome"],
)
RETRIES = Counter(
    "automatrix_relay_retries_total", "Attempts after the first, by deployment.", ["deployment"]
)
ADDED_LATENCY = Histogram(
    "automatrix_relay_added_seconds",
    "From taking a request to its dispatch being stored.",
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30),
)
WAITING = Gauge(
    "automatrix_relay_waiting", "Requests held by this replica, by priority.", ["priority"]
)
BREAKER_OPEN = Gauge(
    "automatrix_relay_breaker_open", "1 while a deployment's breaker is open.", ["deployment"]
)
