"""A service stops cleanly on SIGTERM (as on SIGINT): its bus stops, the process exits 0."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from automatrix.shared.natsserver import NatsServer, free_port
from tests.support.processes import spawn, wait_until


async def test_sigterm_runs_the_service_shutdown_and_exits_zero(
    nats_server: NatsServer, redis_url: str, namespace: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        "NATS_URL": nats_server.url,
        "REDIS_URL": redis_url,
        "BUS_NAMESPACE": namespace,
        "HTTP_PORT": str(port),
        "STATE_DIR": str(tmp_path),
        "LOG_LEVEL": "INFO",
    }
    log = tmp_path / "relaycore.log"
    proc = spawn("automatrix.relaycore", env=env, log=log)
    try:

        async def ready() -> bool:
            try:
                async with httpx.AsyncClient() as http:
                    return (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200
            except httpx.HTTPError:
                return False

        await wait_until(ready, within=60, what="relaycore to be ready")
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert code == 0, log.read_text()[-3000:]
