"""Retry and fallback decisions after a failed attempt."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from automatrix.shared.contracts.inference_types import ErrorKind, FailedAttempt

# The request itself is wrong or out of time: no deployment can do better.
_FINAL_KINDS = frozenset({ErrorKind.BAD_REQUEST, ErrorKind.DEADLINE_EXCEEDED})


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts a request gets and how long to wait between them."""

    max_attempts: int = 4
    retries_per_deployment: int = 1
    backoff_base_s: float = 0.1
    backoff_max_s: float = 2.0
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.retries_per_deployment < 0:
            raise ValueError("max_attempts must be >= 1 and retries_per_deployment >= 0")
        if self.backoff_base_s < 0 or self.backoff_max_s < 0:
            raise ValueError("backoff must not be negative")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")


@dataclass(frozen=True)
class Retry:
    """Try again: attempt number, wait before it, deployments not to try."""

    attempt: int
    delay_s: float
    exclude: frozenset[str]


@dataclass(frozen=True)
class GiveUp:
    """Stop trying and fail the request."""

    kind: ErrorKind
    message: str
    retryable: bool


def next_step(
    history: Sequence[FailedAttempt], policy: RetryPolicy, *, rng: random.Random
) -> Retry | GiveUp:
    """Decide, from the failed attempts so far (oldest first), whether and how to try again."""
    if not history:
        raise ValueError("history must hold at least one failed attempt")
    last = history[-1]
    count = len(history)
    if last.kind in _FINAL_KINDS or count >= policy.max_attempts:
        return GiveUp(
            kind=last.kind,
            message=f"all {count} attempts failed; last: {last.deployment}: {last.message}",
            retryable=last.kind.transient,
        )
    failures = Counter(attempt.deployment for attempt in history)
    exclude = frozenset(
        attempt.deployment
        for attempt in history
        if not attempt.kind.transient
        or failures[attempt.deployment] > policy.retries_per_deployment
    )
    if last.deployment in exclude:
        # Falling back to another deployment: nothing to wait for.
        delay = 0.0
    else:
        backoff = min(policy.backoff_max_s, policy.backoff_base_s * 2 ** (count - 1))
        delay = backoff * (1 + rng.uniform(-policy.jitter, policy.jitter))
    return Retry(attempt=count + 1, delay_s=delay, exclude=exclude)
