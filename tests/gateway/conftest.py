"""The whole platform, started once for the gateway tests by ``automatrix up`` itself.

Everything is real: an embedded nats-server, a redis-server, relaycore, inference (embedded
Triton with MiniLM and Gemma 3 270M) and the orchestrator, each its own process. Tests keep
out of each other's way with tenants of their own (``Platform.key``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from openai import OpenAI

from bench.launched import running_platform, wait_for_models

CHAT_MODEL = "gemma3-270m"
EMBED_MODEL = "minilm-embed"


@dataclass
class Platform:
    """A running platform: its gateway URL, master key and state directory."""

    url: str
    master_key: str
    state: Path
    env: dict[str, str]
    nats_url: str

    def key(self, tenant: str | None = None, **limits: int | float) -> str:
        """A new API key of a fresh (or the given) tenant, made with `automatrix keys create`."""
        tenant = tenant or f"t{uuid.uuid4().hex[:10]}"
        args = ["keys", "create", "--tenant", tenant, "--json", "--nats-url", self.nats_url]
        for name, value in limits.items():
            args += [f"--{name.replace('_', '-')}", str(value)]
        done = subprocess.run(
            [sys.executable, "-m", "automatrix.shared.launcher", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        key: str = json.loads(done.stdout)["key"]
        return key

    def client(self, key: str | None = None, **options: object) -> OpenAI:
        """The official SDK pointed at the gateway, without its own retries."""
        return OpenAI(
            base_url=f"{self.url}/v1",
            api_key=key or self.master_key,
            max_retries=0,
            timeout=120,
            **options,  # type: ignore[arg-type]
        )

    def http(self, key: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {key or self.master_key}"},
            timeout=120,
        )


@pytest.fixture(scope="package")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    workdir = tmp_path_factory.mktemp("platform")
    settings = {"GATEWAY_TIMEOUT_S": "90", "CACHE_SWEEP_INTERVAL_S": "1"}
    with running_platform(workdir, ready_timeout_s=300, extra_env=settings) as run:
        platform = Platform(run.url, run.master_key, run.state, run.env, run.nats_url)
        with platform.http() as http:
            wait_for_models(http, {CHAT_MODEL, EMBED_MODEL})
        yield platform
