"""What one replica knows about the deployments: registry view, breakers, statistics, load."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from automatrix.relaycore.domain.breaker import BreakerPolicy, CircuitBreaker
from automatrix.relaycore.domain.matching import eligible, group_chain
from automatrix.relaycore.domain.stats import DeploymentStats
from automatrix.relaycore.domain.strategies import Candidate, Strategy, estimate_tokens, rank
from automatrix.shared.contracts import DeploymentRecord, InferenceRequested, RequestKind
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.registry import HEARTBEATS_MISSED

NO_LAPSE = timedelta(hours=1)

EligibilityKey = tuple[RequestKind, str, tuple[tuple[str, float], ...], frozenset[str]]
EligibleGroups = list[tuple[str | None, list[DeploymentRecord]]]
"""Eligible deployments of each model group along a request's chain, in order."""


def eligibility_key(request: InferenceRequested, exclude: frozenset[str]) -> EligibilityKey:
    """What decides which deployments may serve ``request``: equal keys, equal candidates."""
    return (
        request.kind,
        request.model,
        tuple((c.name, c.min_proficiency) for c in request.capabilities),
        exclude,
    )


@dataclass(frozen=True, slots=True)
class Route:
    """Deployments to try for one request, best first; empty: ``busy`` says whether to wait."""

    ranked: list[DeploymentRecord]
    busy: bool
    """True when healthy deployments exist but are at their limit (wait for a slot); false
    when none is eligible or every eligible one's breaker is open (no route)."""


class Routing:
    """Per-replica routing state, fed by the registry watch and by every observed outcome."""

    def __init__(
        self,
        records: Mapping[str, DeploymentRecord],
        *,
        breaker_policy: BreakerPolicy,
        default_strategy: Strategy,
        strategies: Mapping[str, Strategy],
        fallbacks: Mapping[str, Sequence[str]],
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.records = records
        self.breaker_policy = breaker_policy
        self.default_strategy = default_strategy
        self.strategies = dict(strategies)
        self.fallbacks = {group: list(chain) for group, chain in fallbacks.items()}
        self.rng = rng or random.Random()
        self.clock = clock
        self.breakers: dict[str, CircuitBreaker] = {}
        self.stats: dict[str, DeploymentStats] = {}
        self.inflight: dict[str, int] = {}
        """This replica's estimate of slots taken; the Redis ledger has the final word."""
        self._eligible: dict[EligibilityKey, EligibleGroups] = {}
        self._eligible_until: datetime | None = None

    def breaker(self, name: str) -> CircuitBreaker:
        breaker = self.breakers.get(name)
        if breaker is None:
            breaker = self.breakers[name] = CircuitBreaker(self.breaker_policy, self.clock)
        return breaker

    def stats_of(self, name: str) -> DeploymentStats:
        stats = self.stats.get(name)
        if stats is None:
            stats = self.stats[name] = DeploymentStats()
        return stats

    def strategy_for(self, group: str | None) -> Strategy:
        return self.strategies.get(group or "", self.default_strategy)

    def route(
        self,
        request: InferenceRequested,
        exclude: frozenset[str],
        *,
        now: datetime | None = None,
    ) -> Route:
        """The deployments that may take ``request`` now, along the fallback chain, ranked.

        The first group in the chain with a deployment whose breaker lets traffic through
        wins; later groups are the fallback for when a whole group is down.
        """
        for group, records in self._eligible_groups(request, exclude, now or utcnow()):
            allowed = [r for r in records if self.breaker(r.name).allow()]
            if not allowed:
                continue
            strategy = self.strategy_for(group)
            # The error rate scans the rolling window; only the weighted strategy reads it.
            weighted = strategy is Strategy.WEIGHTED
            candidates = [self._candidate(r, with_error_rate=weighted) for r in allowed]
            ranked = rank(
                strategy,
                candidates,
                rng=self.rng,
                input_tokens=_input_tokens(request),
                output_tokens=request.params.max_tokens or 256,
            )
            return Route([c.record for c in ranked if c.has_capacity], busy=True)
        return Route([], busy=False)

    def _eligible_groups(
        self, request: InferenceRequested, exclude: frozenset[str], now: datetime
    ) -> EligibleGroups:
        # Kept until the registry changes or a live deployment's heartbeat runs out: in the
        # profile of bench/router.py the scan of every record per decision was a tenth of
        # relaycore's CPU.
        if self._eligible_until is None or now >= self._eligible_until:
            self._eligible.clear()
            self._eligible_until = _first_lapse(self.records.values(), now)
        key = eligibility_key(request, exclude)
        groups = self._eligible.get(key)
        if groups is None:
            groups = self._eligible[key] = [
                (
                    group,
                    [
                        record
                        for record in eligible(
                            self.records.values(),
                            kind=request.kind,
                            requirements=request.capabilities,
                            group=group,
                            now=now,
                        )
                        if record.name not in exclude
                    ],
                )
                for group in group_chain(request.model, self.fallbacks)
            ]
        return groups

    def registry_changed(self) -> None:
        """A record was written or removed: eligibility is worked out again."""
        self._eligible_until = None

    def _candidate(self, record: DeploymentRecord, *, with_error_rate: bool) -> Candidate:
        stats = self.stats.get(record.name)
        return Candidate(
            record=record,
            inflight=self.inflight.get(record.name, 0),
            ewma_latency_ms=stats.ewma_latency_ms if stats else None,
            error_rate=stats.error_rate(self.clock()) if stats and with_error_rate else 0.0,
        )

    def taken(self, name: str) -> None:
        """A slot on ``name`` was (optimistically) taken here."""
        self.inflight[name] = self.inflight.get(name, 0) + 1

    def freed(self, name: str) -> None:
        """A slot on ``name`` was released by some replica."""
        self.inflight[name] = max(0, self.inflight.get(name, 0) - 1)

    def full(self, name: str) -> None:
        """The ledger said ``name`` is at its limit (other replicas hold slots too)."""
        record = self.records.get(name)
        if record is not None:
            self.inflight[name] = max(self.inflight.get(name, 0), record.concurrency)

    def outcome(self, name: str, *, success: bool, latency_ms: float | None) -> None:
        """Feed an attempt's outcome to the breaker and the statistics."""
        breaker = self.breaker(name)
        if success:
            breaker.record_success()
        else:
            breaker.record_failure()
        self.stats_of(name).record(success, latency_ms, self.clock())

    def next_breaker_change(self) -> float | None:
        """The monotonic time the next open breaker turns half-open, if any."""
        now = self.clock()
        times = [b.cooldown_until for b in self.breakers.values() if b.cooldown_until > now]
        return min(times, default=None)


def _first_lapse(records: Iterable[DeploymentRecord], now: datetime) -> datetime:
    """When the first live deployment's heartbeat runs out (far ahead with none live)."""
    lapses = [
        last + timedelta(seconds=r.heartbeat_interval_s * HEARTBEATS_MISSED)
        for r in records
        if (last := r.last_heartbeat()) is not None and r.alive(now)
    ]
    return min(lapses, default=now + NO_LAPSE)


def _input_tokens(request: InferenceRequested) -> int:
    if request.kind is RequestKind.EMBEDDING:
        return estimate_tokens(request.input)
    return estimate_tokens(m.content for m in request.messages)
