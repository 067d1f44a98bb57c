"""Settings of the inference service, read from the environment."""

from __future__ import annotations

from pydantic import Field

from automatrix.shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """inference settings; shared ones (NATS_URL, REDIS_URL, ...) come from ServiceSettings."""

    service_name: str = Field(default="inference")
    http_port: int = Field(default=8103, ge=0, le=65535)
    triton_url: str | None = Field(
        default=None,
        description="host:port of an external Triton's gRPC endpoint; unset: run one embedded.",
    )
    triton_http_port: int = Field(default=0, ge=0, le=65535, description="Embedded; 0: free port.")
    triton_grpc_port: int = Field(default=0, ge=0, le=65535, description="Embedded; 0: free port.")
    triton_metrics_port: int = Field(default=0, ge=0, le=65535)
    heartbeat_interval_s: float = Field(default=5.0, gt=0)
    gemma_instances: int = Field(default=1, ge=1, le=8, description="llama.cpp engines.")
    gemma_threads: int | None = Field(default=None, ge=1, description="Threads per engine.")
