"""How control events change a deployment's registry record (pure: no I/O)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from automatrix.relaycore.domain.learning import adjust_proficiency
from automatrix.shared.contracts import ControlEvent, ControlKind, DeploymentRecord
from automatrix.shared.contracts.registry import HEARTBEATS_MISSED, DeploymentState

INSTANCE_FORGOTTEN_AFTER = 10
"""Heartbeat intervals after which a silent replica is dropped from the record."""

_ROUTING_FIELDS = {
    "model_group", "kind", "backend", "model", "provider", "tier", "capabilities",
    "cost_per_1k_input", "cost_per_1k_output", "concurrency", "weight", "timeout_s",
}  # fmt: skip


class ControlError(ValueError):
    """A control event that cannot be applied; the message says why."""


def apply(
    record: DeploymentRecord | None, event: ControlEvent, now: datetime
) -> DeploymentRecord | None:
    """The record after ``event``; None deletes it. Raises ControlError for a bad event."""
    kind = event.kind
    if kind is ControlKind.DEPLOYMENT_REGISTER:
        return _register(record, event, now)
    if record is None:
        if kind is ControlKind.DEPLOYMENT_UNREGISTER:
            return None
        raise ControlError(f"deployment {event.target!r} is not registered")
    if kind is ControlKind.DEPLOYMENT_HEARTBEAT:
        return heartbeat(record, _instance(event), now)
    if kind is ControlKind.DEPLOYMENT_UPDATE:
        fields = {k: v for k, v in event.payload.items() if k in _ROUTING_FIELDS}
        unknown = set(event.payload) - _ROUTING_FIELDS
        if unknown:
            raise ControlError(
                f"cannot update {sorted(unknown)}; updatable: {sorted(_ROUTING_FIELDS)}"
            )
        return _validated(record, {**fields, "updated_at": now})
    if kind is ControlKind.DEPLOYMENT_PAUSE:
        return set_state(record, DeploymentState.PAUSED, event.reason or "paused", now)
    if kind is ControlKind.DEPLOYMENT_DRAIN:
        return set_state(record, DeploymentState.DRAINING, event.reason or "draining", now)
    if kind is ControlKind.DEPLOYMENT_RESUME:
        return set_state(record, DeploymentState.ACTIVE, event.reason, now)
    if kind is ControlKind.DEPLOYMENT_UNREGISTER:
        return None
    if kind is ControlKind.DEPLOYMENT_FEEDBACK:
        return _feedback(record, event, now)
    raise ControlError(f"{kind.value} does not change a deployment")


def set_state(
    record: DeploymentRecord,
    state: DeploymentState,
    reason: str,
    now: datetime,
    *,
    auto: bool = False,
    next_probe_at: datetime | None = None,
) -> DeploymentRecord:
    """The record in ``state``; an operator's command clears any automatic drain."""
    return record.model_copy(
        update={
            "state": state,
            "state_reason": reason,
            "auto_drained": auto,
            "next_probe_at": next_probe_at,
            "updated_at": now,
        }
    )


def heartbeat(record: DeploymentRecord, instance: str, now: datetime) -> DeploymentRecord:
    """Record a replica's heartbeat; a deployment unhealthy for silence comes back."""
    forget_before = now - timedelta(seconds=record.heartbeat_interval_s * INSTANCE_FORGOTTEN_AFTER)
    instances = {i: at for i, at in record.instances.items() if at >= forget_before}
    instances[instance] = now
    update: dict[str, Any] = {"instances": instances}
    if record.state is DeploymentState.UNHEALTHY and not record.auto_drained:
        update |= {"state": DeploymentState.ACTIVE, "state_reason": "heartbeat resumed"}
    return record.model_copy(update=update)


def mark_silent(record: DeploymentRecord, now: datetime) -> DeploymentRecord | None:
    """The record marked unhealthy if its heartbeats stopped; None when nothing changes."""
    if record.state is not DeploymentState.ACTIVE or record.alive(now):
        return None
    silent = record.heartbeat_interval_s * HEARTBEATS_MISSED
    return set_state(record, DeploymentState.UNHEALTHY, f"no heartbeat for {silent:g} s", now)


def _register(
    record: DeploymentRecord | None, event: ControlEvent, now: datetime
) -> DeploymentRecord:
    payload = dict(event.payload)
    instance = str(payload.pop("instance", "") or event.issued_by)
    interval = payload.pop("interval_s", None)
    fields = {k: v for k, v in payload.items() if k in _ROUTING_FIELDS}
    if not fields.get("provider"):
        model = str(fields.get("model", ""))
        fields["provider"] = "local" if fields.get("backend") == "local" else model.split("/")[0]
    if interval is not None:
        fields["heartbeat_interval_s"] = interval
    if record is None:
        base: dict[str, Any] = {"name": event.target, "registered_at": now}
        try:
            created = DeploymentRecord.model_validate({**base, **fields, "updated_at": now})
        except ValidationError as exc:
            raise ControlError(f"invalid registration: {_first_error(exc)}") from None
        return heartbeat(created, instance, now)
    # A replica (re)starting must not undo an operator's pause or drain.
    updated = _validated(record, {**fields, "updated_at": now})
    return heartbeat(updated, instance, now)


def _feedback(record: DeploymentRecord, event: ControlEvent, now: datetime) -> DeploymentRecord:
    capability = event.payload.get("capability")
    score = event.payload.get("score")
    if not isinstance(capability, str) or capability not in record.capabilities:
        raise ControlError(f"feedback names no capability of {record.name}: {capability!r}")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        raise ControlError(f"feedback score must be a number from 0 to 1, not {score!r}")
    capabilities = dict(record.capabilities)
    capabilities[capability] = adjust_proficiency(capabilities[capability], float(score))
    return record.model_copy(update={"capabilities": capabilities, "updated_at": now})


def _validated(record: DeploymentRecord, update: dict[str, Any]) -> DeploymentRecord:
    try:
        return DeploymentRecord.model_validate({**record.model_dump(), **update})
    except ValidationError as exc:
        raise ControlError(f"invalid update: {_first_error(exc)}") from None


def _instance(event: ControlEvent) -> str:
    return str(event.payload.get("instance") or event.issued_by)[:128]


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])
