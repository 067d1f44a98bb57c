"""The query classifier: seed data, grouped split, training, ONNX export.

It sees a query twice: as a unit-length MiniLM embedding, and as its words (TF-IDF n-grams,
``text_head``). Each view has two heads, the capability (7 classes) and the complexity tier
(3); the classifier's probabilities are the views' blended (``Hyper.text_weight`` on the
words). Labels are trained as their index in ``CAPABILITIES`` / ``TIERS``, so the columns of
every probability matrix, in sklearn and in the exported graph, follow that order.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.neural_network import MLPClassifier  # type: ignore[import-untyped]
from sklearn.svm import SVC  # type: ignore[import-untyped]

from automatrix.neuroweaver.domain.text_head import (
    TextHeads,
    fit_text_heads,
    text_probabilities,
)

CAPABILITIES = ("chat", "code", "math", "reasoning", "summarization", "translation", "extraction")
TIERS = ("fast", "medium", "heavy")
DIMENSIONS = 384
INPUT_NAME = "embedding"
CAPABILITY_OUTPUT = "capability_probs"
TIER_OUTPUT = "tier_probs"
SEED_PACKAGE = "automatrix.neuroweaver.seed"
SEED_FILE = "classifier_seed.jsonl"
# Opsets skl2onnx 1.20 may use at most; onnxruntime 1.16 and later runs them.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3, "com.microsoft": 1}

Head = Literal["logreg", "mlp", "svc"]
CALIBRATION_FOLDS = 3
# libsvm's kernel cache: the default 200 MB is refilled many times on a few thousand rows.
# The cache changes only the time a fit takes, never its result.
SVC_CACHE_MB = 500


@dataclass(frozen=True)
class Example:
    """One labelled query; ``group`` is its phrasing, kept on one side of a split."""

    text: str
    capability: str
    tier: str
    group: str


@dataclass(frozen=True)
class Hyper:
    """Hyper-parameters of the heads (the search space of the tuner).

    The embedding heads' defaults won a grouped cross-validation inside the seed set's
    training part (see docs/datasets.md): an RBF SVC, calibrated, ahead of logistic
    regression, MLPs, linear discriminants and whitened or re-weighted inputs. The words get
    ``text_weight`` of the blend (0 leaves them out, and the graph takes no text); ``text_c``
    regularises their logistic heads. Both won the same kind of cross-validation, over
    weights 0.4 to 0.8 and C 10, 30 and 100.
    """

    head: Head = "svc"
    c: float = 100.0
    tier_c: float = 10.0
    class_weight: str | None = None
    gamma: float = 0.5
    hidden_units: int = 128
    alpha: float = 1e-3
    max_iter: int = 2000
    text_weight: float = 0.6
    text_c: float = 100.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.text_weight < 1.0:
            raise ValueError("text_weight must be at least 0 and below 1")


@dataclass(frozen=True)
class Trained:
    """The fitted heads and the label order of their probability columns."""

    capability_model: Any
    tier_model: Any
    capabilities: tuple[str, ...]
    tiers: tuple[str, ...]
    hyper: Hyper
    train_seconds: float
    text: TextHeads | None = None
    """The heads on the words; None when ``hyper.text_weight`` is 0."""


@dataclass(frozen=True)
class Metrics:
    """Held-out quality; per-capability recall and confusion (rows true) in CAPABILITIES order."""

    capability_accuracy: float
    tier_accuracy: float
    per_capability: dict[str, float]
    confusion: list[list[int]]
    n: int


def parse_seed(lines: str) -> list[Example]:
    """Examples from JSON lines; an unknown capability or tier is an error, not a skip."""
    examples = []
    for number, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        example = Example(str(row["text"]), row["capability"], row["tier"], str(row["group"]))
        if example.capability not in CAPABILITIES or example.tier not in TIERS:
            raise ValueError(f"line {number}: unknown label {example.capability}/{example.tier}")
        examples.append(example)
    return examples


def load_seed() -> list[Example]:
    """The packaged seed set (``seed/classifier_seed.jsonl``)."""
    text = resources.files(SEED_PACKAGE).joinpath(SEED_FILE).read_text(encoding="utf-8")
    return parse_seed(text)


def split(
    examples: Sequence[Example], *, test_share: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """Train and test sets: whole groups per side, about ``test_share`` of each capability."""
    if not 0.0 < test_share < 1.0:
        raise ValueError("test_share must be between 0 and 1")
    by_group: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_group[example.group].append(example)
    groups_of: dict[str, list[str]] = defaultdict(list)
    for group, members in sorted(by_group.items()):
        majority = Counter(e.capability for e in members).most_common(1)[0][0]
        groups_of[majority].append(group)
    rng = random.Random(seed)
    test_groups: set[str] = set()
    for capability in sorted(groups_of):
        groups = groups_of[capability]
        rng.shuffle(groups)
        target = test_share * sum(len(by_group[g]) for g in groups)
        taken = 0
        # Stop before a group would overshoot the target by more than it undershoots.
        for group in groups[:-1]:
            size = len(by_group[group])
            if taken + size / 2 > target:
                break
            test_groups.add(group)
            taken += size
    train = [e for e in examples if e.group not in test_groups]
    test = [e for e in examples if e.group in test_groups]
    return train, test


def _labels(examples: Sequence[Example], names: tuple[str, ...], field: str) -> NDArray[Any]:
    index = {name: position for position, name in enumerate(names)}
    return np.array([index[getattr(e, field)] for e in examples], dtype=np.int64)


def _head(hyper: Hyper, c: float, seed: int) -> Any:
    if hyper.head == "mlp":
        return MLPClassifier(
            hidden_layer_sizes=(hyper.hidden_units,),
            alpha=hyper.alpha,
            max_iter=hyper.max_iter,
            random_state=seed,
        )
    if hyper.head == "svc":
        svc = SVC(
            C=c,
            gamma=hyper.gamma,
            class_weight=hyper.class_weight,
            cache_size=SVC_CACHE_MB,
            random_state=seed,
        )
        # Sigmoid calibration on out-of-fold scores turns margins into probabilities; one
        # final SVC (ensemble=False) keeps the exported graph small.
        return CalibratedClassifierCV(svc, method="sigmoid", cv=CALIBRATION_FOLDS, ensemble=False)
    return LogisticRegression(
        C=c, class_weight=hyper.class_weight, max_iter=hyper.max_iter, random_state=seed
    )


def train(x: NDArray[Any], examples: Sequence[Example], hyper: Hyper, *, seed: int) -> Trained:
    """Fit both heads on embeddings ``x`` ([n, 384], same order as ``examples``)."""
    if x.shape != (len(examples), DIMENSIONS):
        raise ValueError(f"expected embeddings of shape ({len(examples)}, {DIMENSIONS})")
    y_capability = _labels(examples, CAPABILITIES, "capability")
    y_tier = _labels(examples, TIERS, "tier")
    for labels, names in ((y_capability, CAPABILITIES), (y_tier, TIERS)):
        missing = sorted(set(range(len(names))) - set(labels.tolist()))
        if missing:
            # A head without a class would emit fewer probability columns than the contract.
            raise ValueError(f"no training example for {[names[i] for i in missing]}")
    features = np.asarray(x, dtype=np.float32)
    started = time.perf_counter()
    capability_model = _head(hyper, hyper.c, seed).fit(features, y_capability)
    tier_model = _head(hyper, hyper.tier_c, seed).fit(features, y_tier)
    text = None
    if hyper.text_weight > 0:
        texts = [e.text for e in examples]
        text = fit_text_heads(texts, y_capability, y_tier, c=hyper.text_c, seed=seed)
    return Trained(
        capability_model,
        tier_model,
        CAPABILITIES,
        TIERS,
        hyper,
        time.perf_counter() - started,
        text,
    )


def probabilities(
    trained: Trained, x: NDArray[Any], texts: Sequence[str]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Capability ``[n, 7]`` and tier ``[n, 3]`` probabilities of ``x`` and their ``texts``."""
    features = np.asarray(x, dtype=np.float32)
    capability = np.asarray(trained.capability_model.predict_proba(features), dtype=np.float64)
    tier = np.asarray(trained.tier_model.predict_proba(features), dtype=np.float64)
    if trained.text is None:
        return capability, tier
    weight = trained.hyper.text_weight
    text_capability, text_tier = text_probabilities(trained.text, texts)
    return (
        (1 - weight) * capability + weight * text_capability,
        (1 - weight) * tier + weight * text_tier,
    )


