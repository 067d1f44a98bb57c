"""The cache's query embedder: the direct path while it answers, the routed path otherwise."""

from __future__ import annotations

from collections.abc import Callable

from nats.aio.msg import Msg

from automatrix.orchestrator.adapters.embedder import QueryEmbedder
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import EMBED, EmbedReply, EmbedRequested
from automatrix.shared.settings import BusSettings


async def test_direct_when_answered_else_routed(
    bus_settings: Callable[..., BusSettings],
) -> None:
    routed_calls: list[str] = []

    async def routed(text: str, tenant: str) -> list[float]:
        routed_calls.append(text)
        return [0.0, 1.0]

    async with Bus(bus_settings(), name="embedder-test") as bus:
        embedder = QueryEmbedder(bus, "m", routed, timeout_s=1.0)
        assert await embedder("first", "t1") == [0.0, 1.0]  # no responder yet: routed
        assert routed_calls == ["first"]

        async def answer(msg: Msg) -> None:
            request = EmbedRequested.parse(msg.data)
            assert request.tenant == "t1"
            vectors = [[1.0, float(len(text))] for text in request.input]
            await bus.nc.publish(
                msg.reply, EmbedReply(embeddings=vectors).model_dump_json().encode()
            )

        await bus.nc.subscribe(EMBED.format(model="m"), cb=answer)
        embedder._direct_down_until = 0.0  # as after RETRY_DIRECT_AFTER_S
        assert await embedder("second", "t1") == [1.0, 6.0]
        assert routed_calls == ["first"]
