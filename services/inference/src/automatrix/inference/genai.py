"""OpenTelemetry GenAI semantic-convention attributes of one model call.

Message content (prompts and completions) is personal data more often than not, so it is
recorded only when the operator opts in with
``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true``, the switch OpenTelemetry's
GenAI instrumentations use; token counts, models and finish reasons are always recorded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from automatrix.inference.deployments import Backend, Deployment
from automatrix.inference.providers import EmbeddingResult, ProviderResult
from automatrix.shared.contracts import InferenceRequested, RequestKind

CAPTURE_CONTENT_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
LOCAL_PROVIDER = "triton"

AttributeValue = str | bool | int | float | list[str]


def capture_content(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the operator turned message capture on (off unless set to true)."""
    value = (os.environ if environ is None else environ).get(CAPTURE_CONTENT_ENV, "")
    return value.strip().lower() in ("true", "1", "yes", "on")


def provider_name(deployment: Deployment) -> str:
    """``gen_ai.provider.name``: litellm's provider prefix, or ``triton`` for local models."""
    if deployment.backend is Backend.LOCAL:
        return LOCAL_PROVIDER
    return deployment.model.strip("/").split("/", 1)[0]


def request_model(deployment: Deployment) -> str:
    """The model name the provider is asked for (litellm's prefix removed)."""
    if deployment.backend is Backend.LOCAL:
        return deployment.model
    return deployment.model.strip("/").split("/", 1)[-1]


def operation_name(request: InferenceRequested) -> str:
    return "embeddings" if request.kind is RequestKind.EMBEDDING else "chat"


def span_name(deployment: Deployment, request: InferenceRequested) -> str:
    """``{gen_ai.operation.name} {gen_ai.request.model}``, as the conventions name it."""
    return f"{operation_name(request)} {request_model(deployment)}"


def request_attributes(
    deployment: Deployment, request: InferenceRequested, *, capture: bool
) -> dict[str, AttributeValue]:
    """What is known before the call: operation, provider, model, parameters."""
    provider = provider_name(deployment)
    attributes: dict[str, AttributeValue] = {
        "gen_ai.operation.name": operation_name(request),
        "gen_ai.provider.name": provider,
        "gen_ai.system": provider,  # the name before semantic conventions 1.37
        "gen_ai.request.model": request_model(deployment),
        "automatrix.deployment": deployment.name,
        "automatrix.model_group": request.model,
        "automatrix.request_id": request.request_id,
    }
    params = request.params
    optional: dict[str, float | int | None] = {
        "gen_ai.request.max_tokens": params.max_tokens,
        "gen_ai.request.temperature": params.temperature,
        "gen_ai.request.top_p": params.top_p,
        "gen_ai.request.seed": params.seed,
        "gen_ai.request.presence_penalty": params.presence_penalty,
        "gen_ai.request.frequency_penalty": params.frequency_penalty,
    }
    attributes.update({key: value for key, value in optional.items() if value is not None})
    if params.stop:
        attributes["gen_ai.request.stop_sequences"] = list(params.stop)
    if capture and request.kind is RequestKind.CHAT:
        attributes["gen_ai.input.messages"] = json.dumps(
            [
                {"role": m.role.value, "parts": [{"type": "text", "content": m.content}]}
                for m in request.messages
            ],
            ensure_ascii=False,
        )
    return attributes


def result_attributes(
    result: ProviderResult | EmbeddingResult, *, capture: bool
) -> dict[str, AttributeValue]:
    """What the call returned: model, token usage, finish reason (and output, on opt-in)."""
    attributes: dict[str, AttributeValue] = {
        "gen_ai.response.model": result.model,
        "gen_ai.usage.input_tokens": result.usage.input_tokens,
        "gen_ai.usage.output_tokens": result.usage.output_tokens,
    }
    if isinstance(result, EmbeddingResult):
        if result.vectors:
            attributes["gen_ai.embeddings.dimension.count"] = len(result.vectors[0])
        return attributes
    attributes["gen_ai.response.finish_reasons"] = [result.finish_reason.value]
    if capture:
        attributes["gen_ai.output.messages"] = json.dumps(
            [
                {
                    "role": "assistant",
                    "parts": [{"type": "text", "content": result.text}],
                    "finish_reason": result.finish_reason.value,
                }
            ],
            ensure_ascii=False,
        )
    return attributes
