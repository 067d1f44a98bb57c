"""Exact cache keys and semantic scopes: what must split them and what must not."""

from __future__ import annotations

from typing import Any

import pytest

from automatrix.orchestrator.domain.cache_keys import (
    exact_key,
    normalise_params,
    semantic_scope,
    semantic_text,
)
from automatrix.shared.contracts import ChatMessage, InferenceParams, RequestKind


def _msg(role: str, content: str, name: str | None = None) -> ChatMessage:
    return ChatMessage.model_validate({"role": role, "content": content, "name": name})


CONVERSATION = (
    _msg("system", "You are a concise assistant."),
    _msg("user", "What is event sourcing?"),
    _msg("assistant", "Storing changes as a log of events."),
    _msg("user", "And how does it relate to CQRS?"),
)


def _key(**overrides: Any) -> str:
    fields: dict[str, Any] = {
        "tenant": "acme",
        "model": "gpt-4o-mini",
        "kind": RequestKind.CHAT,
        "params": InferenceParams(temperature=0.7, max_tokens=256),
        "messages": CONVERSATION,
    }
    return exact_key(**{**fields, **overrides})


def _scope(**overrides: Any) -> str:
    fields: dict[str, Any] = {
        "tenant": "acme",
        "model": "gpt-4o-mini",
        "kind": RequestKind.CHAT,
        "params": InferenceParams(temperature=0.7, max_tokens=256),
        "messages": CONVERSATION,
    }
    return semantic_scope(**{**fields, **overrides})


def _replaced(index: int, message: ChatMessage) -> list[ChatMessage]:
    messages = list(CONVERSATION)
    messages[index] = message
    return messages


def test_normalise_params_drops_none_rounds_floats_and_sorts_stops() -> None:
    params = InferenceParams(temperature=0.700004, top_p=1, stop=["b", "a", "b"], seed=7)
    assert normalise_params(params) == {
        "temperature": 0.7,
        "top_p": 1.0,
        "stop": ["a", "b"],
        "seed": 7,
    }
    assert normalise_params(InferenceParams()) == {}


def test_normalise_params_spells_negative_zero_as_zero() -> None:
    assert normalise_params(InferenceParams(presence_penalty=-0.0)) == {"presence_penalty": 0.0}
    assert _key(params=InferenceParams(presence_penalty=-0.0)) == _key(
        params=InferenceParams(presence_penalty=0.0)
    )


def test_same_request_same_key() -> None:
    assert _key() == _key(messages=[m.model_copy() for m in CONVERSATION])
    assert len(_key()) == 64
    assert int(_key(), 16) >= 0


@pytest.mark.parametrize(
    "change",
    [
        {"tenant": "globex"},
        {"model": "claude-3-5-haiku"},
        {"model": "GPT-4o-mini"},
        {"kind": RequestKind.EMBEDDING},
        {"params": InferenceParams(temperature=0.8, max_tokens=256)},
        {"params": InferenceParams(temperature=0.7001, max_tokens=256)},
        {"params": InferenceParams(temperature=0.7, max_tokens=257)},
        {"params": InferenceParams(temperature=0.7, max_tokens=256, seed=1)},
        {"params": InferenceParams(temperature=0.7, max_tokens=256, stop=["\n"])},
        {"messages": _replaced(0, _msg("system", "You are a verbose assistant."))},
        {"messages": _replaced(1, _msg("user", "What is event streaming?"))},
        {"messages": _replaced(2, _msg("assistant", "Storing state snapshots."))},
        {"messages": _replaced(3, _msg("user", "And how does it relate to DDD?"))},
        {"messages": _replaced(3, _msg("user", "and how does it relate to cqrs?"))},
        {"messages": _replaced(2, _msg("user", "Storing changes as a log of events."))},
        {"messages": _replaced(1, _msg("user", "What is event sourcing?", name="bob"))},
        {"messages": [CONVERSATION[0], CONVERSATION[3], CONVERSATION[2], CONVERSATION[1]]},
        {"messages": CONVERSATION[1:]},
        {"inputs": ["extra"]},
    ],
)
def test_key_changes_with_anything_that_changes_the_answer(change: dict[str, Any]) -> None:
    assert _key(**change) != _key()


def test_temperature_differences_below_four_places_share_a_key() -> None:
    assert _key(params=InferenceParams(temperature=0.70001, max_tokens=256)) == _key()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (InferenceParams(), InferenceParams(temperature=None, seed=None, stop=[])),
        (InferenceParams(stop=["END", "\n\n"]), InferenceParams(stop=["\n\n", "END"])),
        (InferenceParams(stop=["END"]), InferenceParams(stop=["END", "END"])),
        (InferenceParams(temperature=1), InferenceParams(temperature=1.0)),
    ],
)
def test_key_ignores_spellings_of_the_same_params(
    first: InferenceParams, second: InferenceParams
) -> None:
    assert _key(params=first) == _key(params=second)


def test_key_ignores_whitespace_differences_but_keeps_case() -> None:
    spaced = [
        _msg(m.role, "  " + m.content.replace(" ", " \n\t ") + "  ", m.name) for m in CONVERSATION
    ]
    assert _key(messages=spaced) == _key()
    assert _key(messages=_replaced(1, _msg("user", "WHAT is event sourcing?"))) != _key()


def test_embedding_keys_cover_every_input_in_order() -> None:
    def key(inputs: list[str]) -> str:
        return exact_key(
            tenant="acme",
            model="minilm",
            kind=RequestKind.EMBEDDING,
            params=InferenceParams(),
            inputs=inputs,
        )

    assert key(["a b", "c"]) == key([" a  b ", "c"])
    assert key(["a", "b"]) != key(["b", "a"])
    assert key(["a"]) != key(["a", "b"])


def test_scope_ignores_the_last_user_message() -> None:
    rephrased = _replaced(3, _msg("user", "How is it related to CQRS, then?"))
    assert _scope(messages=rephrased) == _scope()


@pytest.mark.parametrize(
    "change",
    [
        {"tenant": "globex"},
        {"model": "claude-3-5-haiku"},
        {"kind": RequestKind.EMBEDDING},
        {"params": InferenceParams(temperature=0.2, max_tokens=256)},
        {"messages": _replaced(0, _msg("system", "You are a verbose assistant."))},
        {"messages": _replaced(1, _msg("user", "What is event streaming?"))},
        {"messages": _replaced(2, _msg("assistant", "Storing state snapshots."))},
        {"messages": _replaced(3, _msg("user", "And how does it relate to CQRS?", name="bob"))},
        {"messages": CONVERSATION[2:]},
        {"messages": [*CONVERSATION, _msg("assistant", "Prefill:")]},
    ],
)
def test_scope_changes_with_everything_but_the_last_user_message(change: dict[str, Any]) -> None:
    assert _scope(**change) != _scope()


def test_scope_never_equals_the_exact_key() -> None:
    single = [_msg("user", "hi")]
    assert _scope(messages=single) != _key(messages=single)


def test_semantic_text_is_the_last_user_message_normalised() -> None:
    assert semantic_text(CONVERSATION) == "And how does it relate to CQRS?"
    trailing = [*CONVERSATION, _msg("assistant", "It separates reads from writes.")]
    assert semantic_text(trailing) == "And how does it relate to CQRS?"
    assert semantic_text([_msg("user", "  Hello \n\n World  ")]) == "Hello World"
    assert semantic_text([_msg("system", "You are terse.")]) == ""
