"""One contract, every backend: the same test bodies against SQLite and (with MONGO_URL) MongoDB."""

from __future__ import annotations

import asyncio
import math
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pymongo import AsyncMongoClient

from automatrix.shared.docstore import (
    DocumentStore,
    DuplicateKeyError,
    Query,
    Range,
    open_store,
)
from automatrix.shared.docstore.mongo import MongoStore
from automatrix.shared.docstore.sqlite import SQLiteStore

MONGO_URL = os.environ.get("MONGO_URL")
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

BACKENDS = [
    "sqlite",
    pytest.param(
        "mongo",
        marks=pytest.mark.skipif(
            not MONGO_URL, reason="MONGO_URL is not set: no MongoDB server to run the contract on"
        ),
    ),
]


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    """A store on a database of its own: a fresh SQLite file, or a uuid-named MongoDB database."""
    if request.param == "sqlite":
        async with await open_store(f"sqlite://{tmp_path}/store.db") as sqlite_store:
            yield sqlite_store
        return
    assert MONGO_URL is not None
    name = f"automatrix_test_{uuid.uuid4().hex}"
    async with await open_store(urlsplit(MONGO_URL)._replace(path=f"/{name}").geturl()) as mongo:
        try:
            yield mongo
        finally:
            admin: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGO_URL)
            await admin.drop_database(name)
            await admin.close()


async def seed(store: DocumentStore, docs: dict[str, dict[str, Any]]) -> None:
    for id, doc in docs.items():
        await store.insert("runs", doc, id=id)


def ids(docs: list[dict[str, Any]]) -> list[str]:
    return [d["_id"] for d in docs]


# --- writing and reading one document ---------------------------------------------------


async def test_insert_get_round_trip_keeps_nesting_types_and_datetimes(
    store: DocumentStore,
) -> None:
    started = datetime(2025, 3, 1, 14, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2)))
    doc = {
        "name": "router-v3",
        "epochs": 12,
        "loss": 0.25,
        "ratio": 1.0,
        "done": False,
        "note": None,
        "started": started,
        "metrics": {"f1": 0.91, "per_class": {"code": [1, 2.5, None]}, "at": [T0, T0]},
        "tags": ["a", "b'); DROP TABLE runs; --"],
        "unicode": "naïve ✓",
    }
    id = await store.insert("runs", doc)

    got = await store.get("runs", id)

    assert got == {"_id": id, **doc, "started": started.replace(microsecond=123000)}
    assert got is not None
    assert isinstance(got["ratio"], float)
    assert isinstance(got["epochs"], int)
    assert got["done"] is False
    assert got["started"].utcoffset() == timedelta(0)
    assert got["started"] == datetime(2025, 3, 1, 12, 30, 5, 123000, tzinfo=UTC)
    assert got["metrics"]["at"][0] == T0


async def test_insert_generates_distinct_ids_or_takes_the_documents_own(
    store: DocumentStore,
) -> None:
    first = await store.insert("runs", {"n": 1})
    second = await store.insert("runs", {"n": 2})
    own = await store.insert("runs", {"_id": "mine", "n": 3})

    assert first != second
    assert own == "mine"
    assert (await store.get("runs", "mine")) == {"_id": "mine", "n": 3}
    assert await store.get("runs", "absent") is None


async def test_duplicate_id_is_refused_and_the_first_document_kept(store: DocumentStore) -> None:
    await store.insert("runs", {"v": 1}, id="r1")

    with pytest.raises(DuplicateKeyError):
        await store.insert("runs", {"v": 2}, id="r1")

    assert await store.get("runs", "r1") == {"_id": "r1", "v": 1}
    assert await store.count("runs") == 1


async def test_put_creates_then_replaces_the_whole_document(store: DocumentStore) -> None:
    await store.put("runs", "r1", {"a": 1, "b": {"x": 1}})
    await store.put("runs", "r1", {"b": {"y": 2}, "c": T0})

    assert await store.get("runs", "r1") == {"_id": "r1", "b": {"y": 2}, "c": T0}
    assert await store.count("runs") == 1


