"""The live WebSocket feed: authenticated, and pushing what changes as it changes."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.ecosystem.feed_client import feed
from tests.ecosystem.training import QUICK_RUN, TRAINING_TIMEOUT_S
from tests.gateway.conftest import CHAT_MODEL, Platform

pytestmark = pytest.mark.slow


async def test_the_feed_refuses_a_client_without_a_valid_key(platform: Platform) -> None:
    for key in (None, "am-not-a-real-key"):
        async with feed(platform.url, key, browser_style=True) as listener:
            with pytest.raises(ConnectionClosed) as closed:
                await listener.until("hello", within=10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401
        assert "key" in closed.value.rcvd.reason.lower()


async def test_a_paused_deployment_shows_at_once_with_its_new_state(platform: Platform) -> None:
    name = f"feed-{uuid.uuid4().hex[:8]}"
    async with (
        feed(platform.url, platform.master_key, browser_style=True) as listener,
        httpx.AsyncClient(
            base_url=platform.url,
            headers={"Authorization": f"Bearer {platform.master_key}"},
            timeout=60,
        ) as admin,
    ):
        assert listener.socket.subprotocol == "automatrix.v1"
        hello = await listener.until("hello")
        assert hello["data"]["admin"] is True
        first = await listener.until("snapshot", within=10)
        assert {s["name"] for s in first["data"]["services"]} >= {"orchestrator", "relaycore"}
        registered = await admin.post(
            "/api/v2/relaycore/deployments",
            json={
                "name": name,
                "model_group": name,
                "model": "openai/gpt-4o-mini",
                "heartbeat_interval_s": 600,
            },
        )
        assert registered.status_code == 201, registered.text
        await listener.until("deployment", lambda d: d["name"] == name and d["state"] == "active")
        paused = await admin.post(
            f"/api/v2/relaycore/deployments/{name}/pause", json={"reason": "feed test"}
        )
        assert paused.status_code == 200, paused.text
        event = await listener.until(
            "deployment", lambda d: d["name"] == name and d["state"] == "paused", within=10
        )
        assert event["data"]["state_reason"] == "feed test"
        shown = await listener.until(
            "snapshot",
            lambda s: any(d["name"] == name and d["state"] == "paused" for d in s["deployments"]),
            within=10,
        )
        assert shown["data"]["queues"]["depth"].keys() == {"critical", "high", "normal", "low"}
        removed = await admin.delete(f"/api/v2/relaycore/deployments/{name}")
        assert removed.status_code == 200, removed.text
        await listener.until("deployment", lambda d: d["name"] == name and d["removed"])


async def test_each_served_request_is_pushed_to_its_tenant_and_to_admins(
    platform: Platform,
) -> None:
    mine, theirs = platform.key(), platform.key()

    async def ask(key: str, word: str) -> str:
        async with httpx.AsyncClient(
            base_url=platform.url, headers={"Authorization": f"Bearer {key}"}, timeout=120
        ) as http:
            answer = await http.post(
                "/v1/chat/completions",
                json={
                    "model": CHAT_MODEL,
                    "messages": [{"role": "user", "content": f"Say {word}."}],
                    "max_tokens": 3,
                    "temperature": 0,
                },
                headers={"Cache-Control": "no-cache"},
            )
        assert answer.status_code == 200, answer.text
        return answer.headers["x-request-id"]

    async with (
        feed(platform.url, mine) as tenant_feed,
        feed(platform.url, platform.master_key) as admin_feed,
    ):
        await tenant_feed.until("hello")
        before = (await admin_feed.until("snapshot"))["data"]["requests"]["served_total"]
        other_request = await ask(theirs, uuid.uuid4().hex[:6])
        own_request = await ask(mine, uuid.uuid4().hex[:6])
        for_admin = await admin_feed.until("request", lambda r: r["request_id"] == own_request)
        served = await tenant_feed.until("request", lambda r: r["request_id"] == own_request)
        assert served["data"]["outcome"] == "success"
        assert served["data"]["deployment"] == CHAT_MODEL
        assert served["data"]["latency_ms"] > 0
        assert for_admin["data"] == served["data"]
        # The other tenant's request was served first, so its event came first: the admin
        # saw it, this tenant's listener did not.
        assert other_request in _requests(admin_feed.seen)
        assert other_request not in _requests(tenant_feed.seen)
        grown = await admin_feed.until(
            "snapshot", lambda s: s["requests"]["served_total"] >= before + 2, within=10
        )
        assert grown["data"]["requests"]["latency_ms"]["p50"] > 0


def _requests(messages: list[dict[str, Any]]) -> list[str]:
    return [m["data"]["request_id"] for m in messages if m["type"] == "request"]


@pytest.mark.timeout(TRAINING_TIMEOUT_S)
async def test_a_training_run_streams_its_progress(platform: Platform) -> None:
    run_id = f"feed-{uuid.uuid4().hex[:8]}"
    async with (
        feed(platform.url, platform.key()) as listener,
        httpx.AsyncClient(
            base_url=platform.url,
            headers={"Authorization": f"Bearer {platform.master_key}"},
            timeout=60,
        ) as admin,
    ):
        await listener.until("hello")
        started = await admin.post(
            "/api/v2/neuroweaver/train",
            json=QUICK_RUN | {"run_id": run_id},
        )
        assert started.status_code == 200, started.text

        def mine(event: dict[str, Any]) -> bool:
            return bool(event["run_id"] == run_id)

        await listener.until("training", lambda e: mine(e) and e["event"] == "started")
        step = await listener.until(
            "training",
            lambda e: mine(e) and e["event"] in ("trial", "epoch") and e["metrics"],
            within=600,
        )
        assert step["data"]["model_name"] == "query-router"
        done = await listener.until(
            "training", lambda e: mine(e) and e["event"] in ("completed", "failed"), within=600
        )
        assert done["data"]["event"] == "completed", done
        view = await listener.until(
            "snapshot", lambda s: any(r["run_id"] == run_id for r in s["training"])
        )
    run = next(r for r in view["data"]["training"] if r["run_id"] == run_id)
    assert run["state"] == "completed"
    assert len(run["points"]) >= 1
