"""``automatrix up``: NATS and Redis, then the four services, until Ctrl-C or a crash."""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from automatrix.shared.launcher.config import (
    MASTER_KEY_VARIABLE,
    LauncherError,
    LaunchPlan,
    service_argv,
    service_env,
)
from automatrix.shared.launcher.output import FileFollower, LinePrinter
from automatrix.shared.launcher.preflight import preflight
from automatrix.shared.launcher.readiness import (
    ServiceStatus,
    all_ready,
    format_table,
    probe_all,
    waiting_line,
)
from automatrix.shared.launcher.redis_server import RedisServer, redis_binary
from automatrix.shared.launcher.runfile import record_for, write_record
from automatrix.shared.launcher.supervisor import Child, Supervisor, describe_exit
from automatrix.shared.natsserver import NatsServer, NatsServerError

POLL_S = 0.2
WAITING_REPORT_EVERY_S = 5.0
INFRA_START_TIMEOUT_S = 30.0
REPEAT_SIGNAL_GRACE_S = 1.0


class _StopRequestedError(Exception):
    """A stop signal arrived while starting."""


def embedded_nats(plan: LaunchPlan, store: Path, port: int, monitor_port: int) -> NatsServer:
    """The launcher's nats-server: JetStream under ``store``, fsync as the plan says."""
    return NatsServer(
        store_dir=store, port=port, monitor_port=monitor_port, sync_interval=plan.nats_sync_interval
    )


MASTER_KEY_SHOWN_CHARS = 6
_EXAMPLE_CALL = (
    'client.chat.completions.create(model="auto", '
    'messages=[{"role": "user", "content": "Hello"}]).choices[0].message.content'
)


@dataclass(frozen=True)
class MasterKey:
    """The gateway's master key, and the file it is kept in (None: from the environment)."""

    value: str
    path: Path | None

    def banner(self, gateway_url: str) -> str:
        """What ``up`` prints once ready: the key (unless the operator's own) and how to use it."""
        base_url = f"{gateway_url}/v1"
        if self.path is None:
            shown = self.value[:MASTER_KEY_SHOWN_CHARS] + "..."
            lines = [
                f"master key (from {MASTER_KEY_VARIABLE}):  {shown}",
                "  import os",
                "  from openai import OpenAI",
                f'  client = OpenAI(base_url="{base_url}", '
                f'api_key=os.environ["{MASTER_KEY_VARIABLE}"])',
            ]
        else:
            lines = [
                f"development key (stored in {_shown_path(self.path)}):  {self.value}",
                "  from openai import OpenAI",
                f'  client = OpenAI(base_url="{base_url}", api_key="{self.value}")',
            ]
        return "\n".join([*lines, f"  print({_EXAMPLE_CALL})"])


def master_key(plan: LaunchPlan) -> MasterKey:
    """``AUTOMATRIX_MASTER_KEY``, else the key in ``<state>/master.key``, made (0600) if absent."""
    # Here rather than at the top: the keys module loads NATS and pydantic (about a second),
    # which `automatrix status` and `--help` (they import this module) should not pay.
    from automatrix.shared.keys import KEY_PREFIX, generate_key

    if (value := plan.env_master_key) is not None:
        if not value.startswith(KEY_PREFIX):
            raise LauncherError(f"{MASTER_KEY_VARIABLE} must start with {KEY_PREFIX!r}")
        return MasterKey(value, None)
    path = plan.master_key_file
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two launchers racing on one state directory must not make two keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text().strip()
        if not value.startswith(KEY_PREFIX):
            raise LauncherError(
                f"{path} does not hold a master key (one starting with {KEY_PREFIX!r}); "
                "delete it to have a new one made"
            ) from None
        return MasterKey(value, path)
    value = generate_key()
    with os.fdopen(fd, "w") as out:
        out.write(value + "\n")
    return MasterKey(value, path)


