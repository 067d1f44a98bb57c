"""``automatrix keys create|list|revoke``: manage the gateway's API keys in NATS.

NATS, pydantic and the bus are imported inside the commands, not here: they take about a
second to load, which ``automatrix up``, ``status`` and ``--help`` should not pay.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from automatrix.shared.launcher.config import LauncherError, state_dir
from automatrix.shared.launcher.runfile import read_record

if TYPE_CHECKING:
    from nats.aio.client import Client

    from automatrix.shared.contracts.gateway import ApiKeyRecord
    from automatrix.shared.keys import KeyStore

UNREACHABLE_EXIT = 2
CONNECT_TIMEOUT_S = 3.0


class NatsUnreachableError(Exception):
    """NATS could not be reached at the resolved URL."""


def add_keys_parser(commands: Any) -> None:
    """Register ``keys`` and its subcommands on the top-level subparsers."""
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--nats-url", help="NATS server (default $NATS_URL, else the running one)")
    where.add_argument("--state-dir", help="state directory of the running platform")
    keys = commands.add_parser("keys", help="create, list and revoke API keys")
    actions = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")

    create = actions.add_parser("create", parents=[where], help="make a key; it is shown once")
    create.add_argument("--tenant", required=True, type=_tenant, help="owner of the key")
    create.add_argument("--name", default="", help="what the key is for")
    create.add_argument("--admin", action="store_true", help="may manage keys and the platform")
    create.add_argument("--rpm", type=_positive_int, help="requests per minute")
    create.add_argument("--tpm", type=_positive_int, help="tokens per minute")
    create.add_argument(
        "--semantic-threshold", type=_fraction, help="semantic cache similarity, 0 to 1"
    )
    create.add_argument("--json", action="store_true", help="print machine-readable JSON")

    listing = actions.add_parser("list", parents=[where], help="list keys (never the keys)")
    listing.add_argument("--tenant", type=_tenant, help="only this tenant's keys")
    listing.add_argument("--all", action="store_true", help="include revoked keys")
    listing.add_argument("--json", action="store_true", help="print machine-readable JSON")

    revoke = actions.add_parser("revoke", parents=[where], help="revoke a key at once")
    revoke.add_argument("key_id", help="the key's id, as `keys list` shows it")


def run_keys(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """``automatrix keys ...``: 0 on success, 1 for an unknown key, 2 when NATS is unreachable."""
    try:
        url = nats_url(args, env)
    except LauncherError as exc:
        print(f"automatrix: error: {exc}", file=sys.stderr)
        return UNREACHABLE_EXIT
    try:
        return asyncio.run(_run(args, url))
    except NatsUnreachableError as exc:
        print(f"automatrix: error: cannot reach NATS at {url}: {exc}", file=sys.stderr)
        return UNREACHABLE_EXIT


def nats_url(args: argparse.Namespace, env: Mapping[str, str]) -> str:
    """``--nats-url``, else ``NATS_URL``, else the NATS of the platform running in the state dir."""
    if args.nats_url:
        return str(args.nats_url)
    if from_env := env.get("NATS_URL", "").strip():
        return from_env
    directory = state_dir(env, args.state_dir)
    try:
        record = read_record(directory)
    except ValueError as exc:
        raise LauncherError(str(exc)) from None
    if record is None:
        raise LauncherError(
            f"no running platform recorded in {directory}: start one with `automatrix up`, "
            "or pass --nats-url (or set NATS_URL)"
        )
    return record.nats.url


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    """What nats-py raises when a server, or its JetStream, does not answer."""
    import nats.errors
    import nats.js.errors

    return (
        nats.errors.NoServersError,
        nats.errors.TimeoutError,
        nats.errors.NoRespondersError,
        nats.js.errors.ServiceUnavailableError,
        TimeoutError,
        OSError,
    )


async def _run(args: argparse.Namespace, url: str) -> int:
    from automatrix.shared.bus.provision import provision_buckets
    from automatrix.shared.contracts.gateway import KEYS
    from automatrix.shared.keys import KeyStore
    from automatrix.shared.settings import BusSettings

    client = await _connect(url)
    try:
        js = client.jetstream()
        await provision_buckets(js, [KEYS], BusSettings(nats_url=url))
        store = await KeyStore.open(js)
        if args.keys_command == "create":
            return await _create(store, args)
        if args.keys_command == "list":
            return await _list(store, args)
        return await _revoke(store, args.key_id)
    except _unreachable_errors() as exc:
        raise NatsUnreachableError(f"JetStream does not answer ({exc!r})") from None
    finally:
        await client.close()


async def _connect(url: str) -> Client:
    import nats

    async def quiet(_: Exception) -> None:
        """The failure is reported once, below; nats-py would log every attempt."""

    try:
        return await nats.connect(
            url.split(","),
            connect_timeout=CONNECT_TIMEOUT_S,
            max_reconnect_attempts=1,  # each server twice; 0 would mean "forever"
            reconnect_time_wait=0.2,
            error_cb=quiet,
            name="automatrix-keys",
        )
    except _unreachable_errors() as exc:
        raise NatsUnreachableError(str(exc) or type(exc).__name__) from None


async def _create(store: KeyStore, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    try:
        key, record = await store.create(
            tenant=args.tenant,
            name=args.name,
            admin=args.admin,
            rpm=args.rpm,
            tpm=args.tpm,
            semantic_threshold=args.semantic_threshold,
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(part) for part in problem["loc"])
        raise LauncherError(f"--{field.replace('_', '-')}: {problem['msg']}") from None
    if args.json:
        print(json.dumps({"key": key, **record.model_dump(mode="json")}, indent=2))
        return 0
    role = "admin key" if record.admin else "key"
    print(f"created {role} {record.key_id} for tenant {record.tenant}")
    print(key)
    print("store it now: it is not shown again")
    return 0


async def _list(store: KeyStore, args: argparse.Namespace) -> int:
    records = await store.list(tenant=args.tenant, include_revoked=args.all)
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in records], indent=2))
    else:
        print(format_keys(records))
    return 0


async def _revoke(store: KeyStore, key_id: str) -> int:
    try:
        record = await store.revoke(key_id)
    except KeyError:
        raise LauncherError(
            f"no key with id {key_id!r} (see `automatrix keys list --all`)"
        ) from None
    print(f"revoked {record.key_id} ({record.prefix}..., tenant {record.tenant})")
    return 0


def format_keys(records: list[ApiKeyRecord]) -> str:
    """Records as an aligned table, one key a row; never the key itself, only its prefix."""
    header = ("KEY ID", "PREFIX", "TENANT", "NAME", "ADMIN", "RPM", "TPM", "CREATED", "REVOKED")
    rows = [header] + [
        (
            r.key_id,
            r.prefix + "...",
            r.tenant,
            r.name,
            "yes" if r.admin else "",
            str(r.rpm or ""),
            str(r.tpm or ""),
            r.created_at.strftime("%Y-%m-%d %H:%M"),
            r.revoked_at.strftime("%Y-%m-%d %H:%M") if r.revoked_at else "",
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def _tenant(text: str) -> str:
    from automatrix.shared.contracts.base import TENANT_PATTERN

    if not re.match(TENANT_PATTERN, text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a tenant: lowercase letters, digits, '-' and '_', up to 63"
        )
    return text


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1")
    return value
