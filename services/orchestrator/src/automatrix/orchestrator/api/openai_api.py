"""OpenAI-compatible routes: chat completions (plain and streamed), embeddings, models."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import numpy as np
from fastapi import APIRouter, Request
from opentelemetry import trace
from pydantic import ValidationError
from starlette.responses import JSONResponse, StreamingResponse

from automatrix.orchestrator import metrics
from automatrix.orchestrator.adapters.replies import ChunkStream
from automatrix.orchestrator.api.deps import (
    ContextDep,
    PrincipalDep,
    admit,
    cache_controls,
    estimate_tokens,
    priority_of,
    settle,
    shed,
)
from automatrix.orchestrator.api.errors import (
    ApiError,
    error_body,
    failure_error,
    invalid_request,
)
from automatrix.orchestrator.api.schemas import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    Choice,
    ChunkChoice,
    Delta,
    EmbeddingItem,
    EmbeddingRequest,
    EmbeddingResponse,
    EmbeddingUsage,
    ErrorResponse,
    MessageOut,
    ModelCard,
    ModelList,
    UsageOut,
)
from automatrix.orchestrator.auth import Principal
from automatrix.orchestrator.cache import CacheLookup
from automatrix.orchestrator.gateway import AUTO, Answer, Query
from automatrix.shared.contracts import (
    ChatMessage,
    InferenceFailed,
    InferenceParams,
    RequestKind,
    Usage,
)

router = APIRouter(prefix="/v1", tags=["openai"])

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 404, 413, 429, 503, 504)
}
CACHE_HEADER = "x-automatrix-cache"
SIMILARITY_HEADER = "x-automatrix-cache-similarity"


def _query(body: ChatCompletionRequest, request: Request, ctx: ContextDep, who: Any) -> Query:
    try:
        messages = [
            ChatMessage(role=m.contract_role(), content=m.text(), name=m.name)
            for m in body.messages
        ]
        params = InferenceParams(
            temperature=body.temperature,
            top_p=body.top_p,
            max_tokens=body.max_completion_tokens or body.max_tokens,
            stop=body.stop_list(),
            seed=body.seed,
            presence_penalty=body.presence_penalty,
            frequency_penalty=body.frequency_penalty,
        )
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        raise invalid_request(exc, param=".".join(map(str, loc))) from None
    return Query(
        tenant=who.tenant,
        kind=RequestKind.CHAT,
        model=body.model,
        priority=priority_of(request, body.priority),
        params=params,
        messages=messages,
        stream=body.stream,
        cache=cache_controls(request, body.cache, who, ctx.settings),
    )


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses=ERRORS,
    summary="Create a chat completion (OpenAI-compatible; `stream: true` for SSE)",
)
async def chat_completions(
    body: ChatCompletionRequest, request: Request, ctx: ContextDep, who: PrincipalDep
) -> Any:
    started = time.perf_counter()
    query = _query(body, request, ctx, who)
    span = trace.get_current_span()
    span.set_attribute("gen_ai.operation.name", "chat")
    span.set_attribute("gen_ai.request.model", query.model)
    span.set_attribute("automatrix.tenant", who.tenant)
    span.set_attribute("automatrix.request_id", query.request_id)
    gateway = ctx.gateway
    gateway.check_model(query.model, RequestKind.CHAT)
    estimate = estimate_tokens([m.content for m in query.messages], query.params.max_tokens)
    await admit(ctx, who, tokens=estimate)
    found = await gateway.lookup(query)
    headers = {"x-request-id": query.request_id}
    span.set_attribute("automatrix.cache", found.status if found is not None else "off")
    if found is not None and found.value is not None:
        answer = Answer.from_cache(found.value, _cache_meta(found))
        settle(ctx, who, estimated=estimate, actual=0)  # a cached answer costs no model tokens
        _cache_headers(headers, found)
        metrics.LATENCY.labels("chat", found.status).observe(time.perf_counter() - started)
        if query.stream:
            return _sse(_replay(query, answer, body), headers)
        return JSONResponse(_completion(query, answer).model_dump(), headers=headers)
    headers[CACHE_HEADER] = "miss"
    await shed(ctx, query.priority)
    capabilities, meta = await gateway.plan(query)
    if query.stream:
        stream = await gateway.open_stream(query, capabilities)
        relay = _relay(ctx, query, stream, found, meta, body, started, who=who, estimate=estimate)
        return _sse(relay, headers)
    result = await gateway.complete(query, capabilities)
    answer = Answer(
        output=result.output or "",
        finish_reason=(result.finish_reason or "stop"),
        usage=result.usage,
        model=result.model,
        deployment=result.deployment,
        metadata={**meta, "cache": "miss", "request_id": query.request_id},
    )
    gateway.remember(found, answer)
    settle(ctx, who, estimated=estimate, actual=result.usage.total_tokens)
    span.set_attribute("gen_ai.response.model", result.model)
    span.set_attribute("gen_ai.usage.input_tokens", result.usage.input_tokens)
    span.set_attribute("gen_ai.usage.output_tokens", result.usage.output_tokens)
    metrics.TOKENS.labels("input").inc(result.usage.input_tokens)
    metrics.TOKENS.labels("output").inc(result.usage.output_tokens)
    metrics.LATENCY.labels("chat", "miss").observe(time.perf_counter() - started)
    headers["x-automatrix-deployment"] = result.deployment
    return JSONResponse(_completion(query, answer).model_dump(), headers=headers)


def _completion(query: Query, answer: Answer) -> ChatCompletion:
    return ChatCompletion(
        id=f"chatcmpl-{query.request_id}",
        model=answer.model if query.model == AUTO else query.model,
        choices=[
            Choice(message=MessageOut(content=answer.output), finish_reason=answer.finish_reason)
        ],
        usage=_usage(answer.usage),
        automatrix={**answer.metadata, "deployment": answer.deployment},
    )


def _usage(usage: Usage) -> UsageOut:
    return UsageOut(
        prompt_tokens=usage.input_tokens,
        completion_tokens=usage.output_tokens,
        total_tokens=usage.total_tokens,
    )


def _cache_meta(found: CacheLookup) -> dict[str, Any]:
    meta: dict[str, Any] = {"cache": found.status}
    if found.score is not None:
        meta["similarity"] = round(found.score, 4)
    return meta


def _cache_headers(headers: dict[str, str], found: CacheLookup) -> None:
    headers[CACHE_HEADER] = found.status
    if found.score is not None:
        headers[SIMILARITY_HEADER] = f"{found.score:.4f}"


# -- streaming -----------------------------------------------------------------------------


def _sse(events: AsyncIterator[str], headers: dict[str, str]) -> StreamingResponse:
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={**headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _event(data: dict[str, Any] | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n"


def _chunk(query: Query, model: str, created: int, delta: Delta, finish: str | None) -> str:
    chunk = ChatCompletionChunk(
        id=f"chatcmpl-{query.request_id}",
        created=created,
        model=model,
        choices=[ChunkChoice(delta=delta, finish_reason=finish)],
    )
    return _event(chunk.model_dump(exclude={"usage"}))


def _usage_chunk(query: Query, model: str, created: int, usage: Usage) -> str:
    chunk = ChatCompletionChunk(
        id=f"chatcmpl-{query.request_id}",
        created=created,
        model=model,
        choices=[],
        usage=_usage(usage),
    )
    return _event(chunk.model_dump())


async def _replay(query: Query, answer: Answer, body: ChatCompletionRequest) -> AsyncIterator[str]:
    """A cached answer, streamed as one content chunk."""
    created = int(time.time())
    model = answer.model if query.model == AUTO else query.model
    yield _chunk(query, model, created, Delta(role="assistant", content=""), None)
    yield _chunk(query, model, created, Delta(content=answer.output), answer.finish_reason)
    if body.stream_options and body.stream_options.include_usage:
        yield _usage_chunk(query, model, created, answer.usage)
    yield _event("[DONE]")


async def _relay(
    ctx: ContextDep,
    query: Query,
    stream: ChunkStream,
    found: CacheLookup | None,
    meta: dict[str, Any],
    body: ChatCompletionRequest,
    started: float,
    *,
    who: Principal,
    estimate: int,
) -> AsyncIterator[str]:
    """Chunks from the bus as SSE; a failure mid-way ends the stream with an error event."""
    created = int(time.time())
    model = query.model
    parts: list[str] = []
    first = True
    try:
        yield _chunk(query, model, created, Delta(role="assistant", content=""), None)
        async with asyncio.timeout(ctx.settings.gateway_timeout_s):
            async for item in stream.chunks():
                if isinstance(item, InferenceFailed):
                    error = failure_error(item.kind, item.message, retryable=item.retryable)
                    yield _event(error.body())
                    return
                if first:
                    metrics.LATENCY.labels("chat_stream", "miss").observe(
                        time.perf_counter() - started
                    )
                    first = False
                parts.append(item.delta)
                finish = item.finish_reason.value if item.finish_reason else None
                if item.delta or finish:
                    yield _chunk(query, model, created, Delta(content=item.delta or None), finish)
                if finish:
                    usage = item.usage or Usage(input_tokens=0, output_tokens=0, total_tokens=0)
                    settle(ctx, who, estimated=estimate, actual=usage.total_tokens)
                    if body.stream_options and body.stream_options.include_usage:
                        yield _usage_chunk(query, model, created, usage)
                    ctx.gateway.remember(
                        found,
                        Answer("".join(parts), finish, usage, model, None, meta),
                    )
        yield _event("[DONE]")
    except TimeoutError:
        yield _event(error_body(504, "the stream stopped before it finished", code="timeout"))
    finally:
        await ctx.gateway.replies.close_stream(stream)


# -- embeddings and models -----------------------------------------------------------------


@router.post(
    "/embeddings",
    response_model=EmbeddingResponse,
    responses=ERRORS,
    summary="Create embeddings (OpenAI-compatible)",
)
async def embeddings(
    body: EmbeddingRequest, request: Request, ctx: ContextDep, who: PrincipalDep
) -> Any:
    started = time.perf_counter()
    gateway = ctx.gateway
    gateway.check_model(body.model, RequestKind.EMBEDDING)
    texts = body.texts()
    estimate = estimate_tokens(texts, 1)
    await admit(ctx, who, tokens=estimate)
    priority = priority_of(request, body.priority)
    await shed(ctx, priority)
    try:
        result = await gateway.embed(texts, model=body.model, tenant=who.tenant, priority=priority)
    except ValidationError as exc:
        raise invalid_request(exc, param="input") from None
    settle(ctx, who, estimated=estimate, actual=result.usage.total_tokens)
    vectors = result.embeddings or []
    if body.dimensions is not None and vectors and body.dimensions != len(vectors[0]):
        raise ApiError(
            400,
            f"`{body.model}` has {len(vectors[0])} dimensions and cannot shorten them",
            param="dimensions",
        )
    data = [
        EmbeddingItem(index=i, embedding=_encode(v, body.encoding_format))
        for i, v in enumerate(vectors)
    ]
    metrics.LATENCY.labels("embeddings", "miss").observe(time.perf_counter() - started)
    usage = EmbeddingUsage(
        prompt_tokens=result.usage.input_tokens, total_tokens=result.usage.total_tokens
    )
    response = EmbeddingResponse(data=data, model=body.model, usage=usage)
    return JSONResponse(
        response.model_dump(), headers={"x-automatrix-deployment": result.deployment}
    )


def _encode(vector: list[float], encoding: str) -> list[float] | str:
    if encoding == "base64":
        return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode()
    return vector


@router.get("/models", response_model=ModelList, summary="List model groups, and `auto`")
async def models(ctx: ContextDep, _: PrincipalDep) -> ModelList:
    cards = [ModelCard(id=AUTO, created=0, kind="chat")]
    for group, records in sorted(ctx.gateway.model_groups().items()):
        cards.append(
            ModelCard(
                id=group,
                created=int(min(r.registered_at for r in records).timestamp()),
                kind=records[0].kind.value,
                owned_by=records[0].provider or "automatrix",
                deployments=sorted(r.name for r in records),
            )
        )
    return ModelList(data=cards)
