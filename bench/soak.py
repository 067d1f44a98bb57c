"""Soak: a steady rate through the whole platform for a long time; memory, errors and drift.

The bench starts an echo upstream (``bench/upstream.py``, ``--delay-ms``) and the platform
(``automatrix up``) with one litellm deployment on it, the response cache off, so every
request takes the full path: gateway -> relaycore -> inference -> upstream, and back over the
bus. It then sends ``--rate`` chat requests a second, open loop (on schedule, whatever is in
flight), for ``--minutes``, in windows of ``--interval`` seconds.

It reports the resident memory (RSS) of every process of the platform (each service, NATS,
Redis, and their children) when the platform is ready, after ``--warmup-minutes`` of load,
and at the end; the errors by cause; and latency per window, with the drift of p50 and p99
from the first ``--edge-minutes`` after the warm-up to the last. Goals (issue 9): RSS growth
under 10% from the end of the warm-up to the end, and no errors. One JSON line last.

    .venv/bin/python bench/soak.py                     # 30 minutes at 10 requests/s
    .venv/bin/python bench/soak.py --minutes 3 --warmup-minutes 1 --edge-minutes 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: find bench/
from bench.gateways import automatrix, exit_on_sigterm, model_name, upstreams
from bench.loadgen import Client, Target, Window, chat_bodies, percentile
from bench.procs import load_average, rss_by_process, rss_bytes

GOAL_RSS_GROWTH = 0.10
MIB = 1024 * 1024


@dataclass
class Soak:
    """Windows of load, and memory read between them."""

    rss_start: dict[str, int] = field(default_factory=dict)
    rss_warm: dict[str, int] = field(default_factory=dict)
    rss_end: dict[str, int] = field(default_factory=dict)
    windows: list[dict[str, Any]] = field(default_factory=list)
    warm: Window = field(default_factory=lambda: Window(offered_rps=None))
    measured: list[Window] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


def platform_rss(pids: dict[str, int]) -> dict[str, int]:
    """Each service, NATS and Redis with their children, and the launcher on its own."""
    roots = {name: pid for name, pid in pids.items() if name != "launcher"}
    rss = rss_by_process(roots)
    if "launcher" in pids:
        rss["launcher"] = rss_bytes([pids["launcher"]])
    return rss


async def soak(args: argparse.Namespace, target: Target, pids: dict[str, int]) -> Soak:
    result = Soak(rss_start=platform_rss(pids))
    bodies = chat_bodies(model_name(args.delay_ms), 4096)
    client = Client(timeout_s=args.timeout)
    started = time.monotonic()
    warm_until = started + args.warmup_minutes * 60
    end = started + args.minutes * 60
    try:
        while (now := time.monotonic()) < end - 1.0:  # no sliver of a window at the end
            seconds = min(args.interval, end - now)
            window = await client.fixed_rate(target, bodies, args.rate, seconds)
            warming = time.monotonic() <= warm_until + 1
            result.errors.update(window.errors)
            if warming:
                result.warm.merge(window)
                result.rss_warm = platform_rss(pids)
            else:
                result.measured.append(window)
            rss = platform_rss(pids)
            result.windows.append(
                {
                    "at_s": round(time.monotonic() - started, 1),
                    **window.summary(),
                    "warm_up": warming,
                    "rss_mib": round(sum(rss.values()) / MIB, 1),
                    "load_1m": round(load_average()[0], 2),
                }
            )
            row = result.windows[-1]
            print(
                f"{row['at_s']:7.1f} s  p50 {row['p50_ms']:8.2f} ms  p99 {row['p99_ms']:8.2f} ms"
                f"  {row['rps']:6.1f}/s  errors {row['errors']}  RSS {row['rss_mib']:.1f} MiB"
                f"  load {row['load_1m']}" + ("  (warm-up)" if warming else ""),
                file=sys.stderr,
                flush=True,
            )
    finally:
        await client.close()
    result.rss_end = platform_rss(pids)
    return result


def edge(windows: list[Window], seconds: float, *, last: bool) -> Window:
    """The windows within ``seconds`` of the start (or the end), merged."""
    merged, total = Window(offered_rps=None), 0.0
    for window in reversed(windows) if last else windows:
        if total >= seconds:
            break
        merged.merge(window)
        total += window.seconds
    return merged


def figures(args: argparse.Namespace, result: Soak) -> dict[str, Any]:
    if not result.measured:
        raise RuntimeError("no window after the warm-up: raise --minutes above --warmup-minutes")
    first = edge(result.measured, args.edge_minutes * 60, last=False)
    last = edge(result.measured, args.edge_minutes * 60, last=True)
    latencies = [ms for window in result.measured for ms in window.latencies_ms]
    warm = result.rss_warm or result.rss_start
    common = sorted(set(warm) & set(result.rss_end))
    warm_total = sum(warm[name] for name in common)
    end_total = sum(result.rss_end[name] for name in common)
    growth = {
        name: round(result.rss_end[name] / warm[name] - 1, 4) for name in common if warm[name]
    }
    requests = sum(w.ok + w.errors.total() for w in result.measured) + result.warm.ok
    requests += result.warm.errors.total()
    out: dict[str, Any] = {
        "rss_growth": round(end_total / warm_total - 1, 4) if warm_total else None,
        "errors": result.errors.total(),
        "p50_drift": drift(first, last, 0.5),
        "p99_drift": drift(first, last, 0.99),
        "p50_ms": round(percentile(latencies, 0.5), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "p50_first_ms": round(percentile(first.latencies_ms, 0.5), 3),
        "p50_last_ms": round(percentile(last.latencies_ms, 0.5), 3),
        "p99_first_ms": round(percentile(first.latencies_ms, 0.99), 3),
        "p99_last_ms": round(percentile(last.latencies_ms, 0.99), 3),
        "requests": requests,
        "errors_by_cause": dict(result.errors),
        "rss_start_mib": _mib(result.rss_start),
        "rss_warm_mib": _mib(warm),
        "rss_end_mib": _mib(result.rss_end),
        "rss_total_warm_mib": round(warm_total / MIB, 1),
        "rss_total_end_mib": round(end_total / MIB, 1),
        "rss_growth_by_process": growth,
        "rate": args.rate,
        "minutes": args.minutes,
        "warmup_minutes": args.warmup_minutes,
        "delay_ms": args.delay_ms,
        "load_average": [round(x, 2) for x in load_average()],
        "windows": result.windows,
    }
    out["goal_met"] = out["errors"] == 0 and (out["rss_growth"] or 0.0) < GOAL_RSS_GROWTH
    return out


def drift(first: Window, last: Window, q: float) -> float:
    """The ``q`` quantile at the end over the one at the start (1.0: no drift)."""
    return round(percentile(last.latencies_ms, q) / max(1e-9, percentile(first.latencies_ms, q)), 3)


def _mib(rss: dict[str, int]) -> dict[str, float]:
    return {name: round(value / MIB, 1) for name, value in sorted(rss.items())}


def summary(f: dict[str, Any]) -> str:
    lines = [
        f"{f['requests']} requests at {f['rate']:g}/s over {f['minutes']:g} min "
        f"({f['warmup_minutes']:g} min warm-up), {f['errors']} errors {f['errors_by_cause']}",
        f"latency p50 {f['p50_ms']:.2f} ms, p99 {f['p99_ms']:.2f} ms; drift first -> last: "
        f"p50 {f['p50_first_ms']:.2f} -> {f['p50_last_ms']:.2f} ms (x{f['p50_drift']}), "
        f"p99 {f['p99_first_ms']:.2f} -> {f['p99_last_ms']:.2f} ms (x{f['p99_drift']})",
        f"RSS after warm-up {f['rss_total_warm_mib']:.1f} MiB -> end {f['rss_total_end_mib']:.1f}"
        f" MiB: {f['rss_growth']:+.2%} (goal < {GOAL_RSS_GROWTH:.0%}); goal met: {f['goal_met']}",
    ]
    for name, start in f["rss_start_mib"].items():
        warm, end = f["rss_warm_mib"].get(name), f["rss_end_mib"].get(name)
        lines.append(f"  {name:32s} start {start:8.1f}  warm {warm!s:>8}  end {end!s:>8} MiB")
    return "\n".join(lines)


def plot(f: dict[str, Any], path: Path) -> None:
    """RSS and latency per window against time, with the machine's load average."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = f["windows"]
    minutes = [row["at_s"] / 60 for row in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    top.plot(minutes, [row["p50_ms"] for row in rows], "o-", label="p50, ms")
    top.plot(minutes, [row["p99_ms"] for row in rows], "s--", label="p99, ms")
    top.set_yscale("log")
    top.set_ylabel("latency per window, ms")
    load = top.twinx()
    load.plot(minutes, [row["load_1m"] for row in rows], color="#7f7f7f", alpha=0.6)
    load.set_ylabel("load average (1 min), grey")
    top.legend(loc="upper right", fontsize=8)
    bottom.plot(minutes, [row["rss_mib"] for row in rows], "o-", color="#2ca02c")
    bottom.axvline(f["warmup_minutes"], color="#7f7f7f", linestyle=":")
    bottom.set_ylabel("RSS of the platform, MiB")
    bottom.set_xlabel("minutes (dotted: end of the warm-up)")
    for ax in (top, bottom):
        ax.grid(True, alpha=0.3)
    fig.suptitle(
        f"soak: {f['rate']:g} requests/s for {f['minutes']:g} min, {f['errors']} errors, "
        f"RSS {f['rss_growth']:+.1%} after warm-up",
        fontsize=10,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the soak")
    parser.add_argument("--warmup-minutes", type=float, default=3.0, help="before the baseline")
    parser.add_argument("--edge-minutes", type=float, default=5.0, help="span compared for drift")
    parser.add_argument("--rate", type=float, default=10.0, help="requests per second")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds per window")
    parser.add_argument("--delay-ms", type=int, default=50, help="the upstream's fixed delay")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--services", help="only these services (default: all four)")
    parser.add_argument("--plot", help="write RSS and latency over time to this PNG")
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    args = parser.parse_args()
    if args.minutes <= args.warmup_minutes or min(args.rate, args.interval) <= 0:
        parser.error("--minutes must exceed --warmup-minutes; --rate and --interval positive")
    exit_on_sigterm()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with upstreams(workdir, [args.delay_ms]) as ups:
            models = {model_name(args.delay_ms): ups[args.delay_ms].base_url}
            with automatrix(
                workdir, models, services=args.services, ready_timeout_s=args.ready_timeout
            ) as platform:
                target = Target("automatrix", platform.base_url, platform.headers())
                result = asyncio.run(soak(args, target, platform.pids))
    out = figures(args, result)
    if args.plot:
        plot(out, Path(args.plot))
    print(summary(out))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
