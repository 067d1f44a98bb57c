"""The classifier's second view of a query: its words, as TF-IDF n-grams under logistic heads.

MiniLM's mean pooling blurs the few words that name the task ("extract", "condense",
"translate") into the rest of the text, most of all over a pasted passage; word n-grams keep
them. The text heads give capability and tier probabilities of their own, which the classifier
blends with the embedding heads' (``Hyper.text_weight``).

The vectorizer's tokens are runs of ASCII letters, digits and ``_``, lower-cased. skl2onnx
exports that pattern as it is (onnxruntime's Tokenizer uses re2, which reads an ASCII class
the way Python's ``re`` does), so the served graph and sklearn agree on every text; any other
character separates tokens on both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import onnx
from numpy.typing import NDArray
from skl2onnx import to_onnx  # type: ignore[import-untyped]
from skl2onnx.common.data_types import (  # type: ignore[import-untyped]
    FloatTensorType,
    StringTensorType,
)
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

TEXT_INPUT = "text"
TOKEN_PATTERN = r"[a-zA-Z0-9_]+"
NGRAMS = (1, 2)
MAX_ITER = 5000
LOCALE = "C.UTF-8"


@dataclass(frozen=True)
class TextHeads:
    """The fitted vectorizer and the capability and tier heads on its features."""

    vectorizer: Any
    capability_model: Any
    tier_model: Any


def fit_text_heads(
    texts: Sequence[str],
    y_capability: NDArray[Any],
    y_tier: NDArray[Any],
    *,
    c: float,
    seed: int,
) -> TextHeads:
    """TF-IDF of word 1- and 2-grams and one logistic head per label."""
    # Raw term counts: skl2onnx exports them exactly, not sublinear_tf (no better here).
    vectorizer = TfidfVectorizer(lowercase=True, token_pattern=TOKEN_PATTERN, ngram_range=NGRAMS)
    features = vectorizer.fit_transform(list(texts)).astype(np.float32)

    def head(labels: NDArray[Any]) -> Any:
        return LogisticRegression(C=c, max_iter=MAX_ITER, random_state=seed).fit(features, labels)

    return TextHeads(vectorizer, head(y_capability), head(y_tier))


def text_probabilities(
    heads: TextHeads, texts: Sequence[str]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Capability and tier probabilities of the text heads, in their label order."""
    features = heads.vectorizer.transform(list(texts)).astype(np.float32)
    return (
        np.asarray(heads.capability_model.predict_proba(features), dtype=np.float64),
        np.asarray(heads.tier_model.predict_proba(features), dtype=np.float64),
    )


def text_graphs(
    heads: TextHeads, target_opset: dict[str, int]
) -> tuple[onnx.ModelProto, onnx.ModelProto, onnx.ModelProto]:
    """The vectorizer (``text`` [N, 1] to features) and both heads, each its own graph."""
    vectorizer = to_onnx(
        heads.vectorizer,
        initial_types=[(TEXT_INPUT, StringTensorType([None, 1]))],
        options={id(heads.vectorizer): {"tokenexp": TOKEN_PATTERN, "locale": LOCALE}},
        target_opset=target_opset,
    )
    width = len(heads.vectorizer.vocabulary_)

    def head(model: Any) -> onnx.ModelProto:
        converted: onnx.ModelProto = to_onnx(
            model,
            initial_types=[("features", FloatTensorType([None, width]))],
            options={id(model): {"zipmap": False}},
            target_opset=target_opset,
        )
        return converted

    return vectorizer, head(heads.capability_model), head(heads.tier_model)
