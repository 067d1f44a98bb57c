"""Every child's output on one terminal, each line prefixed with whose it is."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

NAME_WIDTH = 12
LAUNCHER = "automatrix"
_COLOURS = {
    "nats": "36",
    "redis": "31",
    "orchestrator": "32",
    "relaycore": "33",
    "neuroweaver": "35",
    "inference": "34",
    LAUNCHER: "1",
}


def prefix(name: str, *, colour: bool) -> str:
    """``name`` padded to a fixed width and a bar, coloured on a terminal."""
    padded = f"{name:<{NAME_WIDTH}}"
    if colour:
        padded = f"\x1b[{_COLOURS.get(name, '37')}m{padded}\x1b[0m"
    return f"{padded} | "


class LinePrinter:
    """Writes whole lines from many threads without interleaving them."""

    def __init__(self, stream: IO[str], *, colour: bool) -> None:
        self._stream = stream
        self._colour = colour
        self._lock = threading.Lock()

    @property
    def colour(self) -> bool:
        return self._colour

    def line(self, name: str, text: str) -> None:
        """One line from ``name``."""
        self.raw(prefix(name, colour=self._colour) + text.rstrip("\r\n"))

    def raw(self, text: str) -> None:
        """Text as is, e.g. the status table."""
        with self._lock:
            self._stream.write(text + "\n")
            self._stream.flush()

    def say(self, text: str) -> None:
        """A line from the launcher itself."""
        self.line(LAUNCHER, text)


def pump(name: str, source: IO[bytes], printer: LinePrinter) -> threading.Thread:
    """Copy ``source`` line by line to ``printer`` until it closes."""

    def copy() -> None:
        with source:
            for raw in iter(source.readline, b""):
                printer.line(name, raw.decode(errors="replace"))

    thread = threading.Thread(target=copy, name=f"output-{name}", daemon=True)
    thread.start()
    return thread


class FileFollower:
    """Streams lines appended to a log file (nats-server writes its log to one)."""

    def __init__(self, name: str, path: Path, printer: LinePrinter, interval: float = 0.2) -> None:
        self._name = name
        self._path = path
        self._printer = printer
        self._interval = interval
        self._stop = threading.Event()
        self._offset = path.stat().st_size if path.exists() else 0
        self._thread = threading.Thread(target=self._run, name=f"follow-{name}", daemon=True)

    def start(self) -> FileFollower:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Print what is left, then stop following."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        pending = b""
        while True:
            stopping = self._stop.is_set()
            pending = self._drain(pending, self._printer.line)
            if stopping:
                if pending:
                    self._printer.line(self._name, pending.decode(errors="replace"))
                return
            self._stop.wait(self._interval)

    def _drain(self, pending: bytes, emit: Callable[[str, str], None]) -> bytes:
        try:
            with self._path.open("rb") as log:
                log.seek(self._offset)
                chunk = log.read()
        except FileNotFoundError:
            return pending
        self._offset += len(chunk)
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            emit(self._name, line.decode(errors="replace"))
        return pending