def _shown_path(path: Path) -> Path:
    """``path`` relative to the working directory when it is under it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


class Launcher:
    """Runs one platform from a resolved plan; ``run`` returns the process exit code."""

    def __init__(self, plan: LaunchPlan, printer: LinePrinter) -> None:
        self.plan = plan
        self.printer = printer
        self.supervisor = Supervisor(printer)
        self.nats: NatsServer | None = None
        self.redis: Child | None = None
        self.services: list[Child] = []
        self._nats_log: FileFollower | None = None
        self._stop = threading.Event()
        self._first_signal_at: float | None = None
        self._record_written = False
        self.master_key: MasterKey | None = None

    def run(self) -> int:
        """Start everything, wait for ready, then supervise; always shuts down what it started."""
        preflight(self.plan)
        if self.plan.gateway is not None:
            self.master_key = master_key(self.plan)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in _STOP_SIGNALS}
        try:
            self._start_infra()
            self._start_services()
            write_record(self.plan.state_dir, record_for(self.plan, self._pids()))
            self._record_written = True
            code = self._wait_ready()
            return self._supervise() if code is None else code
        except _StopRequestedError:
            return 0
        except LauncherError as exc:
            self.printer.say(f"error: {exc}")
            return 1
        finally:
            self.shutdown()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self._first_signal_at is None:
            self._first_signal_at = time.monotonic()
            self.printer.say(f"{name} received: shutting down (send it again to kill everything)")
            self._stop.set()
        elif time.monotonic() - self._first_signal_at > REPEAT_SIGNAL_GRACE_S:
            # Some tools deliver one stop to both the launcher and its process group at once;
            # only a signal sent again later means "do not wait any longer".
            self.printer.say(f"{name} again: killing everything now")
            self.supervisor.kill_all()
            if self.nats is not None:
                self.nats.kill()

    def _check_interrupted(self) -> None:
        if self._stop.is_set():
            raise _StopRequestedError

    def _start_infra(self) -> None:
        plan = self.plan
        if plan.nats_port is None or plan.nats_monitor_port is None:
            self.printer.say(f"using NATS at {plan.nats_url} (NATS_URL is set)")
        else:
            store = plan.state_dir / "nats"
            store.mkdir(parents=True, exist_ok=True)
            self.nats = embedded_nats(plan, store, plan.nats_port, plan.nats_monitor_port)
            self._nats_log = FileFollower(
                "nats", store / f"{self.nats.server_name}.log", self.printer
            )
            self.nats.start()
            self._nats_log.start()
            self.printer.say(f"started nats (pid {self._nats_pid()}): JetStream data in {store}")
            try:
                self.nats.wait_healthy(INFRA_START_TIMEOUT_S)
            except NatsServerError as exc:
                raise LauncherError(str(exc)) from None
        self._check_interrupted()
        if plan.redis_port is None:
            self.printer.say(f"using Redis at {plan.redis_url} (REDIS_URL is set)")
        else:
            server = RedisServer(port=plan.redis_port, data_dir=plan.state_dir / "redis")
            server.data_dir.mkdir(parents=True, exist_ok=True)
            redis = self.redis = self.supervisor.start(Child("redis", server.argv(redis_binary())))
            server.wait_ready(
                alive=lambda: redis.exit_code() is None, timeout=INFRA_START_TIMEOUT_S
            )
        self._check_interrupted()

    def _start_services(self) -> None:
        for service in self.plan.services:
            (self.plan.state_dir / service.name).mkdir(parents=True, exist_ok=True)
            key = self.master_key.value if self.master_key else None
            env = service_env(self.plan, service, master_key=key)
            child = Child(service.name, service_argv(service), env)
            self.services.append(self.supervisor.start(child))
        self._check_interrupted()

    def _wait_ready(self) -> int | None:
        """None once every service is ready; an exit code when it never gets there."""
        targets = {s.name: s.url for s in self.plan.services}
        deadline = time.monotonic() + self.plan.ready_timeout_s
        next_report = time.monotonic() + WAITING_REPORT_EVERY_S
        statuses: list[ServiceStatus] = []
        while True:
            if self._crashed():
                return 1
            statuses = probe_all(targets, timeout=1.0)
            if all_ready(statuses) or not targets:
                self._announce(statuses)
                return None
            now = time.monotonic()
            if now >= deadline:
                self.printer.raw(format_table(statuses, colour=self.printer.colour))
                self.printer.say(f"not ready after {self.plan.ready_timeout_s:.0f}s: giving up")
                return 1
            if now >= next_report:
                self.printer.say(waiting_line(statuses))
                next_report = now + WAITING_REPORT_EVERY_S
            if self._stop.wait(POLL_S):
                return 0

    def _announce(self, statuses: list[ServiceStatus]) -> None:
        gateway = self.plan.gateway
        where = gateway.url if gateway else "(no gateway: orchestrator not started)"
        self.printer.raw(f"AutoMatrix is up: {where}")
        self.printer.raw(format_table(statuses, colour=self.printer.colour))
        if gateway is not None and self.master_key is not None:
            self.printer.raw(self.master_key.banner(gateway.url))

    def _supervise(self) -> int:
        """Block until a stop signal (0) or a child's unexpected exit (1)."""
        while not self._stop.wait(POLL_S):
            if self._crashed():
                return 1
        return 0

    def _crashed(self) -> bool:
        """Report every child that exited on its own; True if any did."""
        exited = [(child.name, code) for child, code in self.supervisor.exited()]
        if self.nats is not None and self.nats.process is not None:
            code = self.nats.process.poll()
            if code is not None:
                exited.append(("nats", code))
        for name, code in exited:
            self.printer.say(f"{name} exited unexpectedly ({describe_exit(code)}); shutting down")
        return bool(exited)

    def _nats_pid(self) -> int | None:
        if self.nats is None or self.nats.process is None:
            return None
        return self.nats.process.pid

    def _pids(self) -> dict[str, int]:
        pids = {child.name: child.pid for child in self.supervisor.children}
        nats_pid = self._nats_pid()
        if nats_pid is not None:
            pids["nats"] = nats_pid
        return pids

    def shutdown(self) -> None:
        """Services first, then Redis, then NATS; the record goes last."""
        self._stop.set()
        self.supervisor.stop(self.services)
        if self.redis is not None:
            self.supervisor.stop([self.redis])
        if self.nats is not None and self.nats.process is not None:
            running = self.nats.process.poll() is None
            if running:
                self.printer.say(f"stopping nats (pid {self._nats_pid()})")
            self.nats.stop()
            if running:
                self.printer.say(f"nats stopped ({describe_exit(self.nats.process.returncode)})")
        if self._nats_log is not None:
            self._nats_log.stop()
        if self._record_written:
            self.plan.state_file.unlink(missing_ok=True)
        self.printer.say("AutoMatrix stopped")


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
