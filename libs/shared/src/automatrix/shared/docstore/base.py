"""The document store interface, its query model, and the rules every backend applies to input."""

from __future__ import annotations

import math
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Self

Scalar = str | int | float | bool | None | datetime
"""A value a query may compare a field with."""

Bound = int | float | str | datetime
"""A range end: numbers, strings (compared bytewise) or datetimes."""

Direction = Literal["asc", "desc"]

MAX_ID_LENGTH = 128
_INT64 = 2**63
_COLLECTION = re.compile(r"[a-z][a-z0-9_]{0,62}")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")


class DuplicateKeyError(Exception):
    """A document with this id already exists in the collection."""


@dataclass(frozen=True)
class Range:
    """Bounds on a field, which matches only values of the bounds' kind (number, str, datetime)."""

    gte: Bound | None = None
    gt: Bound | None = None
    lte: Bound | None = None
    lt: Bound | None = None

    def __post_init__(self) -> None:
        given = {op: v for op, v in self.bounds() if v is not None}
        if not given:
            raise ValueError("a Range needs at least one bound")
        if len({bound_kind(v) for v in given.values()}) > 1:
            raise ValueError(f"Range bounds must be of one kind, got {given!r}")
        for op, value in given.items():
            object.__setattr__(self, op, normalise(value))

    def bounds(self) -> list[tuple[Literal["gte", "gt", "lte", "lt"], Bound | None]]:
        """Each operator with its bound (None: open)."""
        return [("gte", self.gte), ("gt", self.gt), ("lte", self.lte), ("lt", self.lt)]


@dataclass(frozen=True)
class Query:
    """Which documents to read: all conditions must hold; results ordered, then paged.

    Fields may be dotted paths into nested objects (``"metrics.loss"``). ``equals`` compares
    by kind (1 matches 1.0, not True or "1"); None matches a missing field too; on a field
    holding an array it is unspecified (MongoDB matches elements). Strings compare bytewise,
    so keep timestamps as datetimes. Documents always come back in a total order: the sort
    keys, then ``_id`` ascending; kinds sort in MongoDB's order (missing/null, numbers,
    strings, objects, arrays, booleans, datetimes).
    """

    equals: Mapping[str, Scalar] = field(default_factory=dict)
    ranges: Mapping[str, Range] = field(default_factory=dict)
    sort: Sequence[tuple[str, Direction]] = ()
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        equals = {check_path(k): check_scalar(v) for k, v in self.equals.items()}
        ranges = {check_path(k): v for k, v in self.ranges.items()}
        if not all(isinstance(v, Range) for v in ranges.values()):
            raise TypeError("ranges values must be Range")
        sort = tuple((check_path(k), d) for k, d in self.sort)
        if any(d not in ("asc", "desc") for _, d in sort):
            raise ValueError(f"sort directions are 'asc' or 'desc', got {self.sort!r}")
        if self.limit is not None and (isinstance(self.limit, bool) or self.limit < 1):
            raise ValueError("limit must be a positive int or None")
        if self.offset < 0:
            raise ValueError("offset must not be negative")
        object.__setattr__(self, "equals", equals)
        object.__setattr__(self, "ranges", ranges)
        object.__setattr__(self, "sort", sort)

    def window(self, matching: int) -> int:
        """How many of ``matching`` documents the offset and limit let through."""
        left = max(0, matching - self.offset)
        return left if self.limit is None else min(left, self.limit)


