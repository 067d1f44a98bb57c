"""The ``automatrix`` launcher: pure resolution and formatting, then the real command."""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nats
import pytest

from automatrix.shared.launcher.cli import main as cli_main
from automatrix.shared.launcher.config import (
    SERVICES,
    LauncherError,
    build_plan,
    module_variable,
    port_variable,
    service_env,
    service_ports,
)
from automatrix.shared.launcher.output import LinePrinter, prefix
from automatrix.shared.launcher.readiness import (
    State,
    all_ready,
    format_table,
    parse_readyz,
    waiting_line,
)
from automatrix.shared.launcher.redis_server import install_hint, redis_binary
from automatrix.shared.launcher.runfile import read_record, record_for, write_record
from automatrix.shared.launcher.up import embedded_nats
from automatrix.shared.natsserver import free_port

STARTED = re.compile(r"started (\w+) \(pid (\d+)\)")

# A child that never serves /readyz and has a child of its own (and, when asked, ignores
# SIGTERM): what the launcher must still stop completely. It stands in for a hung service.
HUNG_SERVICE = """\
import os, signal, subprocess, sys, threading
if os.environ.get("HUNG_IGNORES_SIGTERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(f"grandchild pid {grandchild.pid}", flush=True)
threading.Event().wait()
"""


def hung_service_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Launcher environment whose inference module is ``HUNG_SERVICE``."""
    (tmp_path / "hung_service.py").write_text(HUNG_SERVICE)
    pythonpath = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    return launcher_env(
        tmp_path / "state",
        PYTHONPATH=pythonpath,
        **{module_variable("inference"): "hung_service"},
        **extra,
    )


def service_modules_missing() -> str | None:
    """Why ``up`` cannot run the whole platform here: a service module it would start is absent."""
    for name in SERVICES:
        module = os.environ.get(module_variable(name)) or f"automatrix.{name}"
        try:
            spec = importlib.util.find_spec(module)
            runnable = spec is not None and (
                spec.submodule_search_locations is None
                or importlib.util.find_spec(f"{module}.__main__") is not None
            )
        except ImportError:
            runnable = False
        if not runnable:
            return f"`python -m {module}` is not available yet (no {module}.__main__)"
    return None


def launcher_command() -> list[str]:
    """The installed console script when there is one, else the same entry point by module."""
    script = Path(sys.executable).parent / "automatrix"
    return (
        [str(script)] if script.exists() else [sys.executable, "-m", "automatrix.shared.launcher"]
    )


def distinct_free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def launcher_env(state: Path, **extra: str) -> dict[str, str]:
    """This environment without NATS/Redis/launcher settings, plus free ports for everything."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NATS_URL", "REDIS_URL")
        and (not key.startswith("AUTOMATRIX_") or key.startswith("AUTOMATRIX_SERVICE_MODULE_"))
    }
    nats_port, monitor_port, redis_port, *service_ports_ = distinct_free_ports(3 + len(SERVICES))
    env.update(
        AUTOMATRIX_STATE_DIR=str(state),
        AUTOMATRIX_NATS_PORT=str(nats_port),
        AUTOMATRIX_NATS_MONITOR_PORT=str(monitor_port),
        AUTOMATRIX_REDIS_PORT=str(redis_port),
        NO_COLOR="1",
    )
    env.update(
        {
            port_variable(name): str(port)
            for name, port in zip(SERVICES, service_ports_, strict=True)
        }
    )
    env.update(extra)
    return env


