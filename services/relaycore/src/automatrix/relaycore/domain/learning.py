"""Learning capability proficiencies from verification scores."""

from __future__ import annotations


def adjust_proficiency(current: float, score: float, *, rate: float = 0.1) -> float:
    """Move a proficiency towards a verification score (EWMA), kept within [0, 1]."""
    if not 0 <= score <= 1:
        raise ValueError(f"score must be in [0, 1], got {score}")
    if not 0 < rate <= 1:
        raise ValueError(f"rate must be in (0, 1], got {rate}")
    updated = current + rate * (score - current)
    return min(1.0, max(0.0, updated))
