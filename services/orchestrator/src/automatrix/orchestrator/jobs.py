"""Async queries: a job per request, its status in the AI_JOBS key-value bucket.

Jobs are published with one requester token shared by every gateway replica, and one
durable consumer (shared too) writes each result into its job, so a job finishes even when
the replica that accepted it is gone.
"""

from __future__ import annotations

import nats.js.errors
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from automatrix.shared.bus import ConsumerSpec, Delivery
from automatrix.shared.contracts import RESULTS, InferenceCompleted, InferenceFailed
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.gateway import JOBS, JobRecord, JobState

JOBS_REQUESTER = "orchestrator-jobs"
"""Requester token of async queries: their results land on ``ai.v1.results.orchestrator-jobs``."""

JOB_RESULTS = ConsumerSpec.on(RESULTS, "orchestrator-jobs", requester=JOBS_REQUESTER)


class JobStore:
    """Job records by id; a tenant only ever reads its own."""

    def __init__(self) -> None:
        self._kv: KeyValue | None = None

    async def open(self, js: JetStreamContext) -> None:
        self._kv = await js.key_value(JOBS.name)

    @property
    def kv(self) -> KeyValue:
        if self._kv is None:
            raise RuntimeError("the job store is not open")
        return self._kv

    async def put(self, job: JobRecord) -> None:
        await self.kv.put(job.job_id, job.model_dump_json().encode())

    async def get(self, job_id: str, *, tenant: str) -> JobRecord | None:
        """The job, if it exists and belongs to ``tenant`` (else None: never say it exists)."""
        try:
            entry = await self.kv.get(job_id)
        except (nats.js.errors.KeyNotFoundError, nats.js.errors.KeyDeletedError):
            return None
        if not entry.value:
            return None
        job = JobRecord.model_validate_json(entry.value)
        return job if job.tenant == tenant else None

    async def on_result(self, result: InferenceCompleted | InferenceFailed, _: Delivery) -> None:
        """Write a result into its job (idempotent: a finished job stays as it finished)."""
        try:
            entry = await self.kv.get(result.request_id)
        except (nats.js.errors.KeyNotFoundError, nats.js.errors.KeyDeletedError):
            return  # expired, or not a job
        if not entry.value:
            return
        job = JobRecord.model_validate_json(entry.value)
        if job.state is not JobState.QUEUED:
            return
        if isinstance(result, InferenceCompleted):
            done = job.model_copy(
                update={
                    "state": JobState.SUCCEEDED,
                    "finished_at": utcnow(),
                    "output": result.output,
                    "deployment": result.deployment,
                    "usage": result.usage,
                    "metadata": {**job.metadata, "finish_reason": result.finish_reason},
                }
            )
        else:
            done = job.model_copy(
                update={
                    "state": JobState.FAILED,
                    "finished_at": utcnow(),
                    "error_kind": result.kind,
                    "error": result.message,
                }
            )
        try:
            await self.kv.update(job.job_id, done.model_dump_json().encode(), last=entry.revision)
        except nats.js.errors.KeyWrongLastSequenceError:
            return  # another replica wrote it first
