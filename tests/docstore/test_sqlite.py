"""What only the SQLite backend promises: a file that survives reopening and shares well."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automatrix.shared.docstore import DuplicateKeyError, Query, Range
from automatrix.shared.docstore.sqlite import SQLiteStore

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "records.db"


@pytest.fixture
async def two_stores(db_file: Path) -> AsyncIterator[tuple[SQLiteStore, SQLiteStore]]:
    """Two stores, each with its own connection (and thread), on one file."""
    async with await SQLiteStore.open(db_file) as first, await SQLiteStore.open(db_file) as second:
        yield first, second


async def test_documents_survive_closing_and_reopening(db_file: Path) -> None:
    async with await SQLiteStore.open(db_file) as store:
        await store.insert("runs", {"at": T0, "metrics": {"loss": 0.5}}, id="r1")
        await store.insert("runs", {"at": T0.replace(hour=13)}, id="r2")

    async with await SQLiteStore.open(db_file) as reopened:
        assert await reopened.get("runs", "r1") == {
            "_id": "r1",
            "at": T0,
            "metrics": {"loss": 0.5},
        }
        later = Query(ranges={"at": Range(gt=T0)})
        assert [d["_id"] for d in await reopened.find("runs", later)] == ["r2"]


async def test_the_file_is_in_wal_mode_and_stores_plain_json(db_file: Path) -> None:
    async with await SQLiteStore.open(db_file) as store:
        await store.insert("runs", {"at": T0, "name": "x"}, id="r1")

    with sqlite3.connect(db_file) as conn:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        row = conn.execute(
            """SELECT _id, json_extract(doc, '$.name'), json_extract(doc, '$.at."$date"')
            FROM runs"""
        ).fetchone()
    assert mode == "wal"
    assert row == ("r1", "x", "2025-03-01T12:00:00.000Z")


async def test_a_collection_made_by_a_neighbour_is_seen_after_a_miss(
    two_stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    first, second = two_stores
    assert await second.find("runs") == []

    await first.insert("runs", {"a": 1}, id="r1")

    assert await second.get("runs", "r1") == {"_id": "r1", "a": 1}
    assert await second.update("runs", "r1", {"a": 2})
    assert await first.get("runs", "r1") == {"_id": "r1", "a": 2}


async def test_compare_and_set_holds_across_two_writers_on_one_file(
    two_stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    first, second = two_stores
    await first.insert("counters", {"n": 0}, id="c")
    rounds, workers_per_store = 25, 3

    async def increment(store: SQLiteStore) -> int:
        conflicts = 0
        for _ in range(rounds):
            while True:
                doc = await store.get("counters", "c")
                assert doc is not None
                if await store.update("counters", "c", {"n": doc["n"] + 1}, expect={"n": doc["n"]}):
                    break
                conflicts += 1
        return conflicts

    workers = [increment(s) for s in (first, second) for _ in range(workers_per_store)]
    await asyncio.gather(*workers)

    assert await second.get("counters", "c") == {"_id": "c", "n": 2 * workers_per_store * rounds}


async def test_two_writers_inserting_one_id_get_one_winner(
    two_stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    first, second = two_stores

    outcomes = await asyncio.gather(
        *(s.insert("runs", {"by": i}, id="same") for i, s in enumerate((first, second))),
        return_exceptions=True,
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["DuplicateKeyError", "str"]
    winner = outcomes.index("same")
    assert await first.get("runs", "same") == {"_id": "same", "by": winner}
    assert any(isinstance(o, DuplicateKeyError) for o in outcomes)


async def test_concurrent_inserts_from_both_writers_all_land(
    two_stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    first, second = two_stores

    await asyncio.gather(
        *(first.insert("log", {"i": i, "by": "first"}) for i in range(50)),
        *(second.insert("log", {"i": i, "by": "second"}) for i in range(50)),
    )

    assert await first.count("log") == 100
    assert await second.count("log", Query(equals={"by": "second"})) == 50
