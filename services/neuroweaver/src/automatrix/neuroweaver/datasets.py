"""Versioned datasets: immutable JSON-lines snapshots with a content hash and a record.

A snapshot's bytes go to the object store; its record (name, version, hash, size, source,
creation time) to the document store, collection ``datasets``. Taking a snapshot of records
identical to the latest version returns that version instead of a copy, so a retrain on
unchanged data is visibly trained on the same dataset.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from automatrix.neuroweaver.artifacts import DATASETS_BUCKET, Artifacts
from automatrix.shared.contracts import ArtifactRef
from automatrix.shared.docstore import DocumentStore, DuplicateKeyError, Query

COLLECTION = "datasets"


class DatasetVersion(BaseModel):
    """The record of one immutable dataset snapshot."""

    id: str = Field(description="``<name>-v<version>``, the lineage key models record.")
    name: str
    version: int
    sha256: str
    records: int
    source: str = Field(description="Where the records came from, e.g. ``seed+api``.")
    artifact: ArtifactRef
    created_at: datetime


def encode(records: Sequence[Mapping[str, Any]]) -> bytes:
    """Canonical JSON lines: sorted keys, so the same records always hash the same."""
    return b"".join(
        json.dumps(record, sort_keys=True, separators=(",", ":")).encode() + b"\n"
        for record in records
    )


class Datasets:
    """Snapshots of datasets, and the records they hold."""

    def __init__(self, store: DocumentStore, artifacts: Artifacts) -> None:
        self.store = store
        self.artifacts = artifacts

    async def snapshot(
        self, name: str, records: Sequence[Mapping[str, Any]], *, source: str
    ) -> DatasetVersion:
        """A new version of ``name`` holding ``records``, or the latest if it holds the same."""
        data = encode(records)
        digest = hashlib.sha256(data).hexdigest()
        latest = await self.latest(name)
        if latest is not None and latest.sha256 == digest:
            return latest
        version = (latest.version if latest else 0) + 1
        while True:
            id = f"{name}-v{version}"
            ref = await self.artifacts.put(DATASETS_BUCKET, f"{name}/v{version}.jsonl", data)
            record = DatasetVersion(
                id=id,
                name=name,
                version=version,
                sha256=digest,
                records=len(records),
                source=source,
                artifact=ref,
                created_at=datetime.now(UTC),
            )
            try:
                await self.store.insert(COLLECTION, record.model_dump(), id=id)
                return record
            except DuplicateKeyError:  # another replica took this version number
                version += 1

    async def latest(self, name: str) -> DatasetVersion | None:
        found = await self.store.find(
            COLLECTION, Query(equals={"name": name}, sort=[("version", "desc")], limit=1)
        )
        return _record(found[0]) if found else None

    async def get(self, id: str) -> DatasetVersion | None:
        doc = await self.store.get(COLLECTION, id)
        return _record(doc) if doc else None

    async def versions(self, name: str | None = None) -> list[DatasetVersion]:
        query = Query(equals={"name": name} if name else {}, sort=[("created_at", "desc")])
        return [_record(doc) for doc in await self.store.find(COLLECTION, query)]

    async def load(self, version: DatasetVersion) -> list[dict[str, Any]]:
        """The records of a snapshot, read back from the object store (hash checked)."""
        data = await self.artifacts.get(version.artifact)
        return [json.loads(line) for line in data.splitlines() if line]


def _record(doc: Mapping[str, Any]) -> DatasetVersion:
    return DatasetVersion.model_validate({k: v for k, v in doc.items() if k != "_id"})
