"""Training time and held-out accuracy of the query classifier, against two baselines.

The seed set (``load_seed()``) is split by phrasing group (``split``, test share 0.2,
``--seed``), the same split the tests and docs/datasets.md use, so the held-out part holds
phrasings never seen in training. Every text is embedded once with ``MiniLMEncoder``
(batches of similar length, timed apart from building the encoder: ``embed_s``); both
heads are trained with the default ``Hyper`` (``train_s``, the wall time of ``train()``)
and evaluated on the held-out part. On the same held-out examples:

- ``baseline_majority``: always answer the most common training capability;
- ``baseline_heuristic`` / ``heuristic_tier_accuracy``: the gateway's cue heuristic
  (``classify_text``), which needs no training.

Last, the trained heads are exported to one ONNX graph (``export_s``, ``onnx_bytes``).
``--limit N`` keeps about N examples, the same share of each capability on each side of
the split, for a quick run; figures from a limited run are not comparable.

Prints a human summary, then one JSON line last:
{"accuracy":…, "baseline_majority":…, "baseline_heuristic":…, "train_s":…, …, "goal_met":…}

    .venv/bin/python bench/training.py [--seed 1729] [--limit N] [--cache-dir DIR]
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
    evaluate,
    export_onnx,
    load_seed,
    majority_baseline,
    split,
    train,
)
from automatrix.orchestrator.domain.classify import classify_text

TEST_SHARE = 0.2
GOAL_ACCURACY = 0.95
BATCH = 64
TRAIN_SEED = 0


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
    started = time.perf_counter()
    blob = export_onnx(trained)
    export_s = time.perf_counter() - started

    print(f"trained both heads ({Hyper().head}) in {train_s:.2f} s")
    print(f"{'held out':<22}{'capability':>12}{'tier':>8}")
    print(f"{'classifier':<22}{metrics.capability_accuracy:>12.4f}{metrics.tier_accuracy:>8.4f}")
    print(f"{'heuristic':<22}{heuristic:>12.4f}{heuristic_tier:>8.4f}")
    print(f"{'majority capability':<22}{baseline:>12.4f}{'':>8}")
    print("recall per capability: " + ", ".join(
        f"{name} {metrics.per_capability[name]:.2f}" for name in CAPABILITIES
    ))  # fmt: skip
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
        "n_train": len(train_set),
        "n_test": len(test_set),
        "seed": args.seed,
        "goal_met": met,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1729, help="seed of the grouped split")
    parser.add_argument("--limit", type=int, default=0, help="keep about N examples (0: all)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="built ONNX graph cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-training-") as tmp:
        result = bench(args, args.cache_dir or Path(tmp))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
