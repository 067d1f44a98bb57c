"""``automatrix train``: start a training run on neuroweaver and follow it with a progress bar.

The run id is chosen here and the progress subject subscribed before the run is asked for,
so no event of the run is missed; the command ends with the run (exit 0 when it produced a
version, 1 when it failed, 2 when the platform cannot be reached).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from collections.abc import Mapping
from typing import Any, TextIO

from automatrix.shared.contracts.scoring import TRAINABLE_MODELS
from automatrix.shared.launcher.config import LauncherError
from automatrix.shared.launcher.keys_cli import (
    UNREACHABLE_EXIT,
    NatsUnreachableError,
    _connect,
    nats_url,
)

BAR_WIDTH = 30
DEFAULT_WAIT_S = 3600.0


def add_train_parser(commands: Any) -> None:
    train = commands.add_parser("train", help="train one of the platform's models, live")
    train.add_argument(
        "model",
        nargs="?",
        default="query-router",
        choices=TRAINABLE_MODELS,
        help="model to train (default query-router)",
    )
    train.add_argument("--trials", type=int, default=0, help="Optuna trials (0: defaults)")
    train.add_argument("--timeout", type=float, default=300.0, help="bound on tuning, seconds")
    train.add_argument("--seed", type=int, default=0, help="seed of split, search and fit")
    train.add_argument("--limit", type=int, help="train on about this many examples")
    train.add_argument("--promote", action="store_true", help="promote if it beats production")
    train.add_argument(
        "--param", action="append", default=[], metavar="K=V", help="hyper-parameter override"
    )
    train.add_argument("--json", action="store_true", help="print each event as JSON")
    train.add_argument("--nats-url", help="NATS server (default $NATS_URL, else the running one)")
    train.add_argument("--state-dir", help="state directory of the running platform")


def bar(step: int, total: int | None, width: int = BAR_WIDTH) -> str:
    """``[#########.....]  9/15``; a spinner-free count when the total is unknown."""
    if not total:
        return f"[{'?' * width}] {step}"
    done = min(width, round(width * step / total))
    return f"[{'#' * done}{'.' * (width - done)}] {step}/{total}"


def describe(event: Mapping[str, Any]) -> str:
    """One line for a progress event: the bar, the step, and its key metrics."""
    kind = event.get("event", "")
    parts = [bar(int(event.get("step") or 0), event.get("total")), kind]
    if event.get("trial") is not None:
        parts.append(f"trial {event['trial']}")
    if event.get("epoch") is not None and kind == "epoch":
        parts.append(f"epoch {event['epoch']}")
    metrics = event.get("metrics") or {}
    shown = [f"{k}={v:.4g}" for k, v in metrics.items() if isinstance(v, int | float)][:4]
    if shown:
        parts.append(" ".join(shown))
    if event.get("message"):
        parts.append(f"- {event['message']}")
    return "  ".join(parts)


def _params(pairs: list[str]) -> dict[str, float | int | str]:
    out: dict[str, float | int | str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise LauncherError(f"--param wants K=V, got {pair!r}")
        for kind in (int, float):
            try:
                out[key] = kind(value)
                break
            except ValueError:
                continue
        else:
            out[key] = value
    return out


def run_train(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    try:
        url = nats_url(args, env)
        params = _params(args.param)
    except LauncherError as exc:
        print(f"automatrix: error: {exc}", file=sys.stderr)
        return UNREACHABLE_EXIT
    try:
        return asyncio.run(_train(args, url, params, sys.stdout))
    except NatsUnreachableError as exc:
        print(f"automatrix: error: cannot reach NATS at {url}: {exc}", file=sys.stderr)
        return UNREACHABLE_EXIT


async def _train(
    args: argparse.Namespace, url: str, params: dict[str, float | int | str], out: TextIO
) -> int:
    from automatrix.shared.contracts import TRAINING, TrainingProgress
    from automatrix.shared.rpc import RpcClient, RpcFailure

    client = await _connect(url)
    events: asyncio.Queue[TrainingProgress] = asyncio.Queue()
    run_id = f"cli-{uuid.uuid4().hex[:12]}"

    async def on_event(msg: Any) -> None:
        events.put_nowait(TrainingProgress.parse(msg.data))

    try:
        await client.subscribe(TRAINING.filter(run_id=run_id), cb=on_event)
        request: dict[str, Any] = {
            "model": args.model,
            "run_id": run_id,
            "trials": args.trials,
            "timeout_s": args.timeout,
            "seed": args.seed,
            "promote": args.promote,
            "params": params,
        }
        if args.limit is not None:
            request["limit"] = args.limit
        try:
            await RpcClient(client, timeout_s=10).call("neuroweaver", "train", request)
        except RpcFailure as exc:
            print(f"automatrix: error: {exc.code.value}: {exc.message}", file=sys.stderr)
            for field in exc.fields:
                print(f"  {'.'.join(map(str, field.loc))}: {field.msg}", file=sys.stderr)
            return UNREACHABLE_EXIT if exc.code.value == "unavailable" else 1
        print(f"training {args.model}: run {run_id}", file=out)
        tty = out.isatty()
        while True:
            event = await asyncio.wait_for(events.get(), DEFAULT_WAIT_S)
            payload = event.model_dump(mode="json")
            if args.json:
                print(json.dumps(payload), file=out, flush=True)
            elif tty and event.event.value in ("trial", "epoch"):
                print(f"\r{describe(payload)[:200]:<200}", end="", file=out, flush=True)
            else:
                print(("\n" if tty else "") + describe(payload), file=out, flush=True)
            if event.event.value in ("completed", "failed"):
                return 0 if event.event.value == "completed" else 1
    finally:
        await client.close()
