"""Training time and held-out accuracy of the query classifier, against two baselines.

The seed set (``load_seed()``) is split by phrasing group (``split``, test share 0.2,
``--seed``), the same split the tests and docs/datasets.md use, so the held-out part holds
phrasings never seen in training. Every text is embedded once with ``MiniLMEncoder``
(batches of similar length, timed apart from building the encoder: ``embed_s``); the
classifier (heads on the embedding and heads on the words, blended) is trained with the
default ``Hyper`` (``train_s``, the wall time of ``train()``) and evaluated on the held-out
part: capability ``accuracy`` and ``tier_accuracy``, recall
per capability, and the accuracy on held-out texts of 400 characters or more (mostly
pasted passages) and on the shorter ones. On the same held-out examples:

- ``baseline_majority``: always answer the most common training capability;
- ``baseline_heuristic`` / ``heuristic_tier_accuracy``: the gateway's cue heuristic
  (``classify_text``), which needs no training.

and, as an ablation, the same classifier without the words (``accuracy_embedding_only``,
``tier_accuracy_embedding_only``, ``probe_accuracy_embedding_only``).

Two checks beyond the one split: ``probe_accuracy``, the same model on
``bench/data/classifier_probe.jsonl`` (140 requests written apart from the seed set, with
passages it does not contain; never used for training or tuning), and with
``--other-splits 1,2,...`` the capability accuracy on further grouped splits of the same
embeddings, one training each (``accuracy_other_splits``).

Last, the trained heads are exported to one ONNX graph (``export_s``, ``onnx_bytes``).
``--limit N`` keeps about N examples, the same share of each capability on each side of
the split, for a quick run; figures from a limited run are not comparable.

Prints a human summary, then one JSON line last:
{"accuracy":…, "baseline_majority":…, "baseline_heuristic":…, "train_s":…, …, "goal_met":…}

    .venv/bin/python bench/training.py [--seed 1729] [--limit N] [--other-splits 1,2,3]
                                       [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from automatrix.inference.models.minilm import MiniLMEncoder
from automatrix.neuroweaver.domain.classifier import (
    CAPABILITIES,
    DIMENSIONS,
    Example,
    Hyper,
    Trained,
    evaluate,
    load_seed,
    majority_baseline,
    probabilities,
    split,
    train,
)
from automatrix.neuroweaver.domain.classifier_export import export_onnx
from automatrix.orchestrator.domain.classify import classify_text

TEST_SHARE = 0.2
GOAL_ACCURACY = 0.95
BATCH = 64
TRAIN_SEED = 0
EMBEDDING_ONLY = Hyper(text_weight=0.0)
PROBE_FILE = Path(__file__).resolve().parent / "data" / "classifier_probe.jsonl"
# The heuristic's first length step: above it, most seed texts are pasted passages.
LONG_CHARS = 400


def subset(examples: Sequence[Example], share: float, seed: int) -> list[Example]:
    """About ``share`` of ``examples``, the same share of each capability, in input order."""
    by_capability: dict[str, list[int]] = defaultdict(list)
    for position, example in enumerate(examples):
        by_capability[example.capability].append(position)
    rng = random.Random(seed)
    kept: list[int] = []
    for capability in sorted(by_capability):
        positions = by_capability[capability]
        kept += rng.sample(positions, max(1, round(share * len(positions))))
    return [examples[i] for i in sorted(kept)]


def embed(encoder: MiniLMEncoder, texts: Sequence[str]) -> NDArray[np.float32]:
    """Embeddings ``[len(texts), 384]`` in input order."""
    x = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    # Batches of similar length keep the padding, and so the time, down.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), BATCH):
        batch = order[start : start + BATCH]
        x[batch] = encoder.encode([texts[i] for i in batch])
    return x


def load_probe(path: Path = PROBE_FILE) -> list[tuple[str, str]]:
    """(text, capability) pairs of the probe set; an unknown capability is an error."""
    probe = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["capability"] not in CAPABILITIES:
            raise ValueError(f"{path.name} line {number}: unknown capability {row['capability']}")
        probe.append((str(row["text"]), str(row["capability"])))
    return probe


def capability_accuracy(
    trained: Trained, x: NDArray[np.float32], texts: Sequence[str], truth: Sequence[str]
) -> float:
    """Share of rows whose most probable capability is ``truth``."""
    if not truth:
        return 0.0
    predicted = probabilities(trained, x, texts)[0].argmax(axis=1)
    return float(np.mean([CAPABILITIES[p] == t for p, t in zip(predicted, truth, strict=True)]))


def other_splits(
    examples: Sequence[Example], x: NDArray[np.float32], seeds: Sequence[int]
) -> dict[str, float]:
    """Held-out capability accuracy on further grouped splits, one training each."""
    position = {id(e): i for i, e in enumerate(examples)}
    accuracies = {}
    for seed in seeds:
        train_set, test_set = split(examples, test_share=TEST_SHARE, seed=seed)
        train_x = x[[position[id(e)] for e in train_set]]
        test_x = x[[position[id(e)] for e in test_set]]
        trained = train(train_x, train_set, Hyper(), seed=TRAIN_SEED)
        accuracies[str(seed)] = round(evaluate(trained, test_x, test_set).capability_accuracy, 4)
    return accuracies


def heuristic_accuracy(examples: Sequence[Example]) -> tuple[float, float]:
    """Capability and tier accuracy of ``classify_text`` on ``examples``."""
    if not examples:
        return 0.0, 0.0
    verdicts = [classify_text(e.text) for e in examples]
    capability = sum(v.capability == e.capability for v, e in zip(verdicts, examples, strict=True))
    tier = sum(v.tier == e.tier for v, e in zip(verdicts, examples, strict=True))
    return capability / len(examples), tier / len(examples)


def bench(args: argparse.Namespace, cache_dir: Path) -> dict[str, Any]:
    """Split, embed, train, evaluate, compare and export; the figures of one run."""
    examples = load_seed()
    train_set, test_set = split(examples, test_share=TEST_SHARE, seed=args.seed)
    if args.limit and args.limit < len(examples):
        share = args.limit / len(examples)
        train_set = subset(train_set, share, args.seed)
        test_set = subset(test_set, share, args.seed)
    print(f"seed set {len(examples)} examples; train {len(train_set)}, held out {len(test_set)}")

    started = time.perf_counter()
    encoder = MiniLMEncoder(cache_dir)
    encoder_s = time.perf_counter() - started
    texts = [e.text for e in (*train_set, *test_set)]
    started = time.perf_counter()
    x = embed(encoder, texts)
    embed_s = time.perf_counter() - started
    train_x, test_x = x[: len(train_set)], x[len(train_set) :]
    print(
        f"encoder ready in {encoder_s:.2f} s; {len(texts)} texts embedded in {embed_s:.2f} s "
        f"({len(texts) / embed_s:.1f} texts/s)"
    )

    trained = train(train_x, train_set, Hyper(), seed=TRAIN_SEED)
    train_s = trained.train_seconds
    metrics = evaluate(trained, test_x, test_set)
    baseline = majority_baseline(train_set, test_set)
    heuristic, heuristic_tier = heuristic_accuracy(test_set)
    long_rows = [i for i, e in enumerate(test_set) if len(e.text) >= LONG_CHARS]
    short_rows = [i for i, e in enumerate(test_set) if len(e.text) < LONG_CHARS]
    long_accuracy, short_accuracy = (
        capability_accuracy(
            trained,
            test_x[rows],
            [test_set[i].text for i in rows],
            [test_set[i].capability for i in rows],
        )
        for rows in (long_rows, short_rows)
    )
    probe = load_probe()
    probe_texts = [text for text, _ in probe]
    probe_x = embed(encoder, probe_texts)
    probe_labels = [label for _, label in probe]
    probe_accuracy = capability_accuracy(trained, probe_x, probe_texts, probe_labels)
    # The same heads without the words: what the TF-IDF view adds.
    embedding_only = train(train_x, train_set, EMBEDDING_ONLY, seed=TRAIN_SEED)
    embedding_metrics = evaluate(embedding_only, test_x, test_set)
    embedding_probe = capability_accuracy(embedding_only, probe_x, probe_texts, probe_labels)
    started = time.perf_counter()
    blob = export_onnx(trained)
    export_s = time.perf_counter() - started

    print(
        f"trained the heads ({Hyper().head} on the embedding, logistic on the words)"
        f" in {train_s:.2f} s"
    )
    print(f"{'held out':<22}{'capability':>12}{'tier':>8}")
    print(f"{'classifier':<22}{metrics.capability_accuracy:>12.4f}{metrics.tier_accuracy:>8.4f}")
    print(
        f"{'embedding heads only':<22}{embedding_metrics.capability_accuracy:>12.4f}"
        f"{embedding_metrics.tier_accuracy:>8.4f}"
    )
    print(f"{'heuristic':<22}{heuristic:>12.4f}{heuristic_tier:>8.4f}")
    print(f"{'majority capability':<22}{baseline:>12.4f}{'':>8}")
    print("recall per capability: " + ", ".join(
        f"{name} {metrics.per_capability[name]:.2f}" for name in CAPABILITIES
    ))  # fmt: skip
    print("confusion (rows true, columns predicted, in that order):")
    for name, row in zip(CAPABILITIES, metrics.confusion, strict=True):
        print(f"  {name:<14}" + "".join(f"{n:>5}" for n in row))
    print(
        f"held out >= {LONG_CHARS} chars: {long_accuracy:.4f} (n={len(long_rows)}); "
        f"shorter: {short_accuracy:.4f} (n={len(short_rows)})"
    )
    print(
        f"probe set ({len(probe)} requests written apart, unseen passages): {probe_accuracy:.4f}"
        f" (embedding heads only {embedding_probe:.4f})"
    )
    others = other_splits([*train_set, *test_set], x, args.other_splits)
    if others:
        values = list(others.values())
        print(
            f"other splits {others}: mean {np.mean(values):.4f}, "
            f"min {min(values):.4f}, max {max(values):.4f}"
        )
    print(f"ONNX export in {export_s:.2f} s, {len(blob)} bytes")
    met = metrics.capability_accuracy >= GOAL_ACCURACY
    print(f"goal capability accuracy >= {GOAL_ACCURACY}: {'met' if met else 'not met'}")
    return {
        "accuracy": round(metrics.capability_accuracy, 4),
        "baseline_majority": round(baseline, 4),
        "baseline_heuristic": round(heuristic, 4),
        "train_s": round(train_s, 3),
        "tier_accuracy": round(metrics.tier_accuracy, 4),
        "heuristic_tier_accuracy": round(heuristic_tier, 4),
        "embed_s": round(embed_s, 3),
        "encoder_load_s": round(encoder_s, 3),
        "export_s": round(export_s, 3),
        "onnx_bytes": len(blob),
        "per_capability": {name: round(v, 4) for name, v in metrics.per_capability.items()},
        "accuracy_long": round(long_accuracy, 4),
        "accuracy_short": round(short_accuracy, 4),
        "probe_accuracy": round(probe_accuracy, 4),
        "accuracy_embedding_only": round(embedding_metrics.capability_accuracy, 4),
        "tier_accuracy_embedding_only": round(embedding_metrics.tier_accuracy, 4),
        "probe_accuracy_embedding_only": round(embedding_probe, 4),
        "n_probe": len(probe),
        "accuracy_other_splits": others,
        "n_train": len(train_set),
        "n_test": len(test_set),
        "seed": args.seed,
        "goal_met": met,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1729, help="seed of the grouped split")
    parser.add_argument("--limit", type=int, default=0, help="keep about N examples (0: all)")
    parser.add_argument(
        "--other-splits",
        type=lambda text: [int(seed) for seed in text.split(",") if seed],
        default=[],
        help="comma-separated seeds of further grouped splits to train and score",
    )
    parser.add_argument("--cache-dir", type=Path, default=None, help="built ONNX graph cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-training-") as tmp:
        result = bench(args, args.cache_dir or Path(tmp))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
