"""The ecosystem API against the whole running platform: real data, in the envelope."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from tests.ecosystem.envelopes import data_of, error_of
from tests.gateway.conftest import CHAT_MODEL, EMBED_MODEL, Platform

pytestmark = pytest.mark.slow


def _eventually(http: httpx.Client, path: str, check: Any, within: float = 30) -> Any:
    deadline = time.monotonic() + within
    while True:
        data = data_of(http.get(path))
        if check(data):
            return data
        assert time.monotonic() < deadline, f"{path} never satisfied the check: {data}"
        time.sleep(0.2)


def test_status_shows_services_deployments_queues_cache_and_served_requests(
    platform: Platform,
) -> None:
    with platform.http(platform.key()) as http:
        before = data_of(http.get("/api/v2/ecosystem/status"))
        prompt = f"Say the word {uuid.uuid4().hex[:6]}."
        for _ in range(2):  # the second is an exact cache hit
            answer = http.post(
                "/v1/chat/completions",
                json={
                    "model": CHAT_MODEL,
                    "messages": [{"role": "user", "content": prompt}],
                    "max_tokens": 4,
                    "temperature": 0,
                },
            )
            assert answer.status_code == 200, answer.text

        def caught_up(view: dict[str, Any]) -> bool:
            return bool(
                view["requests"]["served_total"] > before["requests"]["served_total"]
                and view["cache"]["hits_exact"] > before["cache"]["hits_exact"]
            )

        view = _eventually(http, "/api/v2/ecosystem/status", caught_up)
    services = {s["name"]: s for s in view["services"]}
    assert set(services) == {"orchestrator", "relaycore", "neuroweaver", "inference"}
    for name in ("orchestrator", "relaycore", "inference"):
        assert services[name]["status"] == "ok", services[name]
    assert view["routing_enabled"] is True
    deployments = {d["name"]: d for d in view["deployments"]}
    assert {CHAT_MODEL, EMBED_MODEL} <= set(deployments)
    chat = deployments[CHAT_MODEL]
    assert chat["breaker"] == "closed"
    assert chat["effective_state"] == "active"
    assert chat["total_success"] >= 1
    assert chat["concurrency"] >= 1
    assert set(view["queues"]["depth"]) == {"critical", "high", "normal", "low"}
    assert view["cache"]["hit_rate"] is not None
    assert 0 < view["cache"]["hit_rate"] <= 1
    assert view["requests"]["latency_ms"]["p50"] > 0
    assert view["requests"]["gateway_latency_ms"]["count"] >= 2


def test_relaycore_endpoints_answer_relaycores_live_view(platform: Platform) -> None:
    with platform.http(platform.key()) as http:
        status = data_of(http.get("/api/v2/relaycore/status"))
        listed = data_of(http.get("/api/v2/relaycore/deployments"))["deployments"]
        agents = data_of(http.get("/api/agents"))["deployments"]
        one = data_of(http.get(f"/api/v2/relaycore/deployments/{CHAT_MODEL}"))
        queues = data_of(http.get("/api/v2/relaycore/queues"))
        advice = data_of(http.get("/api/v2/relaycore/recommendations"))
        missing = error_of(http.get("/api/v2/relaycore/deployments/no-such-thing"), 404)
    assert status["service"] == "relaycore"
    assert status["ready"] is True
    assert status["breakers"][CHAT_MODEL] == "closed"
    assert {d["name"] for d in listed} == {d["name"] for d in agents}
    assert (one["name"], one["backend"]) == (CHAT_MODEL, "local")
    assert one["breaker"] == "closed"
    assert set(queues["waiting"]) == {"critical", "high", "normal", "low"}
    assert isinstance(advice["recommendations"], list)
    assert missing["code"] == "not_found"


def test_deployments_are_registered_paused_and_removed_by_admins_only(platform: Platform) -> None:
    name = f"eco-{uuid.uuid4().hex[:8]}"
    registration = {
        "name": name,
        "model_group": name,
        "model": "openai/gpt-4o-mini",
        "capabilities": {"chat": 0.7},
        "concurrency": 3,
        "heartbeat_interval_s": 600,
    }
    with platform.http(platform.key()) as user:
        refused = error_of(user.post("/api/v2/relaycore/deployments", json=registration), 403)
        assert refused["code"] == "admin_required"
        error_of(user.post(f"/api/agents/{CHAT_MODEL}/pause", json={}), 403)
    with platform.http() as admin:
        made = data_of(admin.post("/api/agents", json=registration), 201)["deployment"]
        assert (made["name"], made["concurrency"], made["provider"]) == (name, 3, "openai")
        paused = admin.post(
            f"/api/v2/relaycore/deployments/{name}/pause", json={"reason": "ecosystem test"}
        )
        assert data_of(paused)["deployment"]["state"] == "paused"
        shown = data_of(admin.get(f"/api/agents/{name}"))
        assert (shown["state"], shown["state_reason"]) == ("paused", "ecosystem test")
        resumed = data_of(admin.post(f"/api/v2/relaycore/deployments/{name}/resume"))
        assert resumed["deployment"]["state"] == "active"
        bad = error_of(admin.post(f"/api/v2/relaycore/deployments/{name}/explode"), 400)
        assert [f["field"] for f in bad["fields"]] == ["command"]
        removed = data_of(admin.delete(f"/api/v2/relaycore/deployments/{name}"))
        assert removed["deployment"] is None
        error_of(admin.get(f"/api/v2/relaycore/deployments/{name}"), 404)
        error_of(admin.post(f"/api/v2/relaycore/deployments/{name}/pause"), 404)


def test_bad_requests_get_field_level_errors(platform: Platform) -> None:
    with platform.http() as admin:
        invalid = admin.post(
            "/api/v2/relaycore/deployments",
            json={"name": "has.dots", "model_group": "g", "concurrency": 0, "colour": "red"},
        )
        bad_name = admin.get("/api/v2/relaycore/deployments/bad.name")
        bad_limit = admin.get("/api/tasks", params={"limit": 0})
    error = error_of(invalid, 400)
    assert error["code"] == "invalid_request"
    assert {f["field"] for f in error["fields"]} == {"name", "model", "concurrency", "colour"}
    assert all(f["message"] for f in error["fields"])
    assert [f["field"] for f in error_of(bad_name, 400)["fields"]] == ["name"]
    assert [f["field"] for f in error_of(bad_limit, 400)["fields"]] == ["limit"]


def test_every_endpoint_needs_a_key_but_health_and_prometheus(platform: Platform) -> None:
    with httpx.Client(base_url=platform.url, timeout=60) as anonymous:
        refused = anonymous.get("/api/v2/ecosystem/status")
        bad_key = anonymous.get("/api/hive/status", headers={"Authorization": "Bearer am-nope"})
        json_metrics = anonymous.get("/metrics", headers={"Accept": "application/json"})
        health = anonymous.get("/health")
        prometheus = anonymous.get("/metrics")
    assert error_of(refused, 401)["code"] == "missing_api_key"
    assert error_of(bad_key, 401)["code"] == "invalid_api_key"
    error_of(json_metrics, 401)
    services = {s["name"]: s["status"] for s in data_of(health)["services"]}
    assert (services["orchestrator"], services["relaycore"]) == ("ok", "ok")
    assert prometheus.headers["content-type"].startswith("text/plain")
    assert "automatrix_gateway_queue_depth" in prometheus.text


def test_platform_endpoints_summarise_the_running_system(platform: Platform) -> None:
    with platform.http(platform.key()) as http:
        metrics = data_of(http.get("/metrics", headers={"Accept": "application/json"}))
        hive = data_of(http.get("/api/hive/status"))
        resources = data_of(http.get("/api/resources"))
    assert {"latency_ms", "cache", "tokens", "rate_limited", "shed"} <= set(metrics["gateway"])
    assert "served_total" in metrics["platform_requests"]
    assert hive["services"]["relaycore"] == "ok"
    assert hive["deployments"]["total"] >= 2
    assert hive["deployments"]["by_state"]["active"] >= 2
    assert hive["routing_enabled"] is True
    slots = {d["name"]: d for d in resources["deployments"]}
    assert slots[CHAT_MODEL]["concurrency"] >= 1
    assert resources["totals"]["concurrency"] >= slots[CHAT_MODEL]["concurrency"]
    assert resources["gateway_process"]["max_rss_bytes"] > 0


def test_tasks_are_queries_of_the_callers_tenant(platform: Platform) -> None:
    key, stranger = platform.key(), platform.key()
    with platform.http(key) as http:
        job = data_of(
            http.post(
                "/api/tasks",
                json={"text": "Say hi.", "model": CHAT_MODEL, "max_tokens": 4, "temperature": 0},
            ),
            202,
        )
        task_id = job["job_id"]
        done = _eventually(
            http, f"/api/tasks/{task_id}", lambda t: t["status"] != "queued", within=90
        )
        listed = data_of(http.get("/api/tasks", params={"limit": 5}))
        invalid = error_of(http.post("/api/tasks", json={"text": "", "model": CHAT_MODEL}), 400)
    assert done["status"] == "succeeded", done
    assert done["output"]
    assert task_id in [t["job_id"] for t in listed]
    assert [f["field"] for f in invalid["fields"]] == ["text"]
    with platform.http(stranger) as other:
        assert error_of(other.get(f"/api/tasks/{task_id}"), 404)["code"] == "task_not_found"
        assert task_id not in [t["job_id"] for t in data_of(other.get("/api/tasks"))]
