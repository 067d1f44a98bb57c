"""What every provider returns and raises, independent of the backend behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from automatrix.shared.contracts.inference import (
    ErrorKind,
    FinishReason,
    InferenceRequested,
    Usage,
)

MAX_ERROR_MESSAGE = 2048


@dataclass(frozen=True, slots=True)
class ProviderResult:
    """A finished chat completion."""

    text: str
    finish_reason: FinishReason
    usage: Usage
    model: str
    latency_ms: float
    cost_usd: float
    model_version: int | None = None


@dataclass(frozen=True, slots=True)
class ProviderChunk:
    """One increment of a streamed completion; the last one has finish_reason and usage."""

    delta: str = ""
    finish_reason: FinishReason | None = None
    usage: Usage | None = None
    model: str | None = None
    cost_usd: float | None = None

    @property
    def last(self) -> bool:
        """True for the chunk that ends the stream."""
        return self.finish_reason is not None


@dataclass(frozen=True, slots=True)
class EmbeddingResult:
    """One vector per input text, with token accounting."""

    vectors: list[list[float]]
    usage: Usage
    model: str
    latency_ms: float
    cost_usd: float
    model_version: int | None = None


class ProviderError(Exception):
    """A failed provider call, classified into the contract's error kinds."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        retryable: bool | None = None,
        retry_after_s: float | None = None,
        status: int | None = None,
    ) -> None:
        self.kind = kind
        self.message = message[:MAX_ERROR_MESSAGE]
        self.retryable = kind.transient if retryable is None else retryable
        self.retry_after_s = retry_after_s
        self.status = status
        super().__init__(self.message)

    def __repr__(self) -> str:
        return (
            f"ProviderError(kind={self.kind.value!r}, retryable={self.retryable}, "
            f"retry_after_s={self.retry_after_s}, status={self.status}, message={self.message!r})"
        )


class Provider(Protocol):
    """A backend that serves one deployment: chat, streamed chat and embeddings."""

    async def complete(self, request: InferenceRequested) -> ProviderResult:
        """Run a chat completion to the end."""
        ...

    def stream(self, request: InferenceRequested) -> AsyncIterator[ProviderChunk]:
        """Yield text deltas, then one last chunk with finish_reason and usage."""
        ...

    async def embed(
        self, texts: Sequence[str], *, dimensions: int | None = None
    ) -> EmbeddingResult:
        """Embed each text."""
        ...
