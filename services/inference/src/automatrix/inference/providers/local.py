"""Providers for models served by Triton (embedded or external): local chat and embeddings."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence

import numpy as np

from automatrix.inference.deployments import Deployment
from automatrix.inference.models.minilm import EMBEDDING_OUTPUT, TEXT_INPUT
from automatrix.inference.providers.base import (
    EmbeddingResult,
    ProviderChunk,
    ProviderError,
    ProviderResult,
)
from automatrix.inference.triton.client import TritonClient, TritonError
from automatrix.inference.triton.streaming import stream_generate
from automatrix.shared.contracts import ErrorKind, InferenceRequested, Usage


def _provider_error(exc: TritonError) -> ProviderError:
    return ProviderError(exc.kind, str(exc))


class TritonChatProvider:
    """A chat model streamed from Triton (decoupled), e.g. ``gemma3-270m`` on llama.cpp."""

    def __init__(self, deployment: Deployment, client: TritonClient) -> None:
        self.deployment = deployment
        self.client = client

    async def complete(self, request: InferenceRequested) -> ProviderResult:
        """Run the completion to the end (collected from the model's stream)."""
        started = time.perf_counter()
        parts: list[str] = []
        async for chunk in self.stream(request):
            parts.append(chunk.delta)
            if chunk.last and chunk.finish_reason is not None and chunk.usage is not None:
                return ProviderResult(
                    text="".join(parts),
                    finish_reason=chunk.finish_reason,
                    usage=chunk.usage,
                    model=self.deployment.model,
                    latency_ms=(time.perf_counter() - started) * 1000,
                    cost_usd=self.deployment.cost(chunk.usage),
                )
        raise ProviderError(ErrorKind.INTERNAL, f"{self.deployment.model} gave no final response")

    async def stream(self, request: InferenceRequested) -> AsyncIterator[ProviderChunk]:
        """Yield deltas as the model produces them; the last carries finish reason and usage."""
        try:
            async for chunk in stream_generate(
                self.client.aio(),
                self.deployment.model,
                request.messages,
                request.params,
                request_id=request.request_id,
            ):
                yield ProviderChunk(
                    delta=chunk.delta,
                    finish_reason=chunk.finish_reason,
                    usage=chunk.usage,
                    model=self.deployment.model,
                    cost_usd=self.deployment.cost(chunk.usage) if chunk.usage else None,
                )
        except TritonError as exc:
            raise _provider_error(exc) from exc

    async def embed(
        self, texts: Sequence[str], *, dimensions: int | None = None
    ) -> EmbeddingResult:
        raise ProviderError(ErrorKind.BAD_REQUEST, f"{self.deployment.name} is a chat model")


class TritonEmbeddingProvider:
    """An embedding model on Triton, e.g. ``minilm-embed`` (dynamically batched)."""

    def __init__(self, deployment: Deployment, client: TritonClient) -> None:
        self.deployment = deployment
        self.client = client

    async def complete(self, request: InferenceRequested) -> ProviderResult:
        raise ProviderError(ErrorKind.BAD_REQUEST, f"{self.deployment.name} is an embedding model")

    async def stream(self, request: InferenceRequested) -> AsyncIterator[ProviderChunk]:
        raise ProviderError(ErrorKind.BAD_REQUEST, f"{self.deployment.name} is an embedding model")
        yield  # pragma: no cover - makes this an async generator

    async def embed(
        self, texts: Sequence[str], *, dimensions: int | None = None
    ) -> EmbeddingResult:
        """One request per text, so Triton's dynamic batcher can combine concurrent callers."""
        if dimensions is not None:
            raise ProviderError(ErrorKind.BAD_REQUEST, "minilm-embed has fixed dimensions")
        started = time.perf_counter()
        batch = np.array([[text.encode()] for text in texts], dtype=np.object_)
        try:
            answer = await self.client.infer(
                self.deployment.model, {TEXT_INPUT: batch}, [EMBEDDING_OUTPUT]
            )
        except TritonError as exc:
            raise _provider_error(exc) from exc
        vectors = answer[EMBEDDING_OUTPUT].astype(np.float32).tolist()
        # Token counts are approximate (whitespace words): the tokenizer lives in the model.
        tokens = sum(len(text.split()) for text in texts)
        usage = Usage(input_tokens=tokens, output_tokens=0, total_tokens=tokens)
        return EmbeddingResult(
            vectors=vectors,
            usage=usage,
            model=self.deployment.model,
            latency_ms=(time.perf_counter() - started) * 1000,
            cost_usd=self.deployment.cost(usage),
        )
