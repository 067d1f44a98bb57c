"""With ``TRITON_URL`` set, the service serves through that Triton instead of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from automatrix.inference.app import create_app
from automatrix.inference.settings import Settings
from automatrix.inference.triton import EmbeddedTriton
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import InferenceCompleted
from automatrix.shared.settings import BusSettings
from tests.support.requester import Inbox, dispatched

pytestmark = pytest.mark.timeout(120)


async def test_an_external_triton_serves_the_local_embedding_deployment(
    embedded_triton: EmbeddedTriton,
    bus_settings: Callable[..., BusSettings],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The "external" server is a real Triton started apart from the service (as the
    # official container would be); it serves minilm-embed only, so gemma is switched off.
    monkeypatch.setenv("AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_ENABLED", "false")
    base = bus_settings()
    settings = Settings(
        nats_url=base.nats_url,
        redis_url=base.redis_url,
        bus_namespace=base.bus_namespace,
        state_dir=tmp_path / "inference",
        triton_url=embedded_triton.grpc_url,
    )
    service = create_app(settings)
    client = Bus(base, name="tests-requester")
    inbox = Inbox()
    inbox.listen(client)
    await service.start()
    try:
        report = await service.readiness.report()
        assert report["ready"], report
        triton = report["checks"]["triton"]  # type: ignore[index]
        assert triton["detail"].startswith(f"external at {embedded_triton.grpc_url}")
        async with client:
            texts = ["served elsewhere", "same vectors"]
            await client.publish(
                dispatched("minilm-embed", "req-ext", kind="embedding", input=texts)
            )
            result = await inbox.result("req-ext")
    finally:
        await service.stop()
    assert embedded_triton.running, "stopping the service must leave an external Triton alone"
    assert isinstance(result, InferenceCompleted)
    assert result.embeddings is not None
    assert np.array(result.embeddings).shape == (2, 384)
