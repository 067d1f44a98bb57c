"""Build an ONNX graph of a BERT sentence encoder from its safetensors weights, without PyTorch."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from numpy.typing import NDArray
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

OPSET = 18
INPUT_IDS = "input_ids"
ATTENTION_MASK = "attention_mask"
EMBEDDING = "embedding"
TOKEN_EMBEDDINGS = "token_embeddings"


@dataclass(frozen=True)
class BertShape:
    """The hyper-parameters the graph needs, read from a Hugging Face ``config.json``."""

    hidden: int
    heads: int
    layers: int
    layer_norm_eps: float

    @classmethod
    def from_config(cls, path: Path) -> BertShape:
        """Read ``config.json``; refuse activations other than the erf GELU this graph builds."""
        config = json.loads(path.read_text())
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported hidden_act {config['hidden_act']!r}")
        return cls(
            hidden=int(config["hidden_size"]),
            heads=int(config["num_attention_heads"]),
            layers=int(config["num_hidden_layers"]),
            layer_norm_eps=float(config["layer_norm_eps"]),
        )


class _Graph:
    """Accumulates nodes and initializers with unique names."""

    def __init__(self, weights: dict[str, NDArray[Any]]) -> None:
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._names: set[str] = set()
        self._count = 0

    def const(self, name: str, value: NDArray[Any]) -> str:
        """An initializer; a name already added is reused (shared scalars)."""
        if name not in self._names:
            self._names.add(name)
            self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, key: str, transpose: bool = False) -> str:
        value = self.weights[key].astype(np.float32)
        return self.const(key, np.ascontiguousarray(value.T if transpose else value))

    def op(self, op_type: str, inputs: list[str], **attrs: Any) -> str:
        self._count += 1
        out = f"{op_type.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def linear(self, x: str, prefix: str) -> str:
        """``x @ W.T + b`` for a PyTorch ``nn.Linear`` stored as ``[out, in]``."""
        product = self.op("MatMul", [x, self.weight(f"{prefix}.weight", transpose=True)])
        return self.op("Add", [product, self.weight(f"{prefix}.bias")])

    def layer_norm(self, x: str, prefix: str, eps: float) -> str:
        scale, bias = self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias")
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)


def _embeddings(g: _Graph, shape: BertShape) -> str:
    """Word + position + token-type (all type 0) embeddings, then LayerNorm."""
    words = g.op("Gather", [g.weight("embeddings.word_embeddings.weight"), INPUT_IDS])
    length = g.op("Gather", [g.op("Shape", [INPUT_IDS]), g.const("one", np.array(1, np.int64))])
    positions = g.op("Range", [g.const("zero", np.array(0, np.int64)), length, "one"])
    position_emb = g.op("Gather", [g.weight("embeddings.position_embeddings.weight"), positions])
    token_type = g.weights["embeddings.token_type_embeddings.weight"][0].astype(np.float32)
    summed = g.op("Add", [g.op("Add", [words, position_emb]), g.const("token_type_0", token_type)])
    return g.layer_norm(summed, "embeddings.LayerNorm", shape.layer_norm_eps)


def _attention(g: _Graph, x: str, prefix: str, mask_bias: str, shape: BertShape) -> str:
    """Multi-head self-attention with the padding mask added to the scores."""
    head_dim = shape.hidden // shape.heads
    split = g.const(f"{prefix}.split_shape", np.array([0, 0, shape.heads, head_dim], np.int64))

    def heads(name: str, perm: list[int]) -> str:
        projected = g.linear(x, f"{prefix}.self.{name}")
        return g.op("Transpose", [g.op("Reshape", [projected, split])], perm=perm)

    query = heads("query", [0, 2, 1, 3])
    key = heads("key", [0, 2, 3, 1])
    value = heads("value", [0, 2, 1, 3])
    scale = g.const(f"{prefix}.scale", np.array(1.0 / math.sqrt(head_dim), np.float32))
    scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [query, key]), scale]), mask_bias])
    context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), value])
    merged = g.op(
        "Reshape",
        [
            g.op("Transpose", [context], perm=[0, 2, 1, 3]),
            g.const(f"{prefix}.merge_shape", np.array([0, 0, shape.hidden], np.int64)),
        ],
    )
    out = g.op("Add", [g.linear(merged, f"{prefix}.output.dense"), x])
    return g.layer_norm(out, f"{prefix}.output.LayerNorm", shape.layer_norm_eps)


def _gelu(g: _Graph, x: str) -> str:
    """The exact (erf) GELU BERT uses: ``0.5 x (1 + erf(x / sqrt 2))``."""
    erf = g.op("Erf", [g.op("Div", [x, g.const("sqrt2", np.array(math.sqrt(2.0), np.float32))])])
    half = g.const("half", np.array(0.5, np.float32))
    return g.op(
        "Mul",
        [g.op("Mul", [x, half]), g.op("Add", [erf, g.const("unit", np.array(1.0, np.float32))])],
    )


def _layer(g: _Graph, x: str, index: int, mask_bias: str, shape: BertShape) -> str:
    prefix = f"encoder.layer.{index}"
    attended = _attention(g, x, f"{prefix}.attention", mask_bias, shape)
    hidden = _gelu(g, g.linear(attended, f"{prefix}.intermediate.dense"))
    out = g.op("Add", [g.linear(hidden, f"{prefix}.output.dense"), attended])
    return g.layer_norm(out, f"{prefix}.output.LayerNorm", shape.layer_norm_eps)


def build_encoder(weights_path: Path, config_path: Path) -> onnx.ModelProto:
    """The encoder, masked mean pooling and L2 normalisation as one ONNX model."""
    shape = BertShape.from_config(config_path)
    g = _Graph(load_file(str(weights_path)))
    mask = g.op("Cast", [ATTENTION_MASK], to=TensorProto.FLOAT)
    # Padding keys get a large negative score (HF uses the dtype's minimum) so softmax ignores them.
    blocked = g.op("Sub", [g.const("unit_mask", np.array(1.0, np.float32)), mask])
    mask_bias = g.op(
        "Unsqueeze",
        [
            g.op("Mul", [blocked, g.const("neg", np.array(np.finfo(np.float32).min, np.float32))]),
            g.const("mask_axes", np.array([1, 2], np.int64)),
        ],
    )
    x = _embeddings(g, shape)
    for index in range(shape.layers):
        x = _layer(g, x, index, mask_bias, shape)
    # Named, so a test can expose the encoder's output and check the pooling on its own.
    g.nodes.append(helper.make_node("Identity", [x], [TOKEN_EMBEDDINGS], name=TOKEN_EMBEDDINGS))
    x = TOKEN_EMBEDDINGS
    token_mask = g.op("Unsqueeze", [mask, g.const("last_axis", np.array([-1], np.int64))])
    axis1 = g.const("axis1", np.array([1], np.int64))
    summed = g.op("ReduceSum", [g.op("Mul", [x, token_mask]), axis1], keepdims=0)
    counts = g.op(
        "Max",
        [
            g.op("ReduceSum", [token_mask, axis1], keepdims=0),
            g.const("tiny", np.array(1e-9, np.float32)),
        ],
    )
    mean = g.op("Div", [summed, counts])
    norm = g.op(
        "Max",
        [
            g.op("ReduceL2", [mean, g.const("axis_last", np.array([-1], np.int64))], keepdims=1),
            g.const("eps", np.array(1e-12, np.float32)),
        ],
    )
    g.nodes.append(helper.make_node("Div", [mean, norm], [EMBEDDING], name="normalise"))
    graph = helper.make_graph(
        g.nodes,
        "bert_sentence_encoder",
        inputs=[
            helper.make_tensor_value_info(INPUT_IDS, TensorProto.INT64, ["batch", "sequence"]),
            helper.make_tensor_value_info(ATTENTION_MASK, TensorProto.INT64, ["batch", "sequence"]),
        ],
        outputs=[
            helper.make_tensor_value_info(EMBEDDING, TensorProto.FLOAT, ["batch", shape.hidden])
        ],
        initializer=g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model
