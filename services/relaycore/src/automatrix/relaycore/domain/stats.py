"""Per-deployment outcome statistics: latency EWMA and a rolling error rate."""

from __future__ import annotations

from collections import deque


class DeploymentStats:
    """Latency EWMA, rolling error rate and lifetime counters of one deployment."""

    def __init__(self, alpha: float = 0.3, window_s: float = 60.0) -> None:
        if not 0 < alpha <= 1:
            raise ValueError("alpha must be in (0, 1]")
        if window_s <= 0:
            raise ValueError("window_s must be positive")
        self.alpha = alpha
        self.window_s = window_s
        self.ewma_latency_ms: float | None = None
        self.total_success = 0
        self.total_failure = 0
        self._outcomes: deque[tuple[float, bool]] = deque()
        self._failures = 0
        """Failures among ``_outcomes``, kept as they come and go: every replica's upkeep
        reads the rate each second, and a scan of the window stalled the event loop."""

    def record(self, success: bool, latency_ms: float | None, now: float) -> None:
        """Record one call's outcome and, when known, its latency."""
        self._outcomes.append((now, success))
        self._prune(now)
        if success:
            self.total_success += 1
        else:
            self.total_failure += 1
            self._failures += 1
        if latency_ms is not None:
            if self.ewma_latency_ms is None:
                self.ewma_latency_ms = latency_ms
            else:
                self.ewma_latency_ms += self.alpha * (latency_ms - self.ewma_latency_ms)

    def calls(self, now: float) -> int:
        """Calls recorded within the rolling window."""
        self._prune(now)
        return len(self._outcomes)

    def error_rate(self, now: float) -> float:
        """Failed share of the calls within the rolling window (0.0 with none)."""
        self._prune(now)
        if not self._outcomes:
            return 0.0
        return self._failures / len(self._outcomes)

    def snapshot(self, now: float) -> dict[str, float | int | None]:
        """A plain view for the HTTP API and metrics."""
        return {
            "calls": self.calls(now),
            "error_rate": self.error_rate(now),
            "ewma_latency_ms": self.ewma_latency_ms,
            "total_success": self.total_success,
            "total_failure": self.total_failure,
        }

    def _prune(self, now: float) -> None:
        horizon = now - self.window_s
        while self._outcomes and self._outcomes[0][0] <= horizon:
            _, ok = self._outcomes.popleft()
            if not ok:
                self._failures -= 1
