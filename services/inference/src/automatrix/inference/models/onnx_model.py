"""A generic ONNX model (published by neuroweaver) run by onnxruntime inside a PyTriton model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from numpy.typing import NDArray
from pytriton.decorators import batch
from pytriton.model_config import Tensor

from automatrix.inference.triton.embedded import LocalModelSpec

DEFAULT_MAX_BATCH_SIZE = 64


class InvalidOnnxModel(ValueError):  # noqa: N818  (names what it is: a rejected artifact)
    """The bytes are not a model onnxruntime can run, or its graph cannot be served batched."""


def triton_name(name: str, version: int, binding: int = 0) -> str:
    """The Triton model name of one bound version; ``binding`` counts rebinds of that version."""
    base = f"{name}-v{version}"
    return base if binding == 0 else f"{base}-b{binding}"


@dataclass(frozen=True)
class OnnxTensor:
    """One graph input or output: name, numpy dtype and shape without the batch dimension."""

    name: str
    dtype: type[np.generic]
    shape: tuple[int, ...]

    def triton(self) -> Tensor:
        return Tensor(name=self.name, dtype=self.dtype, shape=self.shape)


def _tensors(values: Any, kind: str) -> list[OnnxTensor]:
    tensors = []
    for value in values:
        tensor_type = value.type.tensor_type
        if not value.type.HasField("tensor_type") or not tensor_type.HasField("shape"):
            raise InvalidOnnxModel(f"{kind} {value.name!r} is not a tensor of known rank")
        dims = [dim.dim_value if dim.HasField("dim_value") else -1 for dim in tensor_type.shape.dim]
        if not dims or dims[0] != -1:
            raise InvalidOnnxModel(f"{kind} {value.name!r} has no dynamic batch dimension")
        dtype = onnx.helper.tensor_dtype_to_np_dtype(tensor_type.elem_type)
        if dtype.kind in "OSU":
            dtype = np.dtype(np.bytes_)
        tensors.append(OnnxTensor(value.name, dtype.type, tuple(dims[1:])))
    return tensors


class OnnxModel:
    """An onnxruntime session over the artifact's bytes, and its graph's inputs and outputs."""

    def __init__(self, artifact: bytes, *, intra_op_threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            graph = onnx.load_model_from_string(artifact)
            self.session = ort.InferenceSession(
                artifact, options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # protobuf and onnxruntime raise several unrelated types
            raise InvalidOnnxModel(f"not a loadable ONNX model: {exc}") from exc
        initializers = {init.name for init in graph.graph.initializer}
        self.inputs = _tensors(
            (value for value in graph.graph.input if value.name not in initializers), "input"
        )
        self.outputs = _tensors(graph.graph.output, "output")
        self.output_names = [tensor.name for tensor in self.outputs]
        self._strings = {tensor.name for tensor in self.inputs if tensor.dtype is np.bytes_}

    def run(self, inputs: dict[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
        """One batched run: every array carries the batch dimension first.

        Triton hands string tensors over as UTF-8 bytes; onnxruntime reads bytes as they
        are, not as text, so they are decoded here.
        """
        inputs = {
            name: _decoded(array) if name in self._strings else array
            for name, array in inputs.items()
        }
        results = self.session.run(self.output_names, inputs)
        return {
            name: np.asarray(array) for name, array in zip(self.output_names, results, strict=True)
        }


def _decoded(array: NDArray[Any]) -> NDArray[Any]:
    """``str`` objects in place of UTF-8 ``bytes`` (undecodable bytes become U+FFFD)."""
    texts = [
        value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        for value in array.ravel().tolist()
    ]
    return np.array(texts, dtype=object).reshape(array.shape)


def infer_function(model: OnnxModel) -> Callable[..., Any]:
    """PyTriton infer callable: named input arrays in, named output arrays out, batched."""

    @batch  # type: ignore[untyped-decorator]
    def infer(**inputs: NDArray[Any]) -> dict[str, NDArray[Any]]:
        return model.run(inputs)

    batched: Callable[..., Any] = infer
    return batched


def onnx_spec(
    artifact: bytes,
    *,
    name: str,
    max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
    max_queue_delay_us: int = 0,
    model: OnnxModel | None = None,
) -> LocalModelSpec:
    """The spec binding ``artifact`` as Triton model ``name``, dynamic batching on."""
    model = model or OnnxModel(artifact)
    return LocalModelSpec(
        name=name,
        infer_func=infer_function(model),
        inputs=[tensor.triton() for tensor in model.inputs],
        outputs=[tensor.triton() for tensor in model.outputs],
        max_batch_size=max_batch_size,
        dynamic_batching=True,
        max_queue_delay_us=max_queue_delay_us,
    )