async def test_a_read_document_can_be_put_back(store: DocumentStore) -> None:
    await store.insert("runs", {"a": 1}, id="r1")
    doc = await store.get("runs", "r1")
    assert doc is not None
    doc["a"] = 2
    await store.put("runs", "r1", doc)

    assert await store.get("runs", "r1") == {"_id": "r1", "a": 2}
    with pytest.raises(ValueError, match="differs"):
        await store.put("runs", "r2", doc)


async def test_update_sets_fields_and_leaves_the_rest_alone(store: DocumentStore) -> None:
    await store.insert(
        "runs", {"status": "queued", "ratio": 1.0, "nested": {"a": 1, "b": 2}, "x": 1}, id="r1"
    )

    changed = await store.update(
        "runs", "r1", {"status": "running", "nested": {"c": 3}, "x": None, "at": T0}
    )

    assert changed is True
    got = await store.get("runs", "r1")
    assert got == {
        "_id": "r1",
        "status": "running",
        "ratio": 1.0,
        "nested": {"c": 3},
        "x": None,
        "at": T0,
    }
    assert got is not None
    assert isinstance(got["ratio"], float)


async def test_update_of_a_missing_document_changes_nothing(store: DocumentStore) -> None:
    await store.insert("runs", {"a": 1}, id="r1")

    assert await store.update("runs", "r2", {"a": 2}) is False
    assert await store.get("runs", "r2") is None


async def test_update_with_expect_is_compare_and_set(store: DocumentStore) -> None:
    await store.insert("runs", {"status": "queued", "attempt": 1}, id="r1")

    assert await store.update(
        "runs", "r1", {"status": "running"}, expect={"status": "queued", "attempt": 1}
    )
    stale = await store.update("runs", "r1", {"status": "failed"}, expect={"status": "queued"})

    assert stale is False
    assert await store.get("runs", "r1") == {"_id": "r1", "status": "running", "attempt": 1}


async def test_expect_none_means_missing_or_null(store: DocumentStore) -> None:
    await store.insert("runs", {"a": 1}, id="r1")

    assert await store.update("runs", "r1", {"owner": "w1"}, expect={"owner": None})
    assert not await store.update("runs", "r1", {"owner": "w2"}, expect={"owner": None})
    assert (await store.get("runs", "r1") or {})["owner"] == "w1"


async def test_concurrent_claims_have_exactly_one_winner(store: DocumentStore) -> None:
    await store.insert("runs", {"owner": None}, id="job")

    wins = await asyncio.gather(
        *(store.update("runs", "job", {"owner": f"w{i}"}, expect={"owner": None}) for i in range(8))
    )

    assert sum(wins) == 1
    winner = wins.index(True)
    assert (await store.get("runs", "job") or {})["owner"] == f"w{winner}"


async def test_delete_removes_once(store: DocumentStore) -> None:
    await store.insert("runs", {"a": 1}, id="r1")
    await store.insert("runs", {"a": 2}, id="r2")

    assert await store.delete("runs", "r1") is True
    assert await store.delete("runs", "r1") is False
    assert await store.get("runs", "r1") is None
    assert ids(await store.find("runs")) == ["r2"]


# --- queries ---------------------------------------------------------------------------------


async def test_find_equals_compares_by_kind(store: DocumentStore) -> None:
    await seed(
        store,
        {
            "int": {"v": 1, "k": "a"},
            "float": {"v": 1.0, "k": "b"},
            "true": {"v": True, "k": "a"},
            "str": {"v": "1", "k": "a"},
            "null": {"v": None, "k": "b"},
            "missing": {"k": "b"},
            "date": {"v": T0, "k": "a"},
        },
    )

    async def matching(**equals: Any) -> list[str]:
        return ids(await store.find("runs", Query(equals=equals)))

    assert await matching(v=1) == ["float", "int"]
    assert await matching(v=True) == ["true"]
    assert await matching(v="1") == ["str"]
    assert await matching(v=None) == ["missing", "null"]
    assert await matching(v=T0.astimezone(timezone(timedelta(hours=-5)))) == ["date"]
    assert await matching(v=1, k="b") == ["float"]
    assert await matching(_id="str") == ["str"]
    assert await matching(v=2) == []


