"""The anomaly detector's settings, input and output (plain values, no behaviour)."""

from __future__ import annotations

from dataclasses import dataclass

from automatrix.shared.contracts import AnomalyKind, AnomalySeverity


@dataclass(frozen=True)
class DetectorConfig:
    """Windows, warm-up sizes and thresholds; the defaults suit a few requests per second."""

    window_s: float = 10.0
    eval_interval_s: float = 1.0
    min_window_samples: int = 8
    min_baseline_samples: int = 50
    baseline_size: int = 2000
    latency_enter: float = 3.0
    latency_exit: float = 1.5
    latency_min_ratio: float = 1.5
    latency_floor_ms: float = 1.0
    latency_relative_floor: float = 0.05
    error_enter: float = 4.0
    error_exit: float = 2.0
    min_error_rate: float = 0.2
    min_errors: int = 3
    prior_error_rate: float = 0.01
    prior_weight: int = 100
    clear_after_s: float = 10.0
    idle_resolve_s: float = 300.0
    max_episode_s: float = 1800.0
    critical_latency_ratio: float = 3.0
    critical_error_rate: float = 0.5

    def __post_init__(self) -> None:
        positive = ("window_s", "eval_interval_s", "clear_after_s", "idle_resolve_s")
        for name in positive:
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.min_window_samples < 2 or self.min_baseline_samples < 2:
            raise ValueError("min_window_samples and min_baseline_samples must be at least 2")
        if self.baseline_size < self.min_baseline_samples:
            raise ValueError("baseline_size must hold at least min_baseline_samples")
        if not self.latency_exit < self.latency_enter or not self.error_exit < self.error_enter:
            raise ValueError("each *_exit threshold must be below its *_enter threshold")
        if self.latency_min_ratio <= 1:
            raise ValueError("latency_min_ratio must exceed 1")
        if not 0 < self.min_error_rate <= 1 or not 0 < self.prior_error_rate < 1:
            raise ValueError("min_error_rate and prior_error_rate must lie in (0, 1)")
        if self.max_episode_s <= self.clear_after_s:
            raise ValueError("max_episode_s must exceed clear_after_s")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt on a deployment: when (epoch seconds), its latency if it succeeded, failed."""

    at: float
    latency_ms: float | None
    failed: bool


@dataclass(frozen=True, slots=True)
class Reading:
    """One measure over the current window, next to its baseline."""

    kind: AnomalyKind
    score: float
    observed: float
    baseline: float
    samples: int
    hot: bool
    """Past the enter threshold (and the minimum ratio, rate or count)."""
    calm: bool
    """Under the exit threshold."""
    critical: bool


@dataclass(frozen=True, slots=True)
class Transition:
    """An episode opened (``opened``) or closed, with the reading that decided it."""

    deployment: str
    model_group: str | None
    kind: AnomalyKind
    opened: bool
    at: float
    started_at: float
    reading: Reading
    threshold: float
    severity: AnomalySeverity
    reason: str


@dataclass(frozen=True, slots=True)
class DeploymentStatus:
    """What the detector knows of one deployment now."""

    deployment: str
    model_group: str | None
    window_samples: int
    window_errors: int
    error_rate: float | None
    median_latency_ms: float | None
    baseline_latency_ms: float | None
    baseline_error_rate: float
    baseline_samples: int
    open: tuple[AnomalyKind, ...]
    last_seen: float
