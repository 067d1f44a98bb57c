"""Deployments ("agents"): a model on a backend, loaded from defaults, a TOML file and the env.

Sources, each overriding the one before field by field:

1. built-in defaults: the local ``minilm-embed`` and ``gemma3-270m``, plus ``gpt-4o-mini``,
   ``claude-3-5-haiku`` and ``groq-llama-3-1-8b`` when their key variable is set;
2. the TOML file named by ``AUTOMATRIX_DEPLOYMENTS_FILE``: one ``[deployments.<name>]``
   table per deployment (see ``deploy/deployments.example.toml``);
3. environment variables ``AUTOMATRIX_DEPLOYMENT_<NAME>_<FIELD>``, e.g.
   ``AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_TIMEOUT_S=30``. ``<NAME>`` matches an existing
   deployment ignoring case and ``-``/``_``, else names a new one (lower-cased);
   ``CAPABILITIES`` is ``code=0.8,chat=0.6`` or a JSON object.

A deployment with ``enabled = false``, or whose ``api_key_env`` variable is unset, is dropped.
"""

from __future__ import annotations

import json
import logging
import os
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from automatrix.shared.contracts.base import SubjectToken
from automatrix.shared.contracts.inference import RequestKind, Usage
from automatrix.shared.contracts.inference_types import MODEL_PATTERN
from automatrix.shared.contracts.registry import CapabilityName, Proficiency, Tier

DEPLOYMENTS_FILE_ENV = "AUTOMATRIX_DEPLOYMENTS_FILE"
ENV_PREFIX = "AUTOMATRIX_DEPLOYMENT_"

log = logging.getLogger(__name__)


class Backend(StrEnum):
    """What runs a deployment's model."""

    LITELLM = "litellm"
    LOCAL = "local"


