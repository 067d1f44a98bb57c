"""Settings of neuroweaver's insights, read from ``INSIGHTS_*`` environment variables."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from automatrix.neuroweaver.insights.anomaly import DetectorConfig
from automatrix.neuroweaver.insights.optimizer import OptimizePolicy

DAY = 86_400.0


class InsightsSettings(BaseSettings):
    """Detector windows and thresholds, forecast buckets, optimization policy."""

    model_config = SettingsConfigDict(env_prefix="INSIGHTS_", extra="ignore")

    consumer: str = Field(
        default="neuroweaver-insights",
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Durable telemetry consumer shared by the replicas.",
    )
    request_source: str = Field(
        default="relaycore",
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Service whose per-attempt REQUEST telemetry is watched (one view per "
        "attempt; relaycore sees every deployment).",
    )
    window_s: float = Field(default=10.0, gt=0, description="Sliding window of the detector.")
    eval_interval_s: float = Field(default=1.0, gt=0, description="Window evaluated this often.")
    min_window_samples: int = Field(default=8, ge=2, description="Attempts a window needs.")
    min_baseline_samples: int = Field(default=50, ge=2, description="Attempts a baseline needs.")
    baseline_size: int = Field(default=2000, ge=2, description="Attempts a baseline keeps.")
    latency_enter: float = Field(default=3.0, gt=0, description="Robust z opening a spike.")
    latency_exit: float = Field(default=1.5, ge=0, description="Robust z closing it.")
    latency_min_ratio: float = Field(default=1.5, gt=1, description="Median / baseline at least.")
    error_enter: float = Field(default=4.0, gt=0, description="Binomial z opening a burst.")
    error_exit: float = Field(default=2.0, ge=0, description="Binomial z closing it.")
    min_error_rate: float = Field(default=0.2, gt=0, le=1, description="Burst error rate floor.")
    min_errors: int = Field(default=3, ge=1, description="Errors a burst needs in its window.")
    clear_after_s: float = Field(default=10.0, gt=0, description="Calm this long closes one.")
    idle_resolve_s: float = Field(default=300.0, gt=0, description="No traffic this long too.")
    max_episode_s: float = Field(default=1800.0, gt=0, description="Longer: the new normal.")
    recent_limit: int = Field(default=500, ge=1, description="Episodes kept for ``anomalies``.")
    replay_s: float = Field(
        default=DAY, ge=0, description="At start, episodes this recent are read back."
    )
    bucket_s: float = Field(default=60.0, gt=0, description="Volume bucket of the forecast.")
    horizon_buckets: int = Field(default=60, ge=1, description="Buckets forecast ahead.")
    history_buckets: int = Field(
        default=3 * 1440, ge=8, description="Buckets of history a forecast uses."
    )
    season_s: float = Field(default=DAY, gt=0, description="Seasonal period of the volume.")
    retention_s: float = Field(default=8 * DAY, gt=0, description="Volume kept this long.")
    flush_interval_s: float = Field(default=2.0, gt=0, description="Volume written this often.")
    target_utilisation: float = Field(
        default=0.7, gt=0, le=1, description="Share of slots a forecast peak should fill."
    )
    drain_error_rate: float = Field(
        default=0.5, gt=0, le=1, description="Error rate at which ``optimize`` drains."
    )
    max_drains_per_group: int = Field(default=1, ge=1, description="Drains per group per run.")
    auto_optimize_interval_s: float = Field(
        default=0.0, ge=0, description="Run ``optimize`` this often on its own; 0: only on call."
    )
    log_limit: int = Field(default=200, ge=1, description="Optimizations kept in memory.")
    predictor_seed: int = Field(default=0, ge=0, description="Seed of the bootstrap predictor.")
    predictor_warmup: bool = Field(
        default=True, description="Fit the bootstrap predictor at start, not at the first call."
    )

    @model_validator(mode="after")
    def _consistent(self) -> InsightsSettings:
        self.detector_config()  # raises ValueError with the reason
        self.optimize_policy()
        if self.retention_s < self.bucket_s * self.history_buckets:
            raise ValueError("retention_s must cover history_buckets of bucket_s")
        return self

    def detector_config(self) -> DetectorConfig:
        return DetectorConfig(
            window_s=self.window_s,
            eval_interval_s=self.eval_interval_s,
            min_window_samples=self.min_window_samples,
            min_baseline_samples=self.min_baseline_samples,
            baseline_size=self.baseline_size,
            latency_enter=self.latency_enter,
            latency_exit=self.latency_exit,
            latency_min_ratio=self.latency_min_ratio,
            error_enter=self.error_enter,
            error_exit=self.error_exit,
            min_error_rate=self.min_error_rate,
            min_errors=self.min_errors,
            clear_after_s=self.clear_after_s,
            idle_resolve_s=self.idle_resolve_s,
            max_episode_s=self.max_episode_s,
        )

    def optimize_policy(self) -> OptimizePolicy:
        return OptimizePolicy(
            drain_error_rate=self.drain_error_rate,
            min_samples=self.min_window_samples,
            max_drains_per_group=self.max_drains_per_group,
        )

    def season_buckets(self) -> int | None:
        """Buckets per season, when a season is at least two buckets long."""
        buckets = round(self.season_s / self.bucket_s)
        return buckets if buckets >= 2 else None
