"""Where everything listens: ports, URLs and child environments, resolved without side effects."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

SERVICES: tuple[str, ...] = ("orchestrator", "relaycore", "neuroweaver", "inference")
GATEWAY = "orchestrator"
DEFAULT_SERVICE_PORTS: Mapping[str, int] = {
    "orchestrator": 8000,
    "relaycore": 8101,
    "neuroweaver": 8102,
    "inference": 8103,
}
DEFAULT_NATS_PORT = 4322
DEFAULT_NATS_MONITOR_PORT = 8322
DEFAULT_REDIS_PORT = 6380
DEFAULT_SYNC_INTERVAL = "2m"
DEFAULT_READY_TIMEOUT_S = 120.0
INFRA_HOST = "127.0.0.1"
STATE_FILE_NAME = "automatrix.json"
MASTER_KEY_VARIABLE = "AUTOMATRIX_MASTER_KEY"
MASTER_KEY_FILE_NAME = "master.key"

_GO_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")


class LauncherError(RuntimeError):
    """A problem the operator can fix; the message says how."""


@dataclass(frozen=True)
class ServicePlan:
    """One service child process: what runs and where it listens."""

    name: str
    module: str
    host: str
    port: int

    @property
    def url(self) -> str:
        """Where a client on this machine reaches it (loopback when bound to every interface)."""
        return f"http://{connect_host(self.host)}:{self.port}"


@dataclass(frozen=True)
class LaunchPlan:
    """Everything ``automatrix up`` will start, decided before anything starts."""

    state_dir: Path
    host: str
    services: tuple[ServicePlan, ...]
    nats_url: str
    nats_port: int | None
    nats_monitor_port: int | None
    nats_sync_interval: str
    redis_url: str
    redis_port: int | None
    ready_timeout_s: float
    inherited: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def embedded_nats(self) -> bool:
        return self.nats_port is not None

    @property
    def embedded_redis(self) -> bool:
        return self.redis_port is not None

    @property
    def gateway(self) -> ServicePlan | None:
        return next((s for s in self.services if s.name == GATEWAY), None)

    @property
    def state_file(self) -> Path:
        return self.state_dir / STATE_FILE_NAME

    @property
    def master_key_file(self) -> Path:
        """Where the development master key is kept when the environment sets none."""
        return self.state_dir / MASTER_KEY_FILE_NAME

    @property
    def env_master_key(self) -> str | None:
        """``AUTOMATRIX_MASTER_KEY`` from the launcher's environment, if set."""
        return self.inherited.get(MASTER_KEY_VARIABLE, "").strip() or None


def display_host(host: str) -> str:
    """The host as written in a URL (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def connect_host(host: str) -> str:
    """Where a local client connects to reach a server bound to ``host``."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host in ("::", "[::]"):
        return "[::1]"
    return display_host(host)


def port_variable(service: str) -> str:
    """The environment variable that moves one service's HTTP port."""
    return f"AUTOMATRIX_{service.upper()}_PORT"


def module_variable(service: str) -> str:
    """The environment variable that swaps the module a service runs."""
    return f"AUTOMATRIX_SERVICE_MODULE_{service.upper()}"