class Deployment(BaseModel):
    """One model on one backend, as registered with relaycore."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: SubjectToken = Field(description="Token in ``ai.v1.dispatch.<name>``.")
    enabled: bool = Field(default=True, description="False drops the deployment.")
    backend: Backend = Field(default=Backend.LITELLM)
    kind: RequestKind = Field(default=RequestKind.CHAT, description="Chat or embedding.")
    model: str = Field(
        min_length=1,
        max_length=256,
        description="litellm model (``provider/model``) or, for ``local``, the Triton model.",
    )
    model_group: str = Field(
        default="", pattern=MODEL_PATTERN, description="What requests name; default: the name."
    )
    tier: Tier = Field(default=Tier.MEDIUM)
    capabilities: dict[CapabilityName, Proficiency] = Field(default_factory=dict)
    cost_per_1k_input: float = Field(default=0.0, ge=0, description="USD per 1000 input tokens.")
    cost_per_1k_output: float = Field(default=0.0, ge=0, description="USD per 1000 output tokens.")
    concurrency: int = Field(
        default=Tier.MEDIUM.default_concurrency,
        ge=1,
        le=4096,
        description="Requests served at once; default by tier: fast 10, medium 5, heavy 2.",
    )
    api_base: str | None = Field(default=None, pattern=r"^https?://\S+$")
    api_key_env: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,127}$",
        description="Name of the environment variable holding the API key (never the key).",
    )
    timeout_s: float = Field(default=60.0, gt=0, le=3600)
    max_retries: int = Field(
        default=0, ge=0, le=10, description="Retries inside litellm; relaycore does its own."
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if not data.get("model_group") and isinstance(data.get("name"), str):
            data["model_group"] = data["name"]
        tier = data.get("tier", Tier.MEDIUM)
        if data.get("concurrency") is None and isinstance(tier, str) and tier in set(Tier):
            data["concurrency"] = Tier(tier).default_concurrency
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.backend is Backend.LITELLM and "/" not in self.model.strip("/"):
            raise ValueError(
                f"model {self.model!r}: a litellm model is 'provider/model', "
                "e.g. openai/gpt-4o-mini"
            )
        if self.backend is Backend.LOCAL and (self.api_base or self.api_key_env):
            raise ValueError("a local deployment takes no api_base or api_key_env")
        return self

    def registry_payload(self) -> dict[str, object]:
        """What relaycore's registry records: routing facts only, no address or key."""
        return self.model_dump(mode="json", include=_REGISTRY_FIELDS)

    def api_key(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The key, read now from the variable ``api_key_env`` names."""
        if self.api_key_env is None:
            return None
        return (os.environ if environ is None else environ).get(self.api_key_env) or None

    def cost(self, usage: Usage) -> float:
        """USD for this usage at the configured per-1k prices."""
        return (
            usage.input_tokens * self.cost_per_1k_input
            + usage.output_tokens * self.cost_per_1k_output
        ) / 1000


_REGISTRY_FIELDS = {
    "name", "backend", "kind", "model", "model_group", "tier", "capabilities",
    "cost_per_1k_input", "cost_per_1k_output", "concurrency", "timeout_s",
}  # fmt: skip


class DeploymentConfigError(ValueError):
    """A deployment source that cannot be used; the message names the source and field."""


_LOCAL_DEFAULTS: dict[str, dict[str, Any]] = {
    "minilm-embed": {
        "backend": "local",
        "kind": "embedding",
        "model": "minilm-embed",
        "tier": "fast",
        "capabilities": {"embedding": 1.0},
    },
    "gemma3-270m": {
        "backend": "local",
        "model": "gemma3-270m",
        "tier": "fast",
        "capabilities": {"chat": 0.3, "summarization": 0.2},
    },
}
_REMOTE_DEFAULTS: dict[str, dict[str, Any]] = {
    "gpt-4o-mini": {
        "model": "openai/gpt-4o-mini",
        "api_key_env": "OPENAI_API_KEY",
        "tier": "medium",
        "capabilities": {"chat": 0.8, "reasoning": 0.7, "code": 0.7, "summarization": 0.8},
        "cost_per_1k_input": 0.00015,
        "cost_per_1k_output": 0.0006,
    },
    "claude-3-5-haiku": {
        "model": "anthropic/claude-3-5-haiku-latest",
        "api_key_env": "ANTHROPIC_API_KEY",
        "tier": "medium",
        "capabilities": {"chat": 0.8, "reasoning": 0.7, "code": 0.7, "summarization": 0.8},
        "cost_per_1k_input": 0.0008,
        "cost_per_1k_output": 0.004,
    },
    "groq-llama-3-1-8b": {
        "model": "groq/llama-3.1-8b-instant",
        "api_key_env": "GROQ_API_KEY",
        "tier": "fast",
        "capabilities": {"chat": 0.6, "summarization": 0.5},
        "cost_per_1k_input": 0.00005,
        "cost_per_1k_output": 0.00008,
    },
}


def builtin_deployments(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Raw default entries: local models always, remote ones whose key variable is set."""
    entries = {name: dict(fields) for name, fields in _LOCAL_DEFAULTS.items()}
    for name, fields in _REMOTE_DEFAULTS.items():
        if environ.get(fields["api_key_env"]):
            entries[name] = dict(fields)
    return entries


def load_deployments(
    environ: Mapping[str, str] | None = None,
    *,
    path: Path | None = None,
    include_builtin: bool = True,
) -> dict[str, Deployment]:
    """Usable deployments by name, from defaults, the TOML file and environment variables."""
    environ = os.environ if environ is None else environ
    entries = builtin_deployments(environ) if include_builtin else {}
    origins: dict[tuple[str, str], str] = {}
    if path is None and environ.get(DEPLOYMENTS_FILE_ENV):
        path = Path(environ[DEPLOYMENTS_FILE_ENV])
    if path is not None:
        for name, fields in _read_file(path).items():
            entries.setdefault(name, {}).update(fields)
            origins.update({(name, field): str(path) for field in fields})
    for var, (name, field, value) in _env_overrides(environ, entries).items():
        entries.setdefault(name, {})[field] = value
        origins[(name, field)] = f"environment variable {var}"
    loaded = [_validate(name, fields, origins) for name, fields in entries.items()]
    usable = {}
    for deployment in (d for d in loaded if d.enabled):
        if deployment.api_key_env and deployment.api_key(environ) is None:
            log.warning(
                "deployment %s skipped: %s is not set", deployment.name, deployment.api_key_env
            )
        else:
            usable[deployment.name] = deployment
    return usable


def _read_file(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeploymentConfigError(f"{path}: deployments file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DeploymentConfigError(f"{path}: cannot read deployments file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise DeploymentConfigError(f"{path}: invalid TOML: {exc}") from None
    unknown = set(data) - {"deployments"}
    if unknown:
        raise DeploymentConfigError(
            f"{path}: unknown top-level key(s) {sorted(unknown)}; expected [deployments.<name>]"
        )
    tables = data.get("deployments", {})
    if not isinstance(tables, dict):
        raise DeploymentConfigError(f"{path}: 'deployments' must be a table of tables")
    for name, fields in tables.items():
        if not isinstance(fields, dict):
            raise DeploymentConfigError(f"{path}: deployments.{name} must be a table")
        if "name" in fields and fields["name"] != name:
            raise DeploymentConfigError(
                f"{path}: deployments.{name}.name: differs from the table name {name!r}"
            )
    return tables


def _env_overrides(
    environ: Mapping[str, str], entries: Mapping[str, Any]
) -> dict[str, tuple[str, str, Any]]:
    fields = sorted(
        (field for field in Deployment.model_fields if field != "name"), key=len, reverse=True
    )
    known = {_env_token(name): name for name in entries}
    found: dict[str, tuple[str, str, Any]] = {}
    for var, value in environ.items():
        if not var.startswith(ENV_PREFIX):
            continue
        rest = var.removeprefix(ENV_PREFIX)
        field = next((f for f in fields if rest.upper().endswith("_" + f.upper())), None)
        token = rest[: -len(field) - 1] if field else ""
        if field is None or not token:
            raise DeploymentConfigError(
                f"environment variable {var}: expected {ENV_PREFIX}<NAME>_<FIELD> with FIELD one "
                f"of {', '.join(sorted(f.upper() for f in fields))}"
            )
        name = known.get(_env_token(token), token.lower())
        parsed = _parse_capabilities(var, value) if field == "capabilities" else value
        found[var] = (name, field, parsed)
    return found


def _env_token(name: str) -> str:
    return name.upper().replace("-", "_")


def _parse_capabilities(var: str, value: str) -> dict[str, Any]:
    try:
        if value.lstrip().startswith("{"):
            parsed = json.loads(value)
            if not isinstance(parsed, dict):
                raise ValueError("not an object")
            return parsed
        pairs = (item.split("=", 1) for item in value.split(",") if item.strip())
        return {key.strip(): float(level) for key, level in pairs}
    except ValueError as exc:
        raise DeploymentConfigError(
            f"environment variable {var}: capabilities must be 'name=0.8,other=0.5' or a JSON "
            f"object ({exc})"
        ) from None


def _validate(
    name: str, fields: Mapping[str, Any], origins: Mapping[tuple[str, str], str]
) -> Deployment:
    try:
        return Deployment.model_validate({**fields, "name": name})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            field = loc[0] if loc else ""
            origin = origins.get((name, field)) or _any_origin(name, origins) or "built-in default"
            where = ".".join(["deployments", name, *loc])
            problems.append(f"{origin}: {where}: {error['msg']}")
        raise DeploymentConfigError("invalid deployment:\n  " + "\n  ".join(problems)) from None


def _any_origin(name: str, origins: Mapping[tuple[str, str], str]) -> str | None:
    return next((origin for (owner, _), origin in origins.items() if owner == name), None)
