"""Native v2 routes: classify a query, and async queries (submit, then poll the job)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, ValidationError, model_validator
from starlette.responses import JSONResponse

from automatrix.orchestrator.api.deps import (
    ContextDep,
    PrincipalDep,
    admit,
    cache_controls,
    estimate_tokens,
    priority_of,
    shed,
)
from automatrix.orchestrator.api.errors import ApiError, invalid_request
from automatrix.orchestrator.api.schemas import ErrorResponse, Extensions, MessageIn
from automatrix.orchestrator.gateway import AUTO, Answer, Query
from automatrix.orchestrator.jobs import JOBS_REQUESTER
from automatrix.shared.contracts import (
    ChatMessage,
    InferenceParams,
    RequestKind,
    Role,
    SubjectToken,
)
from automatrix.shared.contracts.gateway import JobRecord, JobState
from automatrix.shared.contracts.inference_types import MAX_MESSAGES, MAX_TEXT_CHARS

router = APIRouter(prefix="/api/v2", tags=["native"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 404, 429, 503)
}


class Conversation(Extensions):
    """A query as ``text`` or as ``messages`` (exactly one of them)."""

    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT_CHARS)
    messages: list[MessageIn] | None = Field(default=None, min_length=1, max_length=MAX_MESSAGES)

    @model_validator(mode="after")
    def _one_of(self) -> Conversation:
        if (self.text is None) == (self.messages is None):
            raise ValueError("give exactly one of `text` and `messages`")
        return self

    def chat(self) -> list[ChatMessage]:
        if self.text is not None:
            return [ChatMessage(role=Role.USER, content=self.text)]
        assert self.messages is not None
        return [
            ChatMessage(role=m.contract_role(), content=m.text(), name=m.name)
            for m in self.messages
        ]


class Requirement(BaseModel):
    name: str
    min_proficiency: float


class ClassifyOut(BaseModel):
    capability: str
    tier: str
    required_capabilities: list[Requirement]
    confidence: float
    decided_by: str
    model_version: str | None
    scores: dict[str, float]


@router.post("/classify", response_model=ClassifyOut, responses=ERRORS)
async def classify(body: Conversation, ctx: ContextDep, principal: PrincipalDep) -> ClassifyOut:
    """Primary capability, complexity tier and required capabilities of a query."""
    result = await ctx.gateway.classifier.classify_messages(_chat(body), principal.tenant)
    return ClassifyOut(
        capability=result.capability,
        tier=result.tier.value,
        required_capabilities=[
            Requirement(name=r.name, min_proficiency=r.min_proficiency)
            for r in result.required_capabilities
        ],
        confidence=round(result.confidence, 4),
        decided_by=result.decided_by,
        model_version=result.model_version,
        scores={k: round(v, 4) for k, v in result.scores.items()},
    )


class QueryIn(Conversation):
    """An async query: answered later, polled by its job id."""

    model: str = Field(default=AUTO, min_length=1, max_length=200)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)


class JobOut(BaseModel):
    job_id: str
    status: JobState
    model: str
    created_at: str
    finished_at: str | None = None
    output: str | None = None
    deployment: str | None = None
    usage: dict[str, int] | None = None
    error: dict[str, str] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, job: JobRecord) -> JobOut:
        return cls(
            job_id=job.job_id,
            status=job.state,
            model=job.model,
            created_at=job.created_at.isoformat(),
            finished_at=job.finished_at.isoformat() if job.finished_at else None,
            output=job.output,
            deployment=job.deployment,
            usage=job.usage.model_dump() if job.usage else None,
            error=(
                {"kind": job.error_kind.value, "message": job.error or ""}
                if job.error_kind
                else None
            ),
            metadata=job.metadata,
        )


@router.post("/queries", status_code=202, response_model=JobOut, responses=ERRORS)
async def submit(body: QueryIn, request: Request, ctx: ContextDep, who: PrincipalDep) -> Any:
    """Queue a query; the answer is read with ``GET /api/v2/queries/{job_id}``."""
    try:
        params = InferenceParams(
            temperature=body.temperature,
            top_p=body.top_p,
            max_tokens=body.max_tokens,
            seed=body.seed,
        )
    except ValidationError as exc:
        raise invalid_request(exc) from None
    query = Query(
        tenant=who.tenant,
        kind=RequestKind.CHAT,
        model=body.model,
        priority=priority_of(request, body.priority),
        params=params,
        messages=_chat(body),
        cache=cache_controls(request, body.cache, who, ctx.settings),
    )
    gateway = ctx.gateway
    gateway.check_model(query.model, RequestKind.CHAT)
    await admit(
        ctx, who, tokens=estimate_tokens([m.content for m in query.messages], params.max_tokens)
    )
    found = await gateway.lookup(query)
    location = {"Location": f"/api/v2/queries/{query.request_id}"}
    if found is not None and found.value is not None:
        answer = Answer.from_cache(found.value, {"cache": found.status})
        job = JobRecord(
            job_id=query.request_id,
            tenant=who.tenant,
            state=JobState.SUCCEEDED,
            model=query.model,
            output=answer.output,
            deployment=answer.deployment,
            usage=answer.usage,
            metadata=answer.metadata | ({"similarity": found.score} if found.score else {}),
        )
        job = job.model_copy(update={"finished_at": job.created_at})
        await ctx.jobs.put(job)
        return JSONResponse(JobOut.of(job).model_dump(), status_code=202, headers=location)
    await shed(ctx, query.priority)
    capabilities, meta = await gateway.plan(query)
    job = JobRecord(
        job_id=query.request_id,
        tenant=who.tenant,
        model=query.model,
        metadata={**meta, "cache": "miss", "priority": query.priority.value},
    )
    await ctx.jobs.put(job)
    await gateway.bus.publish(gateway.request(query, capabilities, requester=JOBS_REQUESTER))
    return JSONResponse(JobOut.of(job).model_dump(), status_code=202, headers=location)


@router.get("/queries/{job_id}", response_model=JobOut, responses=ERRORS)
async def job_status(job_id: SubjectToken, ctx: ContextDep, who: PrincipalDep) -> JobOut:
    """A job of the caller's tenant; any other id is 404, whoever owns it."""
    job = await ctx.jobs.get(job_id, tenant=who.tenant)
    if job is None:
        raise ApiError(404, f"No job {job_id}", param="job_id", code="job_not_found")
    return JobOut.of(job)


def _chat(body: Conversation) -> list[ChatMessage]:
    try:
        return body.chat()
    except ValidationError as exc:
        raise invalid_request(exc) from None
