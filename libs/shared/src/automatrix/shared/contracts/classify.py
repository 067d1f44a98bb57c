"""Query classification on request-reply, by the router model neuroweaver trains.

The gateway classifies every ``auto`` query before routing it, so this must cost a few
milliseconds: the inference service answers on core NATS (queue group per model) by
embedding the text with MiniLM and running the active version of the classifier (an ONNX
model hot-loaded into Triton on every promotion). The reply names the version that answered,
so a promotion is visible in the very next classification. A caller that gets no answer in
time falls back to its own heuristic.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, FiniteFloat

from automatrix.shared.contracts.base import Contract, Event, SubjectToken
from automatrix.shared.contracts.inference_types import InputText
from automatrix.shared.contracts.subject import Subject

CLASSIFY = Subject(
    "ai.v1.classify.{model}",
    stream=None,
    description="Request-reply: classify short texts with the served router model (core NATS).",
)

ROUTER_MODEL = "query-router"
"""Name of the query classifier/router model in the registry and in Triton."""

CAPABILITY_LABELS = (
    "chat",
    "code",
    "math",
    "reasoning",
    "summarization",
    "translation",
    "extraction",
)
"""Order of the router model's ``capability_probs`` output columns."""

TIER_LABELS = ("fast", "medium", "heavy")
"""Order of the router model's ``tier_probs`` output columns."""

MAX_CLASSIFY_INPUTS = 16


class ClassifyRequested(Event):
    """Texts to classify now; the reply is a ``ClassifyReply`` on the request's inbox."""

    SUBJECT: ClassVar[Subject] = CLASSIFY
    EVENT_TYPE: ClassVar[str] = "inference.classify_requested"

    model: SubjectToken = Field(default=ROUTER_MODEL, description="Router model name.")
    input: list[InputText] = Field(
        min_length=1, max_length=MAX_CLASSIFY_INPUTS, description="Texts to classify, in order."
    )

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {"model": ROUTER_MODEL, "input": ["write a python function that reverses a list"]}


class Classification(Contract):
    """Probabilities of one text over the capability and tier labels."""

    capabilities: dict[str, FiniteFloat] = Field(description="Probability per capability label.")
    tiers: dict[str, FiniteFloat] = Field(description="Probability per tier label.")


class ClassifyReply(Contract):
    """One classification per input, and the model version that made them; or an error."""

    model: str = Field(default="", description="Router model name.")
    version: int | None = Field(default=None, ge=1, description="Version that answered.")
    results: list[Classification] = Field(default_factory=list, description="One per input.")
    error: str | None = Field(default=None, max_length=2048, description="Why it failed.")
