"""Retry and fallback decisions."""

from __future__ import annotations

import random

import pytest

from automatrix.relaycore.domain.attempts import GiveUp, Retry, RetryPolicy, next_step
from automatrix.shared.contracts.inference_types import ErrorKind, FailedAttempt

POLICY = RetryPolicy()


def _fail(deployment: str, kind: ErrorKind = ErrorKind.TIMEOUT) -> FailedAttempt:
    return FailedAttempt(deployment=deployment, kind=kind, message=f"{kind} on {deployment}")


def _step(*history: FailedAttempt, policy: RetryPolicy = POLICY) -> Retry | GiveUp:
    return next_step(list(history), policy, rng=random.Random(3))


def test_transient_failure_retries_same_deployment_after_backoff() -> None:
    step = _step(_fail("a"))
    assert isinstance(step, Retry)
    assert step.attempt == 2
    assert step.exclude == frozenset()
    assert 0.08 <= step.delay_s <= 0.12  # 0.1 s +- 20 %


def test_backoff_doubles_and_caps() -> None:
    policy = RetryPolicy(max_attempts=10, retries_per_deployment=9, jitter=0.0)
    delays = []
    history: list[FailedAttempt] = []
    for _ in range(7):
        history.append(_fail("a"))
        step = _step(*history, policy=policy)
        assert isinstance(step, Retry)
        delays.append(step.delay_s)
    assert delays == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0])


def test_deployment_is_excluded_after_its_retries_and_fallback_has_no_delay() -> None:
    step = _step(_fail("a"), _fail("a"))
    assert isinstance(step, Retry)
    assert step.attempt == 3
    assert step.exclude == {"a"}
    assert step.delay_s == 0.0


@pytest.mark.parametrize("kind", [ErrorKind.AUTH, ErrorKind.CONTEXT_LENGTH, ErrorKind.INTERNAL])
def test_non_transient_failure_excludes_at_once_and_falls_back(kind: ErrorKind) -> None:
    step = _step(_fail("a", kind))
    assert isinstance(step, Retry)
    assert step.exclude == {"a"}
    assert step.delay_s == 0.0


def test_exclusion_remembers_earlier_deployments() -> None:
    step = _step(_fail("a", ErrorKind.AUTH), _fail("b"))
    assert isinstance(step, Retry)
    assert step.exclude == {"a"}
    assert step.delay_s > 0  # b may be retried, so wait


@pytest.mark.parametrize("kind", [ErrorKind.BAD_REQUEST, ErrorKind.DEADLINE_EXCEEDED])
def test_request_level_errors_give_up_at_once(kind: ErrorKind) -> None:
    step = _step(_fail("a", kind))
    assert step == GiveUp(
        kind=kind, message=f"all 1 attempts failed; last: a: {kind} on a", retryable=False
    )


def test_budget_exhausted_gives_up_with_last_failure() -> None:
    history = [_fail("a"), _fail("b"), _fail("c"), _fail("d", ErrorKind.RATE_LIMITED)]
    step = _step(*history)
    assert isinstance(step, GiveUp)
    assert step.kind is ErrorKind.RATE_LIMITED
    assert step.retryable
    assert step.message == "all 4 attempts failed; last: d: rate_limited on d"
    assert isinstance(_step(*history[:3]), Retry)


def test_give_up_after_non_transient_is_not_retryable() -> None:
    step = _step(_fail("a"), _fail("b"), _fail("c"), _fail("d", ErrorKind.AUTH))
    assert isinstance(step, GiveUp)
    assert not step.retryable


def test_empty_history_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        next_step([], POLICY, rng=random.Random(0))
