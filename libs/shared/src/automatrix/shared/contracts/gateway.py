"""The gateway's registries: API keys and async query jobs, each in a key-value bucket."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, Field

from automatrix.shared.contracts.base import (
    DEFAULT_TENANT,
    TENANT_PATTERN,
    Contract,
    SubjectToken,
    utcnow,
)
from automatrix.shared.contracts.inference_types import ErrorKind, Usage
from automatrix.shared.contracts.registry import Bucket

KEYS = Bucket(
    "AI_KEYS",
    "API keys of the gateway: one record per key, keyed by the SHA-256 of the key; no secrets.",
    history=3,
)

JOBS = Bucket(
    "AI_JOBS",
    "Status of async queries (POST /api/v2/queries), keyed by job id; expire after a day.",
    ttl_s=86_400.0,
)


class ApiKeyRecord(Contract):
    """One API key, as stored: the key itself is never kept, only its SHA-256."""

    key_id: SubjectToken = Field(description="Public id of the key (shown in lists and logs).")
    key_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the key, hex.")
    prefix: str = Field(max_length=16, description="First characters of the key, to recognise it.")
    tenant: str = Field(default=DEFAULT_TENANT, pattern=TENANT_PATTERN, description="Owner.")
    name: str = Field(default="", max_length=200, description="What the key is for.")
    admin: bool = Field(default=False, description="May manage keys and the platform.")
    rpm: int | None = Field(default=None, ge=1, description="Requests per minute; None: default.")
    tpm: int | None = Field(default=None, ge=1, description="Tokens per minute; None: default.")
    semantic_threshold: float | None = Field(
        default=None, ge=0, le=1, description="Semantic cache similarity threshold for this key."
    )
    created_at: AwareDatetime = Field(default_factory=utcnow, description="Creation time.")
    revoked_at: AwareDatetime | None = Field(default=None, description="Revocation time.")

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class JobState(StrEnum):
    """Where an async query stands."""

    QUEUED = "queued"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobRecord(Contract):
    """An async query's status, readable only by its tenant."""

    job_id: SubjectToken = Field(description="Id of the job (also the request id on the bus).")
    tenant: str = Field(default=DEFAULT_TENANT, pattern=TENANT_PATTERN, description="Owner.")
    state: JobState = Field(default=JobState.QUEUED, description="Where the job stands.")
    model: str = Field(description="Model group asked for, or auto.")
    created_at: AwareDatetime = Field(default_factory=utcnow, description="Submission time.")
    finished_at: AwareDatetime | None = Field(default=None, description="When it ended.")
    output: str | None = Field(default=None, description="The answer, when succeeded.")
    deployment: str | None = Field(default=None, description="Deployment that served it.")
    usage: Usage | None = Field(default=None, description="Token accounting, when succeeded.")
    error_kind: ErrorKind | None = Field(default=None, description="Cause, when failed.")
    error: str | None = Field(default=None, description="Error detail, when failed.")
    metadata: dict[str, Any] = Field(
        default_factory=dict, description="Classification and cache details."
    )
