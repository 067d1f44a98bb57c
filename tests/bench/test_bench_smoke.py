"""The benchmarks run end to end on small inputs (figures are not judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.bench, pytest.mark.timeout(300)]


def test_bus_bench_prints_its_figures_as_one_json_line_last() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "bench/bus.py",
            "--events",
            "600",
            "--latency-events",
            "200",
            "--rounds",
            "1",
            "--rate",
            "500",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) >= {"raw_eps", "bus_eps", "ratio", "p50_ms", "p99_ms"}
    assert figures["raw_eps"] > 0
    assert figures["bus_eps"] > 0
    assert figures["ratio"] == pytest.approx(figures["bus_eps"] / figures["raw_eps"], rel=0.01)
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
