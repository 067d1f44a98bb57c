"""Routing strategies: order eligible deployments best first."""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from automatrix.shared.contracts import DeploymentRecord

CHARS_PER_TOKEN = 4
_MIN_WEIGHT = 1e-6


class Strategy(StrEnum):
    """How relaycore orders the deployments that could serve a request."""

    LEAST_LOADED = "least_loaded"
    LATENCY = "latency"
    WEIGHTED = "weighted"
    COST = "cost"


@dataclass(frozen=True)
class Candidate:
    """An eligible deployment with the live figures a strategy ranks on."""

    record: DeploymentRecord
    inflight: int
    ewma_latency_ms: float | None
    error_rate: float = 0.0

    @property
    def name(self) -> str:
        """The deployment's name."""
        return self.record.name

    @property
    def load(self) -> float:
        """Share of the deployment's concurrency in use."""
        return self.inflight / self.record.concurrency

    @property
    def has_capacity(self) -> bool:
        """True while a slot is free."""
        return self.inflight < self.record.concurrency


def estimate_cost(record: DeploymentRecord, input_tokens: int, output_tokens: int) -> float:
    """Estimated USD cost of one request on the deployment."""
    return (
        input_tokens * record.cost_per_1k_input + output_tokens * record.cost_per_1k_output
    ) / 1000


def estimate_tokens(texts: Iterable[str]) -> int:
    """Rough token count of some text, about four characters a token, at least 1."""
    chars = sum(len(text) for text in texts)
    return max(1, math.ceil(chars / CHARS_PER_TOKEN))


def rank(
    strategy: Strategy,
    candidates: Sequence[Candidate],
    *,
    rng: random.Random,
    input_tokens: int = 0,
    output_tokens: int = 256,
) -> list[Candidate]:
    """Candidates best first; those without a free slot always come last."""
    if strategy is Strategy.LEAST_LOADED:
        ordered = sorted(candidates, key=lambda c: (c.load, c.inflight, c.name))
    elif strategy is Strategy.LATENCY:
        ordered = _by_latency(candidates)
    elif strategy is Strategy.WEIGHTED:
        ordered = _weighted_order(candidates, rng)
    else:
        ordered = sorted(
            candidates,
            key=lambda c: (estimate_cost(c.record, input_tokens, output_tokens), c.load, c.name),
        )
    # A stable sort keeps each strategy's order within the two groups.
    return sorted(ordered, key=lambda c: not c.has_capacity)


def _by_latency(candidates: Sequence[Candidate]) -> list[Candidate]:
    known = [c.ewma_latency_ms for c in candidates if c.ewma_latency_ms is not None]
    # Unmeasured deployments rank as typical ones so they get traffic and a measurement.
    default = statistics.median(known) if known else 0.0

    def latency(candidate: Candidate) -> float:
        value = candidate.ewma_latency_ms
        return default if value is None else value

    return sorted(candidates, key=lambda c: (latency(c), c.load, c.name))


def _weighted_order(candidates: Sequence[Candidate], rng: random.Random) -> list[Candidate]:
    # Exponential keys (Efraimidis-Spirakis): ascending -ln(U)/w is a weighted draw without
    # replacement, done in one pass.
    def key(candidate: Candidate) -> float:
        weight = max(_MIN_WEIGHT, candidate.record.weight * (1.0 - candidate.error_rate))
        return -math.log(1.0 - rng.random()) / weight

    keyed = [(key(c), c) for c in candidates]
    keyed.sort(key=lambda pair: pair[0])
    return [c for _, c in keyed]
