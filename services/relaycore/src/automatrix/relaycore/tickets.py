"""What waits for a slot: one ``Ticket`` per attempt, where it goes, and why it may not go."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from automatrix.relaycore.domain.priority import Credit
from automatrix.shared.contracts import (
    DeploymentRecord,
    FailedAttempt,
    InferenceRequested,
    Priority,
)


class Expired(Exception):  # noqa: N818 - an outcome, not a bug
    """The request's deadline passed before it could be dispatched."""


class NoRoute(Exception):  # noqa: N818
    """No healthy deployment can serve the request."""


class ShuttingDown(Exception):  # noqa: N818
    """The replica stops: the request goes back to JetStream for another one."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an attempt goes; ``again``: it was placed before (a redelivery), publish it anew."""

    deployment: str
    record: DeploymentRecord | None
    again: bool = False


@dataclass(eq=False)
class Ticket:
    """One attempt of one request, waiting for a slot."""

    request: InferenceRequested
    attempt: int
    sequence: int
    history: list[FailedAttempt] = field(default_factory=list)
    exclude: frozenset[str] = frozenset()
    after_failure: str = ""
    not_before: float = 0.0
    received: float = field(default_factory=time.monotonic)
    taken: bool = False
    """A request its level's consumer took (not a retry): it holds room in the intake."""
    placing: bool = False
    credit: Credit | None = None
    """What its claim changed in the priority counts, given back if the ledger refuses it."""
    future: asyncio.Future[Placement] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def level(self) -> Priority:
        return self.request.priority


def no_route_message(ticket: Ticket) -> str:
    """Why no deployment can take ``ticket``, for its requester."""
    request = ticket.request
    needs = ", ".join(f"{c.name}>={c.min_proficiency:g}" for c in request.capabilities)
    what = f"model group {request.model!r}" if request.model != "auto" else "any model group"
    return (
        f"no healthy {request.kind.value} deployment in {what}"
        + (f" with {needs}" if needs else "")
        + (f" (tried: {', '.join(sorted(ticket.exclude))})" if ticket.exclude else "")
    )
