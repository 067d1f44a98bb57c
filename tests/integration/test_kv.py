"""The watched key-value store: sees every write, closes at once, connection still usable."""

from __future__ import annotations

import asyncio

import nats
from nats.js.api import KeyValueConfig

from automatrix.shared.contracts import DeploymentRecord
from automatrix.shared.contracts.registry import DEPLOYMENTS
from automatrix.shared.kv import KeyValueStore
from automatrix.shared.natsserver import NatsServer
from tests.support.processes import wait_until


async def test_the_watch_sees_other_writers_and_close_returns_at_once(
    nats_server: NatsServer,
) -> None:
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await js.create_key_value(KeyValueConfig(bucket=DEPLOYMENTS.name, history=5))
        kv = await js.key_value(DEPLOYMENTS.name)
        first = DeploymentRecord.example(name="before")
        await kv.put(first.name, first.model_dump_json().encode())
        store = KeyValueStore(DEPLOYMENTS, DeploymentRecord)
        await store.open(js)
        assert set(store.values) == {"before"}  # loaded before open returns
        second = DeploymentRecord.example(name="after")
        await kv.put(second.name, second.model_dump_json().encode())

        async def seen() -> bool:
            return "after" in store.values

        await wait_until(seen, within=5, what="the watch to see a later write")
        racing = DeploymentRecord.example(name="racing")
        await store.mutate(racing.name, lambda _: racing)  # its update arrives as we close
        async with asyncio.timeout(5):  # it used to hang here: a cancel lost in wait_for
            await store.close()
        third = DeploymentRecord.example(name="closed")
        async with asyncio.timeout(5):  # and the connection still serves JetStream
            await kv.put(third.name, third.model_dump_json().encode())
        assert "closed" not in store.values
    finally:
        await nc.close()
