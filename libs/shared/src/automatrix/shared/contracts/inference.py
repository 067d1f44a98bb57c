"""Inference events: requests, dispatches to deployments, results and token streams."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import Field, FiniteFloat, TypeAdapter, model_validator

from automatrix.shared.contracts.base import Deadlined, Event, SubjectToken
from automatrix.shared.contracts.inference_types import (
    MAX_INPUTS,
    MAX_MESSAGES,
    MAX_TEXT_CHARS,
    MODEL_PATTERN,
    CapabilityRequirement,
    ChatMessage,
    ErrorKind,
    FailedAttempt,
    FinishReason,
    InferenceParams,
    InputText,
    Priority,
    RequestKind,
    Role,
    Usage,
    Vector,
)
from automatrix.shared.contracts.subject import Subject

__all__ = [
    "DISPATCH",
    "REQUESTS",
    "RESULTS",
    "STREAM",
    "CapabilityRequirement",
    "ChatMessage",
    "ErrorKind",
    "FailedAttempt",
    "FinishReason",
    "InferenceCompleted",
    "InferenceDispatched",
    "InferenceFailed",
    "InferenceParams",
    "InferenceRequested",
    "Priority",
    "RequestKind",
    "Role",
    "StreamChunk",
    "Usage",
    "parse_result",
]

REQUESTS = Subject(
    "ai.v1.requests.{priority}",
    stream="AI_REQUESTS",
    description="Inference requests, one subject per priority level (work queue).",
)
DISPATCH = Subject(
    "ai.v1.dispatch.{deployment}",
    stream="AI_DISPATCH",
    description="Requests routed to one deployment; its workers share a queue group.",
)
RESULTS = Subject(
    "ai.v1.results.{requester}",
    stream="AI_RESULTS",
    description="Final outcome of a request, delivered to the requester it names.",
)
STREAM = Subject(
    "ai.v1.stream.{request_id}",
    stream=None,
    description="Token chunks of a streaming request (core NATS, not persisted).",
)


class InferenceRequested(Deadlined):
    """A request for a chat completion or embeddings, published by any requester."""

    SUBJECT: ClassVar[Subject] = REQUESTS
    EVENT_TYPE: ClassVar[str] = "inference.requested"

    request_id: SubjectToken = Field(description="Id of the request, stable across retries.")
    requester: SubjectToken = Field(
        description="Subject token the result is published to (``ai.v1.results.<requester>``)."
    )
    priority: Priority = Field(default=Priority.NORMAL, description="Queue priority.")
    kind: RequestKind = Field(default=RequestKind.CHAT, description="Chat or embedding.")
    model: str = Field(
        default="auto",
        pattern=MODEL_PATTERN,
        description="Model group to serve the request, or ``auto`` to let the router choose.",
    )
    messages: list[ChatMessage] = Field(
        default_factory=list, max_length=MAX_MESSAGES, description="Conversation, for chat."
    )
    input: list[InputText] = Field(
        default_factory=list,
        max_length=MAX_INPUTS,
        description="Texts to embed, for embedding requests.",
    )
    params: InferenceParams = Field(
        default_factory=InferenceParams, description="Sampling parameters."
    )
    capabilities: list[CapabilityRequirement] = Field(
        default_factory=list, max_length=32, description="Capabilities the deployment must have."
    )
    stream: bool = Field(
        default=False, description="Publish token chunks on ``ai.v1.stream.<request_id>``."
    )

    @model_validator(mode="after")
    def _payload_matches_kind(self) -> Self:
        if self.kind is RequestKind.CHAT and (not self.messages or self.input):
            raise ValueError("a chat request needs messages and no input")
        if self.kind is RequestKind.EMBEDDING and (self.messages or not self.input or self.stream):
            raise ValueError("an embedding request needs input, no messages, and no stream")
        return self

    @property
    def reply_subject(self) -> str:
        """Where the result of this request is published."""
        return RESULTS.format(requester=self.requester)

    @property
    def stream_subject(self) -> str:
        """Where token chunks of this request are published when streaming."""
        return STREAM.format(request_id=self.request_id)

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "request_id": "req-7f3a9c2e",
            "requester": "orchestrator-a1",
            "priority": Priority.HIGH,
            "model": "auto",
            "messages": [
                {"role": "system", "content": "You are a concise assistant."},
                {"role": "user", "content": "Summarise event sourcing in one sentence."},
            ],
            "params": {"temperature": 0.2, "max_tokens": 256},
            "capabilities": [{"name": "reasoning", "min_proficiency": 0.6}],
        }


class InferenceDispatched(Deadlined):
    """A request routed by relaycore to one deployment, for one attempt."""

    SUBJECT: ClassVar[Subject] = DISPATCH
    EVENT_TYPE: ClassVar[str] = "inference.dispatched"

    request_id: SubjectToken = Field(description="Id of the request being served.")
    deployment: SubjectToken = Field(description="Deployment chosen to serve this attempt.")
    attempt: int = Field(default=1, ge=1, le=16, description="Attempt number, from 1.")
    request: InferenceRequested = Field(description="The original request, unchanged.")
    report_failure_to: SubjectToken | None = Field(
        default=None,
        description=(
            "Requester token that receives this attempt's failure instead of the original "
            "requester, so the router can retry or fall back; unset: a failure is final."
        ),
    )

    @model_validator(mode="after")
    def _matches_request(self) -> Self:
        if self.request_id != self.request.request_id or self.tenant != self.request.tenant:
            raise ValueError("request_id and tenant must match the embedded request")
        return self

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        request = InferenceRequested.example()
        return {
            "request_id": request.request_id,
            "deployment": "gpt-4o-mini-openai",
            "request": request,
        }


class InferenceCompleted(Event):
    """The successful result of a request, delivered to its requester."""

    SUBJECT: ClassVar[Subject] = RESULTS
    EVENT_TYPE: ClassVar[str] = "inference.completed"

    request_id: SubjectToken = Field(description="Id of the request.")
    requester: SubjectToken = Field(description="Requester the result is addressed to.")
    deployment: SubjectToken = Field(description="Deployment that served the request.")
    model: str = Field(
        pattern=MODEL_PATTERN, description="Concrete model that produced the output."
    )
    output: str | None = Field(
        default=None, max_length=MAX_TEXT_CHARS, description="Generated text, for chat."
    )
    embeddings: list[Vector] | None = Field(
        default=None, max_length=MAX_INPUTS, description="One vector per input, for embeddings."
    )
    finish_reason: FinishReason | None = Field(
        default=None, description="Why generation stopped (chat only)."
    )
    usage: Usage = Field(description="Token accounting.")
    latency_ms: FiniteFloat = Field(ge=0, description="Time from dispatch to result, in ms.")

    @model_validator(mode="after")
    def _one_output(self) -> Self:
        if (self.output is None) == (self.embeddings is None):
            raise ValueError("exactly one of output and embeddings must be set")
        return self

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "request_id": "req-7f3a9c2e",
            "requester": "orchestrator-a1",
            "deployment": "gpt-4o-mini-openai",
            "model": "gpt-4o-mini",
            "output": "Event sourcing stores every change as an immutable event.",
            "finish_reason": FinishReason.STOP,
            "usage": {"input_tokens": 24, "output_tokens": 12, "total_tokens": 36},
            "latency_ms": 412.5,
        }


class InferenceFailed(Event):
    """The final failure of a request after retries and fallbacks."""

    SUBJECT: ClassVar[Subject] = RESULTS
    EVENT_TYPE: ClassVar[str] = "inference.failed"

    request_id: SubjectToken = Field(description="Id of the request.")
    requester: SubjectToken = Field(description="Requester the result is addressed to.")
    kind: ErrorKind = Field(description="Classified cause of the final failure.")
    message: str = Field(max_length=2048, description="Error detail, safe to show to the caller.")
    retryable: bool = Field(description="Whether resubmitting the same request later may succeed.")
    attempts: list[FailedAttempt] = Field(
        default_factory=list, max_length=16, description="Every attempt made, in order."
    )

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "request_id": "req-7f3a9c2e",
            "requester": "orchestrator-a1",
            "kind": ErrorKind.UNAVAILABLE,
            "message": "no deployment could serve the request",
            "retryable": True,
            "attempts": [
                {"deployment": "gpt-4o-mini-openai", "kind": "rate_limited", "message": "429"},
                {"deployment": "llama3-local", "kind": "unavailable", "message": "breaker open"},
            ],
        }


class StreamChunk(Event):
    """One increment of a streamed completion; the last one carries finish_reason."""

    SUBJECT: ClassVar[Subject] = STREAM
    EVENT_TYPE: ClassVar[str] = "inference.chunk"

    request_id: SubjectToken = Field(description="Id of the request being streamed.")
    index: int = Field(ge=0, le=10_000_000, description="Position of this chunk, from 0.")
    delta: str = Field(default="", max_length=65_536, description="Text added by this chunk.")
    finish_reason: FinishReason | None = Field(
        default=None, description="Set on the last chunk only."
    )
    usage: Usage | None = Field(default=None, description="Token accounting, on the last chunk.")

    @model_validator(mode="after")
    def _usage_only_on_last(self) -> Self:
        if self.usage is not None and self.finish_reason is None:
            raise ValueError("usage is only sent on the last chunk (with finish_reason)")
        return self

    @property
    def last(self) -> bool:
        """True for the chunk that ends the stream."""
        return self.finish_reason is not None

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {"request_id": "req-7f3a9c2e", "index": 3, "delta": " immutable"}


_RESULT: TypeAdapter[InferenceCompleted | InferenceFailed] = TypeAdapter(
    InferenceCompleted | InferenceFailed
)


def parse_result(data: bytes | str) -> InferenceCompleted | InferenceFailed:
    """Validate a message from ``ai.v1.results.<requester>`` into whichever result it is."""
    return _RESULT.validate_json(data)
