"""The fetch loop's handling of empty fetches (pure logic: a stand-in subscription)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from automatrix.shared.bus import Consumer, ConsumerSpec, Delivery
from automatrix.shared.contracts import TELEMETRY, DeadLetter, TelemetryEvent
from automatrix.shared.settings import BusSettings


class EmptyThenStop:
    """A pull subscription with nothing to deliver: times out like nats-py, then stops."""

    def __init__(self, timeouts: list[BaseException]) -> None:
        self.timeouts = timeouts

    async def fetch(self, batch: int, timeout: float) -> list[Any]:  # noqa: ASYNC109 (nats-py)
        if self.timeouts:
            raise self.timeouts.pop(0)
        raise asyncio.CancelledError


async def _never(_: TelemetryEvent, __: Delivery) -> None:
    raise AssertionError("nothing was delivered")


async def _no_letters(_: DeadLetter) -> None:
    raise AssertionError("nothing to dead-letter")


async def test_both_kinds_of_fetch_timeout_mean_nothing_yet_not_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import nats.errors

    consumer = Consumer(
        ConsumerSpec.on(TELEMETRY, "idle"),
        TelemetryEvent,
        _never,
        settings=BusSettings(),
        dead_letter=_no_letters,
    )
    # nats-py raises its own TimeoutError from a plain empty fetch, and asyncio's when a
    # batch fetch's deadline passes between its two pull requests.
    sub = EmptyThenStop([nats.errors.TimeoutError(), TimeoutError()])
    with caplog.at_level(logging.INFO), pytest.raises(asyncio.CancelledError):
        await consumer.run(sub, batch=16)  # type: ignore[arg-type]
    assert sub.timeouts == []
    assert caplog.records == []
