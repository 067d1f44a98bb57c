"""Small ONNX graphs written out from fitted linear models (no converter in between), and
running any graph neuroweaver exported, as its promotion gate scores them.

Both models neuroweaver fits for insights are linear, so their graphs are a few nodes each,
checked with the ONNX checker and with a batch dimension the inference service can batch on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from numpy.typing import NDArray
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
PRODUCER = "automatrix-neuroweaver"


@dataclass(frozen=True)
class TrainedGraph:
    """A fitted model as its ONNX graph, with its held-out metrics and its parameters."""

    onnx: bytes
    metrics: dict[str, float]
    params: dict[str, Any]


Inputs = Mapping[str, NDArray[Any]]


def run_graph(
    artifact: bytes,
    inputs: Inputs | Callable[[frozenset[str]], Inputs],
    output: str | None = None,
) -> NDArray[Any]:
    """One run of ``artifact`` with onnxruntime: ``output`` (default: the first one).

    ``inputs`` may be a function of the graph's input names, for inputs that differ between
    versions of a model (the router's text input, say).
    """
    session = ort.InferenceSession(artifact, providers=["CPUExecutionProvider"])
    if callable(inputs):
        inputs = inputs(frozenset(given.name for given in session.get_inputs()))
    result = session.run(None if output is None else [output], dict(inputs))[0]
    return np.asarray(result)


def softmax_classifier(
    *,
    mean: NDArray[np.float64],
    scale: NDArray[np.float64],
    coef: NDArray[np.float64],
    intercept: NDArray[np.float64],
    input_name: str,
    output_name: str,
) -> bytes:
    """``softmax(((x - mean) / scale) @ coef.T + intercept)``: [N, F] to probabilities [N, C]."""
    classes, features = coef.shape
    nodes = [
        helper.make_node("Sub", [input_name, "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "scale"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "weights"], ["product"]),
        helper.make_node("Add", ["product", "bias"], ["logits"]),
        helper.make_node("Softmax", ["logits"], [output_name], axis=1),
    ]
    initializers = [
        _const("mean", mean),
        _const("scale", scale),
        _const("weights", coef.T),
        _const("bias", intercept),
    ]
    return _model(nodes, initializers, input_name, features, output_name, classes)


def scaled_lag_regressor(
    *, coef: NDArray[np.float64], intercept: float, input_name: str, output_name: str
) -> bytes:
    """Next value from lags, on the lags' own scale: ``s = mean(x) + 1``,
    ``max(0, s * ((x / s) @ coef + intercept))``: [N, L] to [N, 1]."""
    lags = coef.shape[0]
    nodes = [
        helper.make_node("ReduceMean", [input_name], ["level"], axes=[1], keepdims=1),
        helper.make_node("Add", ["level", "one"], ["unit"]),
        helper.make_node("Div", [input_name, "unit"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "weights"], ["product"]),
        helper.make_node("Add", ["product", "bias"], ["relative"]),
        helper.make_node("Mul", ["relative", "unit"], ["raw"]),
        helper.make_node("Relu", ["raw"], [output_name]),
    ]
    initializers = [
        _const("one", np.array([1.0])),
        _const("weights", coef.reshape(lags, 1)),
        _const("bias", np.array([intercept])),
    ]
    return _model(nodes, initializers, input_name, lags, output_name, 1)


def _const(name: str, values: NDArray[np.float64]) -> TensorProto:
    return numpy_helper.from_array(np.asarray(values, dtype=np.float32), name)


def _model(
    nodes: list[onnx.NodeProto],
    initializers: list[TensorProto],
    input_name: str,
    width: int,
    output_name: str,
    outputs: int,
) -> bytes:
    graph = helper.make_graph(
        nodes,
        output_name,
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [None, width])],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, [None, outputs])],
        initializer=initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name=PRODUCER
    )
    model.ir_version = 8  # what onnxruntime 1.16 and later read
    onnx.checker.check_model(model, full_check=True)
    serialized: bytes = model.SerializeToString()
    return serialized
