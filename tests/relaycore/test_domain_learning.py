"""Proficiency learning from verification scores."""

from __future__ import annotations

import math

import pytest

from automatrix.relaycore.domain.learning import adjust_proficiency


def test_moves_towards_the_score() -> None:
    assert adjust_proficiency(0.5, 1.0) == pytest.approx(0.55)
    assert adjust_proficiency(0.5, 0.0, rate=0.5) == pytest.approx(0.25)
    assert adjust_proficiency(0.8, 0.8) == pytest.approx(0.8)


def test_converges_and_stays_in_bounds() -> None:
    value = 0.0
    for _ in range(200):
        value = adjust_proficiency(value, 1.0, rate=0.3)
    assert value == pytest.approx(1.0)
    assert adjust_proficiency(1.5, 1.0) <= 1.0


@pytest.mark.parametrize("score", [-0.01, 1.01, math.nan])
def test_out_of_range_score_is_rejected(score: float) -> None:
    with pytest.raises(ValueError, match="score"):
        adjust_proficiency(0.5, score)
