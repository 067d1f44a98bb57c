"""Hot swaps through the bus: real NATS object store, real embedded Triton, real onnxruntime."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import pytest
from nats.aio.msg import Msg
from onnx import TensorProto, helper, numpy_helper

from automatrix.inference.direct_classify import (
    CAPABILITY_OUTPUT,
    INPUT,
    TEXT_INPUT,
    TIER_OUTPUT,
)
from automatrix.inference.hotswap import ModelSwapper
from automatrix.inference.models.onnx_model import triton_name
from automatrix.inference.triton import EmbeddedTriton, TritonClient
from automatrix.neuroweaver.domain.classifier import (
    CAPABILITIES,
    DIMENSIONS,
    TIERS,
    Example,
    Hyper,
    probabilities,
    train,
)
from automatrix.neuroweaver.domain.classifier_export import export_onnx
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    ArtifactRef,
    DeadLetter,
    DeadLetterReason,
    ModelAlias,
    ModelPromoted,
    ModelPublished,
    ModelRolledBack,
)
from automatrix.shared.settings import BusSettings
from tests.support.processes import wait_until

BUCKET = "models"
FEATURES = 4
X = np.ones((1, FEATURES), np.float32)


def linear_model(version: int) -> bytes:
    """``y = x @ W + b``, every weight ``version``: ``y`` of ones is ``4 * version``."""
    weights = numpy_helper.from_array(np.full((FEATURES, 2), version, np.float32), "W")
    bias = numpy_helper.from_array(np.zeros(2, np.float32), "b")
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "W"], ["xw"]),
            helper.make_node("Add", ["xw", "b"], ["y"]),
        ],
        "linear",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", FEATURES])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2])],
        [weights, bias],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    data: bytes = model.SerializeToString()
    return data


@pytest.fixture(scope="module")
def triton(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedTriton]:
    server = EmbeddedTriton(tmp_path_factory.mktemp("hotswap-triton"))
    server.start()
    yield server
    server.stop()


@dataclass
class Stack:
    bus: Bus
    swapper: ModelSwapper
    client: TritonClient
    name: str
    durable: str
    dead_letters: asyncio.Queue[DeadLetter]

    async def publish(
        self, version: int, stored: bytes, declared: bytes | None = None
    ) -> ArtifactRef:
        """Store ``stored`` as the version's artifact; the event declares ``declared``'s hash."""
        declared = stored if declared is None else declared
        object_name = f"{self.name}/{version}/{uuid.uuid4().hex[:8]}/model.onnx"
        store = await self.bus.js.object_store(BUCKET)
        await store.put(object_name, stored)
        ref = ArtifactRef(
            bucket=BUCKET,
            object_name=object_name,
            sha256=hashlib.sha256(declared).hexdigest(),
            size_bytes=len(declared),
        )
        await self.bus.publish(ModelPublished(name=self.name, version=version, artifact=ref))
        return ref

    async def version_served(self) -> int:
        outputs = await self.swapper.infer(self.name, {"x": X}, ["y"])
        return int(outputs["y"][0, 0]) // FEATURES

    async def until(self, condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
        async def holds() -> bool:
            return condition()

        await wait_until(holds, within=timeout_s, what="the swapper's state", every=0.02)

    async def settled(self, published: int, timeout_s: float = 30.0) -> None:
        """Wait until the model-events consumer has acked ``published`` events."""

        async def acked() -> bool:
            info = await self.bus.js.consumer_info("AI_MODELS", self.durable)
            return (info.ack_floor.stream_seq or 0) >= published and not info.num_ack_pending

        await wait_until(
            acked, within=timeout_s, what=f"{published} model events acked", every=0.02
        )

    async def loaded(self, triton_model: str) -> bool:
        index = await self.client.repository_index()
        return any(m.name == triton_model and m.ready for m in index)


@pytest.fixture
async def stack(
    triton: EmbeddedTriton, bus_settings: Callable[..., BusSettings], tmp_path: Path
) -> AsyncIterator[Stack]:
    client = TritonClient(triton.grpc_url, headers=triton.grpc_headers())
    bus = Bus(bus_settings(), name="inference-hotswap-test")
    # These tests exercise the swap itself: every published version is served at once.
    swapper = ModelSwapper(
        js=lambda: bus.js, triton=triton, client=client, serve_published=True, keep_standby=False
    )
    durable = f"inference-{uuid.uuid4().hex[:8]}"
    swapper.subscribe(bus, durable=durable)
    await bus.start()
    await bus.js.create_object_store(BUCKET)
    letters: asyncio.Queue[DeadLetter] = asyncio.Queue()

    async def on_letter(msg: Msg) -> None:
        await letters.put(DeadLetter.model_validate_json(msg.data))

    await bus.nc.subscribe("ai.v1.dlq.>", cb=on_letter)
    yield Stack(bus, swapper, client, f"m{uuid.uuid4().hex[:8]}", durable, letters)
    await bus.stop()
    await client.close()


async def test_published_version_serves_and_republish_is_idempotent(
    stack: Stack, triton: EmbeddedTriton
) -> None:
    v1 = linear_model(1)
    await stack.publish(1, v1)
    await stack.until(lambda: stack.swapper.active(stack.name) is not None)
    assert await stack.version_served() == 1
    bound = len(triton.models)
    await stack.publish(1, v1)
    await stack.settled(2)
    assert len(triton.models) == bound
    assert await stack.version_served() == 1
    assert stack.dead_letters.empty()


async def test_swap_under_steady_load_fails_no_request(stack: Stack) -> None:
    await stack.publish(1, linear_model(1))
    await stack.until(lambda: stack.swapper.active(stack.name) is not None)
    old = stack.swapper.active(stack.name)
    assert old is not None
    stop = asyncio.Event()
    seen: list[list[int]] = [[] for _ in range(8)]
    failures: list[BaseException] = []

    async def client(versions: list[int]) -> None:
        while not stop.is_set():
            try:
                versions.append(await stack.version_served())
            except Exception as exc:
                failures.append(exc)

    clients = [asyncio.create_task(client(versions)) for versions in seen]
    await asyncio.sleep(0.5)
    await stack.publish(2, linear_model(2))
    await stack.until(lambda: getattr(stack.swapper.active(stack.name), "version", 0) == 2)
    deadline = time.monotonic() + 30
    while await stack.loaded(old.triton_name):
        assert time.monotonic() < deadline, "v1 never unloaded"
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    stop.set()
    await asyncio.gather(*clients)

    assert failures == []
    for versions in seen:
        assert versions[0] == 1
        assert versions[-1] == 2
        assert versions == sorted(versions), "a client went back to v1 after seeing v2"
    assert sum(len(versions) for versions in seen) > 100
    assert stack.swapper.inflight(old.triton_name) == 0
    assert not await stack.client.model_ready(old.triton_name)


@pytest.mark.parametrize(
    ("stored", "reason"),
    [
        (b"tampered " + linear_model(2), "sha256"),
        (b"these bytes are no ONNX model", "not a loadable ONNX model"),
    ],
    ids=["hash-mismatch", "not-onnx"],
)
async def test_corrupt_artifact_is_rejected_and_old_version_serves(
    stack: Stack, triton: EmbeddedTriton, stored: bytes, reason: str
) -> None:
    await stack.publish(1, linear_model(1))
    await stack.until(lambda: stack.swapper.active(stack.name) is not None)
    bound = len(triton.models)
    declared = linear_model(2) if reason == "sha256" else stored
    await stack.publish(2, stored, declared)
    letter = await asyncio.wait_for(stack.dead_letters.get(), 30)
    assert letter.reason_kind == DeadLetterReason.HANDLER_REJECTED
    assert reason in letter.reason
    assert letter.original_subject == f"ai.v1.models.{stack.name}.published"
    active = stack.swapper.active(stack.name)
    assert active is not None
    assert active.version == 1
    assert len(triton.models) == bound
    assert await stack.version_served() == 1


async def test_a_rollback_moves_serving_back_to_the_earlier_version(stack: Stack) -> None:
    first = await stack.publish(1, linear_model(1))
    await stack.settled(1)
    await stack.publish(2, linear_model(2))
    await stack.settled(2)
    assert await stack.version_served() == 2
    await stack.bus.publish(
        ModelRolledBack(
            name=stack.name,
            version=1,
            artifact=first,
            alias=ModelAlias.PRODUCTION,
            previous_version=2,
            reason="accuracy regression in production",
        )
    )
    await stack.settled(3)
    assert await stack.version_served() == 1
    active = stack.swapper.active(stack.name)
    assert active is not None
    assert active.version == 1


async def test_a_rollback_to_the_standby_version_switches_without_binding(
    stack: Stack, triton: EmbeddedTriton
) -> None:
    stack.swapper.keep_standby = True
    first = await stack.publish(1, linear_model(1))
    await stack.settled(1)
    await stack.publish(2, linear_model(2))
    await stack.settled(2)
    assert await stack.version_served() == 2
    old = triton_name(stack.name, 1)
    assert await stack.loaded(old)  # kept on standby
    bound = len(triton.models)
    await stack.bus.publish(
        ModelRolledBack(
            name=stack.name,
            version=1,
            artifact=first,
            alias=ModelAlias.PRODUCTION,
            previous_version=2,
            reason="regression",
        )
    )
    await stack.settled(3)
    assert await stack.version_served() == 1
    assert len(triton.models) == bound  # switched, nothing bound
    await stack.publish(3, linear_model(3))
    await stack.settled(4)
    assert await stack.version_served() == 3
    deadline = time.monotonic() + 30
    while await stack.loaded(triton_name(stack.name, 2)):  # v1, replaced by v3, is the standby
        assert time.monotonic() < deadline, "v2 never unloaded"
        await asyncio.sleep(0.05)
    assert await stack.loaded(old)


def test_by_default_only_production_moves_are_served(triton: EmbeddedTriton) -> None:
    swapper = ModelSwapper(js=lambda: None, triton=triton, client=None)  # type: ignore[arg-type, return-value]
    ref = ArtifactRef(bucket=BUCKET, object_name="m/1/model.onnx", sha256="0" * 64, size_bytes=1)
    assert not swapper.serves(ModelPublished(name="m", version=1, artifact=ref))
    staging = ModelPromoted(name="m", version=1, artifact=ref, alias=ModelAlias.STAGING)
    assert not swapper.serves(staging)
    production = ModelPromoted(name="m", version=1, artifact=ref, alias=ModelAlias.PRODUCTION)
    assert swapper.serves(production)
    rolled = ModelRolledBack(
        name="m",
        version=1,
        artifact=ref,
        alias=ModelAlias.PRODUCTION,
        previous_version=2,
        reason="r",
    )
    assert swapper.serves(rolled)


async def test_a_classifier_reading_text_gets_the_texts_as_written(stack: Stack) -> None:
    """String inputs arrive as UTF-8 bytes through Triton; the served graph reads them as text."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(len(CAPABILITIES), DIMENSIONS))
    rows, examples = [], []
    for c, capability in enumerate(CAPABILITIES):
        for k in range(9):
            vector = centres[c] + 0.3 * rng.normal(size=DIMENSIONS)
            rows.append(vector / np.linalg.norm(vector))
            tier = TIERS[k % len(TIERS)]
            # Words only a correct UTF-8 decode tokenizes as trained ("café" gives "caf").
            text = f"café {capability} naïve {tier} {k}"
            examples.append(Example(text, capability, tier, f"{capability}/{k}"))
    x = np.asarray(rows, dtype=np.float32)
    trained = train(x, examples, Hyper(head="logreg", text_weight=0.5), seed=0)
    await stack.publish(1, export_onnx(trained))
    await stack.until(lambda: stack.swapper.active(stack.name) is not None)
    active = stack.swapper.active(stack.name)
    assert active is not None
    assert active.inputs == (INPUT, TEXT_INPUT)

    texts = [e.text for e in examples[::5]] + ["Übersetze das bitte", "日本語", ""]
    batch = np.concatenate([x[::5], x[:3]])
    served = await stack.swapper.infer(
        stack.name,
        {
            INPUT: batch,
            TEXT_INPUT: np.array([t.encode() for t in texts], dtype=object).reshape(-1, 1),
        },
        [CAPABILITY_OUTPUT, TIER_OUTPUT],
    )
    expected_capability, expected_tier = probabilities(trained, batch, texts)
    assert np.abs(served[CAPABILITY_OUTPUT] - expected_capability).max() < 1e-4
    assert np.abs(served[TIER_OUTPUT] - expected_tier).max() < 1e-4
