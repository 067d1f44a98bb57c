"""One embedded Triton serving ``minilm-embed`` for the whole session, and the encoder behind it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from automatrix.inference.models.minilm import MiniLMEncoder, minilm_spec
from automatrix.inference.triton import EmbeddedTriton


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this session builds the ONNX graph (once)."""
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="session")
def minilm_encoder(onnx_cache: Path) -> MiniLMEncoder:
    return MiniLMEncoder(onnx_cache)


@pytest.fixture(scope="session")
def embedded_triton(
    tmp_path_factory: pytest.TempPathFactory, minilm_encoder: MiniLMEncoder
) -> Iterator[EmbeddedTriton]:
    """A real embedded Triton on free ports with ``minilm-embed`` (dynamic batching on)."""
    server = EmbeddedTriton(tmp_path_factory.mktemp("triton-state"))
    server.start([minilm_spec(encoder=minilm_encoder)])
    yield server
    server.stop()
