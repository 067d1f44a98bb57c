"""Ask each service's ``/readyz`` and turn the answers into one verdict and one table."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

READY_PATH = "/readyz"
PROBE_TIMEOUT_S = 2.0


class State(StrEnum):
    READY = "ready"
    NOT_READY = "not ready"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Check:
    """One named dependency check reported by a service."""

    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class ServiceStatus:
    """What one service said (or failed to say) about its readiness."""

    service: str
    url: str
    state: State
    checks: Mapping[str, Check] = field(default_factory=dict)
    error: str = ""

    @property
    def ready(self) -> bool:
        return self.state is State.READY

    def failing(self) -> list[tuple[str, str]]:
        """``(check, detail)`` for each failing check, or the probe error."""
        failed = [(name, check.detail) for name, check in self.checks.items() if not check.ok]
        if self.error:
            failed.insert(0, ("error", self.error))
        return failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "url": self.url,
            "state": str(self.state),
            "ready": self.ready,
            "checks": {n: {"ok": c.ok, "detail": c.detail} for n, c in self.checks.items()},
            "error": self.error or None,
        }


def parse_readyz(service: str, url: str, status_code: int, body: bytes) -> ServiceStatus:
    """Interpret a ``/readyz`` reply: ``{"ready": bool, "checks": {name: {"ok", "detail"}}}``."""
    try:
        payload = json.loads(body or b"null")
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        text = body.decode(errors="replace").strip()[:200]
        error = "" if status_code == 200 else f"HTTP {status_code}" + (f": {text}" if text else "")
        state = State.READY if status_code == 200 else State.NOT_READY
        return ServiceStatus(service, url, state, error=error)
    checks = {
        str(name): Check(bool(raw.get("ok")), str(raw.get("detail") or ""))
        if isinstance(raw, dict)
        else Check(bool(raw))
        for name, raw in (payload.get("checks") or {}).items()
    }
    claimed = payload.get("ready")
    ready = (claimed if isinstance(claimed, bool) else True) and status_code == 200
    error = "" if ready or status_code in (200, 503) else f"HTTP {status_code}"
    if not ready and not error and not any(not c.ok for c in checks.values()):
        error = f"HTTP {status_code}, no failing check reported"
    return ServiceStatus(service, url, State.READY if ready else State.NOT_READY, checks, error)


def probe(service: str, url: str, timeout: float = PROBE_TIMEOUT_S) -> ServiceStatus:
    """GET ``<url>/readyz`` once."""
    try:
        with urllib.request.urlopen(url + READY_PATH, timeout=timeout) as reply:
            return parse_readyz(service, url, reply.status, reply.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return parse_readyz(service, url, exc.code, exc.read())
    except (OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        return ServiceStatus(
            service, url, State.UNREACHABLE, error=str(reason) or type(exc).__name__
        )


def probe_all(targets: Mapping[str, str], timeout: float = PROBE_TIMEOUT_S) -> list[ServiceStatus]:
    """Probe every ``{service: url}`` at once, in the order given."""
    if not targets:
        return []
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        futures = [pool.submit(probe, name, url, timeout) for name, url in targets.items()]
        return [future.result() for future in futures]


def all_ready(statuses: Iterable[ServiceStatus]) -> bool:
    """True when every service answered ready (and there was at least one)."""
    listed = list(statuses)
    return bool(listed) and all(s.ready for s in listed)


def waiting_line(statuses: Sequence[ServiceStatus]) -> str:
    """One line naming what is not ready yet and why."""
    parts = []
    for status in statuses:
        if status.ready:
            continue
        reasons = "; ".join(
            f"{name}: {detail}" if detail else name for name, detail in status.failing()
        )
        parts.append(f"{status.service} ({status.state}" + (f": {reasons})" if reasons else ")"))
    return "waiting for " + ", ".join(parts) if parts else "all ready"


_STATE_COLOURS = {State.READY: "32", State.NOT_READY: "33", State.UNREACHABLE: "31"}


def format_table(statuses: Sequence[ServiceStatus], *, colour: bool = False) -> str:
    """A fixed-width table: service, url, state; each failing check on its own line below."""
    headers = ("SERVICE", "URL", "STATE")
    rows = [(s.service, s.url, str(s.state)) for s in statuses]
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(2)]
    lines = [f"{headers[0]:<{widths[0]}}  {headers[1]:<{widths[1]}}  {headers[2]}"]
    for status, (name, url, state) in zip(statuses, rows, strict=True):
        shown = f"\x1b[{_STATE_COLOURS[status.state]}m{state}\x1b[0m" if colour else state
        lines.append(f"{name:<{widths[0]}}  {url:<{widths[1]}}  {shown}")
        lines += [
            f"    - {check}: {detail}" if detail else f"    - {check}"
            for check, detail in status.failing()
        ]
    return "\n".join(lines)


def report(
    statuses: Sequence[ServiceStatus], extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The ``status --json`` document."""
    return {
        "ready": all_ready(statuses),
        **(extra or {}),
        "services": [status.to_dict() for status in statuses],
    }
