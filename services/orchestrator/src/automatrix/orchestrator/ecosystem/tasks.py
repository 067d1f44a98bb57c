"""A tenant's recent async queries, read from the tail of the AI_JOBS bucket's stream.

Jobs are keyed by id, not by tenant, so listing reads the last ``scan`` writes of the bucket
(an ordered consumer from that sequence on, one pass) and keeps the tenant's newest jobs.
Older jobs are still readable one by one with their id.
"""

from __future__ import annotations

import contextlib

import nats.errors
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from pydantic import ValidationError

from automatrix.shared.contracts.gateway import JOBS, JobRecord

SCAN = 2_000
READ_TIMEOUT_S = 2.0


async def recent_jobs(
    js: JetStreamContext, *, tenant: str, limit: int, scan: int = SCAN
) -> list[JobRecord]:
    """The tenant's newest jobs among the last ``scan`` job writes, newest first."""
    stream = f"KV_{JOBS.name}"
    state = (await js.stream_info(stream)).state
    if not state.messages:
        return []
    start = max(state.first_seq, state.last_seq - scan + 1)
    config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start)
    subscription = await js.subscribe(
        f"$KV.{JOBS.name}.>", stream=stream, config=config, ordered_consumer=True
    )
    jobs: dict[str, JobRecord] = {}
    try:
        while True:
            try:
                msg = await subscription.next_msg(timeout=READ_TIMEOUT_S)
            except (TimeoutError, nats.errors.TimeoutError):
                break  # the tail was deleted or purged while we read: what we have is all
            key = msg.subject.removeprefix(f"$KV.{JOBS.name}.")
            job = _job(msg.data)
            if job is None:
                jobs.pop(key, None)
            elif job.tenant == tenant:
                jobs[key] = job
            if msg.metadata.sequence.stream >= state.last_seq:
                break
    finally:
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()
    newest = sorted(jobs.values(), key=lambda j: j.created_at, reverse=True)
    return newest[:limit]


def _job(data: bytes) -> JobRecord | None:
    if not data:
        return None  # a delete or purge marker
    try:
        return JobRecord.model_validate_json(data)
    except ValidationError:
        return None
