"""``bench/embeddings.py`` runs end to end on short rounds (figures are not judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.bench, pytest.mark.timeout(300)]


def test_embeddings_bench_prints_its_figures_as_one_json_line_last() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "bench/embeddings.py",
            "--seconds",
            "0.5",
            "--rounds",
            "1",
            "--warmup",
            "0.2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) >= {"eps_1", "eps_32_batched", "eps_32_unbatched", "batching_ratio"}
    assert figures["eps_1"] > 0
    assert figures["eps_32_unbatched"] > 0
    assert figures["batching_ratio"] == pytest.approx(
        figures["eps_32_batched"] / figures["eps_32_unbatched"], rel=0.01
    )
    assert figures["mean_batch_32_batched"] > 1, "the batched model never batched"
