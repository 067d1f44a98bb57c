"""``automatrix keys create|list|revoke`` as an operator runs it, against a real NATS."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nats

from automatrix.shared.keys import KEY_PREFIX, KeyStore, hash_key
from automatrix.shared.launcher.config import build_plan
from automatrix.shared.launcher.runfile import record_for, write_record
from automatrix.shared.natsserver import NatsServer, free_port

AUTOMATRIX = Path(sys.executable).parent / "automatrix"


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any NATS or launcher setting, plus ``extra``."""
    env = {
        k: v for k, v in os.environ.items() if k != "NATS_URL" and not k.startswith("AUTOMATRIX_")
    }
    return {**env, **extra}


def keys_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(AUTOMATRIX), "keys", *args],
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def ok(*args: str, env: dict[str, str] | None = None) -> str:
    done = keys_cli(*args, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def listed(url: str, *flags: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(ok("list", "--nats-url", url, "--json", *flags))
    return records


async def _lookup(url: str, key: str) -> tuple[bool, dict[str, Any] | None]:
    client = await nats.connect(url)
    try:
        store = await KeyStore.open(client.jetstream())
        record = await store.lookup(key)
        return True, None if record is None else record.model_dump(mode="json")
    finally:
        await client.close()


def test_create_list_revoke(nats_server: NatsServer) -> None:
    url = nats_server.url
    created = json.loads(
        ok(
            "create", "--nats-url", url, "--tenant", "acme", "--name", "ci",
            "--rpm", "30", "--tpm", "9000", "--semantic-threshold", "0.9", "--json",
        )
    )  # fmt: skip
    key = created.pop("key")
    assert key.startswith(KEY_PREFIX)
    assert created["key_hash"] == hash_key(key)
    assert (created["tenant"], created["name"], created["rpm"], created["tpm"]) == (
        "acme", "ci", 30, 9000,
    )  # fmt: skip
    assert created["semantic_threshold"] == 0.9
    assert created["admin"] is False

    # The bucket was made on demand, and the gateway's lookup finds the key by its hash.
    assert asyncio.run(_lookup(url, key)) == (True, created)

    admin_text = ok("create", "--nats-url", url, "--tenant", "globex", "--admin")
    admin_key = next(line for line in admin_text.splitlines() if line.startswith(KEY_PREFIX))
    assert admin_text.count(admin_key) == 1
    assert "not shown again" in admin_text

    everything = listed(url)
    assert {r["tenant"] for r in everything} == {"acme", "globex"}
    assert [r["key_id"] for r in listed(url, "--tenant", "acme")] == [created["key_id"]]
    table = ok("list", "--nats-url", url)
    assert created["key_id"] in table
    assert created["prefix"] in table
    for output in (table, json.dumps(everything)):
        assert key not in output
        assert admin_key not in output

    revoked = ok("revoke", created["key_id"], "--nats-url", url)
    assert created["key_id"] in revoked
    assert [r["tenant"] for r in listed(url)] == ["globex"]
    with_revoked = {r["key_id"]: r for r in listed(url, "--all")}
    assert with_revoked[created["key_id"]]["revoked_at"] is not None
    _, after = asyncio.run(_lookup(url, key))
    assert after is not None
    assert after["revoked_at"] is not None


def test_mistakes_are_one_line_errors(nats_server: NatsServer) -> None:
    url = nats_server.url
    unknown = keys_cli("revoke", "key_nosuchkey", "--nats-url", url)
    assert unknown.returncode == 1
    assert unknown.stderr.strip().count("\n") == 0
    assert "key_nosuchkey" in unknown.stderr

    bad_tenant = keys_cli("create", "--nats-url", url, "--tenant", "Not A Tenant")
    assert bad_tenant.returncode == 2
    assert "is not a tenant" in bad_tenant.stderr
    bad_rpm = keys_cli("create", "--nats-url", url, "--tenant", "acme", "--rpm", "0")
    assert bad_rpm.returncode == 2
    assert listed(url) == []


def test_unreachable_nats_is_exit_2_with_one_line() -> None:
    url = f"nats://127.0.0.1:{free_port()}"
    for args in (("list",), ("create", "--tenant", "acme"), ("revoke", "key_x")):
        done = keys_cli(*args, "--nats-url", url)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == (
            f"automatrix: error: cannot reach NATS at {url}: "
            "nats: no servers available for connection"
        )
        assert done.stdout == ""


def test_nats_url_from_the_environment_then_the_run_record(
    nats_server: NatsServer, tmp_path: Path
) -> None:
    ok("create", "--tenant", "acme", env=clean_env(NATS_URL=nats_server.url))

    state = tmp_path / "state"
    state.mkdir()
    plan = build_plan({"NATS_URL": nats_server.url, "AUTOMATRIX_STATE_DIR": str(state)})
    write_record(plan.state_dir, record_for(plan, {}))
    from_record = json.loads(ok("list", "--json", "--state-dir", str(state)))
    assert [r["tenant"] for r in from_record] == ["acme"]
    from_env_dir = ok("list", "--json", env=clean_env(AUTOMATRIX_STATE_DIR=str(state)))
    assert json.loads(from_env_dir) == from_record

    nothing = keys_cli("list", "--state-dir", str(tmp_path / "empty"))
    assert nothing.returncode == 2
    assert "no running platform recorded" in nothing.stderr
    assert nothing.stderr.strip().count("\n") == 0


def test_the_flag_wins_over_the_environment(nats_server: NatsServer) -> None:
    env = clean_env(NATS_URL=f"nats://127.0.0.1:{free_port()}")
    assert keys_cli("list", env=env).returncode == 2
    assert json.loads(ok("list", "--json", "--nats-url", nats_server.url, env=env)) == []
