"""Cache keys: the exact key of a whole request, and the scope a semantic match must share.

Both are sha256 hex digests of a canonical JSON document (sorted keys, no spaces, ASCII)
carrying a ``purpose`` tag and a scheme version, so an exact key can never collide with a
semantic scope and a change of scheme starts fresh keys instead of misreading old ones.
Message contents are whitespace-normalised (stripped, runs collapsed; case kept) and
sampling floats rounded to 4 places, so 0.7 and 0.70001 share a key but 0.7001 does not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from automatrix.shared.contracts import ChatMessage, InferenceParams, RequestKind, Role

KEY_SCHEME_VERSION = 1
"""Bump when the canonical document changes, so old cache entries are never misread."""

FLOAT_DIGITS = 4
"""Decimal places sampling floats are rounded to before keying."""


def normalise_params(params: InferenceParams) -> dict[str, object]:
    """Parameters that shape the answer, canonical: no ``None``, floats rounded, stops sorted."""
    # Every field is kept (all of them change the answer today), so a field added to the
    # contract later splits keys by default instead of silently sharing them.
    normalised: dict[str, object] = {}
    for name, value in sorted(params.model_dump().items()):
        if value is None:
            continue
        if isinstance(value, float):
            # Adding 0.0 turns -0.0 into 0.0, which JSON would otherwise spell apart.
            normalised[name] = round(value, FLOAT_DIGITS) + 0.0
        elif isinstance(value, list):
            # Stop sequences are a set: order and repeats do not change where generation ends.
            if value:
                normalised[name] = sorted(set(value))
        else:
            normalised[name] = value
    return normalised


def normalise_text(text: str) -> str:
    """``text`` stripped, with every run of whitespace collapsed to one space; case kept."""
    return " ".join(text.split())


def exact_key(
    *,
    tenant: str,
    model: str,
    kind: RequestKind,
    params: InferenceParams,
    messages: Sequence[ChatMessage] = (),
    inputs: Sequence[str] = (),
) -> str:
    """Key of a whole request: the same key only for the same tenant, model, params and payload."""
    return _digest(
        {
            "purpose": "exact",
            "tenant": tenant,
            "model": model,
            "kind": kind.value,
            "params": normalise_params(params),
            "messages": [_message_document(message) for message in messages],
            "inputs": [normalise_text(text) for text in inputs],
        }
    )


def semantic_scope(
    *,
    tenant: str,
    model: str,
    kind: RequestKind,
    params: InferenceParams,
    messages: Sequence[ChatMessage],
) -> str:
    """Key of everything but the last user message, which a semantic hit may paraphrase."""
    last = _last_user_index(messages)
    conversation = [
        # The last user turn keeps its place and name; only its content is left out.
        {"role": Role.USER.value, "name": message.name, "content": None}
        if index == last
        else _message_document(message)
        for index, message in enumerate(messages)
    ]
    return _digest(
        {
            "purpose": "semantic-scope",
            "tenant": tenant,
            "model": model,
            "kind": kind.value,
            "params": normalise_params(params),
            "messages": conversation,
        }
    )


def semantic_text(messages: Sequence[ChatMessage]) -> str:
    """The text to embed for a semantic lookup: the last user message; empty when there is none."""
    last = _last_user_index(messages)
    return "" if last is None else normalise_text(messages[last].content)


def _last_user_index(messages: Sequence[ChatMessage]) -> int | None:
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].role is Role.USER:
            return index
    return None


def _message_document(message: ChatMessage) -> dict[str, object]:
    return {
        "role": message.role.value,
        "name": message.name,
        "content": normalise_text(message.content),
    }


def _digest(document: dict[str, object]) -> str:
    # ASCII escapes keep any string, even a lone surrogate, encodable.
    canonical = json.dumps(
        {"v": KEY_SCHEME_VERSION, **document}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
