"""The collector, Prometheus and Grafana files: consistent with each other and with compose.yaml.

Which metrics the dashboards query is checked against the running services in
test_running_system.py; here, that every file parses and points where it should.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from automatrix.shared.launcher.config import SERVICES
from tests.deploy.files import COMPOSE, DEPLOY, PORTS, load_yaml, run
from tests.deploy.promql import exported_names, metric_names

DASHBOARDS = DEPLOY / "grafana" / "dashboards"
PROVISIONING = DEPLOY / "grafana" / "provisioning"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(COMPOSE)
    return data


def _dashboards() -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(DASHBOARDS.glob("*.json"))]


def test_the_collector_sends_traces_to_jaeger_and_metrics_to_prometheus() -> None:
    config = load_yaml(DEPLOY / "otel" / "collector.yaml")
    protocols = config["receivers"]["otlp"]["protocols"]
    assert protocols["grpc"]["endpoint"].endswith(":4317")
    assert protocols["http"]["endpoint"].endswith(":4318")
    pipelines = config["service"]["pipelines"]
    assert pipelines["traces"]["receivers"] == pipelines["metrics"]["receivers"] == ["otlp"]
    assert pipelines["traces"]["exporters"] == ["otlp/jaeger"]
    assert pipelines["metrics"]["exporters"] == ["prometheus"]
    for pipeline in pipelines.values():
        for kind in ("receivers", "processors", "exporters"):
            for component in pipeline.get(kind, []):
                assert component in config[kind], f"{component} is used but not defined"
    assert config["exporters"]["otlp/jaeger"]["endpoint"] == "${env:JAEGER_OTLP_ENDPOINT}"


def test_compose_wires_the_collector_to_jaeger(compose: dict[str, Any]) -> None:
    collector = compose["services"]["otel-collector"]
    assert collector["environment"]["JAEGER_OTLP_ENDPOINT"] == "jaeger:4317"
    assert "./deploy/otel/collector.yaml:/etc/otelcol/config.yaml:ro" in collector["volumes"]


def test_prometheus_scrapes_every_service_triton_and_the_collector(
    compose: dict[str, Any],
) -> None:
    config = load_yaml(DEPLOY / "prometheus" / "prometheus.yml")
    targets = {
        job["job_name"]: [t for group in job["static_configs"] for t in group["targets"]]
        for job in config["scrape_configs"]
    }
    for name in SERVICES:
        # The job is named after the service: the dashboards select by it.
        assert targets[name] == [f"{name}:{PORTS[name]}"]
        assert compose["services"][name]["environment"]["HTTP_PORT"] == str(PORTS[name])
    assert targets["triton"] == ["triton:8002"]
    assert "--metrics-port=8002" in compose["services"]["triton"]["command"]
    collector = load_yaml(DEPLOY / "otel" / "collector.yaml")
    port = collector["exporters"]["prometheus"]["endpoint"].rsplit(":", 1)[1]
    assert targets["otel-collector"] == [f"otel-collector:{port}"]
    for target in (t for ts in targets.values() for t in ts):
        assert target.split(":")[0] in compose["services"], target


def test_grafana_is_provisioned_with_both_data_sources_and_the_dashboards(
    compose: dict[str, Any],
) -> None:
    sources = load_yaml(PROVISIONING / "datasources" / "automatrix.yaml")["datasources"]
    by_uid = {source["uid"]: source for source in sources}
    assert by_uid["prometheus"]["url"] == "http://prometheus:9090"
    assert by_uid["jaeger"]["url"] == "http://jaeger:16686"
    (provider,) = load_yaml(PROVISIONING / "dashboards" / "automatrix.yaml")["providers"]
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./deploy/grafana/dashboards:{provider['options']['path']}:ro" in mounts
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in mounts


def test_every_dashboard_parses_and_every_panel_queries_prometheus() -> None:
    dashboards = _dashboards()
    assert {d["uid"] for d in dashboards} == {
        "automatrix-gateway",
        "automatrix-routing",
        "automatrix-bus",
    }
    for dashboard in dashboards:
        variables = {v["name"]: v for v in dashboard["templating"]["list"]}
        assert variables["datasource"]["query"] == "prometheus"
        ids = [panel["id"] for panel in dashboard["panels"]]
        assert len(ids) == len(set(ids)), f"{dashboard['uid']}: panel ids repeat"
        for panel in dashboard["panels"]:
            if panel["type"] == "row":
                continue
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            assert panel["targets"], panel["title"]
            for target in panel["targets"]:
                assert metric_names(target["expr"]), (panel["title"], target["expr"])


def test_the_dashboards_cover_what_operators_watch() -> None:
    queried = {
        name
        for dashboard in _dashboards()
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        for name in metric_names(target["expr"])
    }
    wanted = {
        "gateway latency": "automatrix_gateway_request_seconds_bucket",
        "gateway throughput": "automatrix_gateway_request_seconds_count",
        "cache hit rate": "automatrix_gateway_cache_total",
        "queue depth per priority": "automatrix_gateway_queue_depth",
        "breaker states": "automatrix_relay_breaker_open",
        "provider errors": "automatrix_inference_requests_total",
        "training progress": "automatrix_bus_published_total",
        "triton": "nv_inference_request_success",
        "bus fallback": "automatrix_bus_fallback_total",
        "bus replay": "automatrix_bus_replayed_total",
    }
    assert not {what: name for what, name in wanted.items() if name not in queried}


def test_the_dashboard_files_are_what_the_generator_writes() -> None:
    done = run(sys.executable, str(DEPLOY / "grafana" / "generate.py"), "--check")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        (
            "histogram_quantile(0.95, sum by (le, route) "
            "(rate(automatrix_gateway_request_seconds_bucket[$__rate_interval])))",
            {"automatrix_gateway_request_seconds_bucket"},
        ),
        (
            'sum(rate(a_total{outcome=~"hit-.*"}[5m])) / sum(rate(b_total{x="rate"}[5m]))',
            {"a_total", "b_total"},
        ),
        (
            "max by (deployment) (automatrix_relay_breaker_open) > bool 0",
            {"automatrix_relay_breaker_open"},
        ),
        ("sum(increase(x_total[$__range])) or vector(0)", {"x_total"}),
        (
            "up{job='relaycore'} * on (instance) group_left (version) build_info",
            {"up", "build_info"},
        ),
    ],
)
def test_metric_names_are_read_from_promql(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names


def test_exported_names_include_metrics_not_sampled_yet() -> None:
    exposition = (
        "# HELP a_total x\n# TYPE a_total counter\n"
        "# HELP h_seconds y\n# TYPE h_seconds histogram\n"
        "# HELP nv_success z\n# TYPE nv_success counter\n"
        'nv_success{model="m"} 3\n'
    )
    assert exported_names(exposition) == {
        "a_total",
        "a_created",
        "h_seconds_bucket",
        "h_seconds_count",
        "h_seconds_sum",
        "h_seconds_created",
        "nv_success",
        "nv_success_created",
    }
