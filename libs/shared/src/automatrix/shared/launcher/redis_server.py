"""A local ``redis-server`` for one machine: append-only file under the state directory."""

from __future__ import annotations

import shutil
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from automatrix.shared.launcher.config import INFRA_HOST, LauncherError

INSTALL_HINTS = {
    "linux": "sudo apt-get install -y redis-server   (Debian/Ubuntu)",
    "darwin": "brew install redis   (macOS)",
}


def install_hint(platform: str = sys.platform) -> str:
    """The command that installs ``redis-server`` here, or both when the platform is another."""
    if platform in INSTALL_HINTS:
        return INSTALL_HINTS[platform]
    return " or ".join(INSTALL_HINTS.values())


def redis_binary(path: str | None = None) -> str:
    """``redis-server`` from PATH, or an error that says how to install it."""
    found = shutil.which("redis-server", path=path)
    if found is None:
        raise LauncherError(
            "redis-server is not on PATH. Install it with:\n"
            f"    {install_hint()}\n"
            "or set REDIS_URL to use a Redis that is already running."
        )
    return found


@dataclass(frozen=True)
class RedisServer:
    """How the launcher runs Redis: loopback only, AOF persistence, no RDB snapshots."""

    port: int
    data_dir: Path
    host: str = INFRA_HOST

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def argv(self, binary: str) -> list[str]:
        """The command line; every setting is a flag, so no config file is written."""
        return [
            binary,
            "--port",
            str(self.port),
            "--bind",
            self.host,
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--daemonize",
            "no",
        ]

    def ping(self, timeout: float = 1.0) -> bool:
        """True when the server answers PING with PONG (not LOADING while it replays the AOF)."""
        try:
            with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def wait_ready(self, alive: Callable[[], bool], timeout: float = 30.0) -> None:
        """Block until PING answers, or raise when the process died or the time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ping():
                return
            if not alive():
                raise LauncherError(f"redis-server on port {self.port} exited during startup")
            time.sleep(0.05)
        raise LauncherError(
            f"redis-server on port {self.port} did not answer PING in {timeout:.0f}s"
        )
