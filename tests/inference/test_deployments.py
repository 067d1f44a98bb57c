"""Deployment configuration: built-in defaults, a TOML file, environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from automatrix.inference.deployments import (
    Deployment,
    DeploymentConfigError,
    load_deployments,
)
from automatrix.shared.contracts import Tier

EXAMPLE = """
[deployments.vllm-llama3]
model = "openai/meta-llama/Meta-Llama-3.1-8B-Instruct"
api_base = "http://vllm.internal:8000/v1"
model_group = "llama3-8b"
tier = "heavy"
capabilities = { chat = 0.7, code = 0.6 }
cost_per_1k_input = 0.01

[deployments.gemma3-270m]
timeout_s = 30
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deployments.toml"
    path.write_text(text)
    return path


def test_a_toml_file_adds_deployments_and_merges_over_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)

    loaded = load_deployments({"AUTOMATRIX_DEPLOYMENTS_FILE": str(path)})

    assert set(loaded) == {"minilm-embed", "gemma3-270m", "vllm-llama3"}
    vllm = loaded["vllm-llama3"]
    assert (vllm.model_group, vllm.tier, vllm.concurrency) == ("llama3-8b", Tier.HEAVY, 2)
    assert vllm.capabilities == {"chat": 0.7, "code": 0.6}
    assert loaded["gemma3-270m"].timeout_s == 30
    assert loaded["gemma3-270m"].backend == "local"
    assert loaded["minilm-embed"].kind == "embedding"


def test_the_shipped_example_file_loads() -> None:
    example = Path(__file__).resolve().parents[2] / "deploy" / "deployments.example.toml"
    keys = {"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k", "GROQ_API_KEY": "k"}

    loaded = load_deployments({**keys, "VLLM_API_KEY": "k"}, path=example)

    assert {"gpt-4o-mini", "claude-3-5-haiku", "groq-llama-3-1-8b", "vllm-llama3"} <= set(loaded)


def test_remote_defaults_need_their_key_variable() -> None:
    without = load_deployments({})
    with_keys = load_deployments({"OPENAI_API_KEY": "k", "GROQ_API_KEY": "k"})

    assert set(without) == {"minilm-embed", "gemma3-270m"}
    assert set(with_keys) == {"minilm-embed", "gemma3-270m", "gpt-4o-mini", "groq-llama-3-1-8b"}
    assert with_keys["gpt-4o-mini"].api_key_env == "OPENAI_API_KEY"
    assert with_keys["groq-llama-3-1-8b"].concurrency == Tier.FAST.default_concurrency


def test_environment_variables_override_and_add_deployments() -> None:
    environ = {
        "AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_CONCURRENCY": "3",
        "AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_CAPABILITIES": "chat=0.4, summarization=0.3",
        "AUTOMATRIX_DEPLOYMENT_MINILM_EMBED_ENABLED": "false",
        "AUTOMATRIX_DEPLOYMENT_MY_LLM_MODEL": "openai/my-llm",
        "AUTOMATRIX_DEPLOYMENT_MY_LLM_API_BASE": "http://127.0.0.1:9/v1",
        "AUTOMATRIX_DEPLOYMENT_MY_LLM_MODEL_GROUP": "mine",
        "AUTOMATRIX_DEPLOYMENT_MY_LLM_COST_PER_1K_OUTPUT": "0.5",
    }

    loaded = load_deployments(environ)

    assert set(loaded) == {"gemma3-270m", "my_llm"}
    assert loaded["gemma3-270m"].concurrency == 3
    assert loaded["gemma3-270m"].capabilities == {"chat": 0.4, "summarization": 0.3}
    mine = loaded["my_llm"]
    assert (mine.model, mine.model_group, mine.cost_per_1k_output) == ("openai/my-llm", "mine", 0.5)
    assert mine.concurrency == Tier.MEDIUM.default_concurrency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[deployments.x\nmodel = 1", ["invalid TOML"]),
        ('[deployments.x]\nmodel = "openai/x"\ntier = "huge"', ["deployments.x.tier"]),
        ('[deployments.x]\nmodel = "openai/x"\ncolour = "red"', ["deployments.x.colour"]),
        ('[deployments.x]\nmodel = "gpt-4o"', ["deployments.x", "provider/model"]),
        ('[deployments."a.b"]\nmodel = "openai/x"', ["deployments.a.b.name"]),
        ('[deployment.x]\nmodel = "openai/x"', ["unknown top-level key"]),
    ],
    ids=["toml-syntax", "bad-tier", "unknown-field", "no-provider", "bad-name", "bad-top-level"],
)
def test_a_bad_file_is_a_clear_error_naming_the_file_and_field(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = write(tmp_path, text)

    with pytest.raises(DeploymentConfigError) as caught:
        load_deployments({}, path=path)

    assert str(path) in str(caught.value)
    for fragment in expected:
        assert fragment in str(caught.value)


def test_a_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(DeploymentConfigError) as bad_value:
        load_deployments({"AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_TIMEOUT_S": "-1"})
    with pytest.raises(DeploymentConfigError) as no_field:
        load_deployments({"AUTOMATRIX_DEPLOYMENT_GEMMA3_270M": "x"})
    with pytest.raises(DeploymentConfigError) as missing:
        load_deployments({"AUTOMATRIX_DEPLOYMENTS_FILE": str(tmp_path / "nope.toml")})

    assert "AUTOMATRIX_DEPLOYMENT_GEMMA3_270M_TIMEOUT_S" in str(bad_value.value)
    assert "deployments.gemma3-270m.timeout_s" in str(bad_value.value)
    assert "AUTOMATRIX_DEPLOYMENT_GEMMA3_270M" in str(no_field.value)
    assert "nope.toml" in str(missing.value)
    assert "not found" in str(missing.value)


def test_a_deployment_never_holds_a_key_only_the_name_of_its_variable() -> None:
    deployment = Deployment(name="d", model="openai/x", api_key_env="SOME_KEY")

    assert deployment.api_key({"SOME_KEY": "sk-1"}) == "sk-1"
    assert "api_key_env" not in deployment.registry_payload()
    assert deployment.registry_payload()["concurrency"] == Tier.MEDIUM.default_concurrency
    assert deployment.api_key({}) is None
    with pytest.raises(ValueError, match="api_key_env"):
        Deployment(name="d", model="openai/x", api_key_env="sk-live key")
