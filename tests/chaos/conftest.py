"""One platform for every fault test that breaks a part of it (started only when one runs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chaos.platform import ChaosPlatform, chaos_platform, wait_for


@pytest.fixture(scope="package")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChaosPlatform]:
    with chaos_platform(tmp_path_factory.mktemp("chaos-platform")) as platform:
        yield platform


@pytest.fixture
def platform(running: ChaosPlatform) -> ChaosPlatform:
    """The shared platform, once what the previous test left queued is done."""
    assert all(running.alive().values()), running.alive()
    wait_for(lambda: running.queued() == 0, within=120, what="an empty request queue")
    return running
