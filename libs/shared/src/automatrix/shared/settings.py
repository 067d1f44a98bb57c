"""Settings every service shares, read from the environment inside each factory."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class BusSettings(BaseSettings):
    """How a process talks to NATS JetStream and the Redis fallback."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    nats_url: str = Field(
        default="nats://127.0.0.1:4222", description="NATS server(s), comma-separated."
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Redis for the bus fallback."
    )
    bus_namespace: str = Field(
        default="",
        description="Prefix for the bus's Redis keys, so runs sharing a Redis never collide.",
    )
    bus_publish_timeout_s: float = Field(
        default=2.0, gt=0, description="Wait this long for a PubAck."
    )
    bus_duplicate_window_s: float = Field(
        default=120.0, gt=0, description="JetStream de-duplication window for Nats-Msg-Id."
    )
    bus_stream_replicas: int = Field(
        default=1, ge=1, le=5, description="R1 embedded, R3 on a cluster."
    )
    bus_max_deliver: int = Field(default=5, ge=1, description="Deliveries before dead-lettering.")
    bus_ack_wait_s: float = Field(
        default=30.0, gt=0, description="Redelivery after this long unacked."
    )
    bus_nak_backoff_s: tuple[float, ...] = Field(
        default=(0.2, 1.0, 5.0, 15.0),
        min_length=1,
        description="Nak delay per delivery attempt (last repeats).",
    )
    bus_fallback_replay_interval_s: float = Field(default=1.0, gt=0)
    bus_drain_timeout_s: float = Field(
        default=10.0, gt=0, description="At stop, wait this long for running handlers."
    )


class ServiceSettings(BusSettings):
    """Settings of one running service process."""

    service_name: str = Field(default="automatrix")
    http_host: str = Field(default="127.0.0.1")
    http_port: int = Field(default=0, ge=0, le=65535)
    state_dir: Path = Field(default=Path(".state"))
    log_level: str = Field(default="INFO")
