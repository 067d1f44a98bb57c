"""Value types inside inference events: priorities, error kinds, messages, parameters, usage."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, FiniteFloat, StringConstraints, model_validator

from automatrix.shared.contracts.base import Contract, SubjectToken

MAX_TEXT_CHARS = 1_000_000
MAX_MESSAGES = 1024
MAX_INPUTS = 2048
MAX_EMBEDDING_DIMS = 16_384
MODEL_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,127}$"

StopSequence = Annotated[str, StringConstraints(min_length=1, max_length=256)]
InputText = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]
Vector = Annotated[list[FiniteFloat], Field(min_length=1, max_length=MAX_EMBEDDING_DIMS)]


class Priority(StrEnum):
    """Request priority; relaycore serves higher levels first."""

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most urgent level, increasing towards ``low``."""
        return list(Priority).index(self)


class RequestKind(StrEnum):
    """What a request asks for."""

    CHAT = "chat"
    EMBEDDING = "embedding"


class Role(StrEnum):
    """Author of a chat message."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


class FinishReason(StrEnum):
    """Why generation stopped."""

    STOP = "stop"
    LENGTH = "length"
    TOOL_CALLS = "tool_calls"
    CONTENT_FILTER = "content_filter"


class ErrorKind(StrEnum):
    """Classified cause of a failed inference attempt."""

    RATE_LIMITED = "rate_limited"
    TIMEOUT = "timeout"
    AUTH = "auth"
    BAD_REQUEST = "bad_request"
    UNAVAILABLE = "unavailable"
    CONTEXT_LENGTH = "context_length"
    DEADLINE_EXCEEDED = "deadline_exceeded"
    NO_CAPACITY = "no_capacity"
    INTERNAL = "internal"

    @property
    def transient(self) -> bool:
        """True when the same request may succeed on retry or on another deployment."""
        return self in _TRANSIENT_ERRORS


_TRANSIENT_ERRORS = frozenset(
    {ErrorKind.RATE_LIMITED, ErrorKind.TIMEOUT, ErrorKind.UNAVAILABLE, ErrorKind.NO_CAPACITY}
)


class ChatMessage(Contract):
    """One message of a chat conversation."""

    role: Role = Field(description="Author of the message.")
    content: str = Field(max_length=MAX_TEXT_CHARS, description="Message text.")
    name: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Optional participant or tool name.",
    )


class InferenceParams(Contract):
    """Sampling parameters; ``None`` leaves the provider's default."""

    temperature: float | None = Field(default=None, ge=0, le=2, description="Sampling temperature.")
    top_p: float | None = Field(default=None, ge=0, le=1, description="Nucleus sampling mass.")
    max_tokens: int | None = Field(
        default=None, ge=1, le=1_000_000, description="Upper bound on generated tokens."
    )
    stop: list[StopSequence] = Field(
        default_factory=list, max_length=8, description="Sequences that end generation."
    )
    seed: int | None = Field(
        default=None, ge=0, le=2**63 - 1, description="Seed for reproducible sampling."
    )
    presence_penalty: float | None = Field(
        default=None, ge=-2, le=2, description="Penalty for tokens already present."
    )
    frequency_penalty: float | None = Field(
        default=None, ge=-2, le=2, description="Penalty proportional to token frequency."
    )
    dimensions: int | None = Field(
        default=None,
        ge=1,
        le=MAX_EMBEDDING_DIMS,
        description="Embedding size, for models that can shorten their vectors.",
    )


class CapabilityRequirement(Contract):
    """A capability a deployment must have, at a minimum proficiency."""

    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_.:-]{0,63}$", description="Capability name, e.g. ``code``."
    )
    min_proficiency: float = Field(
        default=0.0, ge=0, le=1, description="Lowest acceptable proficiency, 0 to 1."
    )


class Usage(Contract):
    """Token accounting of one request."""

    input_tokens: int = Field(ge=0, description="Tokens in the prompt or inputs.")
    output_tokens: int = Field(ge=0, description="Tokens generated.")
    total_tokens: int = Field(ge=0, description="Tokens billed in all.")

    @model_validator(mode="after")
    def _total_covers_parts(self) -> Self:
        if self.total_tokens < self.input_tokens + self.output_tokens:
            raise ValueError("total_tokens is less than input_tokens + output_tokens")
        return self


class FailedAttempt(Contract):
    """One unsuccessful attempt at serving a request."""

    deployment: SubjectToken = Field(description="Deployment that was tried.")
    kind: ErrorKind = Field(description="Classified cause of the failure.")
    message: str = Field(max_length=2048, description="Error detail, safe to show to the caller.")
