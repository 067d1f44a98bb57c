"""deploy/k8s: every manifest valid against Kubernetes' schemas, and wired as operators expect.

kubernetes-validate ships the OpenAPI schemas of each Kubernetes release (offline); strict
mode rejects unknown fields, so a misspelt key fails here rather than in ``kubectl apply``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest

from automatrix.shared.launcher.config import SERVICES
from tests.deploy.files import (
    DEPLOY,
    K8S,
    PORTS,
    check_service_environment,
    load_all,
    load_yaml,
    manifests,
    run,
    tool,
)

# The oldest Kubernetes still in wide use, and the newest kubernetes-validate knows.
VERSIONS = ("1.30.0", kubernetes_validate.latest_version())


def _resources() -> dict[tuple[str, str], dict[str, Any]]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for _, doc in manifests()}


def _container(deployment: dict[str, Any]) -> dict[str, Any]:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    found: dict[str, Any] = container
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_every_manifest_is_valid_against_the_kubernetes_schema(version: str) -> None:
    checked = 0
    for path, doc in manifests():
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{path.name}: {doc['kind']}/{doc['metadata']['name']}: {exc.message}")
        checked += 1
    assert checked >= 20


def test_the_validator_rejects_a_misspelt_field() -> None:
    deployment = _resources()[("Deployment", "relaycore")]
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSIONS[-1], strict=True)


def test_kustomization_applies_every_manifest_but_the_secret_example() -> None:
    kustomization = load_yaml(K8S / "kustomization.yaml")
    listed = set(kustomization["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present - {"secret.example.yaml"}
    assert kustomization["namespace"] == "automatrix"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_deployment_service_autoscaler_and_disruption_budget(name: str) -> None:
    resources = _resources()
    deployment = resources[("Deployment", name)]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()

    service = resources[("Service", name)]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["port"] == PORTS[name]

    autoscaler = resources[("HorizontalPodAutoscaler", name)]
    target = autoscaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", name)
    assert 1 <= autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]

    budget = resources[("PodDisruptionBudget", name)]
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()


@pytest.mark.parametrize("name", SERVICES)
def test_each_container_has_probes_resources_and_runs_unprivileged(name: str) -> None:
    deployment = _resources()[("Deployment", name)]
    container = _container(deployment)
    assert container["image"].startswith(f"automatrix/{name}:")
    (port,) = container["ports"]
    assert port == {"name": "http", "containerPort": PORTS[name]}
    assert container["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["startupProbe"]["httpGet"]["path"] == "/livez"
    for kind in ("requests", "limits"):
        assert set(container["resources"][kind]) == {"cpu", "memory"}, kind
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001  # the images' USER
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert pod["automountServiceAccountToken"] is False


@pytest.mark.parametrize("name", SERVICES)
def test_configuration_comes_from_the_configmap_and_secrets_from_the_secret(name: str) -> None:
    container = _container(_resources()[("Deployment", name)])
    assert container["envFrom"] == [{"configMapRef": {"name": "automatrix-config"}}]
    example = load_all(K8S / "secret.example.yaml")[0]
    for variable in container["env"]:
        if "valueFrom" in variable:
            ref = variable["valueFrom"]["secretKeyRef"]
            assert ref["name"] == "automatrix-secrets"
            assert ref["key"] in example["stringData"], ref
        else:
            assert variable == {"name": "HTTP_PORT", "value": str(PORTS[name])}
    assert "REDIS_URL" in {v["name"] for v in container["env"]}


def test_the_configmap_asks_for_replicated_streams_and_holds_no_secret() -> None:
    config = _resources()[("ConfigMap", "automatrix-config")]["data"]
    assert config["BUS_STREAM_REPLICAS"] == "3"
    assert config["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"] == "false"
    secret_keys = set(load_all(K8S / "secret.example.yaml")[0]["stringData"])
    assert not set(config) & secret_keys


def test_nats_is_a_three_node_jetstream_cluster(tmp_path: Path) -> None:
    resources = _resources()
    nats = resources[("StatefulSet", "nats")]
    assert nats["spec"]["replicas"] == 3
    assert nats["spec"]["serviceName"] == "nats-headless"
    assert nats["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    assert resources[("PodDisruptionBudget", "nats")]["spec"]["minAvailable"] == 2
    config = resources[("ConfigMap", "nats-config")]["data"]["nats.conf"]
    for ordinal in range(3):
        assert f"nats://nats-{ordinal}.nats-headless:6222" in config
    assert "sync_interval:" in config
    conf = tmp_path / "nats.conf"
    conf.write_text(config)
    done = run(tool("nats-server"), "-c", str(conf), "-t", env={"POD_NAME": "nats-0"})
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_collector_runs_the_configuration_compose_runs() -> None:
    config = _resources()[("ConfigMap", "otel-collector")]["data"]["config.yaml"]
    assert config == (DEPLOY / "otel" / "collector.yaml").read_text()


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_accepts_the_environment_its_pod_gets(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = _resources()
    env = dict(resources[("ConfigMap", "automatrix-config")]["data"])
    secret = load_all(K8S / "secret.example.yaml")[0]["stringData"]
    for variable in _container(resources[("Deployment", name)])["env"]:
        if "valueFrom" in variable:
            env[variable["name"]] = secret[variable["valueFrom"]["secretKeyRef"]["key"]]
        else:
            env[variable["name"]] = variable["value"]
    settings = check_service_environment(name, env, monkeypatch, shared_with=SERVICES)
    assert settings.http_port == PORTS[name]
    assert settings.bus_stream_replicas == 3
