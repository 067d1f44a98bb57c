"""Embedding on request-reply: a short text embedded at once, for the gateway's cache.

The semantic cache embeds the query of every cache lookup; that has to take a few
milliseconds, not a queue, a routing decision and Triton's Python-backend proxy. The
inference service answers these on core NATS (a queue group per model group) with the same
encoder session it serves through Triton. Not persisted: a caller that gets no answer in
time simply skips the semantic lookup.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from automatrix.shared.contracts.base import Contract, Event, SubjectToken
from automatrix.shared.contracts.inference_types import InputText, Usage, Vector
from automatrix.shared.contracts.subject import Subject

EMBED = Subject(
    "ai.v1.embed.{model}",
    stream=None,
    description="Request-reply: embed a few short texts now with a local model (core NATS).",
)

MAX_DIRECT_INPUTS = 16


class EmbedRequested(Event):
    """Texts to embed at once; the reply is an ``EmbedReply`` on the request's inbox."""

    SUBJECT: ClassVar[Subject] = EMBED
    EVENT_TYPE: ClassVar[str] = "inference.embed_requested"

    model: SubjectToken = Field(description="Model group of a local embedding deployment.")
    input: list[InputText] = Field(
        min_length=1, max_length=MAX_DIRECT_INPUTS, description="Texts to embed, in order."
    )

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {"model": "minilm-embed", "input": ["what is the capital of France"]}


class EmbedReply(Contract):
    """The vectors, or why there are none."""

    deployment: str = Field(default="", description="Deployment that answered.")
    embeddings: list[Vector] = Field(default_factory=list, description="One vector per input.")
    usage: Usage | None = Field(default=None, description="Token accounting.")
    error: str | None = Field(default=None, max_length=2048, description="Why it failed.")
