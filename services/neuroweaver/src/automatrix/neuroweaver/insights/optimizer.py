"""Which automatic actions are safe: drain a failing deployment only while its group keeps a
healthy one (pure: the facts in, the plan out).

A deployment is drained when all of these hold:

- the registry has it active (routable);
- it has an open error-burst episode (any replica's detection);
- its error rate over the current window is still at least ``drain_error_rate``, over at
  least ``min_samples`` attempts (the episode is not over);
- another deployment of its model group is healthy: routable, no open episode of any kind,
  and an error rate under ``drain_error_rate`` if it has traffic.

Healthy deployments are never drained, so plans made at once by several replicas cannot
together drain a group's last healthy deployment. At most ``max_drains_per_group`` drains
per group per plan: one change at a time, judged again on the next plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from automatrix.shared.contracts import AnomalyKind


@dataclass(frozen=True)
class OptimizePolicy:
    """Thresholds of the automatic drain."""

    drain_error_rate: float = 0.5
    min_samples: int = 8
    max_drains_per_group: int = 1

    def __post_init__(self) -> None:
        if not 0 < self.drain_error_rate <= 1:
            raise ValueError("drain_error_rate must lie in (0, 1]")
        if self.min_samples < 1 or self.max_drains_per_group < 1:
            raise ValueError("min_samples and max_drains_per_group must be at least 1")


@dataclass(frozen=True)
class DeploymentFacts:
    """What the plan needs to know of one deployment."""

    name: str
    model_group: str
    routable: bool
    state: str
    open_anomalies: tuple[AnomalyKind, ...]
    anomaly_ids: tuple[str, ...]
    error_rate: float | None
    samples: int


class ActionKind(StrEnum):
    """What the plan does about one deployment."""

    DRAIN = "drain"
    SKIP = "skip"


@dataclass(frozen=True)
class PlannedAction:
    """A decision about one deployment with an open error burst, and why."""

    kind: ActionKind
    deployment: str
    model_group: str
    reason: str
    error_rate: float | None
    anomaly_ids: tuple[str, ...]
    healthy_peers: tuple[str, ...]


def healthy(facts: DeploymentFacts, policy: OptimizePolicy) -> bool:
    """Routable, no open episode, and not failing (when it has traffic)."""
    failing = facts.error_rate is not None and facts.error_rate >= policy.drain_error_rate
    return facts.routable and not facts.open_anomalies and not failing


def plan(facts: Sequence[DeploymentFacts], policy: OptimizePolicy) -> list[PlannedAction]:
    """A decision for every deployment with an open error burst, worst first."""
    by_group: dict[str, list[DeploymentFacts]] = defaultdict(list)
    for item in facts:
        by_group[item.model_group].append(item)
    candidates = [f for f in facts if AnomalyKind.ERROR_BURST in f.open_anomalies]
    candidates.sort(key=lambda f: (-(f.error_rate or 0.0), f.name))
    drained: dict[str, int] = defaultdict(int)
    actions = []
    for item in candidates:
        group = by_group[item.model_group]
        peers = tuple(sorted(p.name for p in group if p.name != item.name and healthy(p, policy)))
        kind, reason = _decide(item, peers, drained[item.model_group], policy)
        if kind is ActionKind.DRAIN:
            drained[item.model_group] += 1
        actions.append(
            PlannedAction(
                kind=kind,
                deployment=item.name,
                model_group=item.model_group,
                reason=reason,
                error_rate=item.error_rate,
                anomaly_ids=item.anomaly_ids,
                healthy_peers=peers,
            )
        )
    return actions


def _decide(
    item: DeploymentFacts, peers: tuple[str, ...], drained: int, policy: OptimizePolicy
) -> tuple[ActionKind, str]:
    if not item.routable:
        return ActionKind.SKIP, f"not taking traffic already (state {item.state})"
    if item.error_rate is None or item.samples < policy.min_samples:
        return ActionKind.SKIP, (
            f"too few recent attempts to judge ({item.samples} < {policy.min_samples})"
        )
    rate = f"error rate {item.error_rate:.0%}"
    if item.error_rate < policy.drain_error_rate:
        return ActionKind.SKIP, f"{rate} is under the {policy.drain_error_rate:.0%} to drain at"
    if not peers:
        return ActionKind.SKIP, (
            f"{rate}, but no other healthy deployment serves {item.model_group}: "
            "draining it would leave the group without one"
        )
    if drained >= policy.max_drains_per_group:
        return ActionKind.SKIP, (
            f"{rate}; {item.model_group} already has a drain in this plan (one at a time)"
        )
    return ActionKind.DRAIN, f"{rate} in an error burst; {', '.join(peers)} healthy"
