"""The MCP endpoint, driven by the official ``mcp`` SDK client over streamable HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, TextContent

from tests.gateway.conftest import CHAT_MODEL, Platform

pytestmark = pytest.mark.slow

TOOLS = {
    "submit_query",
    "register_deployment",
    "set_deployment_state",
    "get_status",
    "get_metrics",
    "start_training",
}
RESOURCES = {
    "automatrix://status",
    "automatrix://agents",
    "automatrix://tasks",
    "automatrix://metrics",
    "automatrix://models",
}


@asynccontextmanager
async def session(platform: Platform, key: str) -> AsyncIterator[ClientSession]:
    headers = {"Authorization": f"Bearer {key}"}
    timeout = httpx2.Timeout(30, read=180)
    async with (
        httpx2.AsyncClient(headers=headers, timeout=timeout, trust_env=False) as http,
        streamable_http_client(f"{platform.url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write) as client,
    ):
        await client.initialize()
        yield client


def _json(result: Any) -> Any:
    return json.loads(result.contents[0].text)


def _text(result: CallToolResult) -> str:
    first = result.content[0]
    assert isinstance(first, TextContent)
    return first.text


async def test_an_assistant_lists_tools_and_resources_asks_and_reads_agents(
    platform: Platform,
) -> None:
    async with session(platform, platform.key()) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        resources = {str(r.uri) for r in (await client.list_resources()).resources}
        assert set(tools) == TOOLS
        assert resources == RESOURCES
        assert "text" in tools["submit_query"].input_schema["properties"]

        word = uuid.uuid4().hex[:6]
        asked = await client.call_tool(
            "submit_query",
            {"text": f"Repeat the word {word}.", "model": CHAT_MODEL, "max_tokens": 8},
        )
        assert not asked.is_error, asked.content
        answer = asked.structured_content
        assert answer is not None
        assert answer["answer"]
        assert answer["deployment"] == CHAT_MODEL
        assert answer["usage"]["completion_tokens"] > 0

        agents = _json(await client.read_resource("automatrix://agents"))
        chat = next(d for d in agents["deployments"] if d["name"] == CHAT_MODEL)
        assert chat["breaker"] == "closed"
        assert chat["stats"]["total_success"] >= 1
        status = _json(await client.read_resource("automatrix://status"))
        assert {s["name"] for s in status["services"]} >= {"orchestrator", "relaycore"}
        metrics = _json(await client.read_resource("automatrix://metrics"))
        assert metrics["gateway"]["latency_ms"]["count"] >= 1
        got = await client.call_tool("get_status", {})
        assert got.structured_content is not None
        assert got.structured_content["routing_enabled"] is True


async def test_changing_the_platform_through_mcp_needs_an_admin_key(platform: Platform) -> None:
    name = f"mcp-{uuid.uuid4().hex[:8]}"
    deployment = {"name": name, "model_group": name, "model": "openai/gpt-4o-mini"}
    async with session(platform, platform.key()) as user:
        refused = await user.call_tool("register_deployment", {"deployment": deployment})
        assert refused.is_error
        assert "admin" in _text(refused)
    async with session(platform, platform.master_key) as admin:
        made = await admin.call_tool("register_deployment", {"deployment": deployment})
        assert not made.is_error, made.content
        assert made.structured_content is not None
        assert made.structured_content["deployment"]["name"] == name
        paused = await admin.call_tool(
            "set_deployment_state", {"name": name, "command": "pause", "reason": "mcp test"}
        )
        assert paused.structured_content is not None
        assert paused.structured_content["deployment"]["state"] == "paused"
        missing = await admin.call_tool(
            "set_deployment_state", {"name": "no-such-deployment", "command": "pause"}
        )
        assert missing.is_error
        assert "not_found" in _text(missing)
        invalid = await admin.call_tool(
            "register_deployment", {"deployment": {**deployment, "concurrency": 0}}
        )
        assert invalid.is_error
        assert "concurrency" in _text(invalid)
    async with httpx.AsyncClient(
        base_url=platform.url, headers={"Authorization": f"Bearer {platform.master_key}"}
    ) as http:
        assert (await http.delete(f"/api/v2/relaycore/deployments/{name}")).status_code == 200


async def test_the_endpoint_refuses_a_request_without_a_key(platform: Platform) -> None:
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as http:
        refused = await http.post(
            "/mcp",
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={"Accept": "application/json, text/event-stream"},
        )
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert refused.json()["error"]["code"] == "missing_api_key"
