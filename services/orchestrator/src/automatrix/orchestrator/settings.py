"""Settings of the orchestrator (the gateway), read from the environment."""

from __future__ import annotations

from pydantic import Field, SecretStr

from automatrix.shared.contracts import Priority
from automatrix.shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """Gateway settings; shared ones (NATS_URL, REDIS_URL, ...) come from ServiceSettings."""

    service_name: str = Field(default="orchestrator")
    http_port: int = Field(default=8000, ge=0, le=65535)

    # auth
    automatrix_master_key: SecretStr | None = Field(
        default=None, description="Admin key of the default tenant (as LiteLLM Proxy's)."
    )
    automatrix_jwt_secret: SecretStr | None = Field(
        default=None, description="HS256 secret; enables JWT bearer tokens."
    )
    automatrix_jwt_public_key: str | None = Field(
        default=None, description="PEM public key; enables RS256/ES256 JWT bearer tokens."
    )
    automatrix_jwt_audience: str | None = Field(default=None, description="Required `aud`.")

    # limits and protection
    gateway_default_rpm: int = Field(default=600, ge=1, description="Requests/min per key.")
    gateway_default_tpm: int = Field(default=200_000, ge=1, description="Tokens/min per key.")
    gateway_max_body_bytes: int = Field(default=1_048_576, ge=1024, description="Body limit.")
    gateway_timeout_s: float = Field(
        default=120.0, gt=0, le=3600, description="How long a request may wait for its result."
    )
    gateway_shed_queue_depth: int = Field(
        default=2_000,
        ge=1,
        description="Queued requests (all levels) past which new ones are shed with 503.",
    )
    gateway_shed_factors: dict[Priority, float] = Field(
        default={
            Priority.LOW: 0.5,
            Priority.NORMAL: 0.75,
            Priority.HIGH: 1.0,
            Priority.CRITICAL: 2.0,
        },
        description="Share of the bound at which each priority is shed: critical last.",
    )
    gateway_cors_origins: list[str] = Field(
        default=[], description="Allowed CORS origins (JSON list); empty: CORS off."
    )

    # cache
    cache_enabled: bool = Field(default=True, description="Exact + semantic response cache.")
    cache_ttl_s: float = Field(default=3600.0, gt=0, description="Default entry lifetime.")
    cache_max_ttl_s: float = Field(default=7 * 86_400.0, gt=0, description="Upper bound.")
    cache_semantic_threshold: float = Field(
        default=0.95, ge=0, le=1, description="Cosine similarity a semantic hit needs."
    )
    cache_embedding_model: str = Field(
        default="minilm-embed", description="Model group that embeds queries for the cache."
    )
    qdrant_url: str | None = Field(default=None, description="Qdrant server; unset: local mode.")
    qdrant_api_key: SecretStr | None = Field(default=None)
    cache_sweep_interval_s: float = Field(default=60.0, gt=0)
