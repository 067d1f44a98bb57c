"""Serve a deployment through litellm: chat, streamed chat and embeddings, errors classified."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from automatrix.inference.deployments import Backend, Deployment
from automatrix.inference.providers._litellm import litellm
from automatrix.inference.providers.base import (
    EmbeddingResult,
    ProviderChunk,
    ProviderError,
    ProviderResult,
)
from automatrix.inference.providers.errors import map_exception
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.inference import (
    ErrorKind,
    FinishReason,
    InferenceRequested,
    Usage,
)

# Sent to an ``api_base`` deployment that names no key variable, so litellm never falls back
# to OPENAI_API_KEY (or another provider key) and hands it to a third-party server.
NO_KEY = "no-key"
# litellm's own timeout applies per read; this outer bound, slightly later, caps the whole call.
GUARD_S = 0.5

_FINISH_REASONS = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
    "content_filter": FinishReason.CONTENT_FILTER,
}


class LiteLLMProvider:
    """One litellm deployment; key, base URL and timeout are passed on every call."""

    def __init__(self, deployment: Deployment, *, environ: Mapping[str, str] | None = None) -> None:
        if deployment.backend is not Backend.LITELLM:
            raise ValueError(f"deployment {deployment.name!r} is not a litellm deployment")
        self.deployment = deployment
        self._environ = environ

    async def complete(self, request: InferenceRequested) -> ProviderResult:
        """Run a chat completion to the end."""
        kwargs, key = self._chat_kwargs(request)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(kwargs["timeout"] + GUARD_S):
                response: Any = await litellm.acompletion(**kwargs)
        except Exception as exc:
            raise self._error(exc, key, timeout=kwargs["timeout"]) from exc
        latency_ms = (time.perf_counter() - started) * 1000
        choice = response.choices[0]
        usage = _usage(getattr(response, "usage", None))
        return ProviderResult(
            text=choice.message.content or "",
            finish_reason=_finish_reason(choice.finish_reason),
            usage=usage,
            model=response.model or self.deployment.model,
            latency_ms=latency_ms,
            cost_usd=self.deployment.cost(usage),
        )

    async def stream(self, request: InferenceRequested) -> AsyncIterator[ProviderChunk]:
        """Yield text deltas as they arrive, then one last chunk with finish_reason and usage."""
        kwargs, key = self._chat_kwargs(request)
        kwargs.update(stream=True, stream_options={"include_usage": True})
        parts: list[str] = []
        finish: str | None = None
        usage: Usage | None = None
        model: str | None = None
        response: Any = None
        try:
            response = await litellm.acompletion(**kwargs)
            async for chunk in response:
                model = getattr(chunk, "model", None) or model
                if (raw := getattr(chunk, "usage", None)) is not None:
                    usage = _usage(raw)
                for choice in chunk.choices or ():
                    finish = choice.finish_reason or finish
                    if delta := getattr(choice.delta, "content", None):
                        parts.append(delta)
                        yield ProviderChunk(delta=delta, model=model)
                if request.expired():
                    raise ProviderError(ErrorKind.DEADLINE_EXCEEDED, "deadline passed mid-stream")
        except Exception as exc:
            raise self._error(exc, key, timeout=kwargs["timeout"]) from exc
        finally:
            if response is not None:
                await response.aclose()
        if usage is None:
            usage = self._count_usage(kwargs["messages"], "".join(parts))
        yield ProviderChunk(
            finish_reason=_finish_reason(finish),
            usage=usage,
            model=model or self.deployment.model,
            cost_usd=self.deployment.cost(usage),
        )

    async def embed(
        self, texts: Sequence[str], *, dimensions: int | None = None
    ) -> EmbeddingResult:
        """Embed each text, in order."""
        credentials, key = self._credentials()
        kwargs: dict[str, Any] = {
            "model": self.deployment.model,
            "input": list(texts),
            "timeout": self.deployment.timeout_s,
            "max_retries": self.deployment.max_retries,
            **credentials,
        }
        if dimensions is not None:
            # litellm refuses ``dimensions`` for OpenAI models it does not know to support it;
            # the caller asked for it, so let the upstream decide.
            kwargs.update(dimensions=dimensions, allowed_openai_params=["dimensions"])
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.deployment.timeout_s + GUARD_S):
                response: Any = await litellm.aembedding(**kwargs)
        except Exception as exc:
            raise self._error(exc, key, timeout=self.deployment.timeout_s) from exc
        latency_ms = (time.perf_counter() - started) * 1000
        items = sorted(response.data, key=lambda item: _field(item, "index") or 0)
        vectors = [[float(x) for x in _field(item, "embedding")] for item in items]
        usage = _usage(getattr(response, "usage", None))
        return EmbeddingResult(
            vectors=vectors,
            usage=usage,
            model=response.model or self.deployment.model,
            latency_ms=latency_ms,
            cost_usd=self.deployment.cost(usage),
        )

    def _chat_kwargs(self, request: InferenceRequested) -> tuple[dict[str, Any], str | None]:
        credentials, key = self._credentials()
        params = request.params
        optional = {
            "temperature": params.temperature,
            "top_p": params.top_p,
            "max_tokens": params.max_tokens,
            "seed": params.seed,
            "presence_penalty": params.presence_penalty,
            "frequency_penalty": params.frequency_penalty,
            "stop": list(params.stop) or None,
        }
        kwargs: dict[str, Any] = {
            "model": self.deployment.model,
            "messages": [m.model_dump(mode="json", exclude_none=True) for m in request.messages],
            "timeout": self._timeout(request),
            "max_retries": self.deployment.max_retries,
            "drop_params": True,
            **credentials,
            **{name: value for name, value in optional.items() if value is not None},
        }
        return kwargs, key

    def _credentials(self) -> tuple[dict[str, str], str | None]:
        deployment = self.deployment
        credentials: dict[str, str] = {}
        if deployment.api_base:
            credentials["api_base"] = deployment.api_base
        key = deployment.api_key(self._environ)
        if deployment.api_key_env and key is None:
            raise ProviderError(
                ErrorKind.AUTH,
                f"environment variable {deployment.api_key_env} (the API key of deployment "
                f"{deployment.name!r}) is not set",
                retryable=False,
            )
        if key is not None:
            credentials["api_key"] = key
        elif deployment.api_base:
            credentials["api_key"] = NO_KEY
        return credentials, key

    def _timeout(self, request: InferenceRequested) -> float:
        if request.deadline is None:
            return self.deployment.timeout_s
        remaining = (request.deadline - utcnow()).total_seconds()
        if remaining <= 0:
            raise ProviderError(
                ErrorKind.DEADLINE_EXCEEDED, "deadline passed before the call", retryable=False
            )
        return min(self.deployment.timeout_s, remaining)

    def _error(self, exc: Exception, key: str | None, *, timeout: float) -> ProviderError:
        error = map_exception(exc)
        kind, retryable, message = error.kind, error.retryable, error.message
        if isinstance(exc, TimeoutError):
            message = f"deployment {self.deployment.name!r}: no answer within {timeout:g} s"
        if kind is ErrorKind.TIMEOUT and timeout < self.deployment.timeout_s:
            kind, retryable = ErrorKind.DEADLINE_EXCEEDED, False
        if key:
            message = message.replace(key, "***")
        if (kind, retryable, message) == (error.kind, error.retryable, error.message):
            return error
        return ProviderError(
            kind,
            message,
            retryable=retryable,
            retry_after_s=error.retry_after_s,
            status=error.status,
        )

    def _count_usage(self, messages: list[dict[str, Any]], text: str) -> Usage:
        model = self.deployment.model
        prompt = int(litellm.token_counter(model=model, messages=messages))
        completion = int(litellm.token_counter(model=model, text=text, count_response_tokens=True))
        return Usage(
            input_tokens=prompt, output_tokens=completion, total_tokens=prompt + completion
        )


def _usage(raw: Any) -> Usage:
    prompt = int(_field(raw, "prompt_tokens") or 0)
    completion = int(_field(raw, "completion_tokens") or 0)
    total = int(_field(raw, "total_tokens") or 0)
    return Usage(
        input_tokens=prompt,
        output_tokens=completion,
        total_tokens=max(total, prompt + completion),
    )


def _field(item: Any, name: str) -> Any:
    if item is None:
        return None
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _finish_reason(raw: str | None) -> FinishReason:
    return _FINISH_REASONS.get(raw or "stop", FinishReason.STOP)
