"""Request-reply methods between services over a real nats-server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from pydantic import BaseModel, Field
from redis.asyncio import Redis

from automatrix.shared.bus import Bus
from automatrix.shared.contracts import RpcErrorCode
from automatrix.shared.launcher.train_cli import bar, describe
from automatrix.shared.rpc import RpcClient, RpcFailure, RpcServer
from automatrix.shared.settings import BusSettings


class Add(BaseModel):
    model_config = {"extra": "forbid"}
    a: int
    b: int = Field(ge=0)


@pytest.fixture
async def bus(bus_settings: Callable[..., BusSettings], redis: Redis) -> AsyncIterator[Bus]:
    async with Bus(bus_settings(), name="tests-rpc", redis=redis) as bus:
        yield bus


@pytest.fixture
async def server(bus: Bus) -> AsyncIterator[RpcServer]:
    server = RpcServer(bus, "calc")

    async def add(params: Add) -> dict[str, int]:
        return {"sum": params.a + params.b}

    async def broken(_: BaseModel) -> None:
        raise RuntimeError("disk on fire")

    async def refuse(_: BaseModel) -> None:
        raise RpcFailure(RpcErrorCode.CONFLICT, "not now")

    server.method("add", add, Add)
    server.method("broken", broken)
    server.method("refuse", refuse)
    await server.start()
    yield server
    await server.stop()


async def test_a_call_returns_the_method_data(bus: Bus, server: RpcServer) -> None:
    assert await RpcClient(bus).call("calc", "add", {"a": 2, "b": 3}) == {"sum": 5}


async def test_errors_come_back_with_their_kind_and_fields(bus: Bus, server: RpcServer) -> None:
    client = RpcClient(bus)
    with pytest.raises(RpcFailure) as invalid:
        await client.call("calc", "add", {"a": "two", "b": -1, "c": 0})
    assert invalid.value.code is RpcErrorCode.INVALID
    assert sorted(tuple(f.loc) for f in invalid.value.fields) == [("a",), ("b",), ("c",)]
    with pytest.raises(RpcFailure) as missing:
        await client.call("calc", "divide", {})
    assert missing.value.code is RpcErrorCode.NOT_FOUND
    assert "add" in missing.value.message
    with pytest.raises(RpcFailure) as internal:
        await client.call("calc", "broken")
    assert internal.value.code is RpcErrorCode.INTERNAL
    assert "disk on fire" in internal.value.message
    with pytest.raises(RpcFailure) as conflict:
        await client.call("calc", "refuse")
    assert conflict.value.code is RpcErrorCode.CONFLICT


async def test_a_started_server_answers_callers_on_other_connections(bus: Bus) -> None:
    async def echo(params: Add) -> int:
        return params.a

    async with Bus(bus.settings, name="tests-rpc-caller") as caller:
        client = RpcClient(caller)
        for n in range(20):  # a fresh server each time, called the moment start returns
            server = RpcServer(bus, f"echo{n}")
            server.method("echo", echo, Add)
            await server.start()
            assert await client.call(f"echo{n}", "echo", {"a": n, "b": 0}) == n
            await server.stop()


async def test_no_replica_means_unavailable(bus: Bus) -> None:
    with pytest.raises(RpcFailure) as failure:
        await RpcClient(bus, timeout_s=1).call("nobody", "status")
    assert failure.value.code is RpcErrorCode.UNAVAILABLE


async def test_an_unparseable_call_is_answered_invalid(bus: Bus, server: RpcServer) -> None:
    msg = await bus.nc.request("ai.v1.rpc.calc.add", b"{not json", timeout=5)
    assert b'"invalid"' in msg.data


def test_progress_bar_lines() -> None:
    assert bar(3, 6, width=6) == "[###...] 3/6"
    assert bar(0, None, width=3) == "[???] 0"
    line = describe(
        {"event": "trial", "trial": 2, "step": 3, "total": 6, "metrics": {"cv_accuracy": 0.91}}
    )
    assert line.startswith("[")
    assert "trial 2" in line
    assert "cv_accuracy=0.91" in line
