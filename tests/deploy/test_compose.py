"""compose.yaml (and the development override) checked statically: Docker does not run here.

The schema is the Compose Specification's, as vendored by check-jsonschema
(``--builtin-schema vendor.compose-spec``); the file is checked as written and once more
after interpolation with the variables deploy/compose.env.example documents.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from automatrix.shared.launcher.config import SERVICES
from tests.deploy.files import (
    COMPOSE,
    COMPOSE_DEV,
    DEPLOY,
    ENV_EXAMPLE,
    PORTS,
    ROOT,
    MissingVariableError,
    check_service_environment,
    dump_yaml,
    env_example,
    interpolate,
    interpolate_values,
    load_yaml,
    references,
    run,
    tool,
)

REQUIRED = {"AUTOMATRIX_MASTER_KEY", "MONGO_PASSWORD", "QDRANT_API_KEY", "GRAFANA_ADMIN_PASSWORD"}
WHOLE_SYSTEM = {
    "nats",
    "redis",
    "mongodb",
    "qdrant",
    "triton",
    *SERVICES,
    "otel-collector",
    "jaeger",
    "prometheus",
    "grafana",
}
# Images without a shell or an HTTP client: nothing can probe them from inside.
NO_HEALTHCHECK = {"otel-collector", "jaeger"}


def _schema_check(*paths: Path) -> tuple[int, str]:
    done = run(
        tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", *map(str, paths)
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(COMPOSE)
    return data


def _filled_env() -> dict[str, str]:
    env = {name: value for name, value in env_example().items() if value}
    env.update({name: f"am-test-{name.lower()}" for name in REQUIRED})
    return env


def test_the_compose_files_follow_the_compose_specification() -> None:
    code, output = _schema_check(COMPOSE, COMPOSE_DEV)
    assert code == 0, output


def test_the_schema_check_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    broken.write_text(
        "services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: healthy\n"
    )
    code, output = _schema_check(broken)
    assert code != 0
    assert "service_healthy" in output


def test_interpolated_with_the_documented_variables_it_is_still_valid(tmp_path: Path) -> None:
    rendered = [
        dump_yaml(interpolate_values(load_yaml(source), _filled_env()), tmp_path / source.name)
        for source in (COMPOSE, COMPOSE_DEV)
    ]
    assert not [path for path in rendered if "${" in path.read_text()]
    code, output = _schema_check(*rendered)
    assert code == 0, output


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_compose_refuses_to_start_without_a_required_variable(missing: str) -> None:
    env = {k: v for k, v in _filled_env().items() if k != missing}
    with pytest.raises(MissingVariableError, match=rf"^{missing}: set {missing} in \.env"):
        interpolate_values(load_yaml(COMPOSE), env)


def test_required_variables_are_marked_and_every_variable_is_documented() -> None:
    used = references(load_yaml(COMPOSE)) | references(load_yaml(COMPOSE_DEV))
    assert {name for name, op in used.items() if op in (":?", "?")} == REQUIRED
    documented = env_example()
    assert not sorted(set(used) - set(documented)), "variables missing from compose.env.example"
    for name in REQUIRED:
        assert re.search(rf"^{name}=$", ENV_EXAMPLE.read_text(), re.MULTILINE), name


def test_yaml_is_clean_under_yamllint() -> None:
    done = run(
        tool("yamllint"),
        "-c",
        str(DEPLOY / "yamllint.yaml"),
        "-s",
        str(COMPOSE),
        str(COMPOSE_DEV),
        str(DEPLOY),
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_it_runs_the_whole_system(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == WHOLE_SYSTEM


def test_waits_are_on_healthchecks_that_exist(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, service in services.items():
        built = "build" in service  # our images: HEALTHCHECK in their Dockerfile
        if name not in NO_HEALTHCHECK and not built:
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        depends = service.get("depends_on", {})
        for target, rule in depends.items() if isinstance(depends, dict) else ():
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target] or "build" in services[target], (
                    f"{name} waits for {target} to be healthy, which has no healthcheck"
                )
    for name in SERVICES:
        depends = services[name]["depends_on"]
        assert depends["nats"]["condition"] == depends["redis"]["condition"] == "service_healthy"


def test_each_service_is_built_from_its_own_dockerfile_and_configured_by_environment(
    compose: dict[str, Any],
) -> None:
    for name in SERVICES:
        service = compose["services"][name]
        assert service["build"] == {"context": ".", "dockerfile": f"services/{name}/Dockerfile"}
        assert (ROOT / service["build"]["dockerfile"]).is_file()
        env = service["environment"]
        assert env["HTTP_PORT"] == str(PORTS[name])
        assert env["HTTP_HOST"] == "0.0.0.0"
        assert env["NATS_URL"] == "nats://nats:4222"
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
        capture = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
        assert interpolate(env[capture], {}) == "false", "message capture must default to off"
        assert service["read_only"] is True
        assert "ALL" in service["cap_drop"]
    assert compose["services"]["inference"]["shm_size"]


def test_nats_runs_jetstream_on_a_volume_with_a_deliberate_sync_interval(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    nats = compose["services"]["nats"]
    config_mount = next(v for v in nats["volumes"] if v.endswith(":/etc/nats/nats.conf:ro"))
    config = ROOT / config_mount.split(":")[0]
    text = config.read_text()
    assert re.search(r"^\s*sync_interval:\s*\S+", text, re.MULTILINE), "sync_interval not set"
    store = re.search(r"^\s*store_dir:\s*(\S+)", text, re.MULTILINE)
    assert store is not None
    assert f"nats-data:{store[1]}" in nats["volumes"], "JetStream's store_dir is not on a volume"
    done = run(tool("nats-server"), "-c", str(config), "-t")
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "nats.conf"
    broken.write_text(text.replace("sync_interval: always", "sync_interval: sometimes"))
    assert run(tool("nats-server"), "-c", str(broken), "-t").returncode != 0


def test_the_development_override_only_adds_to_known_services(compose: dict[str, Any]) -> None:
    dev = load_yaml(COMPOSE_DEV)
    assert set(dev["services"]) <= set(compose["services"])
    for name in SERVICES:
        mounts = dev["services"][name]["volumes"]
        assert f"./services/{name}/src:/src/services/{name}/src:ro" in mounts


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_accepts_the_environment_compose_gives_it(
    name: str, compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    env = interpolate_values(compose["services"][name]["environment"], _filled_env())
    settings = check_service_environment(name, env, monkeypatch)
    assert settings.http_port == PORTS[name]
    assert settings.bus_stream_replicas == 1
