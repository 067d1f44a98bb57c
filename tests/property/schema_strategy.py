"""Hypothesis strategies for JSON documents that satisfy a contract's published JSON Schema.

Covers the subset of JSON Schema that pydantic emits for the contracts: ``$ref`` into
``$defs``, ``anyOf``, ``enum``/``const``, string patterns, lengths and ``date-time``, numeric
bounds, arrays with item bounds, and objects (declared properties, typed maps keyed by
``patternProperties`` or ``propertyNames``). A keyword it does not know is an error rather
than silently ignored, so a contract using a new one fails loudly here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

Json = Any
Schema = dict[str, Any]

_IGNORED = frozenset({"title", "description", "default", "examples", "deprecated", "readOnly"})
_HANDLED = frozenset(
    {
        "$ref", "$defs", "anyOf", "enum", "const", "type", "pattern", "minLength", "maxLength",
        "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "items",
        "minItems", "maxItems", "properties", "required", "additionalProperties",
        "patternProperties", "propertyNames", "maxProperties", "minProperties", "uniqueItems",
    }
)  # fmt: skip
MAX_TEXT = 80
"""Longest unpatterned string drawn (within the schema's own bound)."""
MAX_ITEMS = 4


class SchemaStrategies:
    """Builds strategies for one root schema, resolving its ``$defs``."""

    def __init__(self, root: Schema) -> None:
        self.defs: dict[str, Schema] = root.get("$defs", {})
        self.root = root

    def document(self) -> st.SearchStrategy[Json]:
        return self.of(self.root)

    def of(self, schema: Schema) -> st.SearchStrategy[Json]:
        unknown = set(schema) - _HANDLED - _IGNORED
        if unknown:
            raise NotImplementedError(f"JSON Schema keywords not supported: {sorted(unknown)}")
        if "$ref" in schema:
            name = schema["$ref"].removeprefix("#/$defs/")
            return st.deferred(lambda: self.of(self.defs[name]))
        if "anyOf" in schema:
            return st.one_of([self.of(branch) for branch in schema["anyOf"]])
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        kind = schema.get("type")
        if kind is None and not set(schema) - _IGNORED:
            return json_values()  # the empty schema: any JSON value
        if isinstance(kind, list):
            return st.one_of([self.of({**schema, "type": one}) for one in kind])
        builders: dict[str, Callable[[Schema], st.SearchStrategy[Json]]] = {
            "string": self._string,
            "integer": self._integer,
            "number": self._number,
            "boolean": lambda _: st.booleans(),
            "null": lambda _: st.none(),
            "array": self._array,
            "object": self._object,
        }
        if kind not in builders:
            raise NotImplementedError(f"schema without a supported type: {schema}")
        return builders[kind](schema)

    @staticmethod
    def _string(schema: Schema) -> st.SearchStrategy[str]:
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        if schema.get("format") == "date-time":
            return datetimes()
        if "format" in schema:
            raise NotImplementedError(f"string format {schema['format']!r}")
        if "pattern" in schema:
            drawn = st.from_regex(str(schema["pattern"]), fullmatch=True)
            return drawn.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))
        top = min(high, max(low, MAX_TEXT)) if high is not None else max(low, MAX_TEXT)
        return st.text(min_size=low, max_size=top)

    @staticmethod
    def _integer(schema: Schema) -> st.SearchStrategy[int]:
        low, high = schema.get("minimum"), schema.get("maximum")
        if "exclusiveMinimum" in schema:
            low = math.floor(schema["exclusiveMinimum"]) + 1
        if "exclusiveMaximum" in schema:
            high = math.ceil(schema["exclusiveMaximum"]) - 1
        return st.integers(min_value=low, max_value=high)

    @staticmethod
    def _number(schema: Schema) -> st.SearchStrategy[float]:
        return st.floats(
            min_value=schema.get("minimum", schema.get("exclusiveMinimum")),
            max_value=schema.get("maximum", schema.get("exclusiveMaximum")),
            exclude_min="exclusiveMinimum" in schema,
            exclude_max="exclusiveMaximum" in schema,
            allow_nan=False,
            allow_infinity=False,
        )

    def _array(self, schema: Schema) -> st.SearchStrategy[list[Json]]:
        low = schema.get("minItems", 0)
        high = min(schema.get("maxItems", MAX_ITEMS), max(low, MAX_ITEMS))
        items = self.of(schema.get("items", {}))
        return st.lists(items, min_size=low, max_size=high, unique=schema.get("uniqueItems", False))

    def _object(self, schema: Schema) -> st.SearchStrategy[dict[str, Json]]:
        properties: dict[str, Schema] = schema.get("properties", {})
        if properties:
            required = set(schema.get("required", ()))
            fields = {name: self.of(sub) for name, sub in properties.items()}
            return st.fixed_dictionaries(
                {name: fields[name] for name in properties if name in required},
                optional={name: fields[name] for name in properties if name not in required},
            )
        size = {"min_size": schema.get("minProperties", 0)}
        size["max_size"] = min(schema.get("maxProperties", MAX_ITEMS), max(size["min_size"], 4))
        if patterns := schema.get("patternProperties"):
            keyed = [
                st.dictionaries(self._string({"pattern": p}), self.of(v), **size)
                for p, v in patterns.items()
            ]
            return st.one_of(keyed)
        values = schema.get("additionalProperties", {})
        if values is False:
            return st.just({})
        keys = self._string({"type": "string", **schema.get("propertyNames", {})})
        return st.dictionaries(keys, self.of(values if isinstance(values, dict) else {}), **size)


def datetimes() -> st.SearchStrategy[str]:
    """RFC 3339 timestamps with an offset, as JSON carries them."""
    offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
    moments = st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=offsets
    )
    return moments.map(lambda moment: moment.isoformat())


def json_values() -> st.SearchStrategy[Json]:
    """Any JSON value (no NaN or infinity: JSON has none), nested a little."""
    numbers = st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    scalars = st.none() | st.booleans() | numbers | st.text()
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )
