"""A real OTLP/HTTP receiver for tests: collects exported spans so a test can assert on them."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web
from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span

PROTOBUF = "application/x-protobuf"


@dataclass(frozen=True, slots=True)
class SpanRecord:
    """One exported span, reduced to what tests assert on."""

    trace_id: str
    span_id: str
    parent_span_id: str
    name: str
    kind: str
    """``internal``, ``server``, ``client``, ``producer`` or ``consumer``."""
    service: str
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def is_root(self) -> bool:
        return not self.parent_span_id


def _value(value: AnyValue) -> Any:
    which = value.WhichOneof("value")
    if which is None:
        return None
    if which == "array_value":
        return [_value(item) for item in value.array_value.values]
    if which == "kvlist_value":
        return _attributes(value.kvlist_value.values)
    return getattr(value, which)


def _attributes(pairs: Iterable[KeyValue]) -> dict[str, Any]:
    return {pair.key: _value(pair.value) for pair in pairs}


def _kind(kind: int) -> str:
    return str(Span.SpanKind.Name(kind)).removeprefix("SPAN_KIND_").lower()


def decode_spans(body: bytes) -> list[SpanRecord]:
    """The spans of one ``ExportTraceServiceRequest``, each with its resource's service name."""
    request = ExportTraceServiceRequest.FromString(body)
    records = []
    for resource_spans in request.resource_spans:
        service = str(_attributes(resource_spans.resource.attributes).get("service.name", ""))
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                records.append(
                    SpanRecord(
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex(),
                        name=span.name,
                        kind=_kind(span.kind),
                        service=service,
                        attributes=_attributes(span.attributes),
                    )
                )
    return records


class OtlpSink:
    """An aiohttp server on a free port taking ``POST /v1/traces`` and ``/v1/metrics``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.spans: list[SpanRecord] = []
        self.metric_exports = 0
        self.errors: list[str] = []
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/v1/traces", self._traces)
        app.router.add_post("/v1/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)

    @property
    def endpoint(self) -> str:
        """The value for ``OTEL_EXPORTER_OTLP_ENDPOINT``."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        sock = socket.socket()
        sock.bind((self.host, 0))
        self.port = int(sock.getsockname()[1])
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def __aenter__(self) -> OtlpSink:
        await self.start()
        return self

    async def __aexit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def _traces(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            records = decode_spans(body)
        except DecodeError as exc:
            # Recorded, not raised: a test waiting on spans reports it in its failure.
            self.errors.append(f"/v1/traces: {len(body)} bytes not an export request: {exc}")
            return web.Response(status=400, text=str(exc))
        async with self._changed:
            self.spans.extend(records)
            self._changed.notify_all()
        return web.Response(
            body=ExportTraceServiceResponse().SerializeToString(), content_type=PROTOBUF
        )

    async def _metrics(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            ExportMetricsServiceRequest.FromString(body)
        except DecodeError as exc:
            self.errors.append(f"/v1/metrics: {len(body)} bytes not an export request: {exc}")
            return web.Response(status=400, text=str(exc))
        self.metric_exports += 1
        return web.Response(
            body=ExportMetricsServiceResponse().SerializeToString(), content_type=PROTOBUF
        )

    async def wait_for(
        self, predicate: Callable[[list[SpanRecord]], bool], *, within: float, what: str
    ) -> list[SpanRecord]:
        """Wait up to ``within`` seconds for ``predicate(spans)``; fail naming ``what``."""
        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(lambda: predicate(self.spans))
        except TimeoutError:
            raise AssertionError(
                f"timed out after {within}s waiting for {what}; got {len(self.spans)} spans:\n"
                + "\n".join(f"  {s.service} {s.kind} {s.name!r} {s.trace_id}" for s in self.spans)
                + "".join(f"\n  error: {e}" for e in self.errors)
            ) from None
        return list(self.spans)
