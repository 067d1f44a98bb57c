"""Hot model swaps: fetch a published version, check it, bind it next to the old one, switch.

A version is bound under a Triton model name of its own (``<name>-v<version>``): PyTriton
cannot reload a bound model through the repository API, so a swap never reuses a name.
Requests route through ``infer``, which counts them per Triton model name; after the switch
the old version is unloaded once the requests already routed to it have finished.

A bad artifact (hash or size mismatch, missing object, bytes onnxruntime cannot load) raises
``ArtifactRejected``, a ``RejectMessage``: the bus dead-letters the event with the reason at
once, and the active version keeps serving. A failed bind or load raises ``SwapFailed``,
which the bus retries; the active version keeps serving then too.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from numpy.typing import NDArray
from pydantic import TypeAdapter

from automatrix.inference.models.onnx_model import (
    DEFAULT_MAX_BATCH_SIZE,
    InvalidOnnxModel,
    OnnxModel,
    onnx_spec,
    triton_name,
)
from automatrix.inference.triton import EmbeddedTriton, TritonClient, TritonModelNotReady
from automatrix.shared.bus import Bus, ConsumerSpec, Delivery, RejectMessage
from automatrix.shared.contracts import (
    MODELS,
    ArtifactRef,
    ModelAlias,
    ModelPromoted,
    ModelPublished,
    ModelRolledBack,
)

log = logging.getLogger(__name__)

POLL_S = 0.05

ModelEvent = ModelPublished | ModelPromoted | ModelRolledBack
Inputs = Mapping[str, NDArray[Any]]
MODEL_EVENTS: TypeAdapter[ModelEvent] = TypeAdapter(ModelEvent)


class ArtifactRejected(RejectMessage):
    """The artifact can never be served: the event is dead-lettered with this reason."""


class SwapFailed(RuntimeError):  # noqa: N818  (pairs with ArtifactRejected)
    """Binding or loading the new version failed; the old one keeps serving."""


@dataclass(frozen=True)
class ActiveModel:
    """The version of a logical model that requests are routed to."""

    name: str
    version: int
    sha256: str
    triton_name: str
    inputs: tuple[str, ...] = ()
    """The names of the version's graph inputs."""


class ModelSwapper:
    """Keeps one active version per logical model in an embedded Triton, swapping on events.

    ``js`` gives the JetStream context artifacts are read through (``lambda: bus.js``: the
    bus connects after its handlers are subscribed).
    """

    def __init__(
        self,
        *,
        js: Callable[[], JetStreamContext],
        triton: EmbeddedTriton,
        client: TritonClient,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        ready_timeout_s: float = 60.0,
        drain_timeout_s: float = 30.0,
        serve_published: bool = False,
        keep_standby: bool = True,
    ) -> None:
        self._js = js
        self._triton = triton
        self._client = client
        self._max_batch_size = max_batch_size
        self._ready_timeout_s = ready_timeout_s
        self._drain_timeout_s = drain_timeout_s
        self.serve_published = serve_published
        """Serve every published version at once (a registry without aliases), not only
        promotions to ``production``."""
        self.keep_standby = keep_standby
        """Keep the version a swap replaced bound, so a rollback to it switches at once
        (binding a version takes seconds: PyTriton starts a model process)."""
        self._active: dict[str, ActiveModel] = {}
        self._standby: dict[str, ActiveModel] = {}
        self._inflight: Counter[str] = Counter()
        self._drained = asyncio.Condition()
        self._locks: dict[str, asyncio.Lock] = {}
        self._bindings: Counter[str] = Counter()

    def active(self, name: str) -> ActiveModel | None:
        """The version requests for ``name`` go to now, if any."""
        return self._active.get(name)

    def inflight(self, triton_model: str) -> int:
        """Requests routed to a Triton model and not finished yet."""
        return self._inflight[triton_model]

    async def infer(
        self, name: str, inputs: Mapping[str, NDArray[Any]], outputs: list[str]
    ) -> dict[str, NDArray[Any]]:
        """Run one request on the active version of ``name``."""
        return (await self.infer_versioned(name, inputs, outputs))[1]

    async def infer_versioned(
        self, name: str, inputs: Inputs | Callable[[ActiveModel], Inputs], outputs: list[str]
    ) -> tuple[ActiveModel, dict[str, NDArray[Any]]]:
        """Run one request on the active version of ``name``; also says which version ran.

        ``inputs`` may be a function of the version, for inputs that differ between versions:
        it is called with the very version the request goes to.
        """
        active = self._active.get(name)
        if active is None:
            raise TritonModelNotReady(f"no version of {name!r} is loaded")
        # Counted before the first await, so a swap never unloads a model a request was routed to.
        target = active.triton_name
        self._inflight[target] += 1
        try:
            given = inputs(active) if callable(inputs) else inputs
            return active, await self._client.infer(target, given, outputs)
        finally:
            self._inflight[target] -= 1
            if self._inflight[target] == 0:
                del self._inflight[target]
                async with self._drained:
                    self._drained.notify_all()

    async def on_published(self, event: ModelEvent) -> None:
        """Make the event's version the active one, unless it already is (or is older).

        Only the ``production`` alias is served: a version merely published, or promoted to
        ``staging``, waits for its promotion (the registry's gate decides that, not us).
        """
        if not self.serves(event):
            log.info("%s v%d: %s, not served", event.name, event.version, event.MODEL_EVENT)
            return
        lock = self._locks.setdefault(event.name, asyncio.Lock())
        async with lock:
            current = self._active.get(event.name)
            if current is not None and current.version == event.version:
                if current.sha256 != event.artifact.sha256:
                    raise ArtifactRejected(
                        f"{event.name} v{event.version} is serving with sha256 {current.sha256},"
                        f" the event says {event.artifact.sha256}"
                    )
                log.info("%s v%d is already active", event.name, event.version)
                return
            if (
                isinstance(event, ModelPublished)
                and current is not None
                and event.version < current.version
            ):
                # A promotion or rollback may move back to an older version; a publish may not.
                log.info(
                    "%s v%d is older than v%d; skipped", event.name, event.version, current.version
                )
                return
            standby = self._standby.get(event.name)
            if (
                standby is not None
                and standby.version == event.version
                and standby.sha256 == event.artifact.sha256
            ):
                self._switch(event.name, standby, current)
                log.info("%s: v%d active again (was on standby)", event.name, event.version)
                return
            await self._swap(event, current)

    def _switch(self, name: str, target: ActiveModel, current: ActiveModel | None) -> None:
        self._active[name] = target
        if current is not None:
            self._standby[name] = current
        else:
            self._standby.pop(name, None)

    def serves(self, event: ModelEvent) -> bool:
        """Whether ``event`` moves the served (production) version."""
        if isinstance(event, ModelPublished):
            return self.serve_published
        return event.alias is ModelAlias.PRODUCTION

    async def _swap(self, event: ModelEvent, current: ActiveModel | None) -> None:
        started = time.monotonic()
        try:
            artifact = await self._fetch(event.artifact)
        except ArtifactRejected as exc:
            raise self._rejected(event, str(exc)) from exc
        try:
            model = await asyncio.to_thread(OnnxModel, artifact)
        except InvalidOnnxModel as exc:
            raise self._rejected(event, str(exc)) from exc
        binding = self._bindings[triton_name(event.name, event.version)]
        self._bindings[triton_name(event.name, event.version)] += 1
        target = triton_name(event.name, event.version, binding)
        spec = onnx_spec(artifact, name=target, max_batch_size=self._max_batch_size, model=model)
        try:
            await asyncio.to_thread(self._triton.bind, spec)
            await self._wait_ready(target)
        except Exception as exc:
            log.warning(
                "%s v%d failed to load (%r); the old version keeps serving",
                event.name,
                event.version,
                exc,
            )
            await self._unload(target)
            raise SwapFailed(f"{target} failed to load: {exc}") from exc
        retired = self._standby.pop(event.name, None)
        self._active[event.name] = ActiveModel(
            event.name,
            event.version,
            event.artifact.sha256,
            target,
            tuple(tensor.name for tensor in model.inputs),
        )
        log.info(
            "%s: v%d active as %s after %.2fs",
            event.name,
            event.version,
            target,
            time.monotonic() - started,
        )
        if current is not None and self.keep_standby:
            self._standby[event.name] = current
        elif current is not None:
            await self._retire(current.triton_name)
        if retired is not None:
            await self._retire(retired.triton_name)

    async def _fetch(self, ref: ArtifactRef) -> bytes:
        try:
            store = await self._js().object_store(ref.bucket)
            result = await store.get(ref.object_name)
        except (nats.js.errors.BucketNotFoundError, nats.js.errors.ObjectNotFoundError) as exc:
            raise ArtifactRejected(f"{ref.bucket}/{ref.object_name} not found: {exc!r}") from exc
        data = result.data or b""
        digest = hashlib.sha256(data).hexdigest()
        if digest != ref.sha256 or len(data) != ref.size_bytes:
            raise ArtifactRejected(
                f"{ref.bucket}/{ref.object_name}: sha256 {digest} ({len(data)} bytes),"
                f" expected {ref.sha256} ({ref.size_bytes} bytes)"
            )
        return data

    def _rejected(self, event: ModelEvent, reason: str) -> ArtifactRejected:
        log.warning("%s v%d rejected: %s", event.name, event.version, reason)
        return ArtifactRejected(f"{event.name} v{event.version}: {reason}")

    async def _wait_ready(self, target: str) -> None:
        deadline = time.monotonic() + self._ready_timeout_s
        while not await self._client.model_ready(target):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{target} not ready after {self._ready_timeout_s:.0f}s")
            await asyncio.sleep(POLL_S)

    async def _retire(self, target: str) -> None:
        """Wait for the requests routed to ``target`` to finish, then unload it."""
        try:
            async with self._drained:
                await asyncio.wait_for(
                    self._drained.wait_for(lambda: self._inflight[target] == 0),
                    self._drain_timeout_s,
                )
        except TimeoutError:
            log.warning(
                "%s: %d requests still in flight after %.0fs; unloading anyway",
                target,
                self._inflight[target],
                self._drain_timeout_s,
            )
        await self._unload(target)

    async def _unload(self, target: str) -> None:
        """Unload ``target`` and wait until Triton has; failures are logged, not raised."""
        try:
            await self._client.unload(target)
            deadline = time.monotonic() + self._drain_timeout_s
            while time.monotonic() < deadline:
                index = await self._client.repository_index()
                if not any(
                    m.name == target and m.state in ("READY", "UNLOADING", "LOADING") for m in index
                ):
                    log.info("%s unloaded", target)
                    return
                await asyncio.sleep(POLL_S)
            log.warning("%s still loaded after %.0fs", target, self._drain_timeout_s)
        except Exception:
            log.exception("unloading %s failed", target)

    def subscribe(self, bus: Bus, *, durable: str) -> None:
        """Swap on every model event, in stream order; ``durable`` must be unique to the replica.

        One consumer for published, promoted and rolled-back events alike, one at a time, so
        the last alias move wins; on start it replays the last event of each subject.
        """
        bus.subscribe(self._spec(durable), MODEL_EVENTS, self._handle, batch=1)

    @staticmethod
    def _spec(durable: str) -> ConsumerSpec:
        base = ConsumerSpec.on(MODELS, durable)
        return ConsumerSpec(
            durable=base.durable,
            stream=base.stream,
            filter_subjects=base.filter_subjects,
            description="Hot swaps of this replica.",
            deliver_policy=DeliverPolicy.LAST_PER_SUBJECT,
            # Per-replica consumers: the server removes those of replicas gone for an hour.
            inactive_threshold_s=3600.0,
        )

    async def _handle(self, event: ModelEvent, _: Delivery) -> None:
        await self.on_published(event)