def parse_port(value: str, variable: str) -> int:
    """A TCP port from text, or an error naming the variable it came from."""
    try:
        port = int(value)
    except ValueError:
        raise LauncherError(f"{variable}={value!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise LauncherError(f"{variable}={port} is outside 1-65535")
    return port


def env_port(env: Mapping[str, str], variable: str, default: int) -> int:
    """The port from ``variable`` when it is set and non-empty, else ``default``."""
    value = env.get(variable, "").strip()
    return parse_port(value, variable) if value else default


def parse_services(text: str | None) -> tuple[str, ...]:
    """The ``--services`` list, in the platform's start order."""
    if not text:
        return SERVICES
    wanted = {name.strip() for name in text.split(",") if name.strip()}
    unknown = sorted(wanted - set(SERVICES))
    if unknown:
        raise LauncherError(
            f"unknown service(s) {', '.join(unknown)}; choose from {', '.join(SERVICES)}"
        )
    if not wanted:
        raise LauncherError("--services names no service")
    return tuple(name for name in SERVICES if name in wanted)


def service_ports(env: Mapping[str, str], gateway_port: int | None = None) -> dict[str, int]:
    """Each service's HTTP port: ``--port`` for the gateway, then ``AUTOMATRIX_<SERVICE>_PORT``."""
    ports = {
        name: env_port(env, port_variable(name), DEFAULT_SERVICE_PORTS[name]) for name in SERVICES
    }
    if gateway_port is not None:
        ports[GATEWAY] = parse_port(str(gateway_port), "--port")
    return ports


def sync_interval(env: Mapping[str, str]) -> str:
    """JetStream's fsync interval: ``always`` or a Go duration such as ``2m`` or ``500ms``."""
    value = env.get("AUTOMATRIX_NATS_SYNC_INTERVAL", "").strip() or DEFAULT_SYNC_INTERVAL
    if value != "always" and not _GO_DURATION.match(value):
        raise LauncherError(
            f"AUTOMATRIX_NATS_SYNC_INTERVAL={value!r}: "
            "use 'always' or a duration like 2m, 30s, 500ms"
        )
    return value


def state_dir(env: Mapping[str, str], flag: str | None) -> Path:
    """``--state-dir``, else ``AUTOMATRIX_STATE_DIR``, else ``./.state``, made absolute."""
    chosen = flag or env.get("AUTOMATRIX_STATE_DIR", "").strip() or ".state"
    return Path(chosen).expanduser().resolve()


def build_plan(
    env: Mapping[str, str],
    *,
    state_dir_flag: str | None = None,
    host: str = "127.0.0.1",
    gateway_port: int | None = None,
    services: str | None = None,
    ready_timeout_s: float | None = None,
) -> LaunchPlan:
    """Resolve every port, URL and module from flags and environment; starts nothing."""
    ports = service_ports(env, gateway_port)
    plans = tuple(
        ServicePlan(
            name=name,
            module=env.get(module_variable(name), "").strip() or f"automatrix.{name}",
            host=host,
            port=ports[name],
        )
        for name in parse_services(services)
    )
    external_nats = env.get("NATS_URL", "").strip()
    external_redis = env.get("REDIS_URL", "").strip()
    nats_port = None if external_nats else env_port(env, "AUTOMATRIX_NATS_PORT", DEFAULT_NATS_PORT)
    redis_port = (
        None if external_redis else env_port(env, "AUTOMATRIX_REDIS_PORT", DEFAULT_REDIS_PORT)
    )
    timeout_text = env.get("AUTOMATRIX_READY_TIMEOUT", "").strip()
    if ready_timeout_s is None:
        try:
            ready_timeout_s = float(timeout_text) if timeout_text else DEFAULT_READY_TIMEOUT_S
        except ValueError:
            raise LauncherError(
                f"AUTOMATRIX_READY_TIMEOUT={timeout_text!r} is not seconds"
            ) from None
    return LaunchPlan(
        state_dir=state_dir(env, state_dir_flag),
        host=host,
        services=plans,
        nats_url=external_nats or f"nats://{INFRA_HOST}:{nats_port}",
        nats_port=nats_port,
        nats_monitor_port=None
        if external_nats
        else env_port(env, "AUTOMATRIX_NATS_MONITOR_PORT", DEFAULT_NATS_MONITOR_PORT),
        nats_sync_interval=sync_interval(env),
        redis_url=external_redis or f"redis://{INFRA_HOST}:{redis_port}/0",
        redis_port=redis_port,
        ready_timeout_s=ready_timeout_s,
        inherited=dict(env),
    )


def service_env(
    plan: LaunchPlan, service: ServicePlan, master_key: str | None = None
) -> dict[str, str]:
    """The environment of one service: inherited, plus where it listens and what it talks to.

    Only the gateway is given the master key; the other services never check one.
    """
    env = dict(plan.inherited)
    env.pop(MASTER_KEY_VARIABLE, None)
    if service.name == GATEWAY and master_key:
        env[MASTER_KEY_VARIABLE] = master_key
    env.update(
        SERVICE_NAME=service.name,
        HTTP_HOST=service.host,
        HTTP_PORT=str(service.port),
        NATS_URL=plan.nats_url,
        REDIS_URL=plan.redis_url,
        STATE_DIR=str(plan.state_dir / service.name),
    )
    env.setdefault("OTEL_SERVICE_NAME", f"automatrix-{service.name}")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def service_argv(service: ServicePlan) -> list[str]:
    """The command line of one service child."""
    return [sys.executable, "-m", service.module]
