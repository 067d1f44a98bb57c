"""The gateway's own HTTP API, called in-process on a caller's behalf.

An MCP tool that asks a question, or ``POST /api/tasks``, goes through exactly the route a
client would use (authentication, rate limits, cache, classification, metrics) instead of a
second copy of that path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from starlette.types import ASGIApp


class Loopback:
    """An HTTP client bound to the gateway's ASGI app; no socket involved."""

    def __init__(self, app: ASGIApp, *, timeout_s: float) -> None:
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://gateway.internal",
            timeout=timeout_s,
        )

    async def post(
        self, path: str, body: dict[str, Any], caller: Mapping[str, str]
    ) -> httpx.Response:
        """POST ``body`` to ``path`` with the caller's credential headers."""
        return await self._client.post(path, json=body, headers=credentials(caller))

    async def close(self) -> None:
        await self._client.aclose()


CREDENTIAL_HEADERS = ("authorization", "x-api-key")


def credentials(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers that carry who the caller is, and nothing else."""
    lowered = {k.lower(): v for k, v in headers.items()}
    return {name: lowered[name] for name in CREDENTIAL_HEADERS if name in lowered}
