"""The gateway's Prometheus metrics (names the Grafana dashboards query)."""

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "automatrix_gateway_requests_total",
    "Requests answered by the gateway, by route, model and HTTP status.",
    ["route", "model", "status"],
)
LATENCY = Histogram(
    "automatrix_gateway_request_seconds",
    "Time from receiving a request to its response (first byte for streams).",
    ["route", "cache"],
    buckets=(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
CACHE = Counter(
    "automatrix_gateway_cache_total",
    "Cache lookups by outcome: hit-exact, hit-semantic, miss, bypass.",
    ["outcome"],
)
CACHE_ERRORS = Counter(
    "automatrix_gateway_cache_errors_total",
    "Cache operations that failed and were bypassed.",
    ["operation"],
)
SHED = Counter(
    "automatrix_gateway_shed_total", "Requests refused with 503 by load shedding.", ["priority"]
)
RATE_LIMITED = Counter(
    "automatrix_gateway_rate_limited_total", "Requests refused with 429.", ["limit"]
)
QUEUE_DEPTH = Gauge(
    "automatrix_gateway_queue_depth", "Requests waiting for relaycore, per priority.", ["priority"]
)
TOKENS = Counter("automatrix_gateway_tokens_total", "Tokens served, by direction.", ["direction"])
