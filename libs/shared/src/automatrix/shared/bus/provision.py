"""Idempotent provisioning of streams and consumers at start-up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig
from nats.js.errors import BadRequestError, NotFoundError, ServiceUnavailableError

from automatrix.shared.bus.topology import ConsumerSpec, StreamSpec
from automatrix.shared.contracts.registry import Bucket
from automatrix.shared.settings import BusSettings

log = logging.getLogger(__name__)


async def _retrying(what: str, attempt: object, *, tries: int = 40) -> None:
    """Retry while a cluster has no meta leader yet (503 / timeouts right after boot)."""
    for n in range(tries):
        try:
            await attempt()  # type: ignore[operator]
            return
        except (ServiceUnavailableError, TimeoutError) as exc:
            if n == tries - 1:
                raise
            log.info("%s: JetStream not ready (%r), retrying", what, exc)
            await asyncio.sleep(0.25)


async def provision_streams(
    js: JetStreamContext, specs: Iterable[StreamSpec], settings: BusSettings
) -> None:
    """Create each stream, or update it to the declared config; safe to run on every start."""
    for spec in specs:
        config = spec.config(settings)

        async def apply(config: object = config, name: str = spec.name) -> None:
            try:
                await js.stream_info(name)
            except NotFoundError:
                await js.add_stream(config=config)  # type: ignore[arg-type]
                log.info("stream %s created", name)
                return
            try:
                await js.update_stream(config=config)  # type: ignore[arg-type]
            except BadRequestError as exc:
                # e.g. a retention change the server refuses: keep running on what exists.
                log.warning("stream %s kept its existing config: %s", name, exc.description)

        await _retrying(f"stream {spec.name}", apply)


async def ensure_consumer(js: JetStreamContext, spec: ConsumerSpec, settings: BusSettings) -> None:
    """Create or update a durable consumer to its declared config."""

    async def apply() -> None:
        await js.add_consumer(spec.stream, config=spec.config(settings))

    await _retrying(f"consumer {spec.durable}", apply)


async def provision_buckets(
    js: JetStreamContext, buckets: Iterable[Bucket], settings: BusSettings
) -> None:
    """Create each key-value bucket that does not exist yet."""
    for bucket in buckets:

        async def apply(bucket: Bucket = bucket) -> None:
            try:
                await js.key_value(bucket.name)
            except (NotFoundError, nats.js.errors.BucketNotFoundError):
                await js.create_key_value(
                    KeyValueConfig(
                        bucket=bucket.name,
                        description=bucket.description,
                        history=bucket.history,
                        ttl=bucket.ttl_s,
                        replicas=settings.bus_stream_replicas,
                        direct=True,
                    )
                )
                log.info("key-value bucket %s created", bucket.name)

        await _retrying(f"bucket {bucket.name}", apply)
