"""Child processes in their own process groups: started, watched, and stopped in order."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from automatrix.shared.launcher.output import LinePrinter, pump

STOP_TIMEOUT_S = 10.0


def describe_exit(code: int | None) -> str:
    """``exit code 3`` or ``signal SIGKILL``."""
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"signal {signal.Signals(-code).name}"
    return f"exit code {code}"


@dataclass
class Child:
    """One supervised process; its output goes to the shared printer."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _output: threading.Thread | None = field(default=None, init=False, repr=False)

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was never started"
        return self.process.pid

    def start(self, printer: LinePrinter) -> None:
        """Start in a new session so that signals reach its whole process tree and only it."""
        self.process = subprocess.Popen(
            list(self.argv),
            env=dict(self.env) if self.env is not None else None,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self._output = pump(self.name, self.process.stdout, printer)

    def exit_code(self) -> int | None:
        """None while running."""
        return None if self.process is None else self.process.poll()

    def signal_group(self, signum: int) -> None:
        """Send ``signum`` to the child's process group, including its own children."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)

    def flush_output(self, timeout: float = 2.0) -> None:
        """Wait for the last lines of output to be printed."""
        if self._output is not None:
            self._output.join(timeout)


class Supervisor:
    """Starts children, reports the first to exit, and stops them in reverse order of layers."""

    def __init__(self, printer: LinePrinter) -> None:
        self._printer = printer
        self._children: list[Child] = []

    @property
    def children(self) -> list[Child]:
        return list(self._children)

    def start(self, child: Child) -> Child:
        """Start ``child`` and keep it under supervision."""
        child.start(self._printer)
        self._children.append(child)
        self._printer.say(f"started {child.name} (pid {child.pid}): {shlex.join(child.argv)}")
        return child

    def exited(self) -> list[tuple[Child, int]]:
        """Children that are no longer running, with their exit codes."""
        done = []
        for child in self._children:
            code = child.exit_code()
            if code is not None:
                done.append((child, code))
        return done

    def stop(self, children: Sequence[Child], timeout: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM each group, wait up to ``timeout`` for all, SIGKILL what lingers."""
        running = [c for c in children if c.exit_code() is None]
        for child in running:
            self._printer.say(f"stopping {child.name} (pid {child.pid})")
            child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._printer.say(f"{child.name} did not stop within {timeout:.0f}s; killing it")
                child.signal_group(signal.SIGKILL)
                child.process.wait()
        for child in children:
            # Whatever the leader left behind in its group would otherwise outlive the launcher.
            child.signal_group(signal.SIGKILL)
            child.flush_output()
            if child in running:
                self._printer.say(f"{child.name} stopped ({describe_exit(child.exit_code())})")

    def kill_all(self) -> None:
        """Last resort on a second interrupt: SIGKILL every group at once."""
        for child in self._children:
            child.signal_group(signal.SIGKILL)
