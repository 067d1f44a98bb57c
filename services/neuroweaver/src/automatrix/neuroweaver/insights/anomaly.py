"""Anomaly detection over deployment telemetry: a statistical detector with a learned baseline.

Not a fitted model: per deployment, every attempt enters a sliding window of ``window_s``;
attempts that leave the window while the deployment is calm become its baseline (a bounded
reservoir of its most recent normal latencies and outcomes). The baseline is so learned
online, and an episode never teaches the detector that it is normal.

- latency spike: robust z-score of the window's median latency against the baseline median,
  scaled by the baseline's MAD (x 1.4826, floored so a very steady deployment is not judged
  by microseconds), and at least ``latency_min_ratio`` times the baseline median;
- error burst: binomial z-score of the window's error rate against the baseline rate (shrunk
  towards ``prior_error_rate``, so it works before the baseline is warm), with at least
  ``min_error_rate`` and ``min_errors`` failures.

Hysteresis: an episode opens when its score reaches the ``*_enter`` threshold and closes only
once it stayed under ``*_exit`` for ``clear_after_s`` — one detection per episode. Time is the
telemetry's own (event time), so a replayed backlog is judged as it happened and the same
input always gives the same answer.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field

from automatrix.neuroweaver.insights.anomaly_types import (
    Attempt,
    DeploymentStatus,
    DetectorConfig,
    Reading,
    Transition,
)
from automatrix.neuroweaver.insights.window_features import (
    MAD_TO_SIGMA,
    baseline_error_rate,
    latency_baseline,
    window_features,
)
from automatrix.shared.contracts import AnomalyKind, AnomalySeverity

__all__ = [
    "AnomalyDetector",
    "Attempt",
    "DeploymentStatus",
    "DetectorConfig",
    "Reading",
    "Transition",
]


@dataclass
class _Episode:
    started_at: float
    known_at: float
    """When this replica last knew it open: its detection, or when it adopted it."""
    calm_since: float | None = None


@dataclass
class _Deployment:
    baseline_size: int
    model_group: str | None = None
    window: deque[Attempt] = field(default_factory=deque)
    latencies: deque[float] = field(default_factory=deque)
    outcomes: deque[bool] = field(default_factory=deque)
    baseline_errors: int = 0
    episodes: dict[AnomalyKind, _Episode] = field(default_factory=dict)
    clock: float = -math.inf
    last_eval: float = -math.inf
    _latency_stats: tuple[float, float] | None = None

    def learn(self, attempt: Attempt) -> None:
        if attempt.latency_ms is not None and AnomalyKind.LATENCY_SPIKE not in self.episodes:
            if len(self.latencies) == self.baseline_size:
                self.latencies.popleft()
            self.latencies.append(attempt.latency_ms)
            self._latency_stats = None
        if AnomalyKind.ERROR_BURST not in self.episodes:
            if len(self.outcomes) == self.baseline_size:
                self.baseline_errors -= self.outcomes.popleft()
            self.outcomes.append(attempt.failed)
            self.baseline_errors += attempt.failed

    def forget(self, kind: AnomalyKind) -> None:
        """Drop a baseline that no longer describes the deployment; it is learned anew."""
        if kind is AnomalyKind.LATENCY_SPIKE:
            self.latencies.clear()
            self._latency_stats = None
        else:
            self.outcomes.clear()
            self.baseline_errors = 0

    def latency_baseline(self) -> tuple[float, float]:
        """Median and MAD of the baseline latencies (cached until the baseline changes)."""
        if self._latency_stats is None:
            stats = latency_baseline(self.latencies)
            assert stats is not None, "asked for the latency baseline of no latencies"
            self._latency_stats = stats
        return self._latency_stats


class AnomalyDetector:
    """Per-deployment windows and baselines; feed it attempts, it returns episode changes."""

    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        self._deployments: dict[str, _Deployment] = {}

    def observe(
        self, deployment: str, attempt: Attempt, *, model_group: str | None = None
    ) -> list[Transition]:
        """Add one attempt; evaluate the window at most every ``eval_interval_s``."""
        state = self._state(deployment)
        if model_group:
            state.model_group = model_group
        # Replicas' clocks and batches interleave a little: time never runs backwards here.
        now = max(attempt.at, state.clock)
        state.clock = now
        state.window.append(Attempt(now, attempt.latency_ms, attempt.failed))
        if now - state.last_eval < self.config.eval_interval_s:
            return []
        state.last_eval = now
        return self._evaluate(deployment, state, now)

    def sweep(self, now: float) -> list[Transition]:
        """Close episodes of deployments that have had no traffic for ``idle_resolve_s``."""
        closed: list[Transition] = []
        for name, state in self._deployments.items():
            for kind, episode in list(state.episodes.items()):
                idle = now - max(state.clock, episode.known_at)
                if idle < self.config.idle_resolve_s:
                    continue
                reason = f"no traffic for {idle:.0f} s"
                baseline = self._baseline(state, kind)
                reading = Reading(kind, 0.0, 0.0, baseline, 0, False, True, False)
                closed.append(self._close(name, state, kind, episode, now, reading, reason))
        return closed

    def adopt(self, deployment: str, kind: AnomalyKind, started_at: float, now: float) -> bool:
        """Treat an episode another replica detected as open here too; False if it already was.

        Its baseline then stops learning as this replica's would, and this replica may be the
        one that sees it calm down and resolves it.
        """
        state = self._state(deployment)
        if kind in state.episodes:
            return False
        state.episodes[kind] = _Episode(started_at=started_at, known_at=now)
        return True

    def release(self, deployment: str, kind: AnomalyKind) -> bool:
        """Close an episode another replica resolved, without a transition of its own."""
        state = self._deployments.get(deployment)
        return state is not None and state.episodes.pop(kind, None) is not None

    def status(self, deployment: str, now: float | None = None) -> DeploymentStatus | None:
        """The deployment's window (up to ``now``, default its last attempt) and baseline."""
        state = self._deployments.get(deployment)
        if state is None:
            return None
        since = (state.clock if now is None else now) - self.config.window_s
        window = [a for a in state.window if a.at > since]
        latencies = [a.latency_ms for a in window if a.latency_ms is not None]
        errors = sum(a.failed for a in window)
        return DeploymentStatus(
            deployment=deployment,
            model_group=state.model_group,
            window_samples=len(window),
            window_errors=errors,
            error_rate=errors / len(window) if window else None,
            median_latency_ms=statistics.median(latencies) if latencies else None,
            baseline_latency_ms=state.latency_baseline()[0] if state.latencies else None,
            baseline_error_rate=self._baseline_error_rate(state),
            baseline_samples=len(state.outcomes),
            open=tuple(state.episodes),
            last_seen=state.clock,
        )

    def features(self, deployment: str, now: float | None = None) -> list[float] | None:
        """The anomaly model's features of the deployment's window now (``window_features``)."""
        state = self._deployments.get(deployment)
        if state is None:
            return None
        since = (state.clock if now is None else now) - self.config.window_s
        window = [a for a in state.window if a.at > since]
        median, mad = state.latency_baseline() if state.latencies else (None, 0.0)
        if len(state.latencies) < self.config.min_baseline_samples:
            median = None  # too few to judge latency by, as the statistical reading says
        return window_features(
            [a.latency_ms for a in window if a.latency_ms is not None],
            len(window),
            sum(a.failed for a in window),
            baseline_median=median,
            baseline_mad=mad,
            baseline_error_rate=self._baseline_error_rate(state),
            config=self.config,
        )

    def deployments(self) -> list[str]:
        return sorted(self._deployments)

    def _state(self, deployment: str) -> _Deployment:
        state = self._deployments.get(deployment)
        if state is None:
            state = self._deployments[deployment] = _Deployment(self.config.baseline_size)
        return state

    # -- evaluation ------------------------------------------------------------------------

    def _evaluate(self, name: str, state: _Deployment, now: float) -> list[Transition]:
        horizon = now - self.config.window_s
        while state.window and state.window[0].at <= horizon:
            state.learn(state.window.popleft())
        changes: list[Transition] = []
        for reading in (self._latency(state), self._errors(state)):
            if reading is not None:
                change = self._step(name, state, reading, now)
                if change is not None:
                    changes.append(change)
        return changes

    def _step(
        self, name: str, state: _Deployment, reading: Reading, now: float
    ) -> Transition | None:
        config = self.config
        episode = state.episodes.get(reading.kind)
        if episode is None:
            if not reading.hot:
                return None
            state.episodes[reading.kind] = _Episode(started_at=now, known_at=now)
            return self._transition(name, state, reading, now, now, opened=True, reason="")
        if now - episode.started_at >= config.max_episode_s:
            state.forget(reading.kind)
            reason = f"lasted {config.max_episode_s:.0f} s: taken as the new normal"
            return self._close(name, state, reading.kind, episode, now, reading, reason)
        if not reading.calm:
            episode.calm_since = None
            return None
        if episode.calm_since is None:
            episode.calm_since = now
        if now - episode.calm_since < config.clear_after_s:
            return None
        reason = f"{_describe(reading)} for {config.clear_after_s:g} s"
        return self._close(name, state, reading.kind, episode, now, reading, reason)

    def _close(
        self,
        name: str,
        state: _Deployment,
        kind: AnomalyKind,
        episode: _Episode,
        now: float,
        reading: Reading,
        reason: str,
    ) -> Transition:
        del state.episodes[kind]
        return self._transition(
            name, state, reading, now, episode.started_at, opened=False, reason=reason
        )

    def _transition(
        self,
        name: str,
        state: _Deployment,
        reading: Reading,
        now: float,
        started_at: float,
        *,
        opened: bool,
        reason: str,
    ) -> Transition:
        latency = reading.kind is AnomalyKind.LATENCY_SPIKE
        threshold = self.config.latency_enter if latency else self.config.error_enter
        return Transition(
            deployment=name,
            model_group=state.model_group,
            kind=reading.kind,
            opened=opened,
            at=now,
            started_at=started_at,
            reading=reading,
            threshold=threshold,
            severity=AnomalySeverity.CRITICAL if reading.critical else AnomalySeverity.WARNING,
            reason=reason or _describe(reading),
        )

    def _latency(self, state: _Deployment) -> Reading | None:
        config = self.config
        window = [a.latency_ms for a in state.window if a.latency_ms is not None]
        if len(window) < config.min_window_samples:
            return None
        if len(state.latencies) < config.min_baseline_samples:
            return None
        median, mad = state.latency_baseline()
        scale = max(
            MAD_TO_SIGMA * mad, config.latency_relative_floor * median, config.latency_floor_ms
        )
        observed = statistics.median(window)
        score = (observed - median) / scale
        ratio = observed / median if median > 0 else math.inf
        calm_ratio = 1 + (config.latency_min_ratio - 1) / 2
        return Reading(
            kind=AnomalyKind.LATENCY_SPIKE,
            score=score,
            observed=observed,
            baseline=median,
            samples=len(window),
            hot=score >= config.latency_enter and ratio >= config.latency_min_ratio,
            calm=score < config.latency_exit or ratio < calm_ratio,
            critical=ratio >= config.critical_latency_ratio,
        )

    def _errors(self, state: _Deployment) -> Reading | None:
        config = self.config
        samples = len(state.window)
        if samples < config.min_window_samples:
            return None
        errors = sum(a.failed for a in state.window)
        rate = errors / samples
        expected = self._baseline_error_rate(state)
        score = (rate - expected) / math.sqrt(expected * (1 - expected) / samples)
        return Reading(
            kind=AnomalyKind.ERROR_BURST,
            score=score,
            observed=rate,
            baseline=expected,
            samples=samples,
            hot=(
                score >= config.error_enter
                and rate >= config.min_error_rate
                and errors >= config.min_errors
            ),
            calm=score < config.error_exit or rate < config.min_error_rate / 2,
            critical=rate >= config.critical_error_rate,
        )

    def _baseline(self, state: _Deployment, kind: AnomalyKind) -> float:
        if kind is AnomalyKind.ERROR_BURST:
            return self._baseline_error_rate(state)
        return state.latency_baseline()[0] if state.latencies else 0.0

    def _baseline_error_rate(self, state: _Deployment) -> float:
        return baseline_error_rate(state.baseline_errors, len(state.outcomes), self.config)


def _describe(reading: Reading) -> str:
    if reading.samples == 0:
        return "no readings"
    if reading.kind is AnomalyKind.LATENCY_SPIKE:
        return (
            f"median latency {reading.observed:.0f} ms over {reading.samples} attempts "
            f"(baseline {reading.baseline:.0f} ms, z {reading.score:.1f})"
        )
    return (
        f"error rate {reading.observed:.0%} over {reading.samples} attempts "
        f"(baseline {reading.baseline:.1%}, z {reading.score:.1f})"
    )