class DocumentStore(ABC):
    """Collections of JSON-like documents keyed by a string ``_id``."""

    @abstractmethod
    async def insert(
        self, collection: str, doc: Mapping[str, Any], *, id: str | None = None
    ) -> str:
        """Add a new document, return its id (new if none given); DuplicateKeyError if taken."""

    @abstractmethod
    async def put(self, collection: str, id: str, doc: Mapping[str, Any]) -> None:
        """Create the document or replace it whole."""

    @abstractmethod
    async def get(self, collection: str, id: str) -> dict[str, Any] | None:
        """The document with its ``_id``, or None."""

    @abstractmethod
    async def update(
        self,
        collection: str,
        id: str,
        changes: Mapping[str, Any],
        *,
        expect: Mapping[str, Scalar] | None = None,
    ) -> bool:
        """Set top-level fields if the document exists and every ``expect`` field equals its value.

        Returns whether the document matched (and now holds ``changes``): False for a missing
        document or a stale ``expect``, which is how compare-and-set callers learn they lost.
        """

    @abstractmethod
    async def delete(self, collection: str, id: str) -> bool:
        """Remove the document; whether it existed."""

    @abstractmethod
    async def find(self, collection: str, query: Query | None = None) -> list[dict[str, Any]]:
        """The documents matching ``query``, ordered and paged as it says."""

    @abstractmethod
    async def count(self, collection: str, query: Query | None = None) -> int:
        """How many documents ``find`` would return for ``query`` (paging included)."""

    @abstractmethod
    async def close(self) -> None:
        """Release the connection."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def check_collection(name: str) -> str:
    """The collection name, if it is a safe table/collection name in every backend."""
    if not isinstance(name, str) or not _COLLECTION.fullmatch(name) or name.startswith("sqlite_"):
        raise ValueError(f"invalid collection name {name!r}: want [a-z][a-z0-9_]{{0,62}}")
    return name


def check_id(id: str) -> str:
    """The document id, if it is a non-empty string of at most 128 characters."""
    if not isinstance(id, str) or not 0 < len(id) <= MAX_ID_LENGTH:
        raise ValueError(f"invalid document id {id!r}: want a str of 1..{MAX_ID_LENGTH} chars")
    return id


def check_field(name: str) -> str:
    """A top-level field name that may be set by ``update`` (not ``_id``)."""
    if not isinstance(name, str) or not _FIELD.fullmatch(name) or name == "_id":
        raise ValueError(f"invalid field name {name!r}")
    return name


def check_path(path: str) -> str:
    """A field name or a dotted path of field names, ``_id`` included."""
    if not isinstance(path, str) or not all(_FIELD.fullmatch(p) for p in path.split(".")):
        raise ValueError(f"invalid field path {path!r}")
    return path


def check_scalar(value: Scalar) -> Scalar:
    """A value ``equals`` / ``expect`` can compare with, normalised."""
    if value is not None and not isinstance(value, str | int | float | datetime):
        raise TypeError(f"cannot compare with {type(value).__name__}: {value!r}")
    return normalise(value)  # type: ignore[no-any-return]


def bound_kind(value: Bound) -> type:
    """Which kind of field values a bound selects."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | datetime):
        raise TypeError(f"a Range bound is a number, str or datetime, not {value!r}")
    return float if isinstance(value, int | float) else type(value)


def body(doc: Mapping[str, Any], id: str) -> dict[str, Any]:
    """The stored fields of ``doc`` (normalised, without ``_id``, which must agree with ``id``)."""
    if not isinstance(doc, Mapping):
        raise TypeError(f"a document is a mapping, not {type(doc).__name__}")
    if "_id" in doc and doc["_id"] != id:
        raise ValueError(f"document _id {doc['_id']!r} differs from id {id!r}")
    return {k: normalise(v) for k, v in _checked_items(doc) if k != "_id"}


def resolve_id(doc: Mapping[str, Any], id: str | None) -> str:
    """The id a new document gets: ``id``, else its own ``_id``, else a fresh uuid."""
    if id is None:
        id = doc["_id"] if isinstance(doc, Mapping) and "_id" in doc else uuid.uuid4().hex
    return check_id(id)


def changes_body(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Normalised top-level field changes for ``update``."""
    if not changes:
        raise ValueError("update needs at least one field to set")
    return {check_field(k): normalise(v) for k, v in changes.items()}


def normalise(value: Any) -> Any:
    """A JSON-compatible copy of ``value``; datetimes as aware UTC to the millisecond.

    Milliseconds because MongoDB keeps no finer, and both backends must return the same.
    """
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int):
        if not -_INT64 <= value < _INT64:
            raise ValueError(f"integer {value} does not fit in 64 bits")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not JSON")
        return value
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: give it a timezone")
        utc = value.astimezone(UTC)
        return utc.replace(microsecond=utc.microsecond // 1000 * 1000)
    if isinstance(value, Mapping):
        return {k: normalise(v) for k, v in _checked_items(value)}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    raise TypeError(f"cannot store {type(value).__name__}: {value!r}")


def _checked_items(mapping: Mapping[Any, Any]) -> list[tuple[str, Any]]:
    # "$" keys would read as operators in MongoDB and as datetimes in SQLite's encoding.
    for key in mapping:
        if not isinstance(key, str) or key.startswith("$") or "\x00" in key:
            raise ValueError(f"invalid document key {key!r}")
    return list(mapping.items())
