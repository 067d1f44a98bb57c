"""End to end: relaycore routes to the real inference service (embedded Triton, MiniLM)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from automatrix.inference.app import create_app as create_inference
from automatrix.inference.settings import Settings as InferenceSettings
from automatrix.shared.contracts import CapabilityRequirement, InferenceCompleted, RequestKind

pytestmark = pytest.mark.slow


async def test_an_embedding_request_is_routed_to_minilm_and_served(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_ENABLED", "false")
    w = await world([])
    inference = create_inference(
        InferenceSettings(
            nats_url=w.settings.nats_url,
            redis_url=w.settings.redis_url,
            bus_namespace=w.settings.bus_namespace,
            state_dir=tmp_path / "inference",
            heartbeat_interval_s=1.0,
        )
    )
    await inference.start()
    try:
        await w.registered("minilm-embed")
        request_id = await w.request(
            kind=RequestKind.EMBEDDING,
            input=["routing by capability", "second text"],
            capabilities=[CapabilityRequirement(name="embedding", min_proficiency=0.9)],
        )
        result = await w.result(request_id, within=60)
    finally:
        await inference.stop()
    assert isinstance(result, InferenceCompleted)
    assert result.deployment == "minilm-embed"
    assert result.embeddings is not None
    assert len(result.embeddings) == 2
    assert len(result.embeddings[0]) == 384
