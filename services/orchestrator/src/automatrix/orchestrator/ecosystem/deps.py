"""What the ecosystem routes, the feed and the MCP tools share, built once per gateway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from automatrix.orchestrator.api.deps import PrincipalDep
from automatrix.orchestrator.api.errors import ApiError
from automatrix.orchestrator.auth import Principal
from automatrix.orchestrator.ecosystem.board import StatusBoard
from automatrix.orchestrator.ecosystem.feed import Feed
from automatrix.orchestrator.ecosystem.loopback import Loopback
from automatrix.orchestrator.ecosystem.tasks import recent_jobs
from automatrix.orchestrator.jobs import JobStore
from automatrix.shared.bus import Bus
from automatrix.shared.contracts.gateway import JobRecord
from automatrix.shared.rpc import RpcClient

NEUROWEAVER_TIMEOUT_S = 30.0
"""Training starts in the background, but optimization and predictions may take a moment."""


@dataclass
class Ecosystem:
    """The platform as the ecosystem API sees it: services over request-reply, live state."""

    bus: Bus
    rpc: RpcClient
    board: StatusBoard
    feed: Feed
    jobs: JobStore
    loopback: Loopback

    async def relaycore(self, method: str, **params: Any) -> Any:
        return await self.rpc.call("relaycore", method, params)

    async def neuroweaver(self, method: str, params: dict[str, Any]) -> Any:
        return await self.rpc.call("neuroweaver", method, params, timeout_s=NEUROWEAVER_TIMEOUT_S)

    async def control(
        self,
        who: Principal,
        command: str,
        target: str,
        *,
        reason: str = "",
        payload: dict[str, Any] | None = None,
    ) -> Any:
        """A registry command applied by relaycore; its answer is the deployment as it is now."""
        return await self.relaycore(
            "control",
            command=command,
            target=target,
            issued_by=who.key_id,
            reason=reason,
            payload=payload or {},
        )

    async def tasks(self, tenant: str, *, limit: int) -> list[JobRecord]:
        return await recent_jobs(self.bus.js, tenant=tenant, limit=limit)


def ecosystem(request: Request) -> Ecosystem:
    eco: Ecosystem | None = getattr(request.app.state, "ecosystem", None)
    if eco is None:
        raise ApiError(503, "the gateway is starting", code="starting", retry_after_s=1)
    return eco


EcosystemDep = Annotated[Ecosystem, Depends(ecosystem)]


def admin(who: PrincipalDep) -> Principal:
    """The caller, if it may change the platform; 403 otherwise."""
    if not who.admin:
        raise ApiError(403, "this operation needs an admin key", code="admin_required")
    return who


AdminDep = Annotated[Principal, Depends(admin)]
