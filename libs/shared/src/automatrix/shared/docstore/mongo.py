"""The MongoDB document store: the same operations mapped onto PyMongo's async client."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError as MongoDuplicateKeyError

from automatrix.shared.docstore.base import (
    DocumentStore,
    DuplicateKeyError,
    Query,
    Scalar,
    body,
    changes_body,
    check_collection,
    check_id,
    resolve_id,
)

Document = dict[str, Any]
DEFAULT_DATABASE = "automatrix"


class MongoStore(DocumentStore):
    """Documents in one MongoDB database, a collection per collection, ``_id`` the id."""

    def __init__(
        self, client: AsyncMongoClient[Document], database: AsyncDatabase[Document]
    ) -> None:
        self.client = client
        self.database = database

    @classmethod
    def connect(cls, url: str, *, default_database: str = DEFAULT_DATABASE) -> MongoStore:
        """A store on the database named in ``url``'s path (else ``default_database``)."""
        client: AsyncMongoClient[Document] = AsyncMongoClient(url, tz_aware=True, tzinfo=UTC)
        return cls(client, client.get_default_database(default_database))

    async def insert(
        self, collection: str, doc: Mapping[str, Any], *, id: str | None = None
    ) -> str:
        id = resolve_id(doc, id)
        try:
            await self._collection(collection).insert_one({"_id": id, **body(doc, id)})
        except MongoDuplicateKeyError as exc:
            raise DuplicateKeyError(f"{collection}/{id} exists") from exc
        return id

    async def put(self, collection: str, id: str, doc: Mapping[str, Any]) -> None:
        fields = body(doc, check_id(id))
        await self._collection(collection).replace_one({"_id": id}, fields, upsert=True)

    async def get(self, collection: str, id: str) -> dict[str, Any] | None:
        return await self._collection(collection).find_one({"_id": check_id(id)})

    async def update(
        self,
        collection: str,
        id: str,
        changes: Mapping[str, Any],
        *,
        expect: Mapping[str, Scalar] | None = None,
    ) -> bool:
        # $and keeps an ``_id`` in expect from replacing the id being matched.
        match = {"$and": [{"_id": check_id(id)}, _filter(Query(equals=expect or {}))]}
        fields = changes_body(changes)
        result = await self._collection(collection).update_one(match, {"$set": fields})
        return result.matched_count > 0

    async def delete(self, collection: str, id: str) -> bool:
        result = await self._collection(collection).delete_one({"_id": check_id(id)})
        return result.deleted_count > 0

    async def find(self, collection: str, query: Query | None = None) -> list[dict[str, Any]]:
        query = query or Query()
        sort = [(path, ASCENDING if way == "asc" else DESCENDING) for path, way in query.sort]
        if "_id" not in {path for path, _ in query.sort}:
            sort.append(("_id", ASCENDING))
        cursor = self._collection(collection).find(
            _filter(query), sort=sort, skip=query.offset, limit=query.limit or 0
        )
        return await cursor.to_list()

    async def count(self, collection: str, query: Query | None = None) -> int:
        query = query or Query()
        matching = await self._collection(collection).count_documents(_filter(query))
        return query.window(matching)

    async def close(self) -> None:
        await self.client.close()

    def _collection(self, name: str) -> AsyncCollection[Document]:
        return self.database[check_collection(name)]


def _filter(query: Query) -> Document:
    # $eq rather than a bare value so equals and ranges on one field share its operator document.
    fields: Document = {}
    for path, value in query.equals.items():
        fields.setdefault(path, {})["$eq"] = value
    for path, bounds in query.ranges.items():
        fields.setdefault(path, {}).update(
            {f"${op}": bound for op, bound in bounds.bounds() if bound is not None}
        )
    return fields
