"""Prometheus metrics of the bus (exported on every service's ``/metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

PUBLISHED = Counter(
    "automatrix_bus_published_total", "Events published, by stream and path.", ["stream", "path"]
)
FALLBACK_STORED = Counter(
    "automatrix_bus_fallback_total", "Events written to the Redis fallback because NATS failed."
)
FALLBACK_REPLAYED = Counter(
    "automatrix_bus_replayed_total", "Fallback events replayed into JetStream."
)
FALLBACK_PENDING = Gauge(
    "automatrix_bus_fallback_pending", "Events waiting in the Redis fallback stream."
)
HANDLED = Counter(
    "automatrix_bus_handled_total",
    "Deliveries handled, by consumer and outcome.",
    ["consumer", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "automatrix_bus_handler_seconds",
    "Handler duration.",
    ["consumer"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30),
)
DEAD_LETTERS = Counter(
    "automatrix_bus_dead_letters_total",
    "Messages dead-lettered, by stream and reason.",
    ["stream", "reason"],
)
