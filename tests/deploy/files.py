"""Where the deployment files are, the tools that check them, and a compose interpolator."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sysconfig
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from automatrix.shared.launcher.config import DEFAULT_SERVICE_PORTS
from automatrix.shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = ROOT / "compose.yaml"
COMPOSE_DEV = ROOT / "compose.dev.yaml"
ENV_EXAMPLE = DEPLOY / "compose.env.example"
K8S = DEPLOY / "k8s"
# The services' HTTP ports in a container: the ports they default to (the launcher's too).
PORTS = dict(DEFAULT_SERVICE_PORTS)


def tool(name: str) -> str:
    """A command installed beside this interpreter (the dev dependencies), or a clear failure."""
    path = Path(sysconfig.get_path("scripts")) / name
    if not path.exists():
        pytest.fail(
            f"{name} is not installed in {path.parent}: it is a dev dependency (make setup)"
        )
    return str(path)


def run(*argv: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def load_all(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def manifests() -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every Kubernetes resource under deploy/k8s, with the file it is in."""
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in load_all(path):
            yield path, doc


# Compose interpolation (compose-spec "interpolation"): $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d},
# ${VAR:?e}, ${VAR?e}, ${VAR:+r}, ${VAR+r}; defaults may nest ${...} themselves.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class MissingVariableError(ValueError):
    """A required ``${VAR:?message}`` was unset (or empty)."""


def _braced_end(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        if text.startswith("${", i):
            depth, i = depth + 1, i + 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unclosed ${{ in {text!r}")


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """``text`` with every variable reference replaced as ``docker compose`` would."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            end = _braced_end(text, i)
            out.append(_expand(text[i + 2 : end], env))
            i = end + 1
        elif text[i] == "$" and (match := _NAME.match(text, i + 1)):
            out.append(env.get(match[0], ""))
            i = match.end()
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _expand(body: str, env: Mapping[str, str]) -> str:
    match = _NAME.match(body)
    if match is None:
        raise ValueError(f"bad variable reference ${{{body}}}")
    name, rest = match[0], body[match.end() :]
    value = env.get(name)
    if not rest:
        return value or ""
    for op in (":-", ":?", ":+", "-", "?", "+"):
        if rest.startswith(op):
            arg = interpolate(rest[len(op) :], env)
            empty_counts = op.startswith(":")
            unset = value is None or (empty_counts and value == "")
            if op.endswith("-"):
                return arg if unset else str(value)
            if op.endswith("?"):
                if unset:
                    raise MissingVariableError(f"{name}: {arg}")
                return str(value)
            return "" if unset else arg
    raise ValueError(f"bad variable reference ${{{body}}}")


def interpolate_values(data: Any, env: Mapping[str, str]) -> Any:
    """The loaded compose file with every string value interpolated (comments never are)."""
    if isinstance(data, str):
        return interpolate(data, env)
    if isinstance(data, dict):
        return {key: interpolate_values(value, env) for key, value in data.items()}
    if isinstance(data, list):
        return [interpolate_values(item, env) for item in data]
    return data


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


def references(data: Any) -> dict[str, str]:
    """Each variable the loaded file's values reference, with its operator (``""`` if plain)."""
    found: dict[str, str] = {}
    for text in _strings(data):
        for match in re.finditer(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?", text):
            found.setdefault(match[1], match[2] or "")
            if match[2] in (":?", "?"):
                found[match[1]] = match[2]
    return found


def dump_yaml(data: Any, path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def env_example() -> dict[str, str]:
    """Variables deploy/compose.env.example names, set or commented out, with their values."""
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(\S*)", line)
        if match:
            values[match[1]] = match[2]
    return values


def settings_class(service: str) -> type[ServiceSettings]:
    """The service's own ``Settings``: what it reads from the environment."""
    module = importlib.import_module(f"automatrix.{service}.settings")
    cls = module.Settings
    assert isinstance(cls, type)
    assert issubclass(cls, ServiceSettings)
    return cls


# Read by libraries or by code outside the Settings classes, not by a Settings field.
OUTSIDE_SETTINGS = re.compile(
    r"^(OTEL_\w+|\w+_API_KEY|AUTOMATRIX_DEPLOYMENTS_FILE|AUTOMATRIX_DEPLOYMENT_\w+|PYTHONPATH)$"
)


def _fields(service: str) -> set[str]:
    return {name.upper() for name in settings_class(service).model_fields}


def check_service_environment(
    service: str,
    env: Mapping[str, str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    shared_with: tuple[str, ...] = (),
) -> ServiceSettings:
    """``env`` names only variables the service reads, and its Settings accept the values.

    ``shared_with``: other services the same variables go to (one ConfigMap for all), so a
    name any of them reads is in place.
    """
    fields = _fields(service)
    readers = fields.union(*(_fields(other) for other in shared_with))
    unknown = sorted(n for n in env if n not in readers and not OUTSIDE_SETTINGS.match(n))
    assert not unknown, f"no service reads a variable named {unknown}"
    for name in fields:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return settings_class(service)()
