"""Immutable blobs in the JetStream object store, addressed by content hash.

Model artifacts and dataset snapshots are written once under a name that includes their
version and never overwritten; each read checks the SHA-256 recorded with it, so a record
and its bytes cannot silently disagree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import ObjectStoreConfig, StorageType

from automatrix.shared.contracts import ArtifactRef

MODELS_BUCKET = "AI_MODEL_ARTIFACTS"
DATASETS_BUCKET = "AI_DATASETS"


class ArtifactMissingError(LookupError):
    """The object is gone or its bytes no longer match the recorded hash."""


class Artifacts:
    """Put and get content-hashed objects; ``js`` gives the JetStream context (once connected)."""

    def __init__(self, js: Callable[[], JetStreamContext], *, replicas: int = 1) -> None:
        self._js = js
        self._replicas = replicas

    async def ensure_buckets(self) -> None:
        """Create the model and dataset buckets that do not exist yet."""
        for bucket, description in (
            (MODELS_BUCKET, "Model artifacts published by neuroweaver (immutable versions)."),
            (DATASETS_BUCKET, "Dataset snapshots neuroweaver trains on (immutable versions)."),
        ):
            try:
                await self._js().object_store(bucket)
            except nats.js.errors.BucketNotFoundError:
                await self._js().create_object_store(
                    bucket,
                    ObjectStoreConfig(
                        description=description,
                        storage=StorageType.FILE,
                        replicas=self._replicas,
                    ),
                )

    async def put(self, bucket: str, name: str, data: bytes) -> ArtifactRef:
        """Store ``data`` under ``name``; the reference carries its hash and size."""
        store = await self._js().object_store(bucket)
        await store.put(name, data)
        return ArtifactRef(
            bucket=bucket,
            object_name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
        )

    async def get(self, ref: ArtifactRef) -> bytes:
        """The bytes ``ref`` names, checked against its hash."""
        try:
            store = await self._js().object_store(ref.bucket)
            result = await store.get(ref.object_name)
        except (nats.js.errors.BucketNotFoundError, nats.js.errors.ObjectNotFoundError) as exc:
            raise ArtifactMissingError(f"{ref.bucket}/{ref.object_name} not found") from exc
        data = result.data or b""
        if hashlib.sha256(data).hexdigest() != ref.sha256:
            raise ArtifactMissingError(f"{ref.bucket}/{ref.object_name} does not match its sha256")
        return data
