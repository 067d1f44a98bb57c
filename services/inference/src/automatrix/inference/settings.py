"""Settings of the inference service, read from the environment."""

from __future__ import annotations

from pydantic import Field

from automatrix.shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """inference settings; shared ones (NATS_URL, REDIS_URL, ...) come from ServiceSettings."""

    service_name: str = Field(default="inference")
    http_port: int = Field(default=8103, ge=0, le=65535)
