"""AutoMatrix against LiteLLM Proxy, side by side: what each gateway adds over its upstream.

The bench starts one OpenAI-compatible echo upstream per ``--delays`` value (``bench/upstream
.py``, a fixed delay before each answer), LiteLLM Proxy 1.106.2 from its own hash-verified
venv (``bench/litellm-proxy/install``, run on first use; ``--litellm-workers`` uvicorn
workers, no database, offline cost map) and the whole AutoMatrix platform (``automatrix up``:
orchestrator, relaycore, inference and neuroweaver, NATS and Redis) with one litellm
deployment per upstream. Both gateways serve the same model names, with their response caches
off, so every request reaches the upstream; AutoMatrix's goes gateway -> relaycore ->
inference -> upstream and back over the bus. Everything shares the machine's cores.

One load generator (aiohttp, keep-alive connections, distinct prompts) drives three targets
in turn, rotating the order every round, so drift on a shared machine falls on all three:
``direct`` (the upstream itself), ``automatrix`` and ``litellm``. For each delay:

- **saturation**: ``--clients`` closed-loop clients for ``--sat-seconds``, ``--rounds``
  times each: requests answered per second, errors, and each gateway's CPU time per request
  (all its processes, from ``/proc``);
- **fixed rates**: open loop at each of ``--rates`` requests/s (default: 20, 40, 60 and 80%
  of the lower gateway's saturation throughput) for ``--seconds``, ``--rounds`` times each;
  latency counts from when the schedule said to send (no coordinated omission).

Overhead = a gateway's latency percentile minus the direct one's at the same rate and delay.
The headline compares, at the first delay and the lowest rate, AutoMatrix over LiteLLM
Proxy: p50 and p99 overhead ratios (goal: p99 at most 0.5) and the saturation throughput ratio
(goal: at least 2). A human summary, a plot (``--plot``), then one JSON line last:
{"p50_overhead_ratio":…, "p99_overhead_ratio":…, "throughput_ratio":…, …raw figures}.

    .venv/bin/python bench/vs_litellm.py                   # about 12 minutes
    .venv/bin/python bench/vs_litellm.py --rates 10,20,40 --delays 0 --rounds 2
    .venv/bin/python bench/vs_litellm.py --no-litellm ...  # AutoMatrix and direct only
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: find bench/
from bench.gateways import (
    PROXY_DIR,
    Server,
    automatrix,
    exit_on_sigterm,
    litellm_proxy,
    model_name,
    upstreams,
)
from bench.loadgen import Client, Target, Window, chat_bodies
from bench.procs import children_of, cpu_seconds, load_average, rss_bytes, tree
from bench.vs_litellm_plot import plot

GATEWAYS = ("automatrix", "litellm")
DIRECT = "direct"
GOAL_P99_RATIO = 0.5
GOAL_THROUGHPUT_RATIO = 2.0
AUTO_FRACTIONS = (0.2, 0.4, 0.6, 0.8)
SAT = "sat"


def rotations(names: list[str], rounds: int) -> Iterator[list[str]]:
    """``names`` in a new order each round, so none is always first or always last."""
    for index in range(rounds):
        shift = index % len(names)
        yield names[shift:] + names[:shift]


def gateway_pids(server: Server) -> list[int]:
    """Every process of a gateway now (the launcher's or the proxy's whole tree)."""
    root = server.pids.get("launcher") or next(iter(server.pids.values()))
    return tree(root, children_of())


def process_groups(server: Server) -> dict[str, list[int]]:
    """A gateway's processes by role (each service, NATS, Redis with their children; the
    launcher alone), so CPU time can be told apart; LiteLLM Proxy is one group."""
    children = children_of()
    return {
        name: [pid] if name == "launcher" else tree(pid, children)
        for name, pid in server.pids.items()
    }


def auto_rates(saturation: dict[str, Window]) -> list[float]:
    """Rates below the lower gateway's saturation, so each window ends in time."""
    lowest = min(saturation[name].rps for name in saturation if name != DIRECT)
    return [max(1.0, float(f"{fraction * lowest:.2g}")) for fraction in AUTO_FRACTIONS]


