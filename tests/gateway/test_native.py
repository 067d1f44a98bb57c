"""Native v2 API (classify, async queries), other systems on the bus, and input protection."""

from __future__ import annotations

import asyncio
import time
import uuid

import nats
import pytest

from automatrix.shared.contracts import (
    EMBED,
    RESULTS,
    ChatMessage,
    EmbedReply,
    EmbedRequested,
    InferenceCompleted,
    InferenceParams,
    InferenceRequested,
    Role,
    parse_result,
)
from tests.gateway.conftest import CHAT_MODEL, Platform

pytestmark = pytest.mark.slow


def test_classify_answers_capability_tier_and_requirements(platform: Platform) -> None:
    with platform.http(platform.key()) as http:
        text = http.post(
            "/api/v2/classify", json={"text": "Write a Python function to sort a list"}
        )
        messages = http.post(
            "/api/v2/classify",
            json={
                "messages": [{"role": "user", "content": "Translate 'good morning' into French"}]
            },
        )
        both = http.post("/api/v2/classify", json={"text": "x", "messages": []})
    assert text.status_code == 200, text.text
    body = text.json()
    assert body["capability"] == "code"
    assert body["tier"] in ("fast", "medium", "heavy")
    assert body["required_capabilities"][0]["name"] == "code"
    assert 0 <= body["confidence"] <= 1
    assert body["decided_by"] == "heuristic"
    assert body["model_version"] is None
    assert messages.json()["capability"] == "translation"
    assert both.status_code == 400
    assert both.json()["error"]["fields"]


def test_an_async_query_is_a_job_only_its_tenant_can_read(platform: Platform) -> None:
    key, stranger = platform.key(), platform.key()
    with platform.http(key) as http:
        submitted = http.post(
            "/api/v2/queries",
            json={"text": "Say hi.", "model": CHAT_MODEL, "max_tokens": 6, "temperature": 0},
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["job_id"]
        assert submitted.headers["location"] == f"/api/v2/queries/{job_id}"
        deadline = time.monotonic() + 90
        while (job := http.get(f"/api/v2/queries/{job_id}").json())["status"] == "queued":
            assert time.monotonic() < deadline, "the job never finished"
            time.sleep(0.1)
    assert job["status"] == "succeeded", job
    assert job["output"]
    assert job["deployment"] == CHAT_MODEL
    assert job["usage"]["output_tokens"] > 0
    with platform.http(stranger) as other:
        hidden = other.get(f"/api/v2/queries/{job_id}")
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "job_not_found"


def test_a_request_published_on_the_bus_by_another_system_is_served(platform: Platform) -> None:
    async def scenario() -> InferenceCompleted:
        nc = await nats.connect(platform.nats_url)
        try:
            requester = f"ext-{uuid.uuid4().hex[:8]}"
            inbox = await nc.subscribe(RESULTS.format(requester=requester))
            request = InferenceRequested(
                request_id=uuid.uuid4().hex,
                requester=requester,
                model=CHAT_MODEL,
                messages=[ChatMessage(role=Role.USER, content="Say yes.")],
                params=InferenceParams(max_tokens=4, temperature=0),
            )
            await nc.jetstream().publish(request.subject(), request.to_bytes())
            msg = await inbox.next_msg(timeout=90)
            result = parse_result(msg.data)
            assert isinstance(result, InferenceCompleted), result
            assert result.request_id == request.request_id
            return result
        finally:
            await nc.close()

    result = asyncio.run(scenario())
    assert result.output
    assert result.deployment == CHAT_MODEL


def test_a_body_over_the_limit_is_413(platform: Platform) -> None:
    with platform.http(platform.key()) as http:
        big = "x" * 1_100_000
        response = http.post(
            "/v1/chat/completions",
            json={"model": CHAT_MODEL, "messages": [{"role": "user", "content": big}]},
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_priority_is_read_from_the_body_or_the_header(platform: Platform) -> None:
    with platform.http(platform.key()) as http:
        bad = http.post(
            "/v1/embeddings",
            json={"model": "minilm-embed", "input": "x"},
            headers={"x-automatrix-priority": "urgent"},
        )
        good = http.post(
            "/v1/embeddings",
            json={"model": "minilm-embed", "input": "x", "priority": "critical"},
        )
    assert bad.status_code == 400
    assert bad.json()["error"]["param"] == "x-automatrix-priority"
    assert good.status_code == 200, good.text


def test_the_direct_embedding_path_matches_the_routed_one(platform: Platform) -> None:
    async def direct(payload: bytes) -> EmbedReply:
        nc = await nats.connect(platform.nats_url)
        try:
            msg = await nc.request(EMBED.format(model="minilm-embed"), payload, timeout=10)
            return EmbedReply.model_validate_json(msg.data)
        finally:
            await nc.close()

    text = "the semantic cache embeds this query"
    reply = asyncio.run(direct(EmbedRequested(model="minilm-embed", input=[text]).to_bytes()))
    assert reply.error is None
    assert reply.deployment == "minilm-embed"
    routed = platform.client().embeddings.create(
        model="minilm-embed", input=text, encoding_format="float"
    )
    vector = routed.data[0].embedding
    assert len(reply.embeddings[0]) == len(vector) == 384
    assert sum(a * b for a, b in zip(reply.embeddings[0], vector, strict=True)) > 0.9999
    broken = asyncio.run(direct(b'{"model": "minilm-embed", "input": []}'))
    assert broken.embeddings == []
    assert broken.error is not None
    assert "invalid request" in broken.error