async def test_find_equals_reaches_into_nested_objects(store: DocumentStore) -> None:
    await seed(store, {"a": {"m": {"kind": "router"}}, "b": {"m": {"kind": "predictor"}}})

    assert ids(await store.find("runs", Query(equals={"m.kind": "router"}))) == ["a"]


async def test_find_ranges_on_numbers_are_half_open_and_numeric_only(
    store: DocumentStore,
) -> None:
    await seed(
        store,
        {"n1": {"v": 1}, "n2": {"v": 2.5}, "n3": {"v": 3}, "n4": {"v": 4}, "s": {"v": "3"}},
    )

    async def within(bounds: Range) -> list[str]:
        return ids(await store.find("runs", Query(ranges={"v": bounds})))

    assert await within(Range(gte=2, lt=4)) == ["n2", "n3"]
    assert await within(Range(gt=2.5, lte=4)) == ["n3", "n4"]
    assert await within(Range(lt=3)) == ["n1", "n2"]
    assert await within(Range(gte="3")) == ["s"]


async def test_find_ranges_on_datetimes_compare_instants(store: DocumentStore) -> None:
    docs = {f"e{i}": {"at": T0 + timedelta(minutes=i), "v": i} for i in range(5)}
    docs["text"] = {"at": (T0 + timedelta(minutes=2)).isoformat(), "v": 9}
    docs["number"] = {"at": 2, "v": 9}
    await seed(store, docs)
    plus_two = timezone(timedelta(hours=2))

    window = Range(
        gte=(T0 + timedelta(minutes=1)).astimezone(plus_two), lt=T0 + timedelta(minutes=3)
    )
    found = await store.find("runs", Query(ranges={"at": window}))

    assert ids(found) == ["e1", "e2"]
    assert found[0]["at"] == T0 + timedelta(minutes=1)
    combined = Query(equals={"v": 3}, ranges={"at": Range(gt=T0)})
    assert ids(await store.find("runs", combined)) == ["e3"]
    same_field = Query(equals={"v": 3}, ranges={"v": Range(gte=1)})
    assert ids(await store.find("runs", same_field)) == ["e3"]


async def test_find_sorts_by_several_keys_then_id(store: DocumentStore) -> None:
    await seed(
        store,
        {
            "d": {"tier": "b", "score": 2, "at": T0},
            "a": {"tier": "a", "score": 1, "at": T0 + timedelta(seconds=1)},
            "c": {"tier": "b", "score": 5, "at": T0 - timedelta(days=1)},
            "b": {"tier": "a", "score": 1, "at": T0 - timedelta(days=2)},
            "e": {"tier": "a", "score": 3.5, "at": T0 + timedelta(days=1)},
        },
    )

    by_tier_score = Query(sort=[("tier", "asc"), ("score", "desc")])
    by_time = Query(sort=[("at", "desc")])

    assert ids(await store.find("runs", by_tier_score)) == ["e", "a", "b", "c", "d"]
    assert ids(await store.find("runs", by_time)) == ["e", "a", "d", "c", "b"]
    assert ids(await store.find("runs", Query(sort=[("_id", "desc")]))) == ["e", "d", "c", "b", "a"]
    assert ids(await store.find("runs")) == ["a", "b", "c", "d", "e"]