def evaluate(trained: Trained, x: NDArray[Any], examples: Sequence[Example]) -> Metrics:
    """Accuracy of both heads on ``examples``, with per-capability recall and confusion."""
    capability_probs, tier_probs = probabilities(trained, x, [e.text for e in examples])
    predicted = capability_probs.argmax(axis=1)
    predicted_tier = tier_probs.argmax(axis=1)
    truth = _labels(examples, CAPABILITIES, "capability")
    truth_tier = _labels(examples, TIERS, "tier")
    confusion = np.zeros((len(CAPABILITIES), len(CAPABILITIES)), dtype=np.int64)
    np.add.at(confusion, (truth, predicted), 1)
    n = len(examples)
    per_capability = {
        name: float(confusion[i, i] / confusion[i].sum()) if confusion[i].sum() else 0.0
        for i, name in enumerate(CAPABILITIES)
    }
    return Metrics(
        capability_accuracy=float((predicted == truth).mean()) if n else 0.0,
        tier_accuracy=float((predicted_tier == truth_tier).mean()) if n else 0.0,
        per_capability=per_capability,
        confusion=confusion.tolist(),
        n=n,
    )


def majority_baseline(train_examples: Sequence[Example], test_examples: Sequence[Example]) -> float:
    """Test accuracy of always answering the most common training capability."""
    counts = Counter(e.capability for e in train_examples)
    majority = max(CAPABILITIES, key=lambda name: (counts[name], -CAPABILITIES.index(name)))
    if not test_examples:
        return 0.0
    return sum(e.capability == majority for e in test_examples) / len(test_examples)
