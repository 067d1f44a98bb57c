"""Exact and semantic cache through the whole platform: what hits, what must miss."""

from __future__ import annotations

import time
from typing import Any

import pytest
from openai import OpenAI

from tests.gateway.conftest import CHAT_MODEL, EMBED_MODEL, Platform

pytestmark = pytest.mark.slow


def ask(client: OpenAI, text: str, **options: Any) -> tuple[str, str | None, str]:
    """(cache header, similarity header, answer) of one chat completion."""
    headers = options.pop("extra_headers", None)
    raw = client.chat.completions.with_raw_response.create(
        model=options.pop("model", CHAT_MODEL),
        messages=options.pop("messages", [{"role": "user", "content": text}]),
        max_tokens=options.pop("max_tokens", 8),
        temperature=options.pop("temperature", 0),
        extra_headers=headers,
        **options,
    )
    answer = raw.parse().choices[0].message.content or ""
    return (
        raw.headers["x-automatrix-cache"],
        raw.headers.get("x-automatrix-cache-similarity"),
        answer,
    )


def cosine(platform: Platform, a: str, b: str) -> float:
    data = (
        platform.client()
        .embeddings.create(model=EMBED_MODEL, input=[a, b], encoding_format="float")
        .data
    )
    return sum(x * y for x, y in zip(data[0].embedding, data[1].embedding, strict=True))


def test_a_repeat_is_an_exact_hit_with_the_same_answer(platform: Platform) -> None:
    client = platform.client(platform.key())
    first = ask(client, "Name a primary colour.")
    second = ask(client, "Name a primary colour.")
    assert first[0] == "miss"
    assert second[0] == "hit-exact"
    assert second[2] == first[2]


def test_a_paraphrase_is_a_semantic_hit(platform: Platform) -> None:
    question, paraphrase = "How do I reverse a list in Python?", "How do you reverse a Python list?"
    assert cosine(platform, question, paraphrase) >= 0.95  # the premise of this test
    client = platform.client(platform.key())
    first = ask(client, question)
    hit = ask(client, paraphrase)
    assert first[0] == "miss"
    assert hit[0] == "hit-semantic"
    assert hit[1] is not None
    assert float(hit[1]) >= 0.95
    assert hit[2] == first[2]


def test_another_tenant_model_or_temperature_misses(platform: Platform) -> None:
    key = platform.key()
    text = "Give one word that rhymes with cat."
    assert ask(platform.client(key), text)[0] == "miss"
    assert ask(platform.client(key), text)[0] == "hit-exact"
    assert ask(platform.client(platform.key()), text)[0] == "miss"  # another tenant
    assert ask(platform.client(key), text, model="auto")[0] == "miss"  # another model
    assert ask(platform.client(key), text, temperature=0.9, seed=1)[0] == "miss"


def test_a_negated_or_renumbered_query_misses_however_similar(platform: Platform) -> None:
    client = platform.client(platform.key())
    base = "Is Python a compiled language?"
    negated = "Is Python not a compiled language?"
    assert cosine(platform, base, negated) >= 0.95  # above the default threshold
    assert ask(client, base)[0] == "miss"
    assert ask(client, negated)[0] == "miss"
    loose = {"x-automatrix-cache-threshold": "0.8"}  # similarity alone would match these
    five, ten = "List 5 prime numbers.", "List 10 prime numbers."
    assert cosine(platform, five, ten) >= 0.8
    assert ask(client, five, extra_headers=loose)[0] == "miss"
    assert ask(client, ten, extra_headers=loose)[0] == "miss"
    # the same guard and a loose threshold does hit: the guard, not the threshold, refused
    assert ask(client, "List five prime numbers", extra_headers=loose)[0] == "hit-semantic"


def test_an_expired_entry_misses_in_both_stores(platform: Platform) -> None:
    client = platform.client(platform.key())
    short = {"x-automatrix-cache-ttl": "1"}
    text, paraphrase = "What colour is the sky?", "What color is the sky?"
    assert ask(client, text, extra_headers=short)[0] == "miss"
    assert ask(client, text)[0] == "hit-exact"
    assert ask(client, paraphrase)[0] == "hit-semantic"
    deadline = time.monotonic() + 10
    while ask(client, text, extra_headers={"cache-control": "no-store"})[0] != "miss":
        assert time.monotonic() < deadline, "the exact entry never expired"
        time.sleep(0.2)
    assert ask(client, paraphrase, extra_headers={"cache-control": "no-store"})[0] == "miss"


def test_no_cache_and_no_store(platform: Platform) -> None:
    client = platform.client(platform.key())
    text = "Say the word blue."
    assert ask(client, text, extra_headers={"cache-control": "no-store"})[0] == "miss"
    assert ask(client, text)[0] == "miss"  # the first answer was not stored
    assert ask(client, text, extra_headers={"cache-control": "no-cache"})[0] == "miss"
    assert ask(client, text)[0] == "hit-exact"


def test_a_streamed_request_is_answered_from_the_cache_too(platform: Platform) -> None:
    client = platform.client(platform.key())
    text = "Name a fruit."
    first = ask(client, text)
    raw = client.chat.completions.with_raw_response.create(
        model=CHAT_MODEL,
        messages=[{"role": "user", "content": text}],
        max_tokens=8,
        temperature=0,
        stream=True,
    )
    assert raw.headers["x-automatrix-cache"] == "hit-exact"
    streamed = "".join(c.choices[0].delta.content or "" for c in raw.parse() if c.choices)
    assert streamed == first[2]
