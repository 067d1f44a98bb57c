"""Tracer and meter set-up from the standard ``OTEL_*`` environment variables."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from automatrix.shared.bus.tracing import use_tracer_provider

log = logging.getLogger(__name__)


def _endpoint(signal: str) -> str | None:
    return os.environ.get(f"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )


@dataclass
class Telemetry:
    """The providers this process installed; ``shutdown`` flushes what is buffered."""

    tracer_provider: TracerProvider | None = None
    meter_provider: MeterProvider | None = None
    exporting: list[str] = field(default_factory=list)

    def shutdown(self) -> None:
        if self.tracer_provider is not None:
            self.tracer_provider.shutdown()
        if self.meter_provider is not None:
            self.meter_provider.shutdown()


def setup_telemetry(service_name: str) -> Telemetry:
    """Export OTLP (http/protobuf) where an endpoint is configured; otherwise export nothing.

    Context propagation (W3C ``traceparent``) works either way, so a trace stays whole
    across processes even when only some of them export.
    """
    telemetry = Telemetry()
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return telemetry
    resource = Resource.create({SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME", service_name)})
    if _endpoint("TRACES") and os.environ.get("OTEL_TRACES_EXPORTER", "otlp") != "none":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider = TracerProvider(resource=resource)
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
        use_tracer_provider(provider)
        telemetry.tracer_provider = provider
        telemetry.exporting.append("traces")
    if _endpoint("METRICS") and os.environ.get("OTEL_METRICS_EXPORTER", "otlp") != "none":
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        meter_provider = MeterProvider(
            resource=resource, metric_readers=[PeriodicExportingMetricReader(OTLPMetricExporter())]
        )
        metrics.set_meter_provider(meter_provider)
        telemetry.meter_provider = meter_provider
        telemetry.exporting.append("metrics")
    if telemetry.exporting:
        log.info("OpenTelemetry exporting %s over OTLP", " and ".join(telemetry.exporting))
    return telemetry
