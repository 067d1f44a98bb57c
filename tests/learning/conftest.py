"""The whole platform, started by ``automatrix up``, for the learning-loop tests.

Its own platform (not the gateway tests'): promoting a router model changes how every
``auto`` query of that platform is classified.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import nats
import pytest
from nats.aio.client import Client

from automatrix.shared.rpc import RpcClient
from bench.launched import RunningPlatform, running_platform, wait_for_models


@pytest.fixture(scope="package")
def learning_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    workdir = tmp_path_factory.mktemp("learning")
    with running_platform(workdir, ready_timeout_s=300) as run:
        with httpx.Client(
            base_url=run.url, headers={"Authorization": f"Bearer {run.master_key}"}, timeout=60
        ) as http:
            # The cycle test reads the chat deployment's proficiency: wait for both.
            wait_for_models(http, {"minilm-embed", "gemma3-270m"})
        yield run


@pytest.fixture
def http(learning_platform: RunningPlatform) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=learning_platform.url,
        headers={"Authorization": f"Bearer {learning_platform.master_key}"},
        timeout=60,
    ) as client:
        yield client


@pytest.fixture
async def nc(learning_platform: RunningPlatform) -> AsyncIterator[Client]:
    client = await nats.connect(learning_platform.nats_url)
    yield client
    await client.close()


@pytest.fixture
def rpc(nc: Client) -> RpcClient:
    return RpcClient(nc, timeout_s=30)