async def test_sorting_mixed_kinds_follows_mongodb_order(store: DocumentStore) -> None:
    await seed(
        store,
        {
            "date": {"v": T0},
            "true": {"v": True},
            "false": {"v": False},
            "text": {"v": "x"},
            "big": {"v": 10},
            "small": {"v": -1.5},
            "null": {"v": None},
            "missing": {},
        },
    )

    found = await store.find("runs", Query(sort=[("v", "asc")]))

    assert ids(found) == ["missing", "null", "small", "big", "text", "false", "true", "date"]


async def test_limit_and_offset_page_through_the_order(store: DocumentStore) -> None:
    await seed(store, {f"r{i:02}": {"i": i, "even": i % 2 == 0} for i in range(10)})
    page = await store.find("runs", Query(sort=[("i", "desc")], limit=3, offset=2))
    tail = await store.find("runs", Query(equals={"even": True}, offset=3))

    assert [d["i"] for d in page] == [7, 6, 5]
    assert [d["i"] for d in tail] == [6, 8]
    assert await store.find("runs", Query(offset=10)) == []


async def test_count_matches_what_find_returns(store: DocumentStore) -> None:
    await seed(store, {f"r{i}": {"i": i, "even": i % 2 == 0} for i in range(7)})
    queries = [
        Query(),
        Query(equals={"even": True}),
        Query(ranges={"i": Range(gte=2, lt=6)}),
        Query(equals={"even": False}, limit=2),
        Query(offset=5),
        Query(offset=3, limit=10),
        Query(equals={"even": "yes"}),
    ]

    counts = [await store.count("runs", q) for q in queries]

    assert counts == [len(await store.find("runs", q)) for q in queries]
    assert counts == [7, 4, 4, 2, 2, 4, 0]


async def test_unknown_collection_reads_as_empty(store: DocumentStore) -> None:
    assert await store.get("nothing_here", "x") is None
    assert await store.find("nothing_here", Query(sort=[("a", "asc")])) == []
    assert await store.count("nothing_here") == 0
    assert await store.update("nothing_here", "x", {"a": 1}) is False
    assert await store.delete("nothing_here", "x") is False


async def test_collections_are_isolated(store: DocumentStore) -> None:
    await store.insert("runs", {"kind": "run"}, id="same")
    await store.insert("cycles", {"kind": "cycle"}, id="same")

    await store.update("runs", "same", {"touched": True})
    await store.delete("cycles", "same")

    assert await store.get("runs", "same") == {"_id": "same", "kind": "run", "touched": True}
    assert await store.get("cycles", "same") is None
    assert await store.count("runs") == 1
    assert await store.count("cycles") == 0


# --- refusals --------------------------------------------------------------------------------

BAD_COLLECTIONS = [
    "",
    "Runs",
    "1runs",
    "run-log",
    "a" * 64,
    "sqlite_master",
    'x"; DROP TABLE x; --',
]


@pytest.mark.parametrize("name", BAD_COLLECTIONS)
async def test_invalid_collection_names_are_refused(store: DocumentStore, name: str) -> None:
    with pytest.raises(ValueError, match="collection"):
        await store.insert(name, {"a": 1})
    with pytest.raises(ValueError, match="collection"):
        await store.find(name)
    with pytest.raises(ValueError, match="collection"):
        await store.get(name, "x")


async def test_longest_collection_name_and_id_are_accepted(store: DocumentStore) -> None:
    name, id = "c" + "_" * 62, "i" * 128

    await store.insert(name, {"a": 1}, id=id)

    assert await store.get(name, id) == {"_id": id, "a": 1}


@pytest.mark.parametrize("bad_id", ["", "i" * 129, 7])
async def test_invalid_ids_are_refused(store: DocumentStore, bad_id: Any) -> None:
    with pytest.raises(ValueError, match="id"):
        await store.insert("runs", {"a": 1}, id=bad_id)
    with pytest.raises(ValueError, match="id"):
        await store.put("runs", bad_id, {"a": 1})
    assert await store.count("runs") == 0


