"""``bench/training.py`` runs on a subset of the seed set and prints consistent figures last.

The accuracies themselves are not judged against the goal here (they belong in
docs/benchmarks.md); what is checked is that every step ran and that the figures fit together.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from automatrix.neuroweaver.domain.classifier import CAPABILITIES
from tests.bench.runner import run_bench

LIMIT = 300

pytestmark = [pytest.mark.bench, pytest.mark.timeout(300)]


def test_training_bench(tmp_path: Path) -> None:
    figures = run_bench(
        "training.py", "--limit", str(LIMIT), "--seed", "7", "--cache-dir", str(tmp_path)
    )
    assert list(figures)[:4] == ["accuracy", "baseline_majority", "baseline_heuristic", "train_s"]
    for key in ("accuracy", "baseline_majority", "baseline_heuristic"):
        assert 0.0 <= figures[key] <= 1.0, key
    for key in ("tier_accuracy", "heuristic_tier_accuracy"):
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
