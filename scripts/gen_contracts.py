"""Generate docs/contracts: a JSON Schema per event and the AsyncAPI 3.0 document of the bus.

Run ``python scripts/gen_contracts.py`` to write the files, ``--check`` to exit 1 when the
checked-in files differ from what the contracts generate.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from automatrix.shared.contracts import ALL_EVENTS, ALL_SUBJECTS, Event, Subject

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "contracts"
ASYNCAPI_FILE = "asyncapi.yaml"
SCHEMA_SUFFIX = ".schema.json"
EXAMPLE_MESSAGE_ID = "0123456789abcdef0123456789abcdef"
EXAMPLE_TIMESTAMP = datetime(2025, 1, 1, tzinfo=UTC).isoformat().replace("+00:00", "Z")
DIFF_LINES = 20

_PLAIN = re.compile(r"^[A-Za-z_$][A-Za-z0-9_ ./$-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def schema_file(event: type[Event]) -> str:
    """File name of an event's JSON Schema."""
    return f"{event.__name__}{SCHEMA_SUFFIX}"


def channel_id(subject: Subject) -> str:
    """AsyncAPI channel id: the subject's first token after ``ai.v1``."""
    return subject.template.split(".")[2]


def event_schema(event: type[Event]) -> dict[str, Any]:
    """The JSON Schema of one event, with its id, type and subject."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_file(event),
        **event.model_json_schema(),
        "x-event-type": event.EVENT_TYPE,
        "x-subject": event.SUBJECT.template,
    }


def _pin_envelopes(value: Any) -> Any:
    """Replace generated message ids and timestamps so examples are deterministic."""
    if isinstance(value, dict):
        pinned = {key: _pin_envelopes(item) for key, item in value.items()}
        if "message_id" in pinned and "timestamp" in pinned:
            pinned.update(message_id=EXAMPLE_MESSAGE_ID, timestamp=EXAMPLE_TIMESTAMP)
        return pinned
    if isinstance(value, list):
        return [_pin_envelopes(item) for item in value]
    return value


def example_payload(event: type[Event]) -> dict[str, Any]:
    """The event's example as JSON data, with pinned ids and timestamps."""
    pinned: dict[str, Any] = _pin_envelopes(event.example().model_dump(mode="json"))
    return pinned


def _summary(event: type[Event]) -> str:
    return (event.__doc__ or event.__name__).strip().splitlines()[0]


def _parameter(events: list[type[Event]], name: str) -> dict[str, Any]:
    examples = list(dict.fromkeys(e.example().subject_values()[name] for e in events))
    for event in events:
        field = event.model_fields.get(name)
        if field is None:
            continue
        param: dict[str, Any] = {"description": field.description or name}
        if isinstance(field.annotation, type) and issubclass(field.annotation, StrEnum):
            param["enum"] = [member.value for member in field.annotation]
        param["examples"] = examples
        return param
    by_type = ", ".join(f"{e.example().subject_values()[name]} ({e.__name__})" for e in events)
    return {"description": f"Set by the event type: {by_type}.", "enum": examples}


def _message(event: type[Event]) -> dict[str, Any]:
    return {
        "name": event.__name__,
        "title": event.__name__,
        "summary": _summary(event),
        "contentType": "application/json",
        "x-event-type": event.EVENT_TYPE,
        "payload": {"$ref": f"./{schema_file(event)}"},
        "examples": [{"name": "example", "payload": example_payload(event)}],
    }


