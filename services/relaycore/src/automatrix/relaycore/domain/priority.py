"""Which priority level to serve next: strict order with an anti-starvation rule."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from automatrix.shared.contracts.inference_types import Priority


@dataclass(frozen=True, slots=True)
class Credit:
    """What recording one dispatch changed, to give back if it does not happen after all."""

    level: Priority
    starved: int
    """The level's own count before the dispatch reset it."""
    bumped: frozenset[Priority]
    """The levels whose count the dispatch raised."""


class PriorityPolicy:
    """Strict priority, except a level passed over ``starvation_limit`` times goes first."""

    def __init__(self, starvation_limit: int = 8) -> None:
        if starvation_limit < 1:
            raise ValueError("starvation_limit must be at least 1")
        self.starvation_limit = starvation_limit
        self._starved: dict[Priority, int] = dict.fromkeys(Priority, 0)

    @property
    def starved(self) -> Mapping[Priority, int]:
        """Dispatches each level has watched go to more urgent levels while it waited."""
        return MappingProxyType(self._starved)

    def order(self, waiting: Collection[Priority]) -> list[Priority]:
        """The levels with waiting work, in the order to try them."""
        levels = set(waiting)
        starving = sorted(
            (level for level in levels if self._starved[level] >= self.starvation_limit),
            key=lambda level: (-self._starved[level], level.rank),
        )
        rest = sorted(levels.difference(starving), key=lambda level: level.rank)
        return [*starving, *rest]

    def dispatched(self, level: Priority, waiting: Collection[Priority]) -> Credit:
        """Note that a request of ``level`` was dispatched while ``waiting`` levels had work."""
        pending = set(waiting)
        credit = Credit(
            level,
            self._starved[level],
            frozenset(o for o in pending if o is not level and o.rank > level.rank),
        )
        for other in Priority:
            if other is level or other not in pending:
                self._starved[other] = 0
            elif other.rank > level.rank:
                self._starved[other] += 1
        return credit

    def refused(self, credit: Credit) -> None:
        """The dispatch ``credit`` came from did not happen (its slot was refused): a level
        that waited keeps its turn rather than start counting again."""
        self._starved[credit.level] = max(self._starved[credit.level], credit.starved)
        for other in credit.bumped:
            self._starved[other] = max(0, self._starved[other] - 1)