class Run:
    """The targets, the client and everything measured."""

    def __init__(self, args: argparse.Namespace, servers: dict[str, Server]) -> None:
        self.args = args
        self.servers = servers
        self.client = Client(timeout_s=args.timeout)
        self.windows: dict[int, dict[str, dict[str, Window]]] = defaultdict(dict)
        self.cpu: dict[int, dict[str, tuple[dict[str, float], int]]] = defaultdict(dict)
        self.rates: dict[int, list[float]] = {}

    def target(self, name: str, delay: int, upstream: Server) -> Target:
        server = upstream if name == DIRECT else self.servers[name]
        return Target(f"{name}-{delay}", server.base_url, server.headers())

    async def delay(self, delay: int, upstream: Server) -> None:
        args = self.args
        bodies = chat_bodies(model_name(delay), 2048)
        names = [DIRECT, *self.servers]
        targets = {name: self.target(name, delay, upstream) for name in names}
        for name in names:  # warm-up: connections, lazy imports, caches
            await self.client.closed_loop(targets[name], bodies, 8, args.warmup, warmup_s=0)
        saturation: dict[str, Window] = {}
        for order in rotations(names, args.rounds):
            for name in order:
                groups = process_groups(self.servers[name]) if name != DIRECT else {}
                before = {group: cpu_seconds(pids) for group, pids in groups.items()}
                window = await self.client.closed_loop(
                    targets[name], bodies, args.clients, args.sat_seconds
                )
                used, sent = self.cpu[delay].get(name, ({}, 0))
                for group, pids in groups.items():
                    used[group] = used.get(group, 0.0) + cpu_seconds(pids) - before[group]
                self.cpu[delay][name] = (used, sent + window.sent)
                saturation.setdefault(name, Window(offered_rps=None)).merge(window)
                progress(f"{delay} ms", "saturation", name, window)
        self.windows[delay][SAT] = saturation
        rates = args.rates or auto_rates(saturation)
        self.rates[delay] = rates
        for rate in rates:
            found: dict[str, Window] = {}
            for order in rotations(names, args.rounds):
                for name in order:
                    window = await self.client.fixed_rate(targets[name], bodies, rate, args.seconds)
                    found.setdefault(name, Window(offered_rps=rate)).merge(window)
                    progress(f"{delay} ms", f"{rate:g}/s", name, window)
            self.windows[delay][f"{rate:g}"] = found

    async def all(self, ups: dict[int, Server]) -> None:
        try:
            for delay, upstream in ups.items():
                await self.delay(delay, upstream)
        finally:
            await self.client.close()


def progress(delay: str, phase: str, name: str, window: Window) -> None:
    s = window.summary()
    print(
        f"{delay:>6} {phase:>10} {name:>10}: p50 {s['p50_ms']:9.2f} ms  p99 {s['p99_ms']:9.2f}"
        f" ms  {s['rps']:8.1f}/s  errors {s['errors']}  load {load_average()[0]:.1f}",
        file=sys.stderr,
        flush=True,
    )


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 3)


