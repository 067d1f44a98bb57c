"""Errors a handler raises to steer the bus."""

from __future__ import annotations


class BusError(RuntimeError):
    """The bus could not do what was asked."""


class PublishError(BusError):
    """Neither JetStream nor the Redis fallback accepted the event."""


class RejectMessage(Exception):  # noqa: N818 - a control signal, not an error condition
    """Raise in a handler for a message that can never succeed: it is dead-lettered at once."""
