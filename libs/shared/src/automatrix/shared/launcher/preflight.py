"""Checks before anything starts: every port free, no other launcher on the same state."""

from __future__ import annotations

import socket
from collections.abc import Sequence

from automatrix.shared.launcher.config import (
    GATEWAY,
    INFRA_HOST,
    LauncherError,
    LaunchPlan,
    port_variable,
)
from automatrix.shared.launcher.redis_server import redis_binary
from automatrix.shared.launcher.runfile import process_alive, read_record
from automatrix.shared.natsserver import NatsServerError, server_binary

_EXTERNAL_HINTS = {
    "AUTOMATRIX_NATS_PORT": " (or NATS_URL to use a nats-server that is already running)",
    "AUTOMATRIX_REDIS_PORT": " (or REDIS_URL to use a Redis that is already running)",
}


def preflight(plan: LaunchPlan) -> None:
    """Refuse to start what cannot work, before anything is started."""
    plan.state_dir.mkdir(parents=True, exist_ok=True)
    try:
        record = read_record(plan.state_dir)
    except ValueError:
        record = None
    if record is not None and process_alive(record.launcher_pid):
        raise LauncherError(
            f"another automatrix (pid {record.launcher_pid}) is running with state directory "
            f"{plan.state_dir}; stop it first or use another --state-dir"
        )
    problems = port_conflicts(plan)
    if problems and record is not None:
        leftovers = [
            f"{name} (pid {pid})" for name, pid in record.pids().items() if process_alive(pid)
        ]
        if leftovers:
            problems.append(
                f"the last automatrix (pid {record.launcher_pid}) did not shut down cleanly and "
                f"these processes it started may still run: {', '.join(leftovers)}"
            )
    if problems:
        raise LauncherError("\n".join(problems))
    if plan.embedded_redis:
        redis_binary()
    if plan.embedded_nats:
        try:
            server_binary()
        except NatsServerError as exc:
            raise LauncherError(str(exc)) from None


def port_conflicts(plan: LaunchPlan) -> list[str]:
    """One line per port the plan needs that something else already holds."""
    wanted: list[tuple[str, int, str]] = []
    if plan.nats_port is not None and plan.nats_monitor_port is not None:
        wanted.append(("AUTOMATRIX_NATS_PORT", plan.nats_port, INFRA_HOST))
        wanted.append(("AUTOMATRIX_NATS_MONITOR_PORT", plan.nats_monitor_port, INFRA_HOST))
    if plan.redis_port is not None:
        wanted.append(("AUTOMATRIX_REDIS_PORT", plan.redis_port, INFRA_HOST))
    for service in plan.services:
        variable = "--port" if service.name == GATEWAY else port_variable(service.name)
        wanted.append((variable, service.port, service.host))
    problems = [
        f"port {port} is used twice; give {variable} another value"
        for variable, port in duplicate_ports(wanted)
    ]
    problems += [
        f"port {port} ({variable}) is already in use; set {variable} to a free port"
        + _EXTERNAL_HINTS.get(variable, "")
        for variable, port, host in wanted
        if not port_is_free(host, port)
    ]
    return problems


def duplicate_ports(wanted: Sequence[tuple[str, int, str]]) -> list[tuple[str, int]]:
    """The second and later claimants of a port already claimed in ``wanted``."""
    seen: set[int] = set()
    duplicates = []
    for variable, port, _ in wanted:
        if port in seen:
            duplicates.append((variable, port))
        seen.add(port)
    return duplicates


def port_is_free(host: str, port: int) -> bool:
    """True when a listener could bind ``host:port`` right now."""
    bind_host = host.strip("[]") or "0.0.0.0"
    family = socket.AF_INET6 if ":" in bind_host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((bind_host, port))
        except OSError:
            return False
    return True
