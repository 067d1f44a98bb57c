"""Serve dispatched work: one durable consumer per deployment, capped at its concurrency."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

from automatrix.inference import genai, metrics
from automatrix.inference.deployments import Deployment
from automatrix.inference.providers import (
    EmbeddingResult,
    Provider,
    ProviderError,
    ProviderResult,
)
from automatrix.shared.bus import Bus, ConsumerSpec, Delivery
from automatrix.shared.bus.tracing import calling
from automatrix.shared.contracts import (
    DISPATCH,
    ErrorKind,
    FailedAttempt,
    InferenceCompleted,
    InferenceDispatched,
    InferenceFailed,
    InferenceRequested,
    Outcome,
    RequestKind,
    StreamChunk,
    TelemetryEvent,
    TelemetryKind,
    Usage,
)
from automatrix.shared.contracts.base import utcnow

log = logging.getLogger(__name__)

SERVICE = "inference"


def durable_for(deployment: str) -> str:
    """The consumer every replica serving ``deployment`` shares."""
    return f"inference-{deployment}"


def _ms_since(start: datetime | float) -> float:
    if isinstance(start, float):
        return max(0.0, (time.perf_counter() - start) * 1000)
    return max(0.0, (utcnow() - start).total_seconds() * 1000)


class DispatchServer:
    """Runs each dispatched attempt on its deployment and publishes what came of it."""

    def __init__(
        self,
        bus: Bus,
        served: dict[str, tuple[Deployment, Provider]],
        *,
        instance: str,
        capture_content: bool | None = None,
    ) -> None:
        self.bus = bus
        self.served = served
        self.instance = instance
        self.capture_content = (
            genai.capture_content() if capture_content is None else capture_content
        )

    def subscribe(self) -> None:
        """One consumer per deployment; its fetch batch is the deployment's concurrency cap."""
        for name, (deployment, _) in self.served.items():
            self.bus.subscribe(
                ConsumerSpec.on(DISPATCH, durable_for(name), deployment=name),
                InferenceDispatched,
                self.handle,
                batch=deployment.concurrency,
            )

    async def handle(self, event: InferenceDispatched, _: Delivery) -> None:
        """Serve one attempt; a classified failure is a result too, never a redelivery."""
        request = event.request
        queue_ms = _ms_since(event.timestamp)
        served = self.served.get(event.deployment)
        if served is None:
            error = ProviderError(ErrorKind.UNAVAILABLE, "deployment not served here")
            await self._fail(event, error)
            return
        deployment, provider = served
        if event.expired():
            await self._fail(
                event,
                ProviderError(
                    ErrorKind.DEADLINE_EXCEEDED, "deadline passed before the work started"
                ),
                queue_ms=queue_ms,
            )
            return
        started = time.perf_counter()
        try:
            # Bounded by the request's deadline, else by the deployment's own timeout.
            async with asyncio.timeout_at(self._loop_deadline(event, deployment.timeout_s)):
                result = await self._traced_run(deployment, provider, event)
        except TimeoutError:
            kind = ErrorKind.DEADLINE_EXCEEDED if event.deadline else ErrorKind.TIMEOUT
            error = ProviderError(kind, f"no result within the {kind.value.replace('_', ' ')}")
            await self._fail(event, error, queue_ms=queue_ms, latency_ms=_ms_since(started))
            return
        except ProviderError as exc:
            await self._fail(event, exc, queue_ms=queue_ms, latency_ms=_ms_since(started))
            return
        except Exception as exc:
            # A bug or an unclassified failure: answer once rather than re-run the attempt
            # (and pay for it again) on every redelivery.
            log.exception("%s: attempt for %s failed", event.deployment, request.request_id)
            error = ProviderError(ErrorKind.INTERNAL, f"internal error: {type(exc).__name__}")
            await self._fail(event, error, queue_ms=queue_ms, latency_ms=_ms_since(started))
            return
        latency_ms = _ms_since(started)
        completed = InferenceCompleted(
            tenant=event.tenant,
            request_id=request.request_id,
            requester=request.requester,
            deployment=event.deployment,
            model=result.model,
            output=result.text if isinstance(result, ProviderResult) else None,
            embeddings=result.vectors if isinstance(result, EmbeddingResult) else None,
            finish_reason=result.finish_reason if isinstance(result, ProviderResult) else None,
            usage=result.usage,
            latency_ms=latency_ms,
        )
        await self.bus.publish(completed)
        await self._telemetry(
            event,
            Outcome.SUCCESS,
            queue_ms=queue_ms,
            latency_ms=latency_ms,
            usage=result.usage,
            model=result.model,
            model_version=result.model_version,
            cost_usd=result.cost_usd,
        )

    @staticmethod
    def _loop_deadline(event: InferenceDispatched, fallback_s: float) -> float:
        """The request's deadline on the event loop's clock, or ``fallback_s`` from now."""
        remaining = (
            fallback_s if event.deadline is None else (event.deadline - utcnow()).total_seconds()
        )
        return asyncio.get_running_loop().time() + max(0.0, remaining)

    async def _traced_run(
        self, deployment: Deployment, provider: Provider, event: InferenceDispatched
    ) -> ProviderResult | EmbeddingResult:
        """The provider call under a GenAI CLIENT span (content only when capture is on)."""
        request, capture = event.request, self.capture_content
        attributes = genai.request_attributes(deployment, request, capture=capture)
        with calling(genai.span_name(deployment, request), attributes) as span:
            try:
                result = await self._run(provider, event)
            except BaseException as exc:
                if span is not None:
                    kind = exc.kind.value if isinstance(exc, ProviderError) else None
                    span.set_attribute("error.type", kind or type(exc).__name__)
                raise
            if span is not None:
                span.set_attributes(genai.result_attributes(result, capture=capture))
            return result

    async def _run(
        self, provider: Provider, event: InferenceDispatched
    ) -> ProviderResult | EmbeddingResult:
        request = event.request
        if request.kind is RequestKind.EMBEDDING:
            return await provider.embed(request.input)
        if not request.stream:
            return await provider.complete(request)
        return await self._stream(provider, request)

    async def _stream(self, provider: Provider, request: InferenceRequested) -> ProviderResult:
        """Relay chunks as they come; the last chunk carries finish reason and usage."""
        parts: list[str] = []
        started = time.perf_counter()
        index = 0
        async for chunk in provider.stream(request):
            parts.append(chunk.delta)
            if chunk.delta or chunk.last:
                await self.bus.publish(
                    StreamChunk(
                        tenant=request.tenant,
                        request_id=request.request_id,
                        index=index,
                        delta=chunk.delta,
                        finish_reason=chunk.finish_reason,
                        usage=chunk.usage if chunk.last else None,
                    )
                )
                index += 1
            if chunk.last:
                if chunk.finish_reason is None or chunk.usage is None:
                    break
                return ProviderResult(
                    text="".join(parts),
                    finish_reason=chunk.finish_reason,
                    usage=chunk.usage,
                    model=chunk.model or request.model,
                    latency_ms=_ms_since(started),
                    cost_usd=chunk.cost_usd or 0.0,
                )
        raise ProviderError(ErrorKind.INTERNAL, "stream ended without a finish reason and usage")

    async def _fail(
        self,
        event: InferenceDispatched,
        error: ProviderError,
        *,
        queue_ms: float | None = None,
        latency_ms: float | None = None,
    ) -> None:
        request = event.request
        failed = InferenceFailed(
            tenant=event.tenant,
            request_id=request.request_id,
            requester=event.report_failure_to or request.requester,
            kind=error.kind,
            message=error.message[:2048],
            retryable=error.retryable,
            attempts=[
                FailedAttempt(
                    deployment=event.deployment, kind=error.kind, message=error.message[:2048]
                )
            ],
        )
        await self.bus.publish(failed)
        outcome = Outcome.TIMEOUT if error.kind is ErrorKind.TIMEOUT else Outcome.ERROR
        await self._telemetry(
            event, outcome, queue_ms=queue_ms, latency_ms=latency_ms, error_kind=error.kind
        )

    async def _telemetry(
        self,
        event: InferenceDispatched,
        outcome: Outcome,
        *,
        queue_ms: float | None,
        latency_ms: float | None,
        usage: Usage | None = None,
        model: str | None = None,
        model_version: int | None = None,
        cost_usd: float | None = None,
        error_kind: ErrorKind | None = None,
    ) -> None:
        metrics.record_attempt(event.deployment, outcome, error_kind, latency_ms, usage)
        await self.bus.publish(
            TelemetryEvent(
                tenant=event.tenant,
                service=SERVICE,
                kind=TelemetryKind.REQUEST,
                instance=self.instance,
                request_id=event.request_id,
                deployment=event.deployment,
                model=model,
                model_version=model_version,
                attempt=event.attempt,
                outcome=outcome,
                error_kind=error_kind,
                latency_ms=latency_ms,
                queue_ms=queue_ms,
                input_tokens=usage.input_tokens if usage else None,
                output_tokens=usage.output_tokens if usage else None,
                cost_usd=cost_usd,
            )
        )
