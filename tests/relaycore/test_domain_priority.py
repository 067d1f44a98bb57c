"""Priority selection: strict order with anti-starvation."""

from __future__ import annotations

from collections import Counter

import pytest

from automatrix.relaycore.domain.priority import PriorityPolicy
from automatrix.shared.contracts.inference_types import Priority

ALL = set(Priority)


def test_strict_order_when_nothing_starves() -> None:
    policy = PriorityPolicy()
    assert policy.order(ALL) == [Priority.CRITICAL, Priority.HIGH, Priority.NORMAL, Priority.LOW]
    assert policy.order({Priority.LOW, Priority.HIGH}) == [Priority.HIGH, Priority.LOW]
    assert policy.order(set()) == []


@pytest.mark.parametrize("limit", [1, 3, 8])
def test_low_gets_one_of_every_limit_plus_one_under_sustained_critical_load(limit: int) -> None:
    policy = PriorityPolicy(starvation_limit=limit)
    waiting = {Priority.CRITICAL, Priority.LOW}
    served = []
    for _ in range(10 * (limit + 1)):
        level = policy.order(waiting)[0]
        policy.dispatched(level, waiting)
        served.append(level)
    for start in range(0, len(served), limit + 1):
        window = Counter(served[start : start + limit + 1])
        assert window == {Priority.CRITICAL: limit, Priority.LOW: 1}
    assert served[limit] is Priority.LOW


def test_counters_increment_for_less_urgent_waiting_levels_only() -> None:
    policy = PriorityPolicy()
    policy.dispatched(Priority.HIGH, {Priority.CRITICAL, Priority.HIGH, Priority.LOW})
    assert policy.starved[Priority.CRITICAL] == 0
    assert policy.starved[Priority.HIGH] == 0
    assert policy.starved[Priority.NORMAL] == 0  # not waiting
    assert policy.starved[Priority.LOW] == 1


def test_a_level_without_waiting_work_resets() -> None:
    policy = PriorityPolicy(starvation_limit=2)
    both = {Priority.CRITICAL, Priority.NORMAL}
    policy.dispatched(Priority.CRITICAL, both)
    policy.dispatched(Priority.CRITICAL, {Priority.CRITICAL})
    assert policy.starved[Priority.NORMAL] == 0
    policy.dispatched(Priority.CRITICAL, both)
    assert policy.order(both) == [Priority.CRITICAL, Priority.NORMAL]


def test_most_starved_first_then_more_urgent() -> None:
    policy = PriorityPolicy(starvation_limit=2)
    waiting = {Priority.CRITICAL, Priority.NORMAL, Priority.LOW}
    policy.dispatched(Priority.CRITICAL, waiting)
    policy.dispatched(Priority.CRITICAL, waiting)
    # NORMAL and LOW both at 2: the more urgent one goes first.
    assert policy.order(waiting) == [Priority.NORMAL, Priority.LOW, Priority.CRITICAL]
    policy.dispatched(Priority.NORMAL, waiting)
    # LOW now at 3 and still starving; NORMAL reset.
    assert policy.starved[Priority.LOW] == 3
    assert policy.order(waiting) == [Priority.LOW, Priority.CRITICAL, Priority.NORMAL]


def test_a_refused_dispatch_gives_back_what_it_changed() -> None:
    policy = PriorityPolicy(starvation_limit=2)
    waiting = {Priority.HIGH, Priority.NORMAL, Priority.LOW}
    policy.dispatched(Priority.HIGH, waiting)
    policy.dispatched(Priority.HIGH, waiting)
    assert policy.order(waiting)[0] is Priority.NORMAL
    credit = policy.dispatched(Priority.NORMAL, waiting)  # its slot is then refused
    assert policy.starved[Priority.NORMAL] == 0
    assert policy.starved[Priority.LOW] == 3
    policy.refused(credit)
    assert policy.starved[Priority.NORMAL] == 2
    assert policy.starved[Priority.LOW] == 2
    assert policy.order(waiting)[:2] == [Priority.NORMAL, Priority.LOW]


def test_starved_view_is_read_only() -> None:
    policy = PriorityPolicy()
    with pytest.raises(TypeError):
        policy.starved[Priority.LOW] = 5  # type: ignore[index]
