"""A per-deployment circuit breaker over a rolling window of outcomes."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class BreakerState(StrEnum):
    """Whether a breaker lets requests through."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerPolicy:
    """When a breaker trips and how long it stays open."""

    window_s: float = 30.0
    min_calls: int = 3
    failure_rate: float = 0.5
    cooldown_s: float = 10.0
    half_open_probes: int = 1

    def __post_init__(self) -> None:
        if self.window_s <= 0 or self.cooldown_s < 0:
            raise ValueError("window_s must be positive and cooldown_s not negative")
        if self.min_calls < 1 or self.half_open_probes < 1:
            raise ValueError("min_calls and half_open_probes must be at least 1")
        if not 0 < self.failure_rate <= 1:
            raise ValueError("failure_rate must be in (0, 1]")


class CircuitBreaker:
    """Closed, open for a cooldown after too many failures, then half-open for a few probes."""

    def __init__(self, policy: BreakerPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._outcomes: deque[tuple[float, bool]] = deque()
        self._failures = 0
        """Failures among ``_outcomes``, counted as they come and go (no scan per call)."""
        self._tripped = False
        self._probes = 0
        self.cooldown_until = 0.0
        self.opened_count = 0

    @property
    def state(self) -> BreakerState:
        """The current state; open turns half-open by itself once the cooldown has passed."""
        return self._state_at(self._clock())

    def allow(self) -> bool:
        """Whether a new request would be let through now; reserves nothing."""
        state = self.state
        if state is BreakerState.HALF_OPEN:
            return self._probes < self.policy.half_open_probes
        return state is BreakerState.CLOSED

    def acquire(self) -> bool:
        """Like ``allow()``, but reserves a probe slot in half-open: the caller is dispatching."""
        if not self.allow():
            return False
        if self.state is BreakerState.HALF_OPEN:
            self._probes += 1
        return True

    def release_probe(self) -> None:
        """Give back a probe slot whose dispatch did not happen."""
        self._probes = max(0, self._probes - 1)

    def record_success(self) -> None:
        """Record a successful call."""
        now = self._clock()
        state = self._state_at(now)
        if state is BreakerState.CLOSED:
            self._add(now, ok=True)
        elif state is BreakerState.HALF_OPEN:
            self._close()
        # In OPEN a success is a late result from before the trip; it proves nothing about now.

    def record_failure(self) -> None:
        """Record a failed call."""
        now = self._clock()
        state = self._state_at(now)
        if state is BreakerState.CLOSED:
            self._add(now, ok=False)
            if self._should_trip():
                self._trip(now)
        elif state is BreakerState.HALF_OPEN:
            self._trip(now)
        else:
            # Late failures only push the cooldown out; shortening it would reopen too early.
            self.cooldown_until = max(self.cooldown_until, now + self.policy.cooldown_s)

    def failure_share(self) -> float:
        """Failed share of the calls in the rolling window (0.0 with none)."""
        self._prune(self._clock())
        return self._share()

    def _state_at(self, now: float) -> BreakerState:
        if not self._tripped:
            return BreakerState.CLOSED
        if now < self.cooldown_until:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def _add(self, now: float, *, ok: bool) -> None:
        self._outcomes.append((now, ok))
        if not ok:
            self._failures += 1
        self._prune(now)

    def _prune(self, now: float) -> None:
        horizon = now - self.policy.window_s
        while self._outcomes and self._outcomes[0][0] <= horizon:
            _, ok = self._outcomes.popleft()
            if not ok:
                self._failures -= 1

    def _share(self) -> float:
        if not self._outcomes:
            return 0.0
        return self._failures / len(self._outcomes)

    def _should_trip(self) -> bool:
        calls = len(self._outcomes)
        return calls >= self.policy.min_calls and self._share() >= self.policy.failure_rate

    def _trip(self, now: float) -> None:
        self._tripped = True
        self._probes = 0
        self._outcomes.clear()
        self._failures = 0
        self.cooldown_until = now + self.policy.cooldown_s
        self.opened_count += 1

    def _close(self) -> None:
        self._tripped = False
        self._probes = 0
        self._outcomes.clear()
        self._failures = 0
