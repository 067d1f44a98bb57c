"""Event contracts: round trips, rejection of bad payloads, subjects, generated docs."""

from __future__ import annotations

import base64
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from automatrix.shared.contracts import (
    ALL_EVENTS,
    ALL_SUBJECTS,
    MODELS,
    RESULTS,
    DeadLetter,
    Event,
    FieldError,
    InferenceCompleted,
    InferenceDispatched,
    InferenceFailed,
    InferenceRequested,
    ModelPromoted,
    PayloadEncoding,
    Priority,
    StreamChunk,
    Subject,
    TrainingProgress,
    Usage,
    encode_payload,
    parse_result,
)

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT / "scripts" / "gen_contracts.py"
BAD_TOKENS = ["has.dot", "has space", "star*", "gt>", "", "x" * 65]

events = pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.__name__)


def _payload(event: type[Event]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(event.example().to_bytes())
    return data


def _locs(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[int | str, ...]]:
    return [tuple(error["loc"]) for error in exc.value.errors()]


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "not-a-bool"
    if isinstance(value, int | float):
        return "not-a-number"
    if isinstance(value, str):
        return ["not", "a", "string"]
    if isinstance(value, list):
        return {"not": "a list"}
    return ["not", "a", "dict"]


def _matches(subject: str, wildcard: str) -> bool:
    tokens, pattern = subject.split("."), wildcard.split(".")
    return len(tokens) == len(pattern) and all(
        p == "*" or p == t for t, p in zip(tokens, pattern, strict=True)
    )


def _overlap(a: Subject, b: Subject) -> bool:
    ta, tb = a.wildcard.split("."), b.wildcard.split(".")
    return len(ta) == len(tb) and all(x == y or "*" in (x, y) for x, y in zip(ta, tb, strict=True))


@events
def test_example_round_trips_unchanged(event: type[Event]) -> None:
    example = event.example()
    parsed = event.parse(example.to_bytes())
    assert parsed == example
    assert parsed.to_bytes() == example.to_bytes()


@events
def test_missing_required_field_is_named(event: type[Event]) -> None:
    required = [name for name, field in event.model_fields.items() if field.is_required()]
    assert required, f"{event.__name__} has no required field"
    for name in required:
        payload = _payload(event)
        del payload[name]
        with pytest.raises(ValidationError) as exc:
            event.parse(json.dumps(payload))
        assert (name,) in _locs(exc)


@events
def test_wrong_type_is_named(event: type[Event]) -> None:
    fields = {k: v for k, v in _payload(event).items() if v is not None}
    assert fields
    for name, value in fields.items():
        payload = {**_payload(event), name: _wrong_type(value)}
        with pytest.raises(ValidationError) as exc:
            event.parse(json.dumps(payload))
        assert any(loc[:1] == (name,) for loc in _locs(exc)), (name, exc.value)


@events
def test_unknown_field_is_rejected(event: type[Event]) -> None:
    payload = {**_payload(event), "surprise": 1}
    with pytest.raises(ValidationError) as exc:
        event.parse(json.dumps(payload))
    assert ("surprise",) in _locs(exc)
    assert exc.value.errors()[0]["type"] == "extra_forbidden"


@events
def test_invalid_subject_token_is_rejected(event: type[Event]) -> None:
    token_fields = [p for p in event.SUBJECT.params if p in event.model_fields]
    assert token_fields, f"{event.__name__} has no subject field"
    for name, bad in itertools.product(token_fields, BAD_TOKENS):
        payload = {**_payload(event), name: bad}
        with pytest.raises(ValidationError) as exc:
            event.parse(json.dumps(payload))
        assert (name,) in _locs(exc)


@events
def test_subject_matches_wildcard(event: type[Event]) -> None:
    subject = event.example().subject()
    assert subject.startswith("ai.v1.")
    assert _matches(subject, event.SUBJECT.wildcard)
    assert "{" not in subject
    assert event.SUBJECT in ALL_SUBJECTS


@events
def test_schema_documents_every_field(event: type[Event]) -> None:
    schema = event.model_json_schema()
    assert schema["additionalProperties"] is False
    assert schema["description"]
    assert "\n" not in schema["description"]
    for model in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in model.get("properties", {}).items():
            assert prop.get("description"), f"{model['title']}.{name} has no description"


def test_event_types_are_unique() -> None:
    types = [e.EVENT_TYPE for e in ALL_EVENTS]
    assert len(set(types)) == len(types)


def test_every_subject_has_events_and_model_subjects_are_distinct() -> None:
    for subject in ALL_SUBJECTS:
        sharing = [e for e in ALL_EVENTS if e.SUBJECT is subject]
        assert sharing, f"no event publishes on {subject.template}"
    models = [e.example().subject() for e in ALL_EVENTS if e.SUBJECT is MODELS]
    assert len(models) == 3
    assert len(set(models)) == 3


def test_subjects_and_streams_do_not_overlap() -> None:
    templates = [s.template for s in ALL_SUBJECTS]
    assert len(set(templates)) == len(templates)
    streams = [s.stream for s in ALL_SUBJECTS if s.stream is not None]
    assert len(set(streams)) == len(streams)
    assert all(re.fullmatch(r"AI_[A-Z_]+", s) for s in streams)
    for a, b in itertools.combinations(ALL_SUBJECTS, 2):
        assert not _overlap(a, b), (a.template, b.template)
    core = [s.template for s in ALL_SUBJECTS if s.stream is None]
    assert core == [
        "ai.v1.stream.{request_id}",
        "ai.v1.embed.{model}",
        "ai.v1.classify.{model}",
        "ai.v1.rpc.{service}.{method}",
    ]


def test_priority_subject_and_rank() -> None:
    assert [p.rank for p in Priority] == [0, 1, 2, 3]
    request = InferenceRequested.example(priority=Priority.CRITICAL)
    assert request.subject() == "ai.v1.requests.critical"


def test_results_parse_into_the_right_type() -> None:
    completed, failed = InferenceCompleted.example(), InferenceFailed.example()
    assert parse_result(completed.to_bytes()) == completed
    assert parse_result(failed.to_bytes()) == failed
    with pytest.raises(ValidationError):
        parse_result(InferenceRequested.example().to_bytes())


def test_reply_subject_is_where_the_result_goes() -> None:
    request = InferenceRequested.example(requester="app-7")
    result = InferenceCompleted.example(requester=request.requester)
    assert request.reply_subject == result.subject() == RESULTS.format(requester="app-7")
    assert request.stream_subject == StreamChunk.example(request_id=request.request_id).subject()


def test_request_payload_must_match_kind() -> None:
    with pytest.raises(ValidationError):
        InferenceRequested.example(messages=[])
    with pytest.raises(ValidationError):
        InferenceRequested.example(kind="embedding", messages=[], input=["a"], stream=True)
    embedding = InferenceRequested.example(kind="embedding", messages=[], input=["a", "b"])
    assert embedding.input == ["a", "b"]


def test_bounds_are_enforced() -> None:
    with pytest.raises(ValidationError) as exc:
        InferenceRequested.example(params={"temperature": 3})
    assert _locs(exc) == [("params", "temperature")]
    with pytest.raises(ValidationError) as exc:
        InferenceRequested.example(params={"stop": ["x"] * 9})
    assert _locs(exc) == [("params", "stop")]
    with pytest.raises(ValidationError):
        InferenceRequested.example(capabilities=[{"name": "code", "min_proficiency": 1.5}])
    with pytest.raises(ValidationError):
        TrainingProgress.example(metrics={"loss": float("nan")})


def test_dispatch_must_carry_its_request() -> None:
    with pytest.raises(ValidationError):
        InferenceDispatched.example(request_id="req-other")
    dispatched = InferenceDispatched.example()
    assert dispatched.request.request_id == dispatched.request_id


def test_completed_carries_exactly_one_output() -> None:
    with pytest.raises(ValidationError):
        InferenceCompleted.example(embeddings=[[0.1, 0.2]])
    vectors = InferenceCompleted.example(output=None, finish_reason=None, embeddings=[[0.5]])
    assert vectors.embeddings == [[0.5]]


def test_usage_total_covers_parts() -> None:
    with pytest.raises(ValidationError):
        Usage(input_tokens=10, output_tokens=5, total_tokens=14)


def test_usage_only_on_the_last_chunk() -> None:
    usage = {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3}
    with pytest.raises(ValidationError):
        StreamChunk.example(usage=usage)
    assert StreamChunk.example(usage=usage, finish_reason="stop").last


def test_model_event_token_is_fixed_by_class() -> None:
    promoted = ModelPromoted.example()
    assert promoted.subject() == f"ai.v1.models.{promoted.name}.promoted"
    with pytest.raises(ValidationError):
        ModelPromoted.example(artifact={**promoted.artifact.model_dump(), "sha256": "abc"})


def test_dead_letter_keeps_undecodable_bytes() -> None:
    raw = b"\xff\xfe not utf-8"
    payload, encoding = encode_payload(raw)
    assert encoding is PayloadEncoding.BASE64
    letter = DeadLetter.example(payload=payload, encoding=encoding, reason_kind="invalid_json")
    assert DeadLetter.parse(letter.to_bytes()).payload_bytes() == raw
    assert encode_payload(b'{"a": 1}') == ('{"a": 1}', PayloadEncoding.UTF8)
    with pytest.raises(ValidationError):
        DeadLetter.example(payload="***", encoding="base64")
    assert base64.b64decode(payload) == raw


def test_field_errors_from_validation_error() -> None:
    with pytest.raises(ValidationError) as exc:
        InferenceRequested.parse(b'{"requester": "app", "surprise": 1}')
    errors = FieldError.from_validation_error(exc.value)
    assert {(tuple(e.loc), e.type) for e in errors} >= {
        (("request_id",), "missing"),
        (("surprise",), "extra_forbidden"),
    }
    assert DeadLetter.example(errors=errors).errors == errors


def test_generated_docs_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(GEN), "--check"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr


def test_check_detects_drift(tmp_path: Path) -> None:
    write = subprocess.run(
        [sys.executable, str(GEN), "--out", str(tmp_path)], capture_output=True, check=False
    )
    assert write.returncode == 0, write.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {f"{e.__name__}.schema.json" for e in ALL_EVENTS} | {"asyncapi.yaml"}
    schema = tmp_path / "DeadLetter.schema.json"
    schema.write_text(schema.read_text().replace("dead-lettered", "dropped"))
    (tmp_path / "Gone.schema.json").write_text("{}\n")
    check = subprocess.run(
        [sys.executable, str(GEN), "--check", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1
    assert "differs: DeadLetter.schema.json" in check.stderr
    assert "stale: Gone.schema.json" in check.stderr
