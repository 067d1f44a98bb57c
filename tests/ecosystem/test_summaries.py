"""The pure summaries behind the live view: request window, training curves, metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from automatrix.orchestrator.ecosystem.summaries import (
    RequestWindow,
    Sample,
    TrainingBoard,
    cache_summary,
    histogram_summary,
    percentile,
)
from automatrix.shared.contracts import TrainingEventKind, TrainingProgress


def test_percentile_interpolates_and_is_none_when_empty() -> None:
    assert percentile([], 0.5) is None
    assert percentile([10.0], 0.95) == 10.0
    assert percentile([10.0, 20.0, 30.0, 40.0], 0.5) == 25.0
    assert percentile([10.0, 20.0, 30.0, 40.0], 1.0) == 40.0


def test_request_window_counts_forever_but_summarises_the_window() -> None:
    window = RequestWindow(window_s=10.0)
    window.record(0.0, ok=True, latency_ms=100.0)
    window.record(5.0, ok=True, latency_ms=300.0)
    window.record(6.0, ok=False, latency_ms=None)
    early = window.summary(7.0)
    assert early["served_total"] == 2
    assert early["failed_total"] == 1
    assert early["in_window"] == 3
    assert early["failed_in_window"] == 1
    assert early["latency_ms"] == {"count": 2, "mean": 200.0, "p50": 200.0, "p95": 290.0}
    later = window.summary(12.0)  # the first sample left the window; totals stay
    assert later["in_window"] == 2
    assert later["latency_ms"]["p50"] == 300.0
    assert later["served_total"] == 2
    assert later["per_minute"] == 12.0


def _progress(
    run: str, event: TrainingEventKind, at: datetime, **fields: object
) -> TrainingProgress:
    return TrainingProgress(
        run_id=run, model_name="query-router", event=event, timestamp=at, **fields
    )


def test_training_board_keeps_a_curve_per_run_and_forgets_the_oldest_run() -> None:
    board = TrainingBoard(max_runs=2, max_points=3)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    board.record(_progress("a", TrainingEventKind.STARTED, start, total=5))
    for epoch in range(5):
        board.record(
            _progress(
                "a",
                TrainingEventKind.EPOCH,
                start + timedelta(seconds=epoch + 1),
                epoch=epoch,
                step=epoch + 1,
                total=5,
                metrics={"val_loss": 1.0 / (epoch + 1)},
            )
        )
    run = board.runs["a"]
    assert run.state == "running"
    assert (run.epoch, run.step, run.total) == (4, 5, 5)
    assert [p["epoch"] for p in run.points] == [2, 3, 4]  # bounded, newest kept
    assert run.metrics == {"val_loss": pytest.approx(0.2)}
    board.record(_progress("a", TrainingEventKind.COMPLETED, start + timedelta(seconds=9)))
    assert board.runs["a"].state == "completed"
    board.record(_progress("b", TrainingEventKind.STARTED, start + timedelta(seconds=10)))
    board.record(_progress("c", TrainingEventKind.FAILED, start + timedelta(seconds=11)))
    assert set(board.runs) == {"b", "c"}
    assert [v["run_id"] for v in board.views()] == ["c", "b"]
    assert board.runs["c"].state == "failed"


def test_cache_summary_rates_hits_among_lookups() -> None:
    name = "automatrix_gateway_cache_total"
    summary = cache_summary(
        [
            Sample(name, {"outcome": "hit-exact"}, 3),
            Sample(name, {"outcome": "hit-semantic"}, 1),
            Sample(name, {"outcome": "miss"}, 4),
            Sample(name, {"outcome": "bypass"}, 10),
            Sample("automatrix_gateway_cache_created", {"outcome": "miss"}, 1e9),
        ]
    )
    assert summary == {
        "hits_exact": 3,
        "hits_semantic": 1,
        "misses": 4,
        "bypassed": 10,
        "hit_rate": 0.5,
    }
    assert cache_summary([])["hit_rate"] is None


def test_histogram_summary_interpolates_like_prometheus() -> None:
    name = "automatrix_gateway_request_seconds"

    def bucket(le: str, count: float, route: str) -> Sample:
        return Sample(f"{name}_bucket", {"le": le, "route": route}, count)

    samples = [
        bucket("0.1", 2, "chat"),
        bucket("0.2", 4, "chat"),
        bucket("+Inf", 4, "chat"),
        bucket("0.1", 0, "embeddings"),
        bucket("0.2", 2, "embeddings"),
        bucket("+Inf", 4, "embeddings"),
        Sample(f"{name}_count", {"route": "chat"}, 4),
        Sample(f"{name}_count", {"route": "embeddings"}, 4),
        Sample(f"{name}_sum", {"route": "chat"}, 0.5),
        Sample(f"{name}_sum", {"route": "embeddings"}, 1.5),
    ]
    summary = histogram_summary(samples)
    assert summary["count"] == 8
    assert summary["mean"] == 250.0
    assert summary["p50"] == 150.0  # rank 4 of 8: halfway through the 0.1-0.2 bucket
    assert summary["p95"] == 200.0  # past the last finite bound: that bound
    assert histogram_summary([])["p50"] is None
