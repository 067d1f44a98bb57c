"""Bad payloads for a subject: random bytes, truncated events, and JSON of the wrong shape.

A payload counts as bad for a subject only if no event published there would accept it (so
a lucky draw that happens to be valid is never expected in the dead-letter stream). The
draws come from one seeded ``random.Random``, so a failing run can be replayed by its seed.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from automatrix.shared.contracts import ALL_EVENTS, Event

KINDS = ("random-bytes", "truncated-event", "wrong-event", "wrong-json", "empty")


@dataclass(frozen=True)
class Payload:
    kind: str
    data: bytes


def matches(subject: str, pattern: str) -> bool:
    """NATS subject matching: ``*`` is one token, ``>`` the rest."""
    tokens, wanted = subject.split("."), pattern.split(".")
    for i, part in enumerate(wanted):
        if part == ">":
            return len(tokens) > i
        if i >= len(tokens) or part not in ("*", tokens[i]):
            return False
    return len(tokens) == len(wanted)


def events_on(subject: str) -> list[type[Event]]:
    """The events whose subject template covers ``subject``."""
    return [event for event in ALL_EVENTS if matches(subject, event.SUBJECT.wildcard)]


def accepted_by_any(data: bytes, events: list[type[Event]]) -> bool:
    for event in events:
        try:
            event.parse(data)
        except ValidationError:
            continue
        return True
    return False


class BadPayloads:
    """Draws bad payloads, seeded."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.examples = [json.loads(event.example().to_bytes()) for event in ALL_EVENTS]

    def draw(self, subject: str) -> Payload:
        """One payload no event on ``subject`` accepts."""
        events = events_on(subject)
        while True:
            payload = self._any()
            if not accepted_by_any(payload.data, events):
                return payload

    def _any(self) -> Payload:
        kind = self.rng.choice(KINDS)
        if kind == "random-bytes":
            return Payload(kind, self.rng.randbytes(self.rng.randint(1, 512)))
        if kind == "empty":
            return Payload(kind, b"")
        if kind == "truncated-event":
            whole = json.dumps(self.rng.choice(self.examples)).encode()
            return Payload(kind, whole[: self.rng.randrange(len(whole))])
        if kind == "wrong-event":  # a valid event of some type, on whatever subject
            return Payload(kind, json.dumps(self.rng.choice(self.examples)).encode())
        return Payload(kind, json.dumps(self._json(depth=0)).encode())

    def _json(self, depth: int) -> Any:
        choice = self.rng.randrange(7 if depth < 3 else 5)
        if choice == 0:
            return None
        if choice == 1:
            return self.rng.random() < 0.5
        if choice == 2:
            return self.rng.randint(-(2**70), 2**70)
        if choice == 3:
            return self.rng.uniform(-1e9, 1e9)
        if choice == 4:
            return "".join(
                chr(self.rng.randint(32, 0x2FFF)) for _ in range(self.rng.randint(0, 20))
            )
        if choice == 5:
            return [self._json(depth + 1) for _ in range(self.rng.randint(0, 4))]
        example = dict(self.rng.choice(self.examples))  # an event with a field broken
        field = self.rng.choice(sorted(example))
        example[field] = self._json(depth + 1)
        return example