class LauncherProcess:
    """``automatrix up`` as a subprocess whose output lines can be waited for."""

    def __init__(self, args: list[str], env: Mapping[str, str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.process = subprocess.Popen(
            [*launcher_command(), *args],
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float) -> None:
        """Block until a line contains ``text``; fail with the output if the launcher exits."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not any(text in line for line in self.lines):
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    pytest.fail(f"no line with {text!r} in {timeout}s:\n{self.output}")
                self._changed.wait(min(left, 0.5))

    def finish(self, timeout: float) -> int:
        code = self.process.wait(timeout)
        self._reader.join(5)
        return code

    def started_pids(self) -> dict[str, int]:
        return {m[1]: int(m[2]) for line in self.lines if (m := STARTED.search(line))}

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextmanager
def launched(args: list[str], env: Mapping[str, str]) -> Iterator[LauncherProcess]:
    run = LauncherProcess(args, env)
    try:
        yield run
    finally:
        run.kill()


def live_group_members(pgids: Iterable[int]) -> list[int]:
    """Processes (zombies excluded) still in any of the process groups ``pgids``."""
    wanted = set(pgids)
    proc = Path("/proc")
    if not proc.exists():
        alive = []
        for pgid in wanted:
            try:
                os.killpg(pgid, 0)
                alive.append(pgid)
            except ProcessLookupError:
                pass
        return alive
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) in wanted and state != "Z":
            members.append(int(entry.name))
    return members


def pid_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# --- resolution and formatting, no processes --------------------------------------------------


def test_ports_default_then_environment_then_flag() -> None:
    assert service_ports({}) == {
        "orchestrator": 8000,
        "relaycore": 8101,
        "neuroweaver": 8102,
        "inference": 8103,
    }
    env = {"AUTOMATRIX_ORCHESTRATOR_PORT": "9000", "AUTOMATRIX_INFERENCE_PORT": "9103"}
    assert service_ports(env)["orchestrator"] == 9000
    assert service_ports(env)["inference"] == 9103
    assert service_ports(env, gateway_port=9999)["orchestrator"] == 9999


def test_a_bad_port_names_the_variable_to_fix() -> None:
    with pytest.raises(LauncherError, match="AUTOMATRIX_RELAYCORE_PORT"):
        service_ports({"AUTOMATRIX_RELAYCORE_PORT": "eighty"})
    with pytest.raises(LauncherError, match="AUTOMATRIX_REDIS_PORT=70000"):
        build_plan({"AUTOMATRIX_REDIS_PORT": "70000"})


def test_embedded_infrastructure_unless_urls_are_given(tmp_path: Path) -> None:
    plan = build_plan({"AUTOMATRIX_STATE_DIR": str(tmp_path)})
    assert plan.state_dir == tmp_path.resolve()
    assert (plan.nats_url, plan.redis_url) == ("nats://127.0.0.1:4322", "redis://127.0.0.1:6380/0")
    assert plan.embedded_nats
    assert plan.embedded_redis
    assert plan.nats_sync_interval == "2m"

    external = build_plan({"NATS_URL": "nats://elsewhere:4222", "REDIS_URL": "redis://r:6379/1"})
    assert not external.embedded_nats
    assert not external.embedded_redis
    assert external.nats_url == "nats://elsewhere:4222"
    assert external.redis_url == "redis://r:6379/1"


def test_sync_interval_accepts_always_and_durations_only() -> None:
    assert build_plan({"AUTOMATRIX_NATS_SYNC_INTERVAL": "always"}).nats_sync_interval == "always"
    assert build_plan({"AUTOMATRIX_NATS_SYNC_INTERVAL": "1m30s"}).nats_sync_interval == "1m30s"
    with pytest.raises(LauncherError, match="AUTOMATRIX_NATS_SYNC_INTERVAL"):
        build_plan({"AUTOMATRIX_NATS_SYNC_INTERVAL": "sometimes"})


def test_services_subset_keeps_start_order_and_rejects_unknown_names() -> None:
    plan = build_plan({}, services="inference, orchestrator")
    assert [s.name for s in plan.services] == ["orchestrator", "inference"]
    with pytest.raises(LauncherError, match="unknown service"):
        build_plan({}, services="orchestrator,gateway")


def test_service_environment(tmp_path: Path) -> None:
    env = {
        "AUTOMATRIX_STATE_DIR": str(tmp_path),
        "KEEP_ME": "1",
        module_variable("relaycore"): "my.relaycore",
    }
    plan = build_plan(env, host="0.0.0.0", gateway_port=8500)
    by_name = {s.name: s for s in plan.services}
    assert by_name["relaycore"].module == "my.relaycore"
    assert by_name["inference"].module == "automatrix.inference"
    assert by_name["orchestrator"].url == "http://127.0.0.1:8500"

    child = service_env(plan, by_name["orchestrator"])
    assert child["KEEP_ME"] == "1"
    assert child["SERVICE_NAME"] == "orchestrator"
    assert (child["HTTP_HOST"], child["HTTP_PORT"]) == ("0.0.0.0", "8500")
    assert child["NATS_URL"] == plan.nats_url
    assert child["REDIS_URL"] == plan.redis_url
    assert child["STATE_DIR"] == str(tmp_path.resolve() / "orchestrator")
    assert child["OTEL_SERVICE_NAME"] == "automatrix-orchestrator"

    preset = build_plan({**env, "OTEL_SERVICE_NAME": "mine"})
    assert service_env(preset, preset.services[0])["OTEL_SERVICE_NAME"] == "mine"


def test_readyz_replies_are_interpreted() -> None:
    url = "http://127.0.0.1:1"
    ready = parse_readyz(
        "relaycore", url, 200, b'{"ready": true, "checks": {"nats": {"ok": true}}}'
    )
    assert ready.state is State.READY
    assert ready.failing() == []

    body = json.dumps(
        {
            "ready": False,
            "checks": {"nats": {"ok": False, "detail": "no route"}, "redis": {"ok": True}},
        }
    ).encode()
    not_ready = parse_readyz("relaycore", url, 503, body)
    assert not_ready.state is State.NOT_READY
    assert not_ready.failing() == [("nats", "no route")]

    assert parse_readyz("x", url, 404, b"Not Found").failing() == [("error", "HTTP 404: Not Found")]
    assert parse_readyz("x", url, 503, b'{"ready": true}').state is State.NOT_READY
    assert all_ready([ready])
    assert not all_ready([ready, not_ready])
    assert not all_ready([])


def test_status_table_lists_failing_checks_under_their_service() -> None:
    statuses = [
        parse_readyz(
            "orchestrator", "http://127.0.0.1:8000", 200, b'{"ready": true, "checks": {}}'
        ),
        parse_readyz(
            "relaycore",
            "http://127.0.0.1:8101",
            503,
            b'{"ready": false, "checks": {"nats": {"ok": false, "detail": "connecting"}}}',
        ),
    ]
    assert format_table(statuses) == (
        "SERVICE       URL                    STATE\n"
        "orchestrator  http://127.0.0.1:8000  ready\n"
        "relaycore     http://127.0.0.1:8101  not ready\n"
        "    - nats: connecting"
    )
    assert "\x1b[33mnot ready\x1b[0m" in format_table(statuses, colour=True)
    assert waiting_line(statuses) == "waiting for relaycore (not ready: nats: connecting)"


def test_output_lines_carry_a_fixed_width_name() -> None:
    assert prefix("nats", colour=False) == "nats         | "
    assert prefix("orchestrator", colour=False) == "orchestrator | "
    assert prefix("redis", colour=True).startswith("\x1b[31mredis")
    stream = io.StringIO()
    LinePrinter(stream, colour=False).line("redis", "Ready to accept connections\r\n")
    assert stream.getvalue() == "redis        | Ready to accept connections\n"


def test_missing_redis_server_names_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(LauncherError) as caught:
        redis_binary(path=str(tmp_path))
    assert install_hint() in str(caught.value)
    assert install_hint("linux").startswith("sudo apt-get install -y redis-server")
    assert install_hint("darwin").startswith("brew install redis")


# --- real processes ------------------------------------------------------------------------------


def test_embedded_nats_applies_the_sync_interval(tmp_path: Path) -> None:
    env = {"AUTOMATRIX_NATS_SYNC_INTERVAL": "2m", "AUTOMATRIX_STATE_DIR": str(tmp_path)}
    plan = build_plan(env)
    port, monitor = distinct_free_ports(2)
    with embedded_nats(plan, tmp_path / "nats", port, monitor) as server:
        with urllib.request.urlopen(f"http://127.0.0.1:{monitor}/varz", timeout=5) as reply:
            config = json.load(reply)["jetstream"]["config"]
        assert server.url == f"nats://127.0.0.1:{port}"
    assert config["sync_interval"] == 120 * 10**9  # nanoseconds


def test_status_reports_checks_and_unreachable_services(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    class ReadyzHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = {"ready": False, "checks": {"nats": {"ok": False, "detail": "no servers"}}}
            data = json.dumps(body).encode()
            self.send_response(503 if self.path == "/readyz" else 404)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), ReadyzHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = launcher_env(tmp_path)
        env[port_variable("relaycore")] = str(server.server_address[1])
        plan = build_plan(env, services="orchestrator,relaycore")
        write_record(plan.state_dir, record_for(plan, {}))
        assert read_record(plan.state_dir) is not None

        assert cli_main(["status", "--json"], env) == 1
        report = json.loads(capsys.readouterr().out)
        states = {s["service"]: s for s in report["services"]}
        assert not report["ready"]
        assert states["orchestrator"]["state"] == "unreachable"
        assert states["relaycore"]["state"] == "not ready"
        assert states["relaycore"]["checks"]["nats"] == {"ok": False, "detail": "no servers"}

        assert cli_main(["status"], env) == 1
        table = capsys.readouterr().out
        assert re.search(
            r"relaycore\s+http://127\.0\.0\.1:\d+\s+not ready\n    - nats: no servers", table
        )
    finally:
        server.shutdown()
        server.server_close()


def test_up_refuses_a_busy_nats_port_by_naming_the_variable(tmp_path: Path) -> None:
    env = launcher_env(tmp_path / "state")
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as occupant:
        env["AUTOMATRIX_NATS_PORT"] = str(occupant.server_address[1])
        done = subprocess.run(
            [*launcher_command(), "up"], env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 1
    assert "set AUTOMATRIX_NATS_PORT to a free port" in done.stderr
    assert "started" not in done.stdout


def test_up_without_redis_server_says_how_to_install_it(tmp_path: Path) -> None:
    env = launcher_env(tmp_path / "state", PATH=str(tmp_path))
    done = subprocess.run(
        [*launcher_command(), "up"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert install_hint() in done.stderr


def test_a_crashing_service_stops_everything_with_a_nonzero_exit(tmp_path: Path) -> None:
    env = launcher_env(
        tmp_path / "state", **{module_variable("relaycore"): "automatrix_no_such_module"}
    )
    with launched(["up", "--services", "relaycore"], env) as run:
        assert run.finish(timeout=60) == 1
    assert re.search(r"relaycore exited unexpectedly \(exit code 1\)", run.output), run.output
    assert "No module named automatrix_no_such_module" in run.output
    pids = run.started_pids()
    assert set(pids) == {"nats", "redis", "relaycore"}
    assert live_group_members(list(pids.values())) == []
    assert not (tmp_path / "state" / "automatrix.json").exists()


def test_a_service_never_ready_fails_the_start_after_the_timeout(tmp_path: Path) -> None:
    env = hung_service_env(tmp_path)
    with launched(["up", "--services", "inference", "--ready-timeout", "2"], env) as run:
        assert run.finish(timeout=60) == 1
    assert "not ready after 2s: giving up" in run.output
    assert re.search(r"inference\s+http://127\.0\.0\.1:\d+\s+unreachable", run.output), run.output
    grandchild = int(re.findall(r"grandchild pid (\d+)", run.output)[0])
    assert live_group_members(list(run.started_pids().values())) == []
    assert not pid_alive(grandchild)


def test_sigterm_stops_a_hung_service_and_its_children(tmp_path: Path) -> None:
    env = hung_service_env(tmp_path, HUNG_IGNORES_SIGTERM="1")
    with launched(["up", "--services", "inference", "--ready-timeout", "300"], env) as run:
        run.wait_for("waiting for inference (unreachable", timeout=60)
        record = read_record(tmp_path / "state")
        assert record is not None
        assert set(record.pids()) == {"nats", "redis", "inference"}
        grandchild = int(re.findall(r"grandchild pid (\d+)", run.output)[0])
        run.process.send_signal(signal.SIGTERM)
        assert run.finish(timeout=30) == 0
    assert "inference did not stop within 10s; killing it" in run.output
    assert live_group_members(list(record.pids().values())) == []
    assert not pid_alive(grandchild)
    assert not (tmp_path / "state" / "automatrix.json").exists()


async def _jetstream_answers(url: str) -> int:
    client = await nats.connect(url, connect_timeout=5, max_reconnect_attempts=0)
    try:
        info = await client.jetstream().account_info()
        return int(info.streams)
    finally:
        await client.close()


@pytest.mark.skipif(service_modules_missing() is not None, reason=str(service_modules_missing()))
def test_up_runs_the_platform_until_sigint(tmp_path: Path) -> None:
    env = launcher_env(tmp_path / "state")
    gateway = free_port()
    with launched(["up", "--port", str(gateway), "--ready-timeout", "240"], env) as run:
        run.wait_for(f"AutoMatrix is up: http://127.0.0.1:{gateway}", timeout=270)

        status = subprocess.run(
            [*launcher_command(), "status", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert status.returncode == 0, status.stdout + status.stderr
        report = json.loads(status.stdout)
        assert report["ready"] is True
        assert {s["service"]: s["state"] for s in report["services"]} == dict.fromkeys(
            SERVICES, "ready"
        )

        record = read_record(tmp_path / "state")
        assert record is not None
        assert record.gateway == f"http://127.0.0.1:{gateway}"
        assert set(record.pids()) == {"nats", "redis", *SERVICES}
        assert asyncio.run(_jetstream_answers(record.nats.url)) >= 0

        run.process.send_signal(signal.SIGINT)
        assert run.finish(timeout=20) == 0, run.output
    assert live_group_members(list(record.pids().values())) == []
    assert not (tmp_path / "state" / "automatrix.json").exists()
