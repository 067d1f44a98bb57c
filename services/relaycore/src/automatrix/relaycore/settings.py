"""Settings of the relaycore service, read from the environment."""

from __future__ import annotations

from pydantic import Field

from automatrix.shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """relaycore settings; shared ones (NATS_URL, REDIS_URL, ...) come from ServiceSettings.

    Maps are JSON in the environment, e.g.
    ``RELAY_FALLBACKS='{"groq-llama-3-1-8b": ["gpt-4o-mini", "gemma3-270m"]}'``.
    """

    service_name: str = Field(default="relaycore")
    http_port: int = Field(default=8101, ge=0, le=65535)

    relay_token: str = Field(
        default="relaycore",
        pattern=r"^[A-Za-z0-9_-]{1,48}$",
        description="Requester token of the router: attempt failures come back to it.",
    )
    relay_window: int = Field(
        default=64,
        ge=1,
        le=4096,
        description=(
            "Most requests per priority a replica holds unacked, reached only while they wait "
            "for a free slot; the rest wait in JetStream."
        ),
    )
    relay_take_ahead: int = Field(
        default=1,
        ge=1,
        le=4096,
        description=(
            "Undecided requests per priority a replica takes at once: it takes a request only "
            "when it can place it now. It holds more (up to RELAY_WINDOW) only while they wait "
            "for a free slot, and takes none while routing is stopped. Higher: more decisions "
            "per second, each waiting longer behind the others."
        ),
    )
    relay_starvation_limit: int = Field(
        default=8, ge=1, description="Dispatches to higher levels before a waiting one goes."
    )
    relay_strategy: str = Field(
        default="least_loaded", description="least_loaded, latency, weighted or cost."
    )
    relay_strategies: dict[str, str] = Field(
        default_factory=dict, description="Strategy per model group, overriding the default."
    )
    relay_fallbacks: dict[str, list[str]] = Field(
        default_factory=dict, description="Model groups to fall back to, per pinned group."
    )
    relay_no_route_wait_s: float = Field(
        default=10.0,
        ge=0,
        description="How long a request waits for a matching healthy deployment to appear.",
    )
    relay_max_attempts: int = Field(default=4, ge=1, le=16)
    relay_retries_per_deployment: int = Field(default=1, ge=0, le=8)
    relay_backoff_base_s: float = Field(default=0.1, ge=0)
    relay_backoff_max_s: float = Field(default=2.0, ge=0)
    relay_breaker_window_s: float = Field(default=30.0, gt=0)
    relay_breaker_min_calls: int = Field(default=3, ge=1)
    relay_breaker_failure_rate: float = Field(default=0.5, gt=0, le=1)
    relay_breaker_cooldown_s: float = Field(default=10.0, gt=0)
    relay_lease_grace_s: float = Field(
        default=30.0, gt=0, description="A slot outlives its attempt's timeout by this much."
    )
    relay_heal_error_rate: float = Field(default=0.5, gt=0, le=1)
    relay_heal_min_calls: int = Field(default=10, ge=1)
    relay_heal_probe_after_s: float = Field(default=30.0, gt=0)
    relay_sweep_interval_s: float = Field(
        default=1.0, gt=0, description="Heartbeat, healing and timer checks."
    )
    relay_scaling_interval_s: float = Field(default=15.0, gt=0)
    relay_target_latency_ms: float = Field(default=2000.0, gt=0)
