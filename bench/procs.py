"""Memory and CPU of process trees, read from ``/proc`` (Linux), for the gateway benches.

A gateway is more than one process (the launcher's children, workers, an embedded Triton),
so each figure covers a process and every descendant of it at the moment it is read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

PROC = Path("/proc")
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # the command name may hold spaces or parentheses: the fields start after the last ')'
    return text[text.rindex(")") + 2 :].split()


def children_of() -> dict[int, list[int]]:
    """Every running process's children, by parent pid."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree(pid: int, children: Mapping[int, list[int]] | None = None) -> list[int]:
    """``pid`` and all its descendants that are running now."""
    children = children_of() if children is None else children
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        if _stat(current) is not None:
            found.append(current)
        todo.extend(children.get(current, ()))
    return found


def rss_bytes(pids: Iterable[int]) -> int:
    """Resident memory of ``pids`` together (shared pages counted once per process)."""
    total = 0
    for pid in pids:
        try:
            pages = int((PROC / str(pid) / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * PAGE
    return total


def cpu_seconds(pids: Iterable[int]) -> float:
    """User plus system CPU time ``pids`` have used so far."""
    ticks = 0
    for pid in pids:
        if (fields := _stat(pid)) is not None:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / TICKS


def command_name(pid: int) -> str:
    try:
        return (PROC / str(pid) / "comm").read_text().strip()
    except OSError:
        return "?"


def rss_by_process(roots: Mapping[str, int]) -> dict[str, int]:
    """RSS of each named root and, under ``name/command``, of each of its descendants."""
    children = children_of()
    found: dict[str, int] = {}
    for name, pid in roots.items():
        found[name] = rss_bytes([pid])
        for descendant in tree(pid, children)[1:]:
            key = f"{name}/{command_name(descendant)}"
            if key in found:
                key = f"{key}#{descendant}"
            found[key] = rss_bytes([descendant])
    return found


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()
