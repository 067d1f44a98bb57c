"""Training runs for the tests: small enough to finish in a few minutes on two cores."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.ecosystem.envelopes import data_of

QUICK_RUN = {"model": "query-router", "trials": 2, "limit": 200, "timeout_s": 120, "seed": 3}
"""Few examples, two tuning trials."""
RUN_WITHIN_S = 600
TRAINING_TIMEOUT_S = 900
"""pytest-timeout for a test that waits for a run (one queued before it may run first)."""


def finished_run(http: httpx.Client, run_id: str) -> dict[str, Any]:
    """The run once it is no longer queued or running."""
    deadline = time.monotonic() + RUN_WITHIN_S
    while True:
        run: dict[str, Any] = data_of(http.get(f"/api/v2/neuroweaver/runs/{run_id}"))
        if run["state"] not in ("queued", "running"):
            return run
        assert time.monotonic() < deadline, f"run {run_id} still {run['state']}"
        time.sleep(1)
