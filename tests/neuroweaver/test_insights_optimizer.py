"""The optimization plan (pure): drain only a failing deployment whose group keeps a healthy one."""

from __future__ import annotations

import random

import pytest

from automatrix.neuroweaver.insights.optimizer import (
    ActionKind,
    DeploymentFacts,
    OptimizePolicy,
    healthy,
    plan,
)
from automatrix.shared.contracts import AnomalyKind

POLICY = OptimizePolicy()
BURST = (AnomalyKind.ERROR_BURST,)


def facts(
    name: str,
    *,
    group: str = "grp",
    routable: bool = True,
    anomalies: tuple[AnomalyKind, ...] = (),
    error_rate: float | None = 0.0,
    samples: int = 30,
) -> DeploymentFacts:
    return DeploymentFacts(
        name=name,
        model_group=group,
        routable=routable,
        state="active" if routable else "paused",
        open_anomalies=anomalies,
        anomaly_ids=tuple(f"id-{name}-{k.value}" for k in anomalies),
        error_rate=error_rate,
        samples=samples,
    )


def decisions(items: list[DeploymentFacts]) -> dict[str, ActionKind]:
    return {a.deployment: a.kind for a in plan(items, POLICY)}


def test_a_failing_deployment_with_a_healthy_peer_is_drained() -> None:
    actions = plan([facts("bad", anomalies=BURST, error_rate=0.8), facts("good")], POLICY)
    assert len(actions) == 1
    action = actions[0]
    assert (action.kind, action.deployment, action.healthy_peers) == (
        ActionKind.DRAIN,
        "bad",
        ("good",),
    )
    assert action.anomaly_ids == ("id-bad-error_burst",)
    assert "80%" in action.reason


def test_the_last_healthy_deployment_or_a_lone_one_is_never_drained() -> None:
    assert decisions([facts("alone", anomalies=BURST, error_rate=1.0)]) == {
        "alone": ActionKind.SKIP
    }
    both_bad = [
        facts("a", anomalies=BURST, error_rate=0.9),
        facts("b", anomalies=BURST, error_rate=0.7),
    ]
    assert decisions(both_bad) == {"a": ActionKind.SKIP, "b": ActionKind.SKIP}
    reason = plan(both_bad, POLICY)[0].reason
    assert "no other healthy deployment" in reason


@pytest.mark.parametrize(
    "peer",
    [
        facts("peer", routable=False),
        facts("peer", anomalies=(AnomalyKind.LATENCY_SPIKE,)),
        facts("peer", error_rate=0.6),
        facts("peer", group="other"),
    ],
    ids=["paused", "slow", "failing", "other-group"],
)
def test_a_peer_must_be_healthy_and_in_the_group(peer: DeploymentFacts) -> None:
    assert decisions([facts("bad", anomalies=BURST, error_rate=0.9), peer]) == {
        "bad": ActionKind.SKIP
    }


def test_an_idle_routable_peer_counts_as_healthy() -> None:
    idle = facts("idle", error_rate=None, samples=0)
    assert healthy(idle, POLICY)
    assert decisions([facts("bad", anomalies=BURST, error_rate=0.9), idle]) == {
        "bad": ActionKind.DRAIN
    }


@pytest.mark.parametrize(
    ("candidate", "why"),
    [
        (facts("bad", anomalies=BURST, error_rate=0.1), "under the 50%"),
        (facts("bad", anomalies=BURST, error_rate=0.9, samples=3), "too few"),
        (facts("bad", anomalies=BURST, error_rate=None, samples=0), "too few"),
        (facts("bad", anomalies=BURST, error_rate=0.9, routable=False), "already"),
    ],
)
def test_no_drain_when_it_is_not_clearly_failing_now(candidate: DeploymentFacts, why: str) -> None:
    (action,) = plan([candidate, facts("good")], POLICY)
    assert action.kind is ActionKind.SKIP
    assert why in action.reason


def test_a_latency_spike_alone_drains_nothing() -> None:
    slow = facts("slow", anomalies=(AnomalyKind.LATENCY_SPIKE,), error_rate=0.9)
    assert plan([slow, facts("good")], POLICY) == []


def test_one_drain_per_group_per_plan_worst_first() -> None:
    items = [
        facts("bad-1", anomalies=BURST, error_rate=0.6),
        facts("bad-2", anomalies=BURST, error_rate=0.95),
        facts("good"),
        facts("x-bad", group="other", anomalies=BURST, error_rate=0.9),
        facts("x-good", group="other"),
    ]
    assert decisions(items) == {
        "bad-2": ActionKind.DRAIN,
        "bad-1": ActionKind.SKIP,
        "x-bad": ActionKind.DRAIN,
    }
    relaxed = OptimizePolicy(max_drains_per_group=5)
    assert {a.deployment for a in plan(items, relaxed) if a.kind is ActionKind.DRAIN} == {
        "bad-1",
        "bad-2",
        "x-bad",
    }


def test_plans_never_empty_a_group_of_its_healthy_deployments() -> None:
    rng = random.Random(0)
    kinds = [(), BURST, (AnomalyKind.LATENCY_SPIKE,), (*BURST, AnomalyKind.LATENCY_SPIKE)]
    for _ in range(500):
        items = [
            facts(
                f"d{i}",
                group=rng.choice(["g1", "g2"]),
                routable=rng.random() < 0.8,
                anomalies=rng.choice(kinds),
                error_rate=rng.choice([None, 0.0, 0.3, 0.6, 1.0]),
                samples=rng.choice([0, 5, 50]),
            )
            for i in range(rng.randint(1, 6))
        ]
        drained = {
            a.deployment for a in plan(items, OptimizePolicy(max_drains_per_group=9))
            if a.kind is ActionKind.DRAIN
        }  # fmt: skip
        for group in ("g1", "g2"):
            members = [f for f in items if f.model_group == group]
            if any(f.name in drained for f in members):
                assert any(healthy(f, POLICY) and f.name not in drained for f in members)
            assert not any(healthy(f, POLICY) for f in members if f.name in drained)
