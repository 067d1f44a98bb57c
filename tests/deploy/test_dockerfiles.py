"""One Dockerfile per service: linted by hadolint, and built the way the conventions say.

Docker does not run here, so each image's install step is replayed instead: the same
``uv sync --package`` into a fresh environment, then every module of the service imported
there, so a module importing something its package does not declare fails this test as
it would fail the image build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from automatrix.shared.launcher.config import SERVICES
from tests.deploy.files import PORTS, ROOT, run, tool

DOCKERFILES = {name: ROOT / "services" / name / "Dockerfile" for name in SERVICES}
SECRET_WORDS = re.compile(r"KEY|SECRET|PASSWORD|TOKEN", re.IGNORECASE)
IMPORT_ALL = (
    "import importlib, pkgutil, sys; package = importlib.import_module(sys.argv[1]); "
    "names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.')]; "
    "[importlib.import_module(name) for name in names]; print(len(names))"
)


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def _final_stage(path: Path) -> list[tuple[str, str]]:
    instructions = _instructions(path)
    last_from = max(i for i, (op, _) in enumerate(instructions) if op == "FROM")
    return instructions[last_from:]


def test_there_is_one_dockerfile_per_service() -> None:
    assert {p.parent.name for p in (ROOT / "services").glob("*/Dockerfile")} == set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_the_dockerfile_passes_hadolint(name: str) -> None:
    done = run(tool("hadolint"), "--no-color", str(DOCKERFILES[name]))
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_fails_a_careless_dockerfile(tmp_path: Path) -> None:
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python:latest\nRUN apt-get install curl\nCMD python app.py\n")
    done = run(tool("hadolint"), "--no-color", str(careless))
    assert done.returncode != 0
    assert "DL3007" in done.stdout  # "latest" tag


@pytest.mark.parametrize("name", SERVICES)
def test_the_image_installs_only_its_own_package_and_runs_as_a_non_root_user(name: str) -> None:
    instructions = _instructions(DOCKERFILES[name])
    assert [op for op, _ in instructions].count("FROM") >= 2, "not a multi-stage build"
    syncs = [args for op, args in instructions if op == "RUN" and "uv sync" in args]
    assert len(syncs) == 2, syncs  # dependencies first (cached layer), then the package
    for sync in syncs:
        assert "--frozen" in sync
        assert "--no-dev" in sync
        assert f"--package automatrix-{name}" in sync
    assert "--no-install-workspace" in syncs[0]
    assert "--no-editable" in syncs[1]
    sources = {
        args.split()[0]
        for op, args in instructions
        if op == "COPY" and "--from" not in args and "pyproject.toml" not in args
    }
    assert sources == {"libs/shared/", f"services/{name}/"}, sources

    final = _final_stage(DOCKERFILES[name])
    users = [args for op, args in final if op == "USER"]
    assert users, "the final stage never leaves root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit(), "USER should be numeric, so runAsNonRoot can verify it"
    assert int(uid) != 0
    imports = [
        args
        for op, args in final
        if op == "RUN" and f"automatrix.{name} as p" in args and "walk_packages" in args
    ]
    assert imports, "the image never checks that every module of its package imports"


@pytest.mark.parametrize("name", SERVICES)
def test_the_image_checks_readyz_and_is_configured_only_by_environment(name: str) -> None:
    final = _final_stage(DOCKERFILES[name])
    (health,) = [args for op, args in final if op == "HEALTHCHECK"]
    assert "/readyz" in health
    env = " ".join(args for op, args in final if op == "ENV")
    assert f"HTTP_PORT={PORTS[name]}" in env
    assert "HTTP_HOST=0.0.0.0" in env
    names = re.findall(r"(\w+)=", env)
    assert not [n for n in names if SECRET_WORDS.search(n)], "no secret belongs in an image"
    assert [args for op, args in final if op == "EXPOSE"] == [str(PORTS[name])]
    (entry,) = [args for op, args in final if op == "ENTRYPOINT"]
    assert entry == f'["python", "-m", "automatrix.{name}"]'
    assert not [op for op, _ in final if op in ("ARG", "CMD")], "configuration is the environment"


def test_the_inference_image_documents_embedded_and_external_triton() -> None:
    text = DOCKERFILES["inference"].read_text()
    assert "TRITON_URL" in text
    assert "embedded Triton" in text
    assert "external Triton" in text


def _uv() -> list[str]:
    """uv as ``make setup`` finds it: on PATH, in ~/.local/bin, or as ``python3 -m uv``."""
    for candidate in (shutil.which("uv"), str(Path.home() / ".local" / "bin" / "uv")):
        if candidate and Path(candidate).exists():
            return [candidate]
    probe = subprocess.run(
        [sys.executable, "-m", "uv", "--version"], capture_output=True, check=False
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "uv"]
    pytest.fail("uv is not installed (make setup installs it)")


@pytest.mark.slow
@pytest.mark.parametrize("name", SERVICES)
def test_the_service_imports_with_only_what_its_package_declares(name: str, tmp_path: Path) -> None:
    """The image's ``uv sync --package``, offline from uv's cache, then every module."""
    venv = tmp_path / "venv"
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(venv),
        "UV_PYTHON_DOWNLOADS": "never",
        "VIRTUAL_ENV": "",
    }
    sync = subprocess.run(
        [
            *_uv(),
            "sync",
            "--frozen",
            "--no-dev",
            "--no-editable",
            "--offline",
            "--quiet",
            "--package",
            f"automatrix-{name}",
            "--python",
            sys.executable,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert sync.returncode == 0, sync.stdout + sync.stderr
    imported = subprocess.run(
        [str(venv / "bin" / "python"), "-c", IMPORT_ALL, f"automatrix.{name}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert int(imported.stdout.split()[-1]) > 3
