"""The platform the fuzz runs against: the fault suite's (own Redis, scripted upstream)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chaos.platform import ChaosPlatform, chaos_platform


@pytest.fixture(scope="package")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChaosPlatform]:
    with chaos_platform(tmp_path_factory.mktemp("fuzz-platform")) as running:
        yield running