def asyncapi() -> dict[str, Any]:
    """The AsyncAPI 3.0 document: a channel per subject, a message per event, send and receive."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for subject in ALL_SUBJECTS:
        cid = channel_id(subject)
        events = [e for e in ALL_EVENTS if e.SUBJECT is subject]
        channel: dict[str, Any] = {"address": subject.template, "description": subject.description}
        if subject.stream is None:
            channel["x-transport"] = "core NATS (not persisted)"
        else:
            channel["x-stream"] = subject.stream
        channel["parameters"] = {p: _parameter(events, p) for p in subject.params}
        channel["messages"] = {
            e.__name__: {"$ref": f"#/components/messages/{e.__name__}"} for e in events
        }
        channels[cid] = channel
        for event in events:
            messages[event.__name__] = _message(event)
            for action in ("send", "receive"):
                operations[f"{action}{event.__name__}"] = {
                    "action": action,
                    "channel": {"$ref": f"#/channels/{cid}"},
                    "summary": f"{action.capitalize()} {event.__name__}: {_summary(event)}",
                    "messages": [{"$ref": f"#/channels/{cid}/messages/{event.__name__}"}],
                }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "AutoMatrix events",
            "version": "1.0.0",
            "description": "Events exchanged on the AutoMatrix bus (NATS JetStream), "
            "generated from automatrix.shared.contracts by scripts/gen_contracts.py.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "nats": {
                "host": "localhost:4222",
                "protocol": "nats",
                "description": "Embedded nats-server started by the launcher.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.match(text) and text == text.strip() and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{_scalar(str(key))}:")
                lines.extend(_yaml_lines(item, indent + 1))
            else:
                lines.append(f"{pad}{_scalar(str(key))}: {_inline(item)}")
    else:
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = _yaml_lines(item, indent + 1)
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{pad}- {_inline(item)}")
    return lines


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def to_yaml(document: dict[str, Any]) -> str:
    """Block-style YAML of JSON-like data; strings that could be misread are JSON-quoted."""
    return "\n".join(_yaml_lines(document, 0)) + "\n"


def render() -> dict[str, str]:
    """Every generated file name and its content."""
    files = {
        schema_file(e): json.dumps(event_schema(e), indent=2, sort_keys=True) + "\n"
        for e in ALL_EVENTS
    }
    files[ASYNCAPI_FILE] = to_yaml(asyncapi())
    return files


def _generated_on_disk(out: Path) -> set[str]:
    names = {p.name for p in out.glob(f"*{SCHEMA_SUFFIX}")}
    if (out / ASYNCAPI_FILE).exists():
        names.add(ASYNCAPI_FILE)
    return names


def check(out: Path, files: dict[str, str]) -> list[str]:
    """Differences between the files under ``out`` and ``files``, as printable lines."""
    problems: list[str] = []
    for name, content in files.items():
        path = out / name
        if not path.exists():
            problems.append(f"missing: {name}")
            continue
        current = path.read_text(encoding="utf-8")
        if current != content:
            diff = list(
                difflib.unified_diff(
                    current.splitlines(), content.splitlines(), name, f"{name} (generated)", n=0
                )
            )
            changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in {"+++", "---"})
            problems.append(f"differs: {name} ({changed} lines)")
            problems.extend(f"    {line}" for line in diff[:DIFF_LINES])
    problems.extend(f"stale: {name}" for name in sorted(_generated_on_disk(out) - files.keys()))
    return problems


def write(out: Path, files: dict[str, str]) -> list[str]:
    """Write changed files and delete stale ones; the names touched."""
    out.mkdir(parents=True, exist_ok=True)
    touched: list[str] = []
    for name, content in files.items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8", newline="\n")
            touched.append(name)
    for name in sorted(_generated_on_disk(out) - files.keys()):
        (out / name).unlink()
        touched.append(name)
    return touched


def main(argv: list[str] | None = None) -> int:
    """Generate or check docs/contracts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail when the files differ")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    out: Path = args.out
    files = render()
    if args.check:
        problems = check(out, files)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            print(f"{out} is out of date: run scripts/gen_contracts.py", file=sys.stderr)
            return 1
        print(f"{out}: {len(files)} files up to date")
        return 0
    touched = write(out, files)
    print(f"{out}: {len(files)} files, {len(touched)} written or removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
