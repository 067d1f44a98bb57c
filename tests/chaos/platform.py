"""The platform the fault tests break: launched whole, with a Redis and an upstream of the test's.

``automatrix up`` runs NATS, relaycore, inference (embedded Triton serving MiniLM), neuroweaver
and the gateway as its own processes; Redis is a ``redis-server`` this module starts, so a
test can kill it and bring it back, and the chat deployments are litellm deployments on an
OpenAI-compatible upstream in the test process, so a test can make them fail or slow down.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from automatrix.shared.launcher.redis_server import RedisServer, redis_binary
from automatrix.shared.launcher.runfile import RunRecord, read_record
from automatrix.shared.natsserver import free_port
from bench.launched import RunningPlatform, running_platform, wait_for_models
from tests.chaos.procfs import running
from tests.chaos.upstream import ScriptedUpstream, UpstreamThread

T = TypeVar("T")

KEY_VARIABLE = "CHAOS_UPSTREAM_KEY"
EMBED_MODEL = "minilm-embed"
MAIN, BACKUP, SLOW = "chaos-main", "chaos-backup", "chaos-slow"
"""Model groups: ``MAIN`` falls back to ``BACKUP``; ``SLOW`` serves one request at a time."""
UPSTREAM_MODEL = {MAIN: "main-1", BACKUP: "backup-1", SLOW: "slow-1"}
"""The upstream model behind each group's one deployment (faults and delays are per model)."""
SHED_BOUND = 8
BREAKER_COOLDOWN_S = 3.0


def deployments_toml(api_base: str) -> str:
    """One litellm deployment per chat group, all on the test's upstream."""
    tables = []
    for group, model in UPSTREAM_MODEL.items():
        concurrency = 1 if group == SLOW else 4
        tables.append(
            f'[deployments.{group}]\nmodel = "openai/{model}"\napi_base = "{api_base}"\n'
            f'api_key_env = "{KEY_VARIABLE}"\ntier = "fast"\nconcurrency = {concurrency}\n'
            f"timeout_s = 20\ncapabilities = {{ chat = 0.5 }}\n"
        )
    return "\n".join(tables)


class RedisProcess:
    """A ``redis-server`` on a fixed port that a test may kill and start again."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.server = RedisServer(port=free_port(), data_dir=data_dir)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> None:
        process = subprocess.Popen(self.server.argv(redis_binary()), stdout=subprocess.DEVNULL)
        self.process = process
        self.server.wait_ready(lambda: process.poll() is None)

    def kill(self) -> None:
        """SIGKILL: no goodbye to the clients, as a crashed or partitioned server gives none."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@dataclass
class ChaosPlatform:
    """A running platform and the parts of it a test breaks."""

    run: RunningPlatform
    redis: RedisProcess
    upstream: UpstreamThread
    workdir: Path

    def http(self, key: str | None = None, timeout: float = 60.0) -> httpx.Client:
        return httpx.Client(
            base_url=self.run.url,
            headers={"Authorization": f"Bearer {key or self.run.master_key}"},
            timeout=timeout,
        )

    def record(self) -> RunRecord:
        record = read_record(self.run.state)
        assert record is not None, "the launcher's run record is gone"
        return record

    def pid(self, service: str) -> int:
        pid = self.record().pids().get(service)
        assert pid is not None, f"no pid recorded for {service}"
        return pid

    def relay_view(self, deployment: str) -> dict[str, Any]:
        """relaycore's live view of one deployment: registry record, breaker, load."""
        response = httpx.get(f"{self.run.services['relaycore']}/v1/relay/deployments", timeout=10)
        response.raise_for_status()
        views: list[dict[str, Any]] = response.json()["deployments"]
        return next(v for v in views if v["name"] == deployment)

    def queued(self) -> int:
        """Requests waiting in JetStream for relaycore (what the gateway sheds by)."""
        monitor = self.record().nats.monitor_url
        assert monitor is not None, "the embedded NATS has no monitoring port"
        response = httpx.get(f"{monitor}/jsz", params={"consumers": "true"}, timeout=10)
        response.raise_for_status()
        total = 0
        for account in response.json().get("account_details", []):
            for stream in account.get("stream_detail", []):
                if stream["name"] != "AI_REQUESTS":
                    continue
                for consumer in stream.get("consumer_detail", []):
                    total += consumer["num_pending"] + consumer["num_ack_pending"]
        return total

    def alive(self) -> dict[str, bool]:
        """Whether each process the launcher started still runs."""
        return {name: running(pid) for name, pid in self.record().pids().items()}


def wait_for(condition: Callable[[], T], *, within: float, what: str, every: float = 0.1) -> T:
    """Poll ``condition()`` until it returns something truthy; fail naming ``what``."""
    deadline = time.monotonic() + within
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within}s waiting for {what}")
        time.sleep(every)
    return value


@contextmanager
def chaos_platform(workdir: Path) -> Iterator[ChaosPlatform]:
    """The platform with the test's Redis and upstream, until the block ends."""
    redis = RedisProcess(workdir / "redis")
    redis.start()
    try:
        with UpstreamThread(ScriptedUpstream()) as upstream:
            deployments = workdir / "deployments.toml"
            deployments.write_text(deployments_toml(upstream.base_url))
            env = {
                "REDIS_URL": redis.url,
                KEY_VARIABLE: "chaos-test-key",
                "AUTOMATRIX_DEPLOYMENTS_FILE": str(deployments),
                "AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_ENABLED": "false",
                "RELAY_FALLBACKS": f'{{"{MAIN}": ["{BACKUP}"]}}',
                "RELAY_BREAKER_COOLDOWN_S": str(BREAKER_COOLDOWN_S),
                "RELAY_BACKOFF_MAX_S": "0.2",
                "GATEWAY_SHED_QUEUE_DEPTH": str(SHED_BOUND),
                "GATEWAY_TIMEOUT_S": "30",
                "LOG_LEVEL": "WARNING",
            }
            with running_platform(workdir, ready_timeout_s=300, extra_env=env) as run:
                platform = ChaosPlatform(run, redis, upstream, workdir)
                with platform.http() as http:
                    wait_for_models(http, {EMBED_MODEL, MAIN, BACKUP, SLOW})
                    for group in UPSTREAM_MODEL:  # litellm loads on its first call
                        warm = http.post(
                            "/v1/chat/completions",
                            json={"model": group, "messages": [{"role": "user", "content": "hi"}]},
                            headers={"Cache-Control": "no-cache, no-store"},
                        )
                        assert warm.status_code == 200, warm.text
                yield platform
    finally:
        redis.stop()


def create_key(platform: ChaosPlatform, tenant: str, **limits: int) -> str:
    """A new API key made with ``automatrix keys create`` (as an operator would)."""
    args = ["keys", "create", "--tenant", tenant, "--json", "--nats-url", platform.run.nats_url]
    for name, value in limits.items():
        args += [f"--{name}", str(value)]
    done = subprocess.run(
        [sys.executable, "-m", "automatrix.shared.launcher", *args],
        env=platform.run.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    key: str = json.loads(done.stdout)["key"]
    return key