def figures(run: Run, load_before: tuple[float, ...]) -> dict[str, Any]:
    """The headline ratios first, then every measured figure."""
    per_delay: dict[str, Any] = {}
    for delay, phases in run.windows.items():
        entry: dict[str, Any] = {}
        for phase, by_name in phases.items():
            direct = by_name[DIRECT].summary()
            row: dict[str, Any] = {DIRECT: direct}
            for name in run.servers:
                s = by_name[name].summary()
                if phase != SAT:
                    s["overhead_p50_ms"] = round(s["p50_ms"] - direct["p50_ms"], 3)
                    s["overhead_p99_ms"] = round(s["p99_ms"] - direct["p99_ms"], 3)
                else:
                    used, sent = run.cpu[delay][name]
                    per = {group: seconds * 1000 / max(1, sent) for group, seconds in used.items()}
                    s["cpu_ms_per_request"] = round(sum(per.values()), 2)
                    if len(per) > 1:
                        s["cpu_ms_by_process"] = {g: round(ms, 2) for g, ms in per.items()}
                row[name] = s
            entry["saturation" if phase == SAT else f"rate_{phase}"] = row
        entry["rates"] = run.rates[delay]
        per_delay[f"delay_{delay}ms"] = entry
    first = per_delay[f"delay_{next(iter(run.windows))}ms"]
    light = first[f"rate_{first['rates'][0]:g}"]
    sat = first["saturation"]

    def of(table: dict[str, Any], name: str, key: str) -> float | None:
        return table[name][key] if name in table else None

    out: dict[str, Any] = {
        "p50_overhead_ratio": ratio(
            of(light, "automatrix", "overhead_p50_ms"), of(light, "litellm", "overhead_p50_ms")
        ),
        "p99_overhead_ratio": ratio(
            of(light, "automatrix", "overhead_p99_ms"), of(light, "litellm", "overhead_p99_ms")
        ),
        "throughput_ratio": ratio(of(sat, "automatrix", "rps"), of(sat, "litellm", "rps")),
        "cpu_per_request_ratio": ratio(
            of(sat, "automatrix", "cpu_ms_per_request"), of(sat, "litellm", "cpu_ms_per_request")
        ),
    }
    for name in run.servers:
        out[f"{name}_overhead_p50_ms"] = of(light, name, "overhead_p50_ms")
        out[f"{name}_overhead_p99_ms"] = of(light, name, "overhead_p99_ms")
        out[f"{name}_sat_rps"] = of(sat, name, "rps")
        out[f"{name}_sat_errors"] = of(sat, name, "errors")
        out[f"{name}_cpu_ms_per_request"] = of(sat, name, "cpu_ms_per_request")
    out["direct_sat_rps"] = sat[DIRECT]["rps"]
    p99, throughput = out["p99_overhead_ratio"], out["throughput_ratio"]
    out["p99_goal_met"] = p99 is not None and p99 <= GOAL_P99_RATIO
    out["throughput_goal_met"] = throughput is not None and throughput >= GOAL_THROUGHPUT_RATIO
    out["headline"] = {"delay_ms": next(iter(run.windows)), "rate": first["rates"][0]}
    out.update(per_delay)
    out["rss_mib"] = {
        name: round(rss_bytes(gateway_pids(server)) / 2**20, 1)
        for name, server in run.servers.items()
    }
    out["machine"] = machine(load_before)
    out["settings"] = {
        key: getattr(run.args, key)
        for key in (
            "delays",
            "clients",
            "seconds",
            "sat_seconds",
            "rounds",
            "litellm_workers",
            "services",
            "automatrix_env",
        )
    }
    return out


def machine(load_before: tuple[float, ...]) -> dict[str, Any]:
    cpu = "?"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pin = re.search(r"^litellm==(\S+)", (PROXY_DIR / "requirements.txt").read_text(), re.M)
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "litellm_proxy": pin.group(1) if pin else None,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_average()],
    }


