"""``bench/vs_litellm.py`` end to end on small counts, without LiteLLM Proxy (``--no-litellm``).

The side-by-side comparison needs LiteLLM Proxy's own venv and many minutes; it is run by hand
(docs/benchmarks.md). This checks the rest of the script for real: the echo upstream, the whole
platform with a litellm deployment on it, both load shapes, the figures and the plot.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.runner import run_bench

pytestmark = [pytest.mark.bench, pytest.mark.slow, pytest.mark.timeout(600)]


def test_vs_litellm_without_the_proxy(tmp_path: Path) -> None:
    picture = tmp_path / "vs.png"
    figures = run_bench("vs_litellm.py",
        "--no-litellm", "--delays", "0,20", "--rates", "5,10", "--rounds", "1",
        "--seconds", "1", "--sat-seconds", "1", "--warmup", "1", "--clients", "4",
        "--plot", str(picture),
        timeout_s=540,
    )  # fmt: skip
    assert list(figures)[:3] == ["p50_overhead_ratio", "p99_overhead_ratio", "throughput_ratio"]
    assert figures["p50_overhead_ratio"] is None  # no LiteLLM Proxy to compare with
    assert figures["throughput_goal_met"] is False
    assert "litellm_sat_rps" not in figures
    for delay in (0, 20):
        entry = figures[f"delay_{delay}ms"]
        assert entry["rates"] == [5.0, 10.0]
        sat = entry["saturation"]
        assert sat["automatrix"]["errors"] == 0
        assert sat["automatrix"]["rps"] > 0
        assert sat["automatrix"]["cpu_ms_per_request"] > 0
        for rate in ("5", "10"):
            row = entry[f"rate_{rate}"]
            assert row["direct"]["errors"] == row["automatrix"]["errors"] == 0
            assert row["automatrix"]["ok"] == int(rate)  # one second at the rate
            assert 0 < row["automatrix"]["p50_ms"] <= row["automatrix"]["p99_ms"]
            overhead = row["automatrix"]["p50_ms"] - row["direct"]["p50_ms"]
            assert row["automatrix"]["overhead_p50_ms"] == pytest.approx(overhead, abs=0.01)
    # the 20 ms upstream delay shows in the direct latency, which the gateway's includes
    assert figures["delay_20ms"]["rate_5"]["direct"]["p50_ms"] >= 20
    assert figures["delay_20ms"]["rate_5"]["automatrix"]["p50_ms"] >= 20
    assert figures["rss_mib"]["automatrix"] > 0
    assert picture.stat().st_size > 10_000
