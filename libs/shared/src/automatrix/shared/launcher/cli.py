"""The ``automatrix`` command: ``up``, ``status``, ``keys`` and ``train``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from automatrix.shared.launcher.config import LauncherError, build_plan, state_dir
from automatrix.shared.launcher.keys_cli import add_keys_parser, run_keys
from automatrix.shared.launcher.output import LinePrinter
from automatrix.shared.launcher.readiness import all_ready, format_table, probe_all, report
from automatrix.shared.launcher.runfile import RunRecord, default_record, process_alive, read_record
from automatrix.shared.launcher.train_cli import add_train_parser, run_train
from automatrix.shared.launcher.up import Launcher

ENVIRONMENT_HELP = """\
environment:
  AUTOMATRIX_STATE_DIR            state directory (default ./.state)
  NATS_URL / REDIS_URL            use these servers instead of starting embedded ones
  AUTOMATRIX_NATS_PORT            embedded nats-server client port (default 4322)
  AUTOMATRIX_NATS_MONITOR_PORT    embedded nats-server monitoring port (default 8322)
  AUTOMATRIX_NATS_SYNC_INTERVAL   JetStream fsync interval: 2m (default) or "always"
  AUTOMATRIX_REDIS_PORT           local redis-server port (default 6380)
  AUTOMATRIX_<SERVICE>_PORT       a service's HTTP port (relaycore 8101, neuroweaver 8102,
                                  inference 8103; the orchestrator takes --port)
  AUTOMATRIX_SERVICE_MODULE_<SERVICE>  run another module than automatrix.<service>
  AUTOMATRIX_READY_TIMEOUT        seconds to wait for every /readyz (default 120)
  AUTOMATRIX_MASTER_KEY           the gateway's admin key (default: made once, kept in
                                  <state dir>/master.key)
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``automatrix``."""
    parser = argparse.ArgumentParser(
        prog="automatrix",
        description="Run and inspect the AutoMatrix platform on this machine.",
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = commands.add_parser(
        "up",
        help="start NATS, Redis and the services; Ctrl-C stops them",
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    up.add_argument(
        "--state-dir", help="where data lives (default $AUTOMATRIX_STATE_DIR or ./.state)"
    )
    up.add_argument("--host", default="127.0.0.1", help="interface the services listen on")
    up.add_argument("--port", type=int, help="the gateway (orchestrator) port (default 8000)")
    up.add_argument(
        "--services",
        help="comma-separated subset: orchestrator,relaycore,neuroweaver,inference (default all)",
    )
    up.add_argument(
        "--ready-timeout",
        type=float,
        help="seconds to wait for every service to be ready (default 120)",
    )

    status = commands.add_parser("status", help="show whether each service is ready")
    status.add_argument("--state-dir", help="the state directory of the running platform")
    status.add_argument("--json", action="store_true", help="print machine-readable JSON")

    add_keys_parser(commands)
    add_train_parser(commands)
    return parser


def run_up(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """``automatrix up``."""
    plan = build_plan(
        env,
        state_dir_flag=args.state_dir,
        host=args.host,
        gateway_port=args.port,
        services=args.services,
        ready_timeout_s=args.ready_timeout,
    )
    printer = LinePrinter(sys.stdout, colour=colour_wanted(env))
    return Launcher(plan, printer).run()


def run_status(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """``automatrix status``: 0 when every service is ready, else 1."""
    directory = state_dir(env, args.state_dir)
    try:
        record = read_record(directory)
    except ValueError as exc:
        raise LauncherError(str(exc)) from None
    recorded = record is not None
    if record is None:
        record = default_record(env, args.state_dir)
    statuses = probe_all({name: rec.url for name, rec in record.services.items()})
    if args.json:
        print(json.dumps(report(statuses, status_context(record, recorded)), indent=2))
    else:
        print(status_header(record, recorded))
        print(format_table(statuses, colour=colour_wanted(env)))
    return 0 if all_ready(statuses) else 1


def status_context(record: RunRecord, recorded: bool) -> dict[str, Any]:
    """What ``status --json`` reports beside the services."""
    return {
        "state_dir": record.state_dir,
        "recorded": recorded,
        "launcher_pid": record.launcher_pid if recorded else None,
        "launcher_running": recorded and process_alive(record.launcher_pid),
        "gateway": record.gateway,
        "nats": {"url": record.nats.url, "embedded": record.nats.embedded, "pid": record.nats.pid},
        "redis": {
            "url": record.redis.url,
            "embedded": record.redis.embedded,
            "pid": record.redis.pid,
        },
    }


def status_header(record: RunRecord, recorded: bool) -> str:
    """The lines above the status table: who started the platform and where NATS and Redis are."""
    if not recorded:
        first = f"no running platform recorded in {record.state_dir}; probing the default ports"
    elif process_alive(record.launcher_pid):
        first = f"AutoMatrix (launcher pid {record.launcher_pid}), state in {record.state_dir}"
    else:
        first = (
            f"stale record: launcher pid {record.launcher_pid} is not running "
            f"({record.state_dir}/automatrix.json)"
        )
    lines = [first, f"gateway: {record.gateway or '(orchestrator not started)'}"]
    for name, infra in (("nats", record.nats), ("redis", record.redis)):
        origin = "embedded" if infra.embedded else "external"
        origin += f", pid {infra.pid}" if infra.pid else ""
        lines.append(f"{name}: {infra.url} ({origin})")
    return "\n".join(lines) + "\n"


def colour_wanted(env: Mapping[str, str]) -> bool:
    """Colour on a terminal, unless NO_COLOR is set."""
    return sys.stdout.isatty() and not env.get("NO_COLOR")


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Entry point of the ``automatrix`` console script."""
    args = build_parser().parse_args(argv)
    environment = dict(os.environ if env is None else env)
    commands = {"up": run_up, "status": run_status, "keys": run_keys, "train": run_train}
    try:
        return commands[args.command](args, environment)
    except LauncherError as exc:
        print(f"automatrix: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
