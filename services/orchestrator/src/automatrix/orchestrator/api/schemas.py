"""OpenAI-compatible request and response bodies, as the official SDK sends and reads them."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from automatrix.shared.contracts import Priority
from automatrix.shared.contracts.inference_types import (
    MAX_INPUTS,
    MAX_MESSAGES,
    MAX_TEXT_CHARS,
    Role,
)

ModelName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Lenient(BaseModel):
    """Fields the SDK may add that do not change the answer are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")


class TextPart(Lenient):
    """One part of a multi-part message; only text is supported."""

    type: Literal["text"]
    text: str = Field(max_length=MAX_TEXT_CHARS)


class MessageIn(Lenient):
    """A chat message as OpenAI clients send it."""

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPart] | None = None
    name: str | None = Field(default=None, max_length=64)

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text for part in self.content)

    def contract_role(self) -> Role:
        return Role.SYSTEM if self.role == "developer" else Role(self.role)


class StreamOptions(Lenient):
    include_usage: bool = False


class CacheControls(Lenient):
    """Per-request cache controls (also as headers: Cache-Control, x-automatrix-cache-*)."""

    no_cache: bool = Field(default=False, description="Do not answer from the cache.")
    no_store: bool = Field(default=False, description="Do not store this answer.")
    ttl_s: float | None = Field(default=None, gt=0, description="Lifetime of the stored answer.")
    threshold: float | None = Field(
        default=None, ge=0, le=1, description="Similarity a semantic hit needs."
    )


class Extensions(Lenient):
    """AutoMatrix fields beside OpenAI's (the SDK passes them through ``extra_body``)."""

    priority: Priority | None = Field(default=None, description="Queue priority.")
    cache: CacheControls | None = Field(default=None, description="Cache controls.")


class ChatCompletionRequest(Extensions):
    """``POST /v1/chat/completions``."""

    model: ModelName = Field(description="A model group from /v1/models, or `auto`.")
    messages: list[MessageIn] = Field(min_length=1, max_length=MAX_MESSAGES)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    max_completion_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    stop: str | list[Annotated[str, StringConstraints(min_length=1, max_length=256)]] | None = (
        Field(default=None)
    )
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    n: int | None = Field(default=None, ge=1, le=1, description="Only 1 is supported.")
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = Field(default=None, max_length=256)
    tools: list[dict[str, Any]] | None = Field(default=None, max_length=0)
    functions: list[dict[str, Any]] | None = Field(default=None, max_length=0)

    @field_validator("stop")
    @classmethod
    def _bounded_stop(cls, value: str | list[str] | None) -> str | list[str] | None:
        if isinstance(value, list) and len(value) > 8:
            raise ValueError("at most 8 stop sequences")
        return value

    def stop_list(self) -> list[str]:
        if self.stop is None:
            return []
        return [self.stop] if isinstance(self.stop, str) else list(self.stop)


class EmbeddingRequest(Extensions):
    """``POST /v1/embeddings``; token-id inputs are not supported."""

    model: ModelName
    input: str | list[Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]] = Field(
        description="Text or texts to embed."
    )
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = Field(default=None, ge=1, le=4096)
    user: str | None = Field(default=None, max_length=256)

    @field_validator("input")
    @classmethod
    def _bounded_input(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list) and not 1 <= len(value) <= MAX_INPUTS:
            raise ValueError(f"between 1 and {MAX_INPUTS} inputs")
        return value

    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)


# -- responses -----------------------------------------------------------------------------


class UsageOut(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class MessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: MessageOut
    finish_reason: str | None
    logprobs: None = None


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int = Field(default_factory=lambda: int(time.time()))
    model: str
    choices: list[Choice]
    usage: UsageOut
    automatrix: dict[str, Any] = Field(default_factory=dict)


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: str | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: UsageOut | None = None


class EmbeddingItem(BaseModel):
    object: Literal["embedding"] = "embedding"
    index: int
    embedding: list[float] | str


class EmbeddingUsage(BaseModel):
    prompt_tokens: int
    total_tokens: int


class EmbeddingResponse(BaseModel):
    object: Literal["list"] = "list"
    data: list[EmbeddingItem]
    model: str
    usage: EmbeddingUsage


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "automatrix"
    kind: str | None = None
    deployments: list[str] = Field(default_factory=list)


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class ErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody
