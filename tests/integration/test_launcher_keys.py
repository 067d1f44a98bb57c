"""The master key of ``automatrix up``: from the environment, else made once in the state dir."""

from __future__ import annotations

import json
import os
import signal
import stat
from pathlib import Path

import pytest

from automatrix.shared.launcher.config import (
    MASTER_KEY_VARIABLE,
    LauncherError,
    build_plan,
    module_variable,
    service_env,
)
from automatrix.shared.launcher.up import master_key
from tests.integration.test_launcher import launched, launcher_env

# Stands in for a service: records the master key it was given, then reports ready.
RECORDING_SERVICE = """\
import json, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

seen = {"master_key": os.environ.get("AUTOMATRIX_MASTER_KEY")}
Path(os.environ["RECORD_DIR"], os.environ["SERVICE_NAME"] + ".json").write_text(json.dumps(seen))

class Ready(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"ready": true, "checks": {}}'
        self.send_response(200 if self.path == "/readyz" else 404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        pass

ThreadingHTTPServer((os.environ["HTTP_HOST"], int(os.environ["HTTP_PORT"])), Ready).serve_forever()
"""


def recording_env(tmp_path: Path, state: Path, **extra: str) -> dict[str, str]:
    """Launcher environment whose orchestrator and relaycore are ``RECORDING_SERVICE``."""
    (tmp_path / "recording_service.py").write_text(RECORDING_SERVICE)
    (tmp_path / "records").mkdir(exist_ok=True)
    pythonpath = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    return launcher_env(
        state,
        PYTHONPATH=pythonpath,
        RECORD_DIR=str(tmp_path / "records"),
        **{module_variable("orchestrator"): "recording_service"},
        **{module_variable("relaycore"): "recording_service"},
        **extra,
    )


def given_keys(tmp_path: Path) -> dict[str, str | None]:
    """The master key each stand-in service found in its environment."""
    return {
        path.stem: json.loads(path.read_text())["master_key"]
        for path in (tmp_path / "records").glob("*.json")
    }


def up_once(env: dict[str, str]) -> str:
    """Run ``up`` until ready, stop it with SIGINT; its output."""
    with launched(
        ["up", "--services", "orchestrator,relaycore", "--ready-timeout", "60"], env
    ) as run:
        run.wait_for("AutoMatrix is up", timeout=90)
        run.wait_for("client.chat.completions.create", timeout=10)
        run.process.send_signal(signal.SIGINT)
        assert run.finish(timeout=30) == 0, run.output
    return run.output


def test_up_makes_the_key_once_keeps_it_private_and_gives_it_to_the_gateway(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    env = recording_env(tmp_path, state)
    first = up_once(env)

    key_file = state.resolve() / "master.key"
    key = key_file.read_text().strip()
    assert key.startswith("am-")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert given_keys(tmp_path) == {"orchestrator": key, "relaycore": None}
    assert f"development key (stored in {key_file}):  {key}" in first
    gateway = env["AUTOMATRIX_ORCHESTRATOR_PORT"]
    assert f'client = OpenAI(base_url="http://127.0.0.1:{gateway}/v1", api_key="{key}")' in first

    for record in (tmp_path / "records").glob("*.json"):
        record.unlink()
    second = up_once(env)
    assert key_file.read_text().strip() == key
    assert given_keys(tmp_path) == {"orchestrator": key, "relaycore": None}
    assert f"development key (stored in {key_file}):  {key}" in second


def test_a_key_from_the_environment_is_passed_on_but_never_printed(tmp_path: Path) -> None:
    operator_key = "am-" + "operator-chosen-key-0123456789abcdefghijk"
    state = tmp_path / "state"
    output = up_once(recording_env(tmp_path, state, **{MASTER_KEY_VARIABLE: operator_key}))
    assert given_keys(tmp_path) == {"orchestrator": operator_key, "relaycore": None}
    assert operator_key not in output
    assert f"master key (from {MASTER_KEY_VARIABLE}):  {operator_key[:6]}..." in output
    assert f'api_key=os.environ["{MASTER_KEY_VARIABLE}"]' in output
    assert not (state / "master.key").exists()


def test_master_key_resolution(tmp_path: Path) -> None:
    plan = build_plan({"AUTOMATRIX_STATE_DIR": str(tmp_path / "fresh")})
    made = master_key(plan)
    assert made.path == plan.master_key_file
    assert master_key(plan) == made

    chosen = build_plan({**plan.inherited, MASTER_KEY_VARIABLE: " am-mine "})
    assert master_key(chosen).value == "am-mine"
    assert master_key(chosen).path is None
    gateway, relaycore = chosen.services[0], chosen.services[1]
    assert service_env(chosen, gateway, master_key="am-mine")[MASTER_KEY_VARIABLE] == "am-mine"
    assert MASTER_KEY_VARIABLE not in service_env(chosen, relaycore, master_key="am-mine")

    with pytest.raises(LauncherError, match=MASTER_KEY_VARIABLE):
        master_key(build_plan({MASTER_KEY_VARIABLE: "sk-not-ours"}))
    plan.master_key_file.write_text("garbage\n")
    with pytest.raises(LauncherError, match="delete it"):
        master_key(plan)
