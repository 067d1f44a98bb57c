"""The embedded document store: one SQLite table per collection, a JSON document per row."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiosqlite

from automatrix.shared.docstore.base import (
    DocumentStore,
    DuplicateKeyError,
    Query,
    Range,
    Scalar,
    body,
    changes_body,
    check_collection,
    check_id,
    resolve_id,
)

MEMORY = ":memory:"
_DATE = "$date"
_COMPARE = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}
# MongoDB's order between kinds, so both backends sort mixed fields alike.
_RANK = (
    "CASE {kind} WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'text' THEN 2"
    " WHEN 'object' THEN (CASE WHEN {date} IS NULL THEN 3 ELSE 6 END) WHEN 'array' THEN 4"
    " WHEN 'false' THEN 5 WHEN 'true' THEN 5 ELSE 0 END"
)


class SQLiteStore(DocumentStore):
    """Documents in a SQLite file (WAL mode) or in memory; processes may share the file."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._tables: set[str] = set()

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout: float = 10.0) -> SQLiteStore:
        """Open (creating it and its folder if need be) the database at ``path`` or ``:memory:``."""
        target = str(path)
        if target != MEMORY:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: every write is one statement, so each is its own atomic transaction, and
        # a write statement takes the write lock up front, waiting up to busy_timeout for it.
        conn = await aiosqlite.connect(target, isolation_level=None, timeout=busy_timeout)
        try:
            await conn.execute_fetchall("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last commits.
            await conn.execute_fetchall("PRAGMA synchronous=NORMAL")
        except BaseException:
            await conn.close()
            raise
        return cls(conn)

    async def insert(
        self, collection: str, doc: Mapping[str, Any], *, id: str | None = None
    ) -> str:
        id = resolve_id(doc, id)
        text = _dumps(body(doc, id))
        table = await self._writable(collection)
        try:
            await self._write(f'INSERT INTO "{table}" (_id, doc) VALUES (?, ?)', (id, text))
        except sqlite3.IntegrityError as exc:
            if exc.sqlite_errorcode == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
                raise DuplicateKeyError(f"{collection}/{id} exists") from exc
            raise
        return id

    async def put(self, collection: str, id: str, doc: Mapping[str, Any]) -> None:
        text = _dumps(body(doc, check_id(id)))
        table = await self._writable(collection)
        await self._write(
            f'INSERT INTO "{table}" (_id, doc) VALUES (?, ?)'
            " ON CONFLICT (_id) DO UPDATE SET doc = excluded.doc",
            (id, text),
        )

    async def get(self, collection: str, id: str) -> dict[str, Any] | None:
        check_id(id)
        if not await self._exists(collection):
            return None
        rows = await self._read(f'SELECT _id, doc FROM "{collection}" WHERE _id = ?', (id,))
        return _document(rows[0]) if rows else None

    async def update(
        self,
        collection: str,
        id: str,
        changes: Mapping[str, Any],
        *,
        expect: Mapping[str, Scalar] | None = None,
    ) -> bool:
        check_id(id)
        fields = changes_body(changes)
        guard = Query(equals=expect or {})
        if not await self._exists(collection):
            return False
        sql = _Sql()
        assignments = ", ".join(
            f"{sql.bind(_json_path(k))}, json({sql.bind(_dumps(v))})" for k, v in fields.items()
        )
        where = sql.where(guard, id=id)
        changed = await self._write(
            f'UPDATE "{collection}" SET doc = json_set(doc, {assignments}) {where}', sql.params
        )
        return changed > 0

    async def delete(self, collection: str, id: str) -> bool:
        check_id(id)
        if not await self._exists(collection):
            return False
        return await self._write(f'DELETE FROM "{collection}" WHERE _id = ?', (id,)) > 0

    async def find(self, collection: str, query: Query | None = None) -> list[dict[str, Any]]:
        query = query or Query()
        if not await self._exists(collection):
            return []
        sql = _Sql()
        rows = await self._read(
            f'SELECT _id, doc FROM "{collection}" {sql.where(query)} {sql.order_and_page(query)}',
            sql.params,
        )
        return [_document(row) for row in rows]

    async def count(self, collection: str, query: Query | None = None) -> int:
        query = query or Query()
        if not await self._exists(collection):
            return 0
        sql = _Sql()
        rows = await self._read(
            f'SELECT count(*) FROM "{collection}" {sql.where(query)}', sql.params
        )
        return query.window(int(rows[0][0]))

    async def close(self) -> None:
        await self._conn.close()

    async def _writable(self, collection: str) -> str:
        if check_collection(collection) not in self._tables:
            await self._write(
                f'CREATE TABLE IF NOT EXISTS "{collection}"'
                " (_id TEXT PRIMARY KEY, doc TEXT NOT NULL)"
            )
            self._tables.add(collection)
        return collection

    async def _exists(self, collection: str) -> bool:
        # Another store on the same file may have created the table since we last looked.
        if check_collection(collection) not in self._tables:
            rows = await self._read(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (collection,)
            )
            if not rows:
                return False
            self._tables.add(collection)
        return True

    async def _write(self, statement: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> int:
        async with self._conn.execute(statement, params) as cursor:
            return cursor.rowcount

    async def _read(
        self, statement: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> list[sqlite3.Row]:
        return list(await self._conn.execute_fetchall(statement, params))


@dataclass(frozen=True)
class _Field:
    """SQL expressions reading one field: its JSON type, its value, its datetime (else NULL)."""

    kind: str
    value: str
    date: str


class _Sql:
    """Builds WHERE / ORDER BY clauses; every value and JSON path goes in as a named parameter."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def field(self, path: str) -> _Field:
        if path == "_id":
            return _Field(kind="'text'", value="_id", date="NULL")
        at, date_at = self.bind(_json_path(path)), self.bind(_json_path(path, _DATE))
        return _Field(
            kind=f"json_type(doc, {at})",
            value=f"json_extract(doc, {at})",
            date=f"json_extract(doc, {date_at})",
        )

    def where(self, query: Query, *, id: str | None = None) -> str:
        conditions = [] if id is None else [f"_id = {self.bind(id)}"]
        conditions += [self._equals(self.field(k), v) for k, v in query.equals.items()]
        conditions += [self._within(self.field(k), r) for k, r in query.ranges.items()]
        return "WHERE " + " AND ".join(f"({c})" for c in conditions) if conditions else ""

    def order_and_page(self, query: Query) -> str:
        keys: list[str] = []
        for path, direction in query.sort:
            f, way = self.field(path), direction.upper()
            rank = _RANK.format(kind=f.kind, date=f.date)
            keys += [f"{rank} {way}", f"coalesce({f.date}, {f.value}) {way}"]
        if "_id" not in {path for path, _ in query.sort}:
            keys.append("_id ASC")
        limit = -1 if query.limit is None else query.limit
        return (
            f"ORDER BY {', '.join(keys)} LIMIT {self.bind(limit)} OFFSET {self.bind(query.offset)}"
        )

    def _equals(self, f: _Field, value: Scalar) -> str:
        if value is None:
            return f"coalesce({f.kind}, 'null') = 'null'"
        if isinstance(value, bool):
            return f"{f.kind} = {self.bind('true' if value else 'false')}"
        if isinstance(value, datetime):
            return f"{f.date} = {self.bind(_sql_value(value))}"
        return f"{_kind_is(f, value)} AND {f.value} = {self.bind(value)}"

    def _within(self, f: _Field, bounds: Range) -> str:
        given = [(op, b) for op, b in bounds.bounds() if b is not None]
        sample = given[0][1]
        target, guard = (
            (f.date, []) if isinstance(sample, datetime) else (f.value, [_kind_is(f, sample)])
        )
        checks = [f"{target} {_COMPARE[op]} {self.bind(_sql_value(b))}" for op, b in given]
        return " AND ".join([*guard, *checks])


def _kind_is(f: _Field, sample: str | int | float) -> str:
    return f"{f.kind} = 'text'" if isinstance(sample, str) else f"{f.kind} IN ('integer', 'real')"


def _json_path(path: str, *more: str) -> str:
    return "$" + "".join(f'."{part}"' for part in (*path.split("."), *more))


def _sql_value(value: str | int | float | datetime) -> str | int | float:
    return _iso(value) if isinstance(value, datetime) else value


def _iso(value: datetime) -> str:
    # Fixed width and always UTC, so comparing the strings compares the instants.
    return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {_DATE: _iso(value)}
    raise TypeError(f"cannot store {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DATE in obj:
        return datetime.fromisoformat(obj[_DATE])
    return obj


def _dumps(value: Any) -> str:
    return json.dumps(
        value, default=_encode, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )


def _document(row: sqlite3.Row) -> dict[str, Any]:
    doc: dict[str, Any] = {"_id": row[0]}
    doc.update(json.loads(row[1], object_hook=_decode))
    return doc
