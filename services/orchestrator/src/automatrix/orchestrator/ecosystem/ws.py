"""``/api/v2/ws/ecosystem``: the live feed over a WebSocket.

Authentication, before anything is sent: an ``Authorization: Bearer <key>`` or ``x-api-key``
header (any client that can set headers), or, from a browser, the subprotocols
``["automatrix.v1", "bearer.<key>"]`` (``new WebSocket(url, [...])``); the server answers
with ``automatrix.v1``. Without a valid credential the socket is closed with code 4401 (4403
for a revoked or refused one) and the reason. Then the server sends a ``hello``, a
``snapshot`` at once and every second, and ``deployment``, ``request`` and ``training``
events as they happen; a client may send ``{"type": "ping"}`` and gets a ``pong``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from automatrix.orchestrator.api.deps import Context
from automatrix.orchestrator.auth import AuthError, Principal
from automatrix.orchestrator.ecosystem.deps import Ecosystem
from automatrix.orchestrator.ecosystem.feed import Listener, message
from automatrix.shared.tasks import cancel_and_wait

router = APIRouter()

PROTOCOL = "automatrix.v1"
BEARER_PROTOCOL_PREFIX = "bearer."
UNAUTHORIZED = 4401
FORBIDDEN = 4403
UNAVAILABLE = 4503
MAX_REASON = 120
"""A close frame's reason must fit in 123 bytes."""


def credential_headers(websocket: WebSocket) -> tuple[str | None, str | None]:
    """(Authorization, x-api-key) from the headers, or from a ``bearer.<key>`` subprotocol."""
    authorization = websocket.headers.get("authorization")
    api_key = websocket.headers.get("x-api-key")
    for offered in websocket.scope.get("subprotocols", []):
        if offered.startswith(BEARER_PROTOCOL_PREFIX) and not authorization:
            authorization = f"Bearer {offered.removeprefix(BEARER_PROTOCOL_PREFIX)}"
    return authorization, api_key


@router.websocket("/api/v2/ws/ecosystem")
async def ecosystem_feed(websocket: WebSocket) -> None:
    offered = websocket.scope.get("subprotocols", [])
    await websocket.accept(subprotocol=PROTOCOL if PROTOCOL in offered else None)
    ctx: Context | None = getattr(websocket.app.state, "context", None)
    eco: Ecosystem | None = getattr(websocket.app.state, "ecosystem", None)
    if ctx is None or eco is None:
        await websocket.close(UNAVAILABLE, "the gateway is starting")
        return
    try:
        authorization, api_key = credential_headers(websocket)
        who = ctx.auth.authenticate(authorization=authorization, api_key_header=api_key)
    except AuthError as exc:
        code = UNAUTHORIZED if exc.status == 401 else FORBIDDEN
        await websocket.close(code, exc.message[:MAX_REASON])
        return
    with eco.feed.listen(who) as listener:
        await websocket.send_json(message("hello", _hello(who)))
        sending = asyncio.create_task(_send(websocket, listener), name="ws-send")
        try:
            await _receive(websocket, listener)
        finally:
            await cancel_and_wait(sending)


def _hello(who: Principal) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "tenant": who.tenant,
        "admin": who.admin,
        "events": ["snapshot", "deployment", "request", "training"],
    }


async def _send(websocket: WebSocket, listener: Listener) -> None:
    while True:
        msg = await listener.queue.get()
        await websocket.send_text(json.dumps(msg, default=str))


async def _receive(websocket: WebSocket, listener: Listener) -> None:
    """Answer pings until the client goes away."""
    try:
        while True:
            text = await websocket.receive_text()
            try:
                incoming = json.loads(text)
            except ValueError:
                incoming = None
            if isinstance(incoming, dict) and incoming.get("type") == "ping":
                listener.offer(message("pong", None))
    except WebSocketDisconnect:
        return
