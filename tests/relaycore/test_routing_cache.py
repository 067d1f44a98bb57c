"""Routing keeps each kind of request's eligible deployments until they can change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from automatrix.relaycore.domain.breaker import BreakerPolicy
from automatrix.relaycore.domain.strategies import Strategy
from automatrix.relaycore.routing import Routing
from automatrix.shared.contracts import ChatMessage, DeploymentRecord, InferenceRequested

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def _record(name: str, **overrides: Any) -> DeploymentRecord:
    fields: dict[str, Any] = {
        "model_group": "pool",
        "capabilities": {"chat": 0.9},
        "instances": {"i": NOW},
        "heartbeat_interval_s": 1.0,
    }
    return DeploymentRecord.example(name=name, **{**fields, **overrides})


def _routing(records: dict[str, DeploymentRecord]) -> Routing:
    return Routing(
        records,
        breaker_policy=BreakerPolicy(),
        default_strategy=Strategy.LEAST_LOADED,
        strategies={},
        fallbacks={},
    )


def _names(routing: Routing, at: datetime) -> list[str]:
    request = InferenceRequested(
        request_id="r1", requester="tests", messages=[ChatMessage(role="user", content="hi")]
    )
    return [r.name for r in routing.route(request, frozenset(), now=at).ranked]


def test_a_registry_change_is_seen_at_once() -> None:
    records = {"a": _record("a")}
    routing = _routing(records)
    assert _names(routing, NOW) == ["a"]
    records["b"] = _record("b")
    records["a"] = _record("a", state="paused")
    routing.registry_changed()
    assert _names(routing, NOW) == ["b"]


def test_a_deployment_whose_heartbeats_stop_drops_out_without_a_registry_change() -> None:
    records = {"a": _record("a"), "b": _record("b", instances={"i": NOW + timedelta(seconds=5)})}
    routing = _routing(records)
    assert _names(routing, NOW + timedelta(seconds=2)) == ["a", "b"]
    # Three missed one-second heartbeats: "a" is no longer alive, "b" still is.
    assert _names(routing, NOW + timedelta(seconds=3, milliseconds=1)) == ["b"]
