"""Property-based tests over every contract (each ``Contract`` model in the shared library).

Documents are drawn from each model's own JSON Schema (the one published in
``docs/contracts``), and for events also from the model's example with fields swapped for
drawn ones, so cross-field rules pass often enough to test what follows acceptance.
Properties: validation either accepts or raises ``ValidationError`` (nothing else escapes);
what is accepted survives a JSON round trip unchanged and serializes to a document its
published schema accepts; an accepted event always has a publishable subject; a result
parses back as the type it is; unknown fields, arbitrary JSON and truncated payloads are
refused, the last as ``invalid_json`` (the dead-letter reason the bus records).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections import Counter
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import automatrix.shared.contracts as contracts_package
from automatrix.shared.bus.deadletter import reason_for
from automatrix.shared.contracts import (
    ALL_EVENTS,
    Contract,
    DeadLetter,
    DeadLetterReason,
    Event,
    InferenceCompleted,
    InferenceFailed,
    encode_payload,
    parse_result,
)
from tests.property.schema_strategy import SchemaStrategies, json_values

EXAMPLES = 40
MIN_ACCEPTED = 5
"""Drawn documents a model must accept, so the properties of accepted ones were tested."""

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def all_contracts() -> list[type[Contract]]:
    """Every concrete contract model: importing each contracts module first."""
    for module in pkgutil.iter_modules(contracts_package.__path__):
        importlib.import_module(f"{contracts_package.__name__}.{module.name}")
    found: set[type[Contract]] = set()
    todo: list[type[Contract]] = [Contract]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            abstract = issubclass(sub, Event) and not hasattr(sub, "SUBJECT")
            if not sub.__name__.startswith("_") and not abstract:
                found.add(sub)
    return sorted(found, key=lambda model: model.__name__)


CONTRACTS = all_contracts()
contract = pytest.mark.parametrize("model", CONTRACTS, ids=lambda model: model.__name__)
event = pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda model: model.__name__)


def documents(model: type[Contract]) -> st.SearchStrategy[Any]:
    """Schema-valid documents; for an event, also its example with a field or two redrawn."""
    schema = model.model_json_schema()
    drawn = SchemaStrategies(schema)
    if not issubclass(model, Event):
        return drawn.document()
    example = json.loads(model.example().to_bytes())
    names = sorted(example)

    def redraw(chosen: set[str]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(
            {
                name: drawn.of(schema["properties"][name])
                if name in chosen
                else st.just(example[name])
                for name in names
            }
        )

    return drawn.document() | st.sets(st.sampled_from(names), max_size=2).flatmap(redraw)


def test_every_event_is_a_contract_and_is_covered() -> None:
    assert set(ALL_EVENTS) <= set(CONTRACTS)
    assert len(CONTRACTS) >= len(ALL_EVENTS) + 10


@contract
def test_what_validates_round_trips_matches_its_schema_and_refuses_strangers(
    model: type[Contract],
) -> None:
    published = jsonschema_rs.Draft202012Validator(model.model_json_schema(mode="serialization"))
    known = set(model.model_json_schema().get("properties", {}))
    outcomes: Counter[str] = Counter()

    @SETTINGS
    @given(
        document=documents(model),
        stranger=st.text(min_size=1, max_size=20).filter(lambda name: name not in known),
        value=json_values(),
        cut=st.floats(min_value=0, max_value=1, exclude_max=True),
    )
    def check(document: Any, stranger: str, value: Any, cut: float) -> None:
        try:
            accepted = model.model_validate(document)
        except ValidationError:
            outcomes["refused"] += 1
            return
        outcomes["accepted"] += 1
        wire = accepted.model_dump_json()
        assert model.model_validate_json(wire) == accepted
        assert model.model_validate(accepted.model_dump(mode="json")) == accepted
        errors = [e.message for e in published.iter_errors(json.loads(wire))]
        assert not errors, errors
        with pytest.raises(ValidationError) as refused:
            model.model_validate({**document, stranger: value})
        assert [(e["type"], e["loc"]) for e in refused.value.errors()] == [
            ("extra_forbidden", (stranger,))
        ]
        if isinstance(accepted, Event):
            assert_publishable(accepted, cut)

    check()
    assert outcomes["accepted"] >= MIN_ACCEPTED, outcomes


def assert_publishable(event: Event, cut: float) -> None:
    """Its subject fills the template; a truncated payload is dead-lettered as invalid JSON."""
    tokens, pattern = event.subject().split("."), event.SUBJECT.wildcard.split(".")
    assert len(tokens) == len(pattern)
    assert all(p in ("*", t) and t for t, p in zip(tokens, pattern, strict=True))
    payload = event.to_bytes()
    with pytest.raises(ValidationError) as refused:
        type(event).parse(payload[: int(len(payload) * cut)])
    assert reason_for(refused.value) is DeadLetterReason.INVALID_JSON
    if isinstance(event, InferenceCompleted | InferenceFailed):
        assert parse_result(payload) == event


@event
def test_bytes_that_are_not_json_are_refused_as_invalid_json(model: type[Event]) -> None:
    @SETTINGS
    @given(data=st.binary(max_size=256))
    def check(data: bytes) -> None:
        try:
            json.loads(data.decode(), parse_constant=_refuse)
        except ValueError:
            with pytest.raises(ValidationError) as refused:
                model.parse(data)
            assert reason_for(refused.value) is DeadLetterReason.INVALID_JSON

    check()


@event
def test_json_of_another_shape_is_refused_as_schema_invalid(model: type[Event]) -> None:
    @SETTINGS
    @given(value=json_values())
    def check(value: Any) -> None:
        try:
            model.parse(json.dumps(value))
        except ValidationError as exc:
            refused = exc
        else:
            return
        assert reason_for(refused) is DeadLetterReason.SCHEMA_INVALID

    check()


def _refuse(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


@SETTINGS
@given(data=st.binary(max_size=4096))
def test_a_dead_letter_carries_any_payload_bytes_back_unchanged(data: bytes) -> None:
    payload, encoding = encode_payload(data)
    letter = DeadLetter.example(payload=payload, encoding=encoding)
    assert DeadLetter.parse(letter.to_bytes()).payload_bytes() == data
