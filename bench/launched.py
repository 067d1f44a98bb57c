"""The whole platform for a bench or test run: ``automatrix up`` on free ports in a work dir."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from automatrix.shared.launcher.config import MASTER_KEY_VARIABLE, SERVICES, port_variable
from automatrix.shared.launcher.runfile import read_record
from automatrix.shared.natsserver import free_port

READY_LINE = "AutoMatrix is up: http://127.0.0.1:{port}"


@dataclass(frozen=True)
class RunningPlatform:
    """A platform this process started: where its gateway and services listen, and its key."""

    url: str
    master_key: str
    env: dict[str, str]
    state: Path
    nats_url: str
    services: dict[str, str]
    """Base URL of each service, by name."""


def launcher_env(state: Path, master_key: str, port: int) -> dict[str, str]:
    """This environment without NATS/Redis/launcher settings, plus free ports for everything."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NATS_URL", "REDIS_URL")
        and (not key.startswith("AUTOMATRIX_") or key.startswith("AUTOMATRIX_SERVICE_MODULE_"))
    }
    ports = iter({free_port() for _ in range(16)} - {port})
    env.update(
        {
            "AUTOMATRIX_STATE_DIR": str(state),
            "AUTOMATRIX_NATS_PORT": str(next(ports)),
            "AUTOMATRIX_NATS_MONITOR_PORT": str(next(ports)),
            "AUTOMATRIX_REDIS_PORT": str(next(ports)),
            MASTER_KEY_VARIABLE: master_key,
            "NO_COLOR": "1",
        }
    )
    env.update(
        {port_variable(name): str(next(ports)) for name in SERVICES if name != "orchestrator"}
    )
    return env


@contextmanager
def running_platform(
    workdir: Path,
    *,
    ready_timeout_s: float = 300.0,
    extra_env: Mapping[str, str] | None = None,
    only_services: str | None = None,
) -> Iterator[RunningPlatform]:
    """``automatrix up`` under ``workdir`` until the block ends, then stopped with SIGINT.

    ``only_services`` (comma-separated) starts only those, as ``automatrix up --services``."""
    port = free_port()
    master_key = f"am-{secrets.token_urlsafe(30)}"
    state = workdir / "state"
    log_path = workdir / "launcher.log"
    env = {**launcher_env(state, master_key, port), **(extra_env or {})}
    argv = [sys.executable, "-m", "automatrix.shared.launcher", "up", "--port", str(port)]
    argv += ["--ready-timeout", str(int(ready_timeout_s))]
    if only_services:
        argv += ["--services", only_services]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        ready = READY_LINE.format(port=port)
        deadline = time.monotonic() + ready_timeout_s + 30
        while ready not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"automatrix up did not get ready:\n{log_tail(log_path)}")
            time.sleep(0.2)
        record = read_record(state)
        if record is None:
            raise RuntimeError(f"automatrix up wrote no run record:\n{log_tail(log_path)}")
        url = f"http://127.0.0.1:{port}"
        services = {
            name: f"http://127.0.0.1:{env[port_variable(name)]}"
            for name in SERVICES
            if name != "orchestrator"
        }
        yield RunningPlatform(
            url, master_key, env, state, record.nats.url, {"orchestrator": url, **services}
        )
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def log_tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_for_models(http: httpx.Client, wanted: set[str], within_s: float = 180.0) -> None:
    """Inference registers its deployments once its models are loaded."""
    deadline = time.monotonic() + within_s
    while True:
        response = http.get("/v1/models")
        response.raise_for_status()
        have = {card["id"] for card in response.json()["data"]}
        if wanted <= have:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"models {sorted(wanted - have)} never registered (have {have})")
        time.sleep(0.2)
