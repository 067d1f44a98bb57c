"""The envelope route in process: service failures and bad input map to status and fields."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Query, Request

from automatrix.orchestrator.api.errors import ApiError
from automatrix.orchestrator.ecosystem.envelope import Envelope, EnvelopeRoute, ok
from automatrix.shared.contracts import FieldError, RpcErrorCode
from automatrix.shared.rpc import RpcFailure

router = APIRouter(route_class=EnvelopeRoute)


@router.get("/fails/{code}")
async def fails(code: RpcErrorCode) -> None:
    fields = [FieldError(loc=["trials"], msg="must be >= 0", type="greater_than_equal")]
    raise RpcFailure(code, f"it went {code.value}", fields)


@router.get("/counts")
async def counts(
    request: Request, n: Annotated[int, Query(ge=1)], tag: str | None = None
) -> Envelope[dict[str, int]]:
    if tag == "forbidden":
        raise ApiError(403, "not for you", code="admin_required")
    return ok(request, {"n": n})


app = FastAPI()
app.include_router(router)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("invalid", 400),
        ("not_found", 404),
        ("conflict", 409),
        ("unavailable", 503),
        ("internal", 500),
    ],
)
async def test_a_service_failure_keeps_its_code_and_fields(
    client: httpx.AsyncClient, code: str, status: int
) -> None:
    response = await client.get(f"/fails/{code}", headers={"x-request-id": "abc-123"})
    assert response.status_code == status
    body = response.json()
    assert body["success"] is False
    assert body["data"] is None
    assert body["request_id"] == "abc-123" == response.headers["x-request-id"]
    assert body["error"] == {
        "code": code,
        "message": f"it went {code}",
        "fields": [{"field": "trials", "message": "must be >= 0"}],
    }
    assert ("retry-after" in response.headers) == (status == 503)


async def test_success_bad_input_and_refusals_share_the_envelope(client: httpx.AsyncClient) -> None:
    good = await client.get("/counts", params={"n": 2}, headers={"x-request-id": "bad id!"})
    assert good.json()["data"] == {"n": 2}
    assert good.json()["request_id"] == good.headers["x-request-id"] != "bad id!"
    bad = (await client.get("/counts", params={"n": 0})).json()
    assert bad["error"]["code"] == "invalid_request"
    assert [f["field"] for f in bad["error"]["fields"]] == ["n"]
    missing = (await client.get("/counts")).json()
    assert [f["field"] for f in missing["error"]["fields"]] == ["n"]
    refused = await client.get("/counts", params={"n": 1, "tag": "forbidden"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "admin_required"
