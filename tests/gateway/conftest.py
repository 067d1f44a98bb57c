"""The whole platform, started once for the gateway tests by ``automatrix up`` itself.

Everything is real: an embedded nats-server, a redis-server, relaycore, inference (embedded
Triton with MiniLM and Gemma 3 270M) and the orchestrator, each its own process. Tests keep
out of each other's way with tenants of their own (``Platform.key``).
"""

from __future__ import annotations

import json
import secrets
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from openai import OpenAI

from automatrix.shared.launcher.runfile import read_record
from automatrix.shared.natsserver import free_port
from tests.integration.test_launcher import LauncherProcess, launcher_command, launcher_env

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
            [*launcher_command(), *args],
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
    state = tmp_path_factory.mktemp("platform")
    master = f"am-{secrets.token_urlsafe(30)}"
    port = free_port()
    env = launcher_env(
        state,
        AUTOMATRIX_MASTER_KEY=master,
        GATEWAY_TIMEOUT_S="90",
        CACHE_SWEEP_INTERVAL_S="1",
    )
    run = LauncherProcess(["up", "--port", str(port), "--ready-timeout", "300"], env)
    try:
        run.wait_for(f"AutoMatrix is up: http://127.0.0.1:{port}", timeout=330)
        record = read_record(state)
        assert record is not None
        platform = Platform(f"http://127.0.0.1:{port}", master, state, env, record.nats.url)
        _wait_for_models(platform, {CHAT_MODEL, EMBED_MODEL})
        yield platform
    finally:
        run.process.send_signal(signal.SIGINT)
        try:
            run.finish(timeout=60)
        finally:
            run.kill()


def _wait_for_models(platform: Platform, wanted: set[str]) -> None:
    """Inference registers its deployments once its models are loaded."""
    import time

    deadline = time.monotonic() + 120
    with platform.http() as http:
        while True:
            ids = {m["id"] for m in http.get("/v1/models").json().get("data", [])}
            if wanted <= ids:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"models {wanted - ids} never registered (have {ids})")
            time.sleep(0.2)
