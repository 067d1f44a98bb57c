"""Priority scheduling under contention: order across levels, FIFO within, no starvation."""

from __future__ import annotations

import itertools
from typing import Any

from automatrix.shared.contracts import InferenceCompleted, Priority
from tests.support.scripted import ScriptedDeployment, until_held


async def test_critical_requests_overtake_queued_normal_ones(world: Any) -> None:
    busy = ScriptedDeployment("busy", concurrency=1)
    w = await world([busy])
    busy.gate.clear()
    first = await w.request(priority=Priority.NORMAL)
    await until_held(busy, 1)
    normals = [await w.request(f"n{i:02d}", priority=Priority.NORMAL) for i in range(10)]
    await w.waiting(Priority.NORMAL, 10)
    criticals = [await w.request(f"c{i:02d}", priority=Priority.CRITICAL) for i in range(3)]
    await w.waiting(Priority.CRITICAL, 3)
    busy.gate.set()
    for request_id in [first, *normals, *criticals]:
        assert isinstance(await w.result(request_id), InferenceCompleted)

    order = [d.request_id for d in busy.received]
    assert order[0] == first
    assert order[1:4] == criticals, order
    assert order[4:] == normals, "FIFO within a level"
    assert busy.peak == 1, "the concurrency limit held"


async def test_low_priority_progresses_under_sustained_high_priority_load(world: Any) -> None:
    busy = ScriptedDeployment("busy", concurrency=1)
    w = await world([busy], relay_starvation_limit=4)
    busy.gate.clear()
    first = await w.request(priority=Priority.HIGH)
    await until_held(busy, 1)
    highs = [await w.request(f"h{i:02d}", priority=Priority.HIGH) for i in range(30)]
    lows = [await w.request(f"l{i}", priority=Priority.LOW) for i in range(3)]
    await w.waiting(Priority.HIGH, 30)
    await w.waiting(Priority.LOW, 3)
    busy.gate.set()
    for request_id in [first, *highs, *lows]:
        assert isinstance(await w.result(request_id), InferenceCompleted)

    order = [d.request_id for d in busy.received]
    positions = [order.index(low) for low in lows]
    last_high = max(order.index(high) for high in highs)
    # Every low request went while high-priority work was still waiting, about one in
    # every starvation_limit + 1 dispatches.
    assert all(position < last_high for position in positions), order
    assert positions == sorted(positions)
    assert positions[0] <= 6, order
    assert all(b - a <= 6 for a, b in itertools.pairwise(positions)), order
