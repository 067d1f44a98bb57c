"""``minilm-embed`` as served by Triton matches sentence-transformers (cosine ≥ 0.999, unit norm).

The reference vectors come from real sentence-transformers (with torch, outside the lock
file): ``scripts/minilm_reference.py`` wrote ``fixtures/minilm_reference.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from numpy.typing import NDArray
from onnx import TensorProto, helper

from automatrix.inference.models.bert_onnx import ATTENTION_MASK, INPUT_IDS, TOKEN_EMBEDDINGS
from automatrix.inference.models.minilm import (
    EMBEDDING_OUTPUT,
    MODEL_NAME,
    TEXT_INPUT,
    MiniLMEncoder,
    onnx_model,
    weights_sha256,
)
from automatrix.inference.triton import EmbeddedTriton, TritonClient

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"
MIN_COSINE = 0.999
NORM_TOLERANCE = 1e-3


def load_reference(path: Path = FIXTURE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return load_reference()


def mismatches(vectors: NDArray[Any], expected: NDArray[Any]) -> list[int]:
    """Rows that are not the reference: cosine below 0.999, or not of unit length."""
    norms = np.linalg.norm(vectors, axis=1)
    cosine = (vectors * expected).sum(axis=1) / (norms * np.linalg.norm(expected, axis=1))
    bad = (cosine < MIN_COSINE) | (np.abs(norms - 1.0) > NORM_TOLERANCE)
    return [int(i) for i in np.flatnonzero(bad)]


def test_reference_was_made_from_the_installed_weights(reference: dict[str, Any]) -> None:
    assert reference["safetensors_sha256"] == weights_sha256(), (
        "model.safetensors changed: regenerate the fixture (scripts/minilm_reference.py)"
    )
    assert reference["max_seq_length"] == 256
    counts = reference["token_counts"]
    assert max(counts) == 256, "the set must hold a text truncated at 256 tokens"
    assert any(128 < count < 256 for count in counts), "and one between 128 and 256 tokens"


async def test_served_vectors_match_sentence_transformers(
    embedded_triton: EmbeddedTriton, reference: dict[str, Any]
) -> None:
    sentences: list[str] = reference["sentences"]
    expected = np.array(reference["embeddings"], dtype=np.float32)
    texts = np.array([[s.encode()] for s in sentences], dtype=object)
    async with TritonClient(embedded_triton.grpc_url) as client:
        together = await client.infer(MODEL_NAME, {TEXT_INPUT: texts}, [EMBEDDING_OUTPUT])
        one_by_one = [
            (await client.infer(MODEL_NAME, {TEXT_INPUT: texts[i : i + 1]}, [EMBEDDING_OUTPUT]))[
                EMBEDDING_OUTPUT
            ]
            for i in range(len(sentences))
        ]
    assert together[EMBEDDING_OUTPUT].shape == expected.shape
    assert mismatches(together[EMBEDDING_OUTPUT], expected) == []
    assert mismatches(np.concatenate(one_by_one), expected) == []


def _token_embeddings(
    encoder: MiniLMEncoder, graph: Path, texts: list[str]
) -> tuple[NDArray[Any], NDArray[Any]]:
    """The encoder's per-token output and the attention mask, for one padded batch."""
    model = onnx.load(str(graph))
    model.graph.output.append(
        helper.make_tensor_value_info(TOKEN_EMBEDDINGS, TensorProto.FLOAT, None)
    )
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    encodings = encoder.tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    (tokens,) = session.run([TOKEN_EMBEDDINGS], {INPUT_IDS: ids, ATTENTION_MASK: mask})
    return np.asarray(tokens), mask.astype(np.float32)[:, :, None]


def _unit(vectors: NDArray[Any]) -> NDArray[Any]:
    unit: NDArray[Any] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return unit


def test_the_check_catches_a_drifting_model(
    minilm_encoder: MiniLMEncoder, onnx_cache: Path, reference: dict[str, Any]
) -> None:
    sentences: list[str] = reference["sentences"]
    expected = np.array(reference["embeddings"], dtype=np.float32)
    tokens, mask = _token_embeddings(minilm_encoder, onnx_model(onnx_cache), sentences)
    masked_mean = (tokens * mask).sum(axis=1) / mask.sum(axis=1)
    assert mismatches(_unit(masked_mean), expected) == []

    padded = [i for i, row in enumerate(mask[:, :, 0]) if row.min() == 0]
    unmasked = mismatches(_unit(tokens.mean(axis=1)), expected)
    assert unmasked, "pooling over padding must fail the check"
    assert set(unmasked) <= set(padded)
    assert mismatches(masked_mean, expected) == list(range(len(sentences))), (
        "dropping the final normalisation must fail the check"
    )

    truncating = MiniLMEncoder(onnx_cache)
    truncating.tokenizer.enable_truncation(max_length=128)  # tokenizer.json's own limit
    too_short = mismatches(truncating.encode(sentences), expected)
    assert {i for i, n in enumerate(reference["token_counts"]) if n > 128} <= set(too_short)
