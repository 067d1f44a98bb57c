"""The picture for docs/benchmarks.md: latency against request rate, per gateway and delay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: write the PNG only
import matplotlib.pyplot as plt

STYLE = {
    "direct": ("#7f7f7f", "direct to the upstream"),
    "automatrix": ("#1f77b4", "AutoMatrix (full path over the bus)"),
    "litellm": ("#d62728", "LiteLLM Proxy"),
}


def plot(figures: dict[str, Any], gateways: list[str], path: Path) -> None:
    """One panel per upstream delay: p50 (solid) and p99 (dashed) latency against rate,
    with each gateway's saturation throughput as a dotted vertical line."""
    delays = [key for key in figures if key.startswith("delay_")]
    fig, axes = plt.subplots(1, len(delays), figsize=(6.5 * len(delays), 5.4), squeeze=False)
    for ax, key in zip(axes[0], delays, strict=True):
        entry = figures[key]
        rates = entry["rates"]
        for name in ["direct", *gateways]:
            color, label = STYLE[name]
            rows = [entry[f"rate_{rate:g}"][name] for rate in rates]
            p50, p99 = [r["p50_ms"] for r in rows], [r["p99_ms"] for r in rows]
            ax.plot(rates, p50, "o-", color=color, label=f"{label}, p50")
            ax.plot(rates, p99, "s--", color=color, label=f"{label}, p99", alpha=0.8)
            if name != "direct":
                ax.axvline(entry["saturation"][name]["rps"], color=color, linestyle=":")
        ax.set_yscale("log")
        ax.set_xlabel("offered rate, requests/s (dotted: saturation throughput)")
        ax.set_ylabel("latency at the client, ms")
        ax.set_title(f"upstream delay {key.removeprefix('delay_')}")
        ax.grid(True, which="both", alpha=0.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=3)
    machine = figures["machine"]
    fig.suptitle(
        f"{machine['date'][:10]}, {machine['cores']} cores, load average "
        f"{machine['load_before'][0]:.1f} -> {machine['load_after'][0]:.1f}",
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
