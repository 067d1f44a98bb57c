"""The pieces of a gateway comparison, each a context manager that starts and stops a server.

- ``upstreams``: one ``bench/upstream.py`` process per fixed delay, the model behind both
  gateways (an OpenAI-compatible echo server);
- ``litellm_proxy``: LiteLLM Proxy from the benchmark-only venv (``bench/litellm-proxy``), one
  model per upstream in its config, a master key, no database, offline cost map;
- ``automatrix``: the whole platform (``automatrix up``), one litellm deployment per
  upstream, so every request goes gateway -> relaycore -> inference -> upstream over the bus.

Both gateways serve the same model names (``echo-<delay>ms``) and run with their response
caches off, so every request reaches the upstream.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from automatrix.shared.launcher.runfile import read_record
from automatrix.shared.natsserver import free_port
from bench.launched import running_platform, wait_for_models

ROOT = Path(__file__).resolve().parents[1]
PROXY_DIR = ROOT / "bench" / "litellm-proxy"
BENCH_VENV = Path(os.environ.get("BENCH_VENV", ROOT / ".bench-venv"))


def exit_on_sigterm() -> None:
    """Make SIGTERM unwind like Ctrl-C, so every server started here is stopped on the way."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


def model_name(delay_ms: int) -> str:
    return f"echo-{delay_ms}ms"


@dataclass(frozen=True)
class Server:
    """A server the bench started: where it answers, its key, and the pids it runs as."""

    name: str
    base_url: str
    """Ends in ``/v1``."""
    key: str | None
    pids: dict[str, int]

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, within_s: float) -> None:
    """Poll ``url`` until it answers 200; fail with the log's tail if the process exits."""
    deadline = time.monotonic() + within_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited {process.returncode}:\n{tail(log)}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not ready within {within_s:g} s:\n{tail(log)}")
        time.sleep(0.2)


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def process(
    argv: Sequence[str], log: Path, env: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``argv`` in a session of its own, output to ``log``; SIGTERM to the group at exit."""
    with log.open("wb") as out:
        child = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            start_new_session=True,
        )
    try:
        yield child
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


@contextmanager
def upstreams(workdir: Path, delays_ms: Sequence[int]) -> Iterator[dict[int, Server]]:
    """One echo upstream process per delay."""
    servers: dict[int, Server] = {}
    with ExitStack() as stack:
        for delay in delays_ms:
            port = free_port()
            argv = [sys.executable, str(ROOT / "bench" / "upstream.py"), "--port", str(port)]
            argv += ["--delay-ms", str(delay)]
            child = stack.enter_context(process(argv, workdir / f"upstream-{delay}ms.log"))
            base = f"http://127.0.0.1:{port}/v1"
            wait_ready(f"{base}/models", child, workdir / f"upstream-{delay}ms.log", 60)
            servers[delay] = Server(f"upstream-{delay}ms", base, None, {"upstream": child.pid})
        yield servers


def install_proxy() -> Path:
    """The proxy venv's ``litellm`` command, installing the venv first when it is missing."""
    subprocess.run([str(PROXY_DIR / "install")], check=True)
    return BENCH_VENV / "bin" / "litellm"


def proxy_config(models: Mapping[str, str], master_key: str) -> str:
    """LiteLLM Proxy's YAML config (written by hand: the platform venv has no YAML writer)."""
    lines = ["model_list:"]
    for name, api_base in models.items():
        lines += [
            f"  - model_name: {name}",
            "    litellm_params:",
            f"      model: openai/{name}",
            f"      api_base: {api_base}",
            "      api_key: no-key",
        ]
    lines += [
        "general_settings:",
        f"  master_key: {master_key}",
        "litellm_settings:",
        "  drop_params: true",
        "  telemetry: false",
    ]
    return "\n".join(lines) + "\n"


@contextmanager
def litellm_proxy(
    workdir: Path, models: Mapping[str, str], *, workers: int, ready_timeout_s: float = 300
) -> Iterator[Server]:
    """LiteLLM Proxy on a free port with ``models`` (name -> api_base) and its own master key."""
    command = install_proxy()
    key = f"sk-bench-{secrets.token_urlsafe(16)}"
    config = workdir / "litellm.yaml"
    config.write_text(proxy_config(models, key))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "DATABASE_URL"))},
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_MODE": "PRODUCTION",
        "LITELLM_LOG": "ERROR",
        "DISABLE_SCHEMA_UPDATE": "true",
    }
    argv = [str(command), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--num_workers", str(workers)]
    if workers > 1:  # uvicorn kills a worker that takes over 5 s to start: a loaded 2-core box
        argv += ["--timeout_worker_healthcheck", "300"]
    log = workdir / "litellm.log"
    with process(argv, log, env) as child:
        wait_ready(f"http://127.0.0.1:{port}/health/liveliness", child, log, ready_timeout_s)
        yield Server("litellm", f"http://127.0.0.1:{port}/v1", key, {"litellm": child.pid})


def deployments_toml(models: Mapping[str, str], concurrency: int) -> str:
    """One litellm deployment per upstream; the local models off (nothing here uses them)."""
    lines: list[str] = []
    for name, api_base in models.items():
        lines += [
            f"[deployments.{name}]",
            f'model = "openai/{name}"',
            f'api_base = "{api_base}"',
            'tier = "fast"',
            f"concurrency = {concurrency}",
            "capabilities = { chat = 0.5 }",
            "",
        ]
    for local in ("gemma3-270m", "minilm-embed"):
        lines += [f"[deployments.{local}]", "enabled = false", ""]
    return "\n".join(lines)


@contextmanager
def automatrix(
    workdir: Path,
    models: Mapping[str, str],
    *,
    concurrency: int = 512,
    services: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    ready_timeout_s: float = 300,
) -> Iterator[Server]:
    """The platform with one deployment per upstream, cache off and rate limits out of reach."""
    deployments = workdir / "deployments.toml"
    deployments.write_text(deployments_toml(models, concurrency))
    env = {
        "AUTOMATRIX_DEPLOYMENTS_FILE": str(deployments),
        "CACHE_ENABLED": "false",
        "GATEWAY_DEFAULT_RPM": "100000000",
        "GATEWAY_DEFAULT_TPM": "1000000000",
        **(extra_env or {}),
    }
    with running_platform(
        workdir, ready_timeout_s=ready_timeout_s, extra_env=env, only_services=services
    ) as run:
        headers = {"Authorization": f"Bearer {run.master_key}"}
        with httpx.Client(base_url=run.url, headers=headers, timeout=30) as http:
            wait_for_models(http, set(models))
        record = read_record(run.state)
        pids = record.pids() if record is not None else {}
        if record is not None:
            pids["launcher"] = record.launcher_pid
        yield Server("automatrix", f"{run.url}/v1", run.master_key, pids)
