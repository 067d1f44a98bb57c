"""``<state>/automatrix.json``: where a running platform listens, for ``automatrix status``."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from automatrix.shared.launcher.config import STATE_FILE_NAME, LaunchPlan, build_plan


@dataclass
class ServiceRecord:
    """One running service as recorded for ``status``."""

    url: str
    module: str
    pid: int | None = None


@dataclass
class InfraRecord:
    """NATS or Redis: embedded (with its pid) or an external server the launcher did not start."""

    url: str
    embedded: bool
    pid: int | None = None
    monitor_url: str | None = None


@dataclass
class RunRecord:
    """The platform one launcher started."""

    launcher_pid: int
    state_dir: str
    gateway: str | None
    nats: InfraRecord
    redis: InfraRecord
    services: dict[str, ServiceRecord] = field(default_factory=dict)

    def pids(self) -> dict[str, int]:
        """Every child the launcher started, by name."""
        found = {name: rec.pid for name, rec in self.services.items() if rec.pid}
        for name, infra in (("nats", self.nats), ("redis", self.redis)):
            if infra.pid:
                found[name] = infra.pid
        return found

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RunRecord:
        return cls(
            launcher_pid=int(data["launcher_pid"]),
            state_dir=str(data["state_dir"]),
            gateway=data.get("gateway"),
            nats=InfraRecord(**data["nats"]),
            redis=InfraRecord(**data["redis"]),
            services={name: ServiceRecord(**rec) for name, rec in data["services"].items()},
        )


def record_for(plan: LaunchPlan, pids: Mapping[str, int]) -> RunRecord:
    """The record of ``plan`` once its children run with ``pids``."""
    monitor = (
        f"http://127.0.0.1:{plan.nats_monitor_port}" if plan.nats_monitor_port is not None else None
    )
    gateway = plan.gateway
    return RunRecord(
        launcher_pid=os.getpid(),
        state_dir=str(plan.state_dir),
        gateway=gateway.url if gateway else None,
        nats=InfraRecord(plan.nats_url, plan.embedded_nats, pids.get("nats"), monitor),
        redis=InfraRecord(plan.redis_url, plan.embedded_redis, pids.get("redis")),
        services={s.name: ServiceRecord(s.url, s.module, pids.get(s.name)) for s in plan.services},
    )


def default_record(env: Mapping[str, str], state_dir_flag: str | None) -> RunRecord:
    """What ``status`` assumes when no launcher wrote a record: the default ports."""
    plan = build_plan(env, state_dir_flag=state_dir_flag)
    record = record_for(plan, {})
    record.launcher_pid = 0
    return record


def read_record(state_dir: Path) -> RunRecord | None:
    """The record in ``state_dir``, or None when there is none."""
    path = state_dir / STATE_FILE_NAME
    try:
        return RunRecord.from_mapping(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a launcher record: {exc}") from exc


def write_record(state_dir: Path, record: RunRecord) -> Path:
    """Write atomically, so ``status`` never reads half a file."""
    path = state_dir / STATE_FILE_NAME
    partial = path.with_suffix(".json.tmp")
    partial.write_text(record.to_json())
    partial.replace(path)
    return path


def process_alive(pid: int) -> bool:
    """True when ``pid`` names a live process."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
