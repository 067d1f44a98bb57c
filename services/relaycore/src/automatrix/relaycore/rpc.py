"""relaycore's request-reply methods, called by the gateway's ecosystem API.

``control`` applies a registry command at once (the same ``apply`` the control-event consumer
uses) and answers with the changed deployment, so an operator learns right away whether a
pause or a registration took, and why not.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from automatrix.relaycore.domain.registry import ControlError, apply
from automatrix.relaycore.maintenance import Upkeep
from automatrix.relaycore.overview import (
    deployment_view,
    deployment_views,
    queue_view,
    recommendation_views,
)
from automatrix.relaycore.routing import Routing
from automatrix.relaycore.scheduler import Scheduler
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import ControlEvent, ControlKind, DeploymentRecord, SubjectToken
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.control import PayloadKey
from automatrix.shared.contracts.rpc import RpcErrorCode
from automatrix.shared.health import Readiness
from automatrix.shared.kv import ConflictError, KeyValueStore
from automatrix.shared.rpc import RpcFailure, RpcServer

SERVICE = "relaycore"

Command = Literal["register", "update", "pause", "resume", "drain", "unregister"]


class DeploymentsParams(BaseModel):
    """Which deployments to list: all, or one by name."""

    model_config = ConfigDict(extra="forbid")

    name: SubjectToken | None = None


class ControlParams(BaseModel):
    """A registry command, as an operator sends it through the ecosystem API."""

    model_config = ConfigDict(extra="forbid")

    command: Command
    target: SubjectToken
    issued_by: str = Field(min_length=1, max_length=128)
    reason: str = Field(default="", max_length=1024)
    payload: dict[PayloadKey, JsonValue] = Field(default_factory=dict, max_length=64)


class RelayMethods:
    """The router's state as data, and registry commands applied with compare-and-set."""

    def __init__(
        self,
        registry: KeyValueStore[DeploymentRecord],
        routing: Routing,
        scheduler: Scheduler,
        upkeep: Upkeep,
        readiness: Readiness,
        instance: str,
    ) -> None:
        self.registry = registry
        self.routing = routing
        self.scheduler = scheduler
        self.upkeep = upkeep
        self.readiness = readiness
        self.instance = instance

    def register_on(self, server: RpcServer) -> None:
        server.method("status", self.status)
        server.method("deployments", self.deployments, DeploymentsParams)
        server.method("queues", self.queues)
        server.method("recommendations", self.recommendations)
        server.method("control", self.control, ControlParams)

    async def status(self, _: BaseModel) -> dict[str, Any]:
        """Readiness, routing switch, deployment counts and open breakers of this replica."""
        records = self.registry.values
        wall = utcnow()
        return {
            "service": SERVICE,
            "instance": self.instance,
            **(await self.readiness.report()),
            "routing_enabled": self.scheduler.enabled,
            "deployments": len(records),
            "routable": sum(1 for r in records.values() if r.routable(wall)),
            "breakers": {name: self.routing.breaker(name).state.value for name in sorted(records)},
            "waiting": self.scheduler.waiting(),
        }

    async def deployments(self, params: DeploymentsParams) -> dict[str, Any]:
        if params.name is None:
            return {"deployments": deployment_views(self.registry.values, self.routing)}
        record = self.registry.values.get(params.name)
        if record is None:
            raise RpcFailure(RpcErrorCode.NOT_FOUND, f"no deployment {params.name!r}")
        return {"deployments": [deployment_view(record, self.routing)]}

    async def queues(self, _: BaseModel) -> dict[str, Any]:
        return queue_view(self.scheduler)

    async def recommendations(self, _: BaseModel) -> dict[str, Any]:
        return {"recommendations": recommendation_views(self.upkeep)}

    async def control(self, params: ControlParams) -> dict[str, Any]:
        """Apply one command; the deployment as it is now (None once unregistered)."""
        event = ControlEvent(
            kind=ControlKind(f"deployment_{params.command}"),
            target=params.target,
            issued_by=params.issued_by,
            reason=params.reason,
            payload=params.payload,
        )
        missing = False
        now = utcnow()

        def change(record: DeploymentRecord | None) -> DeploymentRecord | None:
            nonlocal missing
            missing = record is None and params.command != "register"
            if missing:
                return None
            return apply(record, event, now)

        try:
            record = await self.registry.mutate(params.target, change)
        except ControlError as exc:
            raise RpcFailure(RpcErrorCode.INVALID, str(exc)) from None
        except ConflictError as exc:
            raise RpcFailure(RpcErrorCode.CONFLICT, str(exc)) from None
        if missing:
            raise RpcFailure(RpcErrorCode.NOT_FOUND, f"no deployment {params.target!r}")
        return {
            "command": params.command,
            "deployment": deployment_view(record, self.routing) if record else None,
        }


def rpc_server(bus: Bus, methods: RelayMethods) -> RpcServer:
    """relaycore's ``RpcServer`` with every method registered; start it once the bus is up."""
    server = RpcServer(bus, SERVICE)
    methods.register_on(server)
    return server
