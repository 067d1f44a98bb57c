"""A SERVER span per API request, so classification, cache and the bus hops share one trace."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from automatrix.shared.bus.tracing import serving

TRACED_PREFIXES = ("/v1/", "/api/")
FASTAPI_TELEMETRY = "fastapi.telemetry"


class RequestSpans:
    """Starts the span before routing; the handler's spans and publishes become its children."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            # FastAPI's native telemetry would open a second SERVER span beside this one
            # (and trace every health probe): the key tells it the request is observed.
            scope[FASTAPI_TELEMETRY] = None
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(TRACED_PREFIXES):
            await self.app(scope, receive, send)
            return
        method: str = scope.get("method", "GET")
        headers = {
            key.decode("latin-1"): value.decode("latin-1")
            for key, value in scope.get("headers", ())
            if key in (b"traceparent", b"tracestate")
        }
        attributes: dict[str, str | int] = {
            "http.request.method": method,
            "url.path": path,
            "server.port": (scope.get("server") or ("", 0))[1],
        }
        with serving(f"{method} {path}", headers, attributes) as span:

            async def traced_send(message: Message) -> None:
                if span is not None and message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", int(message["status"]))
                await send(message)

            await self.app(scope, receive, traced_send)
