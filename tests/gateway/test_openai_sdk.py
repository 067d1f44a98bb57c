"""The official `openai` SDK, unchanged, against the whole platform."""

from __future__ import annotations

import math
import time

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from tests.gateway.conftest import CHAT_MODEL, EMBED_MODEL, Platform

pytestmark = pytest.mark.slow

HELLO: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": "Say hello in one short sentence."}
]


def test_models_lists_the_registered_groups_and_auto(platform: Platform) -> None:
    ids = {m.id for m in platform.client().models.list()}
    assert {"auto", CHAT_MODEL, EMBED_MODEL} <= ids


def test_a_chat_completion_round_trips_through_the_bus(platform: Platform) -> None:
    client = platform.client(platform.key())
    raw = client.chat.completions.with_raw_response.create(
        model=CHAT_MODEL,
        messages=HELLO,
        max_tokens=12,
        temperature=0,
        seed=7,
    )
    completion = raw.parse()
    assert raw.headers["x-automatrix-cache"] == "miss"
    assert raw.headers["x-automatrix-deployment"] == CHAT_MODEL
    assert completion.object == "chat.completion"
    assert completion.model == CHAT_MODEL
    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert completion.usage is not None
    assert completion.usage.prompt_tokens > 0
    assert completion.usage.completion_tokens > 0
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


def test_a_streamed_completion_arrives_in_chunks_with_finish_reason_and_usage(
    platform: Platform,
) -> None:
    client = platform.client(platform.key())
    stream = client.chat.completions.create(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": "Count from one to five."}],
        max_tokens=16,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    content = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    finishes = [
        c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason
    ]
    usage = [c.usage for c in chunks if c.usage is not None]
    assert len(content) >= 2, "the answer should come in several chunks"
    assert "".join(content).strip()
    assert finishes in (["stop"], ["length"])
    assert len(usage) == 1
    assert usage[0].completion_tokens > 0
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1


def test_embeddings_float_and_base64(platform: Platform) -> None:
    client = platform.client(platform.key())
    texts = ["the gateway speaks OpenAI", "relaycore routes by capability"]
    default = client.embeddings.create(model=EMBED_MODEL, input=texts)  # SDK asks for base64
    floats = client.embeddings.create(model=EMBED_MODEL, input=texts, encoding_format="float")
    for response in (default, floats):
        assert [d.index for d in response.data] == [0, 1]
        for item in response.data:
            assert len(item.embedding) == 384
            assert math.isclose(math.sqrt(sum(x * x for x in item.embedding)), 1.0, rel_tol=1e-3)
        assert response.usage.prompt_tokens > 0
    for a, b in zip(default.data, floats.data, strict=True):
        assert max(abs(x - y) for x, y in zip(a.embedding, b.embedding, strict=True)) < 1e-6


def test_auto_classifies_the_query_and_says_who_decided(platform: Platform) -> None:
    client = platform.client(platform.key())
    completion = client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": "Summarize: the cat sat on the mat all day."}],
        max_tokens=8,
        temperature=0,
    )
    extra = completion.model_extra or {}
    meta = extra["automatrix"]
    assert meta["classification"]["capability"] == "summarization"
    assert meta["classification"]["decided_by"] == "heuristic"
    assert meta["deployment"] == CHAT_MODEL
    assert completion.choices[0].message.content


def test_a_bad_key_is_an_authentication_error(platform: Platform) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        platform.client("am-not-a-key").chat.completions.create(model=CHAT_MODEL, messages=HELLO)
    assert caught.value.status_code == 401
    assert caught.value.code == "invalid_api_key"


def test_an_invalid_body_is_a_bad_request_naming_the_field(platform: Platform) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        platform.client(platform.key()).chat.completions.create(
            model=CHAT_MODEL,
            messages=HELLO,
            temperature=5,
        )
    assert caught.value.status_code == 400
    assert caught.value.param == "temperature"
    with pytest.raises(openai.BadRequestError):
        platform.client(platform.key()).chat.completions.create(model=CHAT_MODEL, messages=[])


def test_an_unknown_model_is_not_found(platform: Platform) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        platform.client(platform.key()).chat.completions.create(
            model="no-such-model", messages=HELLO
        )
    assert caught.value.code == "model_not_found"


def test_the_rate_limit_answers_429_with_retry_after(platform: Platform) -> None:
    client = platform.client(platform.key(rpm=2))
    for _ in range(2):
        client.models.list()  # not limited: only inference requests count
        client.embeddings.create(model=EMBED_MODEL, input="counted")
    with pytest.raises(openai.RateLimitError) as caught:
        client.embeddings.create(model=EMBED_MODEL, input="one too many")
    retry_after = int(caught.value.response.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert caught.value.code == "rate_limit_requests"


def test_the_token_limit_counts_real_usage_not_the_estimate(platform: Platform) -> None:
    client = platform.client(platform.key(tpm=150))
    one_long_word = "a" * 400  # estimated at ~100 tokens up front, counted as 1 once served
    client.embeddings.create(model=EMBED_MODEL, input=one_long_word)
    deadline = time.monotonic() + 5
    refusals: list[str | None] = []
    while True:  # the correction is written just after the first response
        try:
            client.embeddings.create(model=EMBED_MODEL, input=one_long_word)
            break
        except openai.RateLimitError as exc:
            refusals.append(exc.code)
        assert time.monotonic() < deadline, "the estimate was never corrected"
        time.sleep(0.1)
    assert set(refusals) <= {"rate_limit_tokens"}
