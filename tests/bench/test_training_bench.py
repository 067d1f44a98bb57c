"""``bench/training.py`` runs on a subset of the seed set and prints consistent figures last.

The accuracies themselves are not judged against the goal here (they belong in
docs/benchmarks.md); what is checked is that every step ran and that the figures fit together.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from automatrix.neuroweaver.domain.classifier import CAPABILITIES, load_seed
from tests.bench.runner import ROOT, run_bench

LIMIT = 300
PROBE = ROOT / "bench" / "data" / "classifier_probe.jsonl"

pytestmark = [pytest.mark.bench, pytest.mark.timeout(300)]


def test_training_bench(tmp_path: Path) -> None:
    figures = run_bench(
        "training.py",
        *("--limit", str(LIMIT), "--seed", "7", "--other-splits", "3"),
        *("--cache-dir", str(tmp_path)),
    )
    assert list(figures)[:4] == ["accuracy", "baseline_majority", "baseline_heuristic", "train_s"]
    for key in ("accuracy", "baseline_majority", "baseline_heuristic"):
        assert 0.0 <= figures[key] <= 1.0, key
    for key in ("tier_accuracy", "heuristic_tier_accuracy", "probe_accuracy"):
        assert 0.0 <= figures[key] <= 1.0, key
    assert set(figures["per_capability"]) == set(CAPABILITIES)
    assert all(0.0 <= recall <= 1.0 for recall in figures["per_capability"].values())
    assert figures["seed"] == 7
    assert figures["n_test"] > 0
    assert figures["n_train"] > 2 * figures["n_test"]  # test share 0.2
    assert figures["n_train"] + figures["n_test"] == pytest.approx(LIMIT, abs=len(CAPABILITIES))
    for key in ("train_s", "embed_s", "export_s"):
        assert figures[key] > 0, key
    assert figures["onnx_bytes"] > 0
    # Seven classes: a trained model that cannot beat always answering one is broken.
    assert figures["accuracy"] > figures["baseline_majority"]
    assert figures["goal_met"] == (figures["accuracy"] >= 0.95)
    assert figures["n_probe"] == len(PROBE.read_text(encoding="utf-8").splitlines())
    assert list(figures["accuracy_other_splits"]) == ["3"]
    assert 0.0 <= figures["accuracy_other_splits"]["3"] <= 1.0
    # Long and short held-out texts partition the held-out set.
    assert min(figures["accuracy_long"], figures["accuracy_short"]) <= figures["accuracy"]
    assert figures["accuracy"] <= max(figures["accuracy_long"], figures["accuracy_short"])


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def test_probe_set_is_balanced_and_shares_nothing_with_the_seed_set() -> None:
    rows = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines()]
    assert Counter(row["capability"] for row in rows) == dict.fromkeys(CAPABILITIES, 20)
    seed = [_normalised(e.text) for e in load_seed()]
    seed_texts = set(seed)
    corpus = "\n".join(seed)
    for row in rows:
        text = _normalised(row["text"])
        assert text not in seed_texts, row["text"]
        # No passage of the probe, or any 12-word stretch of it, appears in the seed set.
        words = text.split()
        for start in range(0, max(1, len(words) - 11), 6):
            assert " ".join(words[start : start + 12]) not in corpus, row["text"]
