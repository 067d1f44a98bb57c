"""The gateway's core: a query in, through cache and classification, onto the bus, and back.

Routes (OpenAI's and the native ones) parse HTTP into a ``Query``; this module decides what
to ask relaycore for, publishes the request, and waits for the result on this instance's
own subject, within the request's deadline.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from opentelemetry import trace

from automatrix.orchestrator.adapters.replies import ChunkStream, Replies
from automatrix.orchestrator.api.errors import ApiError, failure_error
from automatrix.orchestrator.cache import CacheControls, CacheLookup, ResponseCache
from automatrix.orchestrator.classification import AutoRoute, Classifier, auto_route
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    CapabilityRequirement,
    ChatMessage,
    DeploymentRecord,
    InferenceCompleted,
    InferenceParams,
    InferenceRequested,
    Priority,
    RequestKind,
    Usage,
)
from automatrix.shared.contracts.base import utcnow

AUTO = "auto"


@dataclass(slots=True)
class Query:
    """One request, as the routes understood it."""

    tenant: str
    kind: RequestKind
    model: str
    priority: Priority
    params: InferenceParams
    messages: list[ChatMessage] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    stream: bool = False
    cache: CacheControls = field(default_factory=CacheControls)
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass(slots=True)
class Answer:
    """A chat answer, from the cache or from a deployment."""

    output: str
    finish_reason: str
    usage: Usage
    model: str
    deployment: str | None
    metadata: dict[str, Any]

    def to_cache(self) -> bytes:
        return json.dumps(
            {
                "output": self.output,
                "finish_reason": self.finish_reason,
                "usage": self.usage.model_dump(),
                "model": self.model,
                "deployment": self.deployment,
            }
        ).encode()

    @classmethod
    def from_cache(cls, value: bytes, metadata: dict[str, Any]) -> Answer:
        data = json.loads(value)
        return cls(
            output=data["output"],
            finish_reason=data["finish_reason"],
            usage=Usage.model_validate(data["usage"]),
            model=data["model"],
            deployment=data.get("deployment"),
            metadata=metadata,
        )


class Gateway:
    """Serves queries: cache, classification, publish, wait."""

    def __init__(
        self,
        bus: Bus,
        replies: Replies,
        cache: ResponseCache | None,
        classifier: Classifier,
        deployments: Mapping[str, DeploymentRecord],
        *,
        timeout_s: float,
    ) -> None:
        self.bus = bus
        self.replies = replies
        self.cache = cache
        self.classifier = classifier
        self.deployments = deployments
        self.timeout_s = timeout_s
        self._background: set[asyncio.Task[None]] = set()

    # -- models ----------------------------------------------------------------------------

    def model_groups(self) -> dict[str, list[DeploymentRecord]]:
        """Registered deployments by model group (any state)."""
        groups: dict[str, list[DeploymentRecord]] = {}
        for record in self.deployments.values():
            groups.setdefault(record.model_group, []).append(record)
        return groups

    def check_model(self, model: str, kind: RequestKind) -> None:
        """404 for an unknown model group, 400 for one of the other kind."""
        if model == AUTO:
            if kind is RequestKind.EMBEDDING:
                raise ApiError(
                    400,
                    "`auto` is for chat; name an embedding model",
                    param="model",
                    code="model_not_supported",
                )
            return
        records = self.model_groups().get(model)
        if not records:
            raise ApiError(
                404,
                f"The model `{model}` does not exist; GET /v1/models lists the model groups",
                param="model",
                code="model_not_found",
            )
        if all(r.kind is not kind for r in records):
            raise ApiError(
                400,
                f"The model `{model}` does not serve {kind.value} requests",
                param="model",
                code="model_not_supported",
            )

    # -- chat ------------------------------------------------------------------------------

    async def plan(self, query: Query) -> tuple[list[CapabilityRequirement], dict[str, Any]]:
        """The capabilities to ask for and the metadata that explains the choice."""
        if query.model != AUTO:
            return [], {}
        route: AutoRoute = auto_route(
            await self.classifier.classify_messages(query.messages, query.tenant), self.deployments
        )
        c = route.classification
        meta: dict[str, Any] = {
            "classification": {
                "capability": c.capability,
                "tier": c.tier.value,
                "required_capabilities": [r.model_dump() for r in c.required_capabilities],
                "confidence": round(c.confidence, 4),
                "decided_by": c.decided_by,
                "model_version": c.model_version,
            }
        }
        if route.relaxed:
            meta["routing"] = {"relaxed": route.relaxed}
        return list(route.capabilities), meta

    async def lookup(self, query: Query) -> CacheLookup | None:
        if self.cache is None:
            return None
        return await self.cache.lookup(
            tenant=query.tenant,
            model=query.model,
            kind=query.kind,
            params=query.params,
            messages=query.messages,
            inputs=query.inputs,
            controls=query.cache,
        )

    def request(
        self,
        query: Query,
        capabilities: list[CapabilityRequirement],
        *,
        requester: str,
        timeout_s: float | None = None,
    ) -> InferenceRequested:
        return InferenceRequested(
            tenant=query.tenant,
            deadline=utcnow() + timedelta(seconds=timeout_s or self.timeout_s),
            request_id=query.request_id,
            requester=requester,
            priority=query.priority,
            kind=query.kind,
            model=query.model,
            messages=query.messages,
            input=query.inputs,
            params=query.params,
            capabilities=capabilities,
            stream=query.stream,
        )

    async def complete(
        self,
        query: Query,
        capabilities: list[CapabilityRequirement],
        *,
        timeout_s: float | None = None,
    ) -> InferenceCompleted:
        """Publish the request and wait for its result on this instance's subject."""
        timeout_s = timeout_s or self.timeout_s
        request = self.request(
            query, capabilities, requester=self.replies.token, timeout_s=timeout_s
        )
        waiting = self.replies.expect(request.request_id)
        try:
            await self.bus.publish(request)
            async with asyncio.timeout(timeout_s + 1.0):
                result = await waiting
        except TimeoutError:
            raise ApiError(
                504,
                f"No result within {timeout_s:g} s; the request may still complete",
                code="timeout",
            ) from None
        finally:
            if not waiting.done():
                waiting.cancel()
        if isinstance(result, InferenceCompleted):
            trace.get_current_span().set_attribute("automatrix.deployment", result.deployment)
            return result
        raise failure_error(result.kind, result.message, retryable=result.retryable)

    async def open_stream(
        self, query: Query, capabilities: list[CapabilityRequirement]
    ) -> ChunkStream:
        """Subscribe to the chunks, then publish the request."""
        request = self.request(query, capabilities, requester=self.replies.token)
        stream = await self.replies.open_stream(request.request_id)
        try:
            await self.bus.publish(request)
        except BaseException:
            await self.replies.close_stream(stream)
            raise
        return stream

    def remember(self, found: CacheLookup | None, answer: Answer) -> None:
        """Store the answer in the background; the client does not wait for the cache."""
        if self.cache is None or found is None or not found.controls.store:
            return
        if answer.finish_reason not in ("stop", "length"):
            return
        self.later(self.cache.store(found, answer.to_cache()))

    def later(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` after the response; the client does not wait for it."""
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait for background cache writes (at shutdown)."""
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    # -- embeddings ------------------------------------------------------------------------

    async def embed(
        self,
        texts: list[str],
        *,
        model: str,
        tenant: str,
        priority: Priority = Priority.HIGH,
        timeout_s: float | None = None,
    ) -> InferenceCompleted:
        """Embed ``texts`` with ``model`` through relaycore and inference."""
        query = Query(
            tenant=tenant,
            kind=RequestKind.EMBEDDING,
            model=model,
            priority=priority,
            params=InferenceParams(),
            inputs=texts,
        )
        return await self.complete(query, [], timeout_s=timeout_s)
