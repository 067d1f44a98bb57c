"""The local-chat benchmark runs end to end on a tiny input (figures are not judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.bench, pytest.mark.timeout(300)]


def test_local_chat_bench_prints_service_and_direct_figures_as_json_last() -> None:
    done = subprocess.run(
        [sys.executable, "bench/local_chat.py", "--rounds", "1", "--max-tokens", "8"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for key in (
        "tok_s_service",
        "tok_s_direct",
        "ttft_ms_service",
        "ttft_ms_direct",
        "tok_s_triton",
    ):
        assert figures[key] > 0, key
