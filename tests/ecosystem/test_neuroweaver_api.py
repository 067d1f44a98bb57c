"""neuroweaver's endpoints through the gateway: forwarded over request-reply, enveloped."""

from __future__ import annotations

import random
import uuid

import pytest

from tests.ecosystem.envelopes import data_of, error_of
from tests.ecosystem.training import TRAINING_TIMEOUT_S, finished_run
from tests.gateway.conftest import Platform

pytestmark = pytest.mark.slow


def test_status_models_and_runs_come_from_neuroweaver(platform: Platform) -> None:
    with platform.http(platform.key()) as http:
        status = data_of(http.get("/api/v2/neuroweaver/status"))
        models = data_of(http.get("/api/v2/neuroweaver/models"))
        runs = data_of(http.get("/api/v2/neuroweaver/runs", params={"limit": 5}))
        bad_limit = error_of(http.get("/api/v2/neuroweaver/runs", params={"limit": 0}), 400)
        unknown = error_of(http.get("/api/v2/neuroweaver/runs/no-such-run"), 404)
        view = data_of(http.get("/api/v2/ecosystem/status"))
    assert {"models", "runs", "training"} <= set(status)
    assert isinstance(models, list)
    assert isinstance(runs, list)
    assert [f["field"] for f in bad_limit["fields"]] == ["limit"]
    assert unknown["code"] == "not_found"
    neuroweaver = next(s for s in view["services"] if s["name"] == "neuroweaver")
    assert neuroweaver["status"] == "ok"


def test_training_needs_an_admin_key_and_valid_parameters(platform: Platform) -> None:
    with platform.http(platform.key()) as user:
        refused = error_of(user.post("/api/v2/neuroweaver/train", json={}), 403)
    assert refused["code"] == "admin_required"
    with platform.http() as admin:
        invalid = admin.post(
            "/api/v2/neuroweaver/train",
            json={"model": "query-router", "trials": -1, "colour": "red"},
        )
        not_object = admin.post("/api/v2/neuroweaver/train", json=[1, 2])
    error = error_of(invalid, 400)
    assert error["code"] == "invalid"
    assert {f["field"] for f in error["fields"]} == {"trials", "colour"}
    assert error_of(not_object, 400)["fields"]


def test_analytics_endpoints_answer_under_both_prefixes(platform: Platform) -> None:
    with platform.http(platform.key()) as http:
        for name in ("anomalies", "capacity", "insights"):
            native = data_of(http.get(f"/api/v2/neuroweaver/{name}"))
            alias = data_of(http.get(f"/api/v2/ai/{name}"))
            assert type(native) is type(alias)
            if isinstance(native, dict):
                assert native.keys() == alias.keys()
        data_of(http.get("/api/v2/neuroweaver/anomalies", params={"active": "true"}))
        data_of(http.get("/api/v2/neuroweaver/analytics"))
        bad = error_of(http.get("/api/v2/ai/capacity", params={"horizon": 0}), 400)
        unknown = error_of(http.get("/api/v2/ai/insights", params={"colour": "red"}), 400)
    assert [f["field"] for f in bad["fields"]] == ["horizon"]
    assert [f["field"] for f in unknown["fields"]] == ["colour"]


def test_autonomous_optimization_plans_for_admins_only(platform: Platform) -> None:
    with platform.http(platform.key()) as user:
        error_of(user.post("/api/v2/ai/autonomous-optimization", json={"dry_run": True}), 403)
    with platform.http() as admin:
        plan = data_of(
            admin.post("/api/v2/neuroweaver/autonomous-optimization", json={"dry_run": True})
        )
        bad = error_of(
            admin.post("/api/v2/ai/autonomous-optimization", json={"dry_run": "perhaps"}), 400
        )
    assert plan is not None
    assert [f["field"] for f in bad["fields"]] == ["dry_run"]


@pytest.mark.timeout(TRAINING_TIMEOUT_S)
def test_a_trained_performance_predictor_scores_service_metrics(platform: Platform) -> None:
    rng = random.Random(7)
    samples = [
        {
            "cpu_percent": rng.uniform(5, 95),
            "memory_percent": rng.uniform(10, 90),
            "latency_ms": rng.uniform(50, 3000),
            "error_rate": rng.uniform(0, 0.3),
            "request_count": rng.uniform(10, 1000),
        }
        for _ in range(200)
    ]
    run_id = f"pp-{uuid.uuid4().hex[:8]}"
    with platform.http() as admin:
        started = data_of(
            admin.post(
                "/api/v2/neuroweaver/train",
                json={"model": "performance-predictor", "run_id": run_id, "samples": samples},
            )
        )
        assert started["run_id"] == run_id
        run = finished_run(admin, run_id)
        assert run["state"] == "completed", run
        healthy = {**samples[0], "latency_ms": 80, "error_rate": 0.0, "cpu_percent": 20}
        failing = {**samples[0], "latency_ms": 2900, "error_rate": 0.3, "cpu_percent": 95}
        scored = data_of(admin.post("/api/v2/ai/predict", json={"metrics": [healthy, failing]}))
        invalid = admin.post(
            "/api/v2/neuroweaver/predict", json={"metrics": {**healthy, "error_rate": 2}}
        )
    assert scored
    error = error_of(invalid, 400)
    assert [f["field"] for f in error["fields"]] == ["metrics.0.error_rate"]
