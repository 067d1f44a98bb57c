"""Settings of the neuroweaver service, read from the environment."""

from __future__ import annotations

from pydantic import Field

from automatrix.shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """neuroweaver settings; shared ones (NATS_URL, REDIS_URL, ...) come from ServiceSettings."""

    service_name: str = Field(default="neuroweaver")
    http_port: int = Field(default=8102, ge=0, le=65535)
    docstore_url: str | None = Field(
        default=None,
        description="Document store: mongodb://…/db or sqlite:///abs.db; unset: SQLite in the"
        " state directory.",
    )
    neuroweaver_embedding_model: str = Field(
        default="minilm-embed", description="Model group whose embeddings the router learns on."
    )
    neuroweaver_cycle_interval_s: float = Field(
        default=3600.0, ge=0, description="Learning cycle period; 0: only on demand."
    )
    neuroweaver_cycle_min_new_examples: int = Field(
        default=20, ge=1, description="New labelled examples that make a cycle retrain the router."
    )
    neuroweaver_telemetry_retention_days: float = Field(
        default=7.0, gt=0, description="Ingested telemetry older than this is pruned."
    )

    def store_url(self) -> str:
        if self.docstore_url:
            return self.docstore_url
        return f"sqlite:///{(self.state_dir / 'neuroweaver.db').resolve()}"