@pytest.mark.parametrize(
    "doc",
    [
        {"at": datetime(2025, 1, 1)},
        {"x": math.nan},
        {"x": math.inf},
        {"x": {1, 2}},
        {"x": b"bytes"},
        {"$set": 1},
        {"nested": {"$date": "2025-01-01T00:00:00.000Z"}},
        {"nested": [{1: "int key"}]},
        {"big": 2**63},
    ],
)
async def test_values_outside_the_document_model_are_refused(
    store: DocumentStore, doc: dict[Any, Any]
) -> None:
    with pytest.raises((TypeError, ValueError)):
        await store.insert("runs", doc, id="r1")
    await store.insert("runs", {"ok": True}, id="r1")
    with pytest.raises((TypeError, ValueError)):
        await store.update("runs", "r1", doc)
    assert await store.get("runs", "r1") == {"_id": "r1", "ok": True}


@pytest.mark.parametrize("changes", [{}, {"_id": "other"}, {"a.b": 1}, {"bad key": 1}])
async def test_update_refuses_changes_that_are_not_top_level_fields(
    store: DocumentStore, changes: dict[str, Any]
) -> None:
    await store.insert("runs", {"a": {"b": 0}}, id="r1")

    with pytest.raises(ValueError, match="field"):
        await store.update("runs", "r1", changes)

    assert await store.get("runs", "r1") == {"_id": "r1", "a": {"b": 0}}


# --- the query model and the factory (no backend needed) -------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: Range(),
        lambda: Range(gte=1, lt="2"),
        lambda: Range(gte=T0, lt=5),
        lambda: Range(gte=True),
        lambda: Range(lt=datetime(2025, 1, 1)),
        lambda: Range(lt=math.nan),
        lambda: Query(limit=0),
        lambda: Query(offset=-1),
        lambda: Query(sort=[("a", "up")]),  # type: ignore[list-item]
        lambda: Query(equals={"a b": 1}),
        lambda: Query(equals={"a..b": 1}),
        lambda: Query(equals={"a": [1]}),  # type: ignore[dict-item]
        lambda: Query(ranges={"a": 1}),  # type: ignore[dict-item]
    ],
)
def test_malformed_queries_are_refused(build: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        build()


def test_query_normalises_datetimes_to_utc_milliseconds() -> None:
    local = datetime(2025, 3, 1, 14, 0, 0, 999999, tzinfo=timezone(timedelta(hours=2)))

    query = Query(equals={"at": local}, ranges={"at": Range(gte=local)})

    assert query.equals["at"] == datetime(2025, 3, 1, 12, 0, 0, 999000, tzinfo=UTC)
    assert query.ranges["at"].gte == datetime(2025, 3, 1, 12, 0, 0, 999000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "database"),
    [
        ("mongodb://localhost:1/records", "records"),
        ("mongodb://h1:1,h2:2/?replicaSet=rs0", "automatrix"),
        ("mongodb://localhost:1", "automatrix"),
    ],
)
async def test_mongodb_urls_name_the_database(url: str, database: str) -> None:
    store = await open_store(url)
    try:
        assert isinstance(store, MongoStore)
        assert store.database.name == database
    finally:
        await store.close()


async def test_sqlite_urls_open_a_file_or_memory(tmp_path: Path) -> None:
    async with await open_store("sqlite:///:memory:") as memory:
        assert isinstance(memory, SQLiteStore)
        await memory.insert("runs", {"a": 1}, id="r1")
        assert await memory.get("runs", "r1") == {"_id": "r1", "a": 1}

    target = tmp_path / "new dir" / "records.db"
    async with await open_store(f"sqlite://{tmp_path}/new%20dir/records.db") as on_disk:
        await on_disk.insert("runs", {"a": 1})
    assert target.is_file()


@pytest.mark.parametrize(
    "url",
    ["sqlite://relative.db", "sqlite:///x.db?mode=ro", "postgres://localhost/db", "records.db"],
)
async def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="want"):
        await open_store(url)
