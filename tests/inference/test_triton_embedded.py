"""The embedded Triton is a real Triton: tritonclient over HTTP and gRPC, our async client, stop."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient
from numpy.typing import NDArray

from automatrix.inference.models.minilm import (
    DIMENSIONS,
    EMBEDDING_OUTPUT,
    MODEL_NAME,
    TEXT_INPUT,
    MiniLMEncoder,
    minilm_spec,
)
from automatrix.inference.triton import (
    EmbeddedTriton,
    TritonClient,
    TritonError,
    TritonInferError,
    TritonModelNotReady,
    TritonUnavailable,
)
from automatrix.shared.contracts import ErrorKind
from automatrix.shared.natsserver import free_port

TEXTS = ["The cat sits on the mat.", "Triton serves models over HTTP and gRPC.", "naïve café ☕"]


def text_batch(texts: list[str]) -> NDArray[Any]:
    return np.array([[text.encode()] for text in texts], dtype=object)


def assert_embeddings(vectors: NDArray[Any], encoder: MiniLMEncoder, texts: list[str]) -> None:
    assert vectors.shape == (len(texts), DIMENSIONS)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors, encoder.encode(texts), atol=1e-5)


def test_tritonclient_http_infers_embeddings(
    embedded_triton: EmbeddedTriton, minilm_encoder: MiniLMEncoder
) -> None:
    client = httpclient.InferenceServerClient(embedded_triton.http_url)
    try:
        assert client.is_server_ready()
        assert client.is_model_ready(MODEL_NAME)
        tensor = httpclient.InferInput(TEXT_INPUT, [len(TEXTS), 1], "BYTES")
        tensor.set_data_from_numpy(text_batch(TEXTS))
        result = client.infer(MODEL_NAME, [tensor])
        assert_embeddings(result.as_numpy(EMBEDDING_OUTPUT), minilm_encoder, TEXTS)
    finally:
        client.close()


def test_tritonclient_grpc_infers_embeddings(
    embedded_triton: EmbeddedTriton, minilm_encoder: MiniLMEncoder
) -> None:
    client = grpcclient.InferenceServerClient(embedded_triton.grpc_url)
    try:
        assert client.is_server_ready()
        assert client.is_model_ready(MODEL_NAME)
        tensor = grpcclient.InferInput(TEXT_INPUT, [len(TEXTS), 1], "BYTES")
        tensor.set_data_from_numpy(text_batch(TEXTS))
        result = client.infer(MODEL_NAME, [tensor])
        assert_embeddings(result.as_numpy(EMBEDDING_OUTPUT), minilm_encoder, TEXTS)
    finally:
        client.close()


async def test_async_client_infers_and_reports_readiness(
    embedded_triton: EmbeddedTriton, minilm_encoder: MiniLMEncoder
) -> None:
    async with TritonClient(
        embedded_triton.grpc_url, headers=embedded_triton.grpc_headers()
    ) as client:
        assert await client.ready()
        assert await client.model_ready(MODEL_NAME)
        assert not await client.model_ready("no-such-model")
        out = await client.infer(MODEL_NAME, {TEXT_INPUT: text_batch(TEXTS)}, [EMBEDDING_OUTPUT])
        assert_embeddings(out[EMBEDDING_OUTPUT], minilm_encoder, TEXTS)
        index = {model.name: model for model in await client.repository_index()}
        assert index[MODEL_NAME].ready
        assert index[MODEL_NAME].version == "1"


async def test_repository_api_needs_the_servers_access_token(
    embedded_triton: EmbeddedTriton,
) -> None:
    async with TritonClient(embedded_triton.grpc_url) as client:
        assert await client.ready()
        with pytest.raises(TritonError) as denied:
            await client.repository_index()
    assert denied.value.kind is ErrorKind.AUTH
    assert "triton-grpc-protocol-triton-access-token" in str(denied.value)


async def test_errors_map_to_the_hierarchy(embedded_triton: EmbeddedTriton) -> None:
    async with TritonClient(embedded_triton.grpc_url) as client:
        with pytest.raises(TritonModelNotReady):
            await client.infer("no-such-model", {TEXT_INPUT: text_batch(TEXTS)}, [EMBEDDING_OUTPUT])
        with pytest.raises(TritonInferError) as wrong_type:
            await client.infer(
                MODEL_NAME, {TEXT_INPUT: np.ones((1, 1), np.float32)}, [EMBEDDING_OUTPUT]
            )
        assert wrong_type.value.kind is ErrorKind.BAD_REQUEST
    async with TritonClient(f"127.0.0.1:{free_port()}", timeout_s=5) as nobody:
        assert not await nobody.ready()
        with pytest.raises(TritonUnavailable) as unreachable:
            await nobody.infer(MODEL_NAME, {TEXT_INPUT: text_batch(TEXTS)}, [EMBEDDING_OUTPUT])
        assert unreachable.value.kind is ErrorKind.UNAVAILABLE


async def test_a_model_bound_while_running_serves_unbatched(
    embedded_triton: EmbeddedTriton, minilm_encoder: MiniLMEncoder
) -> None:
    name = "minilm-embed-unbatched-test"
    embedded_triton.bind(minilm_spec(False, name=name, encoder=minilm_encoder))
    async with TritonClient(
        embedded_triton.grpc_url, headers=embedded_triton.grpc_headers()
    ) as client:
        assert await client.model_ready(name)
        out = await client.infer(name, {TEXT_INPUT: text_batch(TEXTS)}, [EMBEDDING_OUTPUT])
        assert_embeddings(out[EMBEDDING_OUTPUT], minilm_encoder, TEXTS)
        assert name in {model.name for model in await client.repository_index()}
        await client.unload(name)
        assert not await client.model_ready(name)


def test_stop_is_fast_and_clean_with_a_client_connection_left_open(
    tmp_path: Path, minilm_encoder: MiniLMEncoder
) -> None:
    server = EmbeddedTriton(tmp_path)
    server.start([minilm_spec(encoder=minilm_encoder)])
    lingering = httpclient.InferenceServerClient(server.http_url)
    try:
        assert lingering.is_model_ready(MODEL_NAME)
        started = time.monotonic()
        server.stop()
        took = time.monotonic() - started
    finally:
        lingering.close()
    log = server.log_file.read_text()
    assert "Exit timeout expired" not in log
    assert f"successfully unloaded '{MODEL_NAME}'" in log
    # Before stop() unloaded models first, tritonserver waited out its 30 s exit timeout here.
    assert took < 10, f"stop took {took:.1f}s"
    assert not server.running
    with pytest.raises(Exception, match=r"(?i)connect|refused"):
        httpclient.InferenceServerClient(server.http_url).is_server_live()
