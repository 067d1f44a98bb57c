"""Settings of the orchestrator service, read from the environment."""

from __future__ import annotations

from pydantic import Field

from automatrix.shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """orchestrator settings; shared ones (NATS_URL, REDIS_URL, ...) come from ServiceSettings."""

    service_name: str = Field(default="orchestrator")
    http_port: int = Field(default=8000, ge=0, le=65535)
