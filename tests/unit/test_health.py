"""Readiness aggregates one check per dependency; any failure makes the service unready."""

from __future__ import annotations

import httpx

from automatrix.shared.health import Readiness, health_app


async def _ok() -> str:
    return "fine"


async def _down() -> str:
    raise ConnectionError("redis refused")


async def test_ready_when_every_check_passes_and_503_naming_the_failing_one() -> None:
    readiness = Readiness()
    readiness.add("nats", _ok)
    transport = httpx.ASGITransport(app=health_app("relaycore", readiness))
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "service": "relaycore",
            "ready": True,
            "checks": {"nats": {"ok": True, "detail": "fine"}},
        }
        readiness.add("redis", _down)
        unready = await client.get("/readyz")
        assert unready.status_code == 503
        body = unready.json()
        assert body["ready"] is False
        assert body["checks"]["redis"] == {"ok": False, "detail": "redis refused"}
        assert body["checks"]["nats"]["ok"] is True
        assert (await client.get("/livez")).json()["alive"] is True
        assert "automatrix_bus_published_total" in (await client.get("/metrics")).text
