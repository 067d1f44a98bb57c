"""Checks of the native envelope every ecosystem answer comes in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx


def data_of(response: httpx.Response, status: int = 200) -> Any:
    """The data of a successful answer, after checking the envelope around it."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"success", "data", "error", "timestamp", "request_id"}, body
    assert body["success"] is True
    assert body["error"] is None
    datetime.fromisoformat(body["timestamp"])
    assert body["request_id"] == response.headers["x-request-id"]
    return body["data"]


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error of a failed answer, after checking the envelope around it."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"success", "data", "error", "timestamp", "request_id"}, body
    assert body["success"] is False
    assert body["data"] is None
    assert body["request_id"] == response.headers["x-request-id"]
    error: dict[str, Any] = body["error"]
    assert error["code"]
    assert error["message"]
    return error
