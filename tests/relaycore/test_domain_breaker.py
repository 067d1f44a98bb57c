"""The circuit breaker's state machine, driven by a hand-set clock."""

from __future__ import annotations

import pytest

from automatrix.relaycore.domain.breaker import BreakerPolicy, BreakerState, CircuitBreaker


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def state(breaker: CircuitBreaker) -> BreakerState:
    """Read the state afresh (mypy would otherwise keep a narrowed property across calls)."""
    return breaker.state


def _open(breaker: CircuitBreaker) -> None:
    for _ in range(3):
        breaker.record_failure()
    assert state(breaker) is BreakerState.OPEN


def test_trips_on_the_third_failure_not_before(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    breaker.record_failure()
    breaker.record_failure()
    assert state(breaker) is BreakerState.CLOSED
    assert breaker.allow()
    breaker.record_failure()
    assert state(breaker) is BreakerState.OPEN
    assert breaker.cooldown_until == clock.now + 10.0
    assert breaker.opened_count == 1


def test_failure_share_below_rate_keeps_it_closed(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    for _ in range(3):
        breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.failure_share() == pytest.approx(0.4)
    assert state(breaker) is BreakerState.CLOSED
    breaker.record_failure()  # 3 of 6: exactly the rate
    assert state(breaker) is BreakerState.OPEN


def test_rejects_during_cooldown(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    _open(breaker)
    clock.now += 9.99
    assert state(breaker) is BreakerState.OPEN
    assert not breaker.allow()
    assert not breaker.acquire()


def test_half_open_lets_exactly_one_probe(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    _open(breaker)
    clock.now += 10.0
    assert state(breaker) is BreakerState.HALF_OPEN
    assert breaker.allow()
    assert breaker.allow()  # allow() reserves nothing
    assert breaker.acquire()
    assert not breaker.allow()
    assert not breaker.acquire()


def test_released_probe_can_be_acquired_again(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    _open(breaker)
    clock.now += 10.0
    assert breaker.acquire()
    breaker.release_probe()
    assert breaker.acquire()


def test_probe_success_closes_with_a_clean_window(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    _open(breaker)
    clock.now += 10.0
    assert breaker.acquire()
    breaker.record_success()
    assert state(breaker) is BreakerState.CLOSED
    assert breaker.failure_share() == 0.0
    # The old failures are gone: it takes three new ones to trip again.
    breaker.record_failure()
    breaker.record_failure()
    assert state(breaker) is BreakerState.CLOSED


def test_probe_failure_reopens_with_a_fresh_cooldown(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    _open(breaker)
    clock.now += 15.0
    assert breaker.acquire()
    breaker.record_failure()
    assert state(breaker) is BreakerState.OPEN
    assert breaker.cooldown_until == clock.now + 10.0
    assert breaker.opened_count == 2
    clock.now += 10.0
    assert breaker.acquire()  # the probe slot was freed by the reopen


def test_late_failure_in_open_extends_the_cooldown(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    _open(breaker)
    clock.now += 4.0
    breaker.record_failure()
    assert breaker.cooldown_until == clock.now + 10.0
    clock.now += 9.0  # past the first cooldown, inside the extended one
    assert state(breaker) is BreakerState.OPEN


def test_late_failure_in_open_never_shortens_the_cooldown(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(cooldown_s=10.0), clock)
    _open(breaker)
    long_until = clock.now + 100.0
    breaker.cooldown_until = long_until  # e.g. set by a longer policy or earlier extension
    clock.now += 1.0
    breaker.record_failure()
    assert breaker.cooldown_until == long_until


def test_late_success_in_open_is_ignored(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(), clock)
    _open(breaker)
    until = breaker.cooldown_until
    breaker.record_success()
    assert state(breaker) is BreakerState.OPEN
    assert breaker.cooldown_until == until


def test_old_outcomes_drop_out_of_the_window(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(window_s=30.0), clock)
    breaker.record_failure()
    breaker.record_failure()
    clock.now += 30.0
    breaker.record_failure()
    assert state(breaker) is BreakerState.CLOSED
    assert breaker.failure_share() == 1.0  # only the newest one is left


def test_half_open_probes_policy_allows_several(clock: Clock) -> None:
    breaker = CircuitBreaker(BreakerPolicy(half_open_probes=2), clock)
    _open(breaker)
    clock.now += 10.0
    assert breaker.acquire()
    assert breaker.acquire()
    assert not breaker.acquire()


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="failure_rate"):
        BreakerPolicy(failure_rate=0.0)