def summary(f: dict[str, Any], names: list[str]) -> str:
    lines = []
    for key, entry in f.items():
        if not key.startswith("delay_"):
            continue
        lines.append(f"upstream delay {key.removeprefix('delay_')}:")
        sat = entry["saturation"]
        lines.append(
            "  saturation: "
            + ", ".join(
                f"{n} {sat[n]['rps']:.1f}/s ({sat[n]['errors']} errors"
                + (f", {sat[n]['cpu_ms_per_request']:.1f} ms CPU/request)" if n != DIRECT else ")")
                for n in [DIRECT, *names]
            )
        )
        for name in names:
            if by_process := sat[name].get("cpu_ms_by_process"):
                parts = ", ".join(f"{group} {ms:.1f}" for group, ms in by_process.items())
                lines.append(f"  {name} CPU ms/request by process: {parts}")
        for rate in entry["rates"]:
            row = entry[f"rate_{rate:g}"]
            cells = [f"direct p50 {row[DIRECT]['p50_ms']:.2f} p99 {row[DIRECT]['p99_ms']:.2f}"]
            cells += [
                f"{n} +{row[n]['overhead_p50_ms']:.2f} / +{row[n]['overhead_p99_ms']:.2f}"
                f" ({row[n]['errors']} err)"
                for n in names
            ]
            lines.append(f"  {rate:>7g}/s  " + "  |  ".join(cells) + "  ms")
    lines.append(
        f"AutoMatrix / LiteLLM Proxy: p50 overhead x{f['p50_overhead_ratio']}, p99 overhead "
        f"x{f['p99_overhead_ratio']} (goal <= {GOAL_P99_RATIO}: {f['p99_goal_met']}), "
        f"throughput x{f['throughput_ratio']} (goal >= {GOAL_THROUGHPUT_RATIO:g}: "
        f"{f['throughput_goal_met']}), CPU/request x{f['cpu_per_request_ratio']}"
    )
    m = f["machine"]
    lines.append(
        f"{m['cores']} cores ({m['cpu']}), load average {m['load_before']} -> {m['load_after']}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delays", default="0,50", help="upstream delays, ms (comma-separated)")
    parser.add_argument("--rates", default="", help="requests/s (default: from saturation)")
    parser.add_argument("--seconds", type=float, default=5.0, help="per fixed-rate window")
    parser.add_argument("--sat-seconds", type=float, default=5.0, help="per saturation window")
    parser.add_argument("--clients", type=int, default=32, help="closed-loop clients")
    parser.add_argument("--rounds", type=int, default=3, help="windows per target and phase")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds per target first")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--litellm-workers", type=int, default=2, help="LiteLLM Proxy workers")
    parser.add_argument("--no-litellm", action="store_true", help="AutoMatrix and direct only")
    parser.add_argument("--services", help="AutoMatrix services to start (default: all)")
    parser.add_argument(
        "--automatrix-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an extra variable for the platform's processes (repeatable), for experiments",
    )
    parser.add_argument("--plot", default="docs/img/vs_litellm.png", help="PNG ('' for none)")
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    args = parser.parse_args()
    try:
        args.delays = [int(x) for x in args.delays.split(",") if x.strip()]
        args.rates = [float(x) for x in args.rates.split(",") if x.strip()]
    except ValueError:
        parser.error("--delays and --rates are comma-separated numbers")
    if not args.delays or min(args.delays) < 0 or any(r <= 0 for r in args.rates):
        parser.error("--delays needs values >= 0 and --rates values > 0")
    if any("=" not in item for item in args.automatrix_env):
        parser.error("--automatrix-env takes NAME=VALUE")
    if min(args.seconds, args.sat_seconds, args.clients, args.rounds, args.warmup) <= 0:
        parser.error("--seconds, --sat-seconds, --clients, --rounds, --warmup must be positive")
    exit_on_sigterm()
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        ups = stack.enter_context(upstreams(workdir, args.delays))
        models = {model_name(delay): server.base_url for delay, server in ups.items()}
        servers: dict[str, Server] = {}
        if not args.no_litellm:
            servers["litellm"] = stack.enter_context(
                litellm_proxy(workdir, models, workers=args.litellm_workers)
            )
        servers["automatrix"] = stack.enter_context(
            automatrix(
                workdir,
                models,
                services=args.services,
                extra_env=dict(item.split("=", 1) for item in args.automatrix_env),
                ready_timeout_s=args.ready_timeout,
            )
        )
        servers = {name: servers[name] for name in GATEWAYS if name in servers}
        run = Run(args, servers)
        asyncio.run(run.all(ups))
        out = figures(run, load_before)
    if args.plot:
        plot(out, list(servers), Path(args.plot))
    print(summary(out, list(servers)))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
