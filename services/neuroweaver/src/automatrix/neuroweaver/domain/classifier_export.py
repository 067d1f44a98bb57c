"""The trained classifier as one ONNX graph, the artifact the inference service serves.

Every sklearn head is converted on its own by skl2onnx, prefixed, and wired to the graph's
inputs: ``embedding`` [N, 384], and ``text`` [N, 1] when the words are used. The outputs are
``capability_probs`` [N, 7] and ``tier_probs`` [N, 3], blended as ``probabilities`` blends.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import onnx
from onnx import helper, numpy_helper
from skl2onnx import to_onnx  # type: ignore[import-untyped]
from skl2onnx.common.data_types import FloatTensorType  # type: ignore[import-untyped]

from automatrix.neuroweaver.domain.classifier import (
    CAPABILITY_OUTPUT,
    DIMENSIONS,
    INPUT_NAME,
    TARGET_OPSET,
    TIER_OUTPUT,
    Trained,
)
from automatrix.neuroweaver.domain.text_head import TEXT_INPUT, TextHeads, text_graphs


def _converted_head(model: Any, prefix: str) -> onnx.ModelProto:
    with warnings.catch_warnings():
        # skl2onnx reads SVC.probA_/probB_, deprecated in sklearn 1.9; they are empty here
        # because calibration, not libsvm, makes the probabilities.
        warnings.simplefilter("ignore", FutureWarning)
        converted = to_onnx(
            model,
            initial_types=[(INPUT_NAME, FloatTensorType([None, DIMENSIONS]))],
            options={id(model): {"zipmap": False}},
            target_opset=TARGET_OPSET,
        )
    prefixed: onnx.ModelProto = onnx.compose.add_prefix(converted, prefix)
    return prefixed


def _wired(head: onnx.ModelProto, sources: Sequence[str], output: str) -> list[onnx.NodeProto]:
    """``head``'s nodes, its inputs fed from ``sources``, its probabilities named ``output``."""
    # skl2onnx names a classifier's outputs "label" and "probabilities"; only the latter is kept.
    (probabilities,) = (o.name for o in head.graph.output if o.name.endswith("probabilities"))
    return [
        *(
            helper.make_node("Identity", [source], [value.name])
            for source, value in zip(sources, head.graph.input, strict=True)
        ),
        *head.graph.node,
        helper.make_node("Identity", [probabilities], [output]),
    ]


def _blend(
    embedding: str, words: str, weight: float, output: str
) -> tuple[list[onnx.NodeProto], list[onnx.TensorProto]]:
    """``output = (1 - weight) * embedding + weight * words``, as in ``probabilities``."""
    weights = [
        numpy_helper.from_array(np.array(1 - weight, dtype=np.float32), f"{output}_w_embedding"),
        numpy_helper.from_array(np.array(weight, dtype=np.float32), f"{output}_w_words"),
    ]
    nodes = [
        helper.make_node("Mul", [embedding, weights[0].name], [f"{output}_from_embedding"]),
        helper.make_node("Mul", [words, weights[1].name], [f"{output}_from_words"]),
        helper.make_node("Add", [f"{output}_from_embedding", f"{output}_from_words"], [output]),
    ]
    return nodes, weights


def _text_part(
    text: TextHeads, weight: float
) -> tuple[list[onnx.ModelProto], list[onnx.NodeProto], list[onnx.TensorProto]]:
    """The word graphs and the nodes that blend both views into the two outputs."""
    vectorizer, capability, tier = (
        onnx.compose.add_prefix(graph, prefix)
        for graph, prefix in zip(
            text_graphs(text, TARGET_OPSET),
            ("words_", "words_capability_", "words_tier_"),
            strict=True,
        )
    )
    features = vectorizer.graph.output[0].name
    nodes = [
        helper.make_node("Identity", [TEXT_INPUT], [vectorizer.graph.input[0].name]),
        *vectorizer.graph.node,
        *_wired(capability, [features], "words_capability_probs"),
        *_wired(tier, [features], "words_tier_probs"),
    ]
    blend_capability, capability_weights = _blend(
        "embedding_capability_probs", "words_capability_probs", weight, CAPABILITY_OUTPUT
    )
    blend_tier, tier_weights = _blend(
        "embedding_tier_probs", "words_tier_probs", weight, TIER_OUTPUT
    )
    return (
        [vectorizer, capability, tier],
        [*nodes, *blend_capability, *blend_tier],
        [*capability_weights, *tier_weights],
    )


def export_onnx(trained: Trained) -> bytes:
    """One ONNX graph: embedding [N, 384] and text [N, 1] (when the words are used) to
    capability_probs [N, 7] and tier_probs [N, 3]."""
    # Each head is converted on its own and prefixed, then all are wired to the inputs.
    heads = [
        _converted_head(trained.capability_model, "capability_"),
        _converted_head(trained.tier_model, "tier_"),
    ]
    inputs = [helper.make_tensor_value_info(INPUT_NAME, onnx.TensorProto.FLOAT, [None, DIMENSIONS])]
    extra: list[onnx.TensorProto] = []
    if trained.text is None:
        nodes = [
            *_wired(heads[0], [INPUT_NAME], CAPABILITY_OUTPUT),
            *_wired(heads[1], [INPUT_NAME], TIER_OUTPUT),
        ]
    else:
        word_graphs, word_nodes, extra = _text_part(trained.text, trained.hyper.text_weight)
        nodes = [
            *_wired(heads[0], [INPUT_NAME], "embedding_capability_probs"),
            *_wired(heads[1], [INPUT_NAME], "embedding_tier_probs"),
            *word_nodes,
        ]
        heads += word_graphs
        inputs.append(helper.make_tensor_value_info(TEXT_INPUT, onnx.TensorProto.STRING, [None, 1]))
    graph = helper.make_graph(
        nodes,
        "automatrix_query_classifier",
        inputs,
        [
            helper.make_tensor_value_info(
                CAPABILITY_OUTPUT, onnx.TensorProto.FLOAT, [None, len(trained.capabilities)]
            ),
            helper.make_tensor_value_info(
                TIER_OUTPUT, onnx.TensorProto.FLOAT, [None, len(trained.tiers)]
            ),
        ],
        initializer=[*(tensor for head in heads for tensor in head.graph.initializer), *extra],
    )
    opsets: dict[str, int] = {}
    for head in heads:
        for opset in head.opset_import:
            opsets[opset.domain] = max(opsets.get(opset.domain, 0), opset.version)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid(domain, version) for domain, version in opsets.items()],
        ir_version=max(head.ir_version for head in heads),
        producer_name="automatrix-neuroweaver",
    )
    # Drops the heads' label outputs and the nodes that only computed them.
    model = onnx.utils.Extractor(model).extract_model(
        [value.name for value in inputs], [CAPABILITY_OUTPUT, TIER_OUTPUT]
    )
    onnx.checker.check_model(model, full_check=True)
    serialized: bytes = model.SerializeToString()
    return serialized
