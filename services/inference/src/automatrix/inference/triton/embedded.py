"""An embedded Triton Inference Server: the ``nvidia-pytriton`` wheel's bundled server, on CPU.

Threading. PyTriton starts ``tritonserver`` as a child process with ``PR_SET_PDEATHSIG``,
which Linux ties to the *thread* that forked it: started from a short-lived thread (an
``asyncio.to_thread`` worker, say), the server would be killed when that thread ends. So
``EmbeddedTriton`` runs every PyTriton call (run, bind, stop) on one owner thread of its own
that lives from ``start()`` to ``stop()``; the public methods block until the owner thread has
done the work, and are safe to call from any thread. From asyncio, call them through
``asyncio.to_thread`` (start takes a few seconds, bind a few more per model).
Infer functions run on PyTriton's handler threads (one per model instance), never on the
caller's event loop.

Stopping. ``tritonserver`` on SIGINT first waits, up to ``--exit-timeout-secs`` (30 s by
default), for open client HTTP connections to close, then unloads models; if the timeout
runs out first the models are killed mid-flight ("Exit timeout expired"), leaking shared
memory. ``stop()`` therefore unloads every model through the repository API first (the
models drain their in-flight requests and finalise cleanly, all at once) and only then
signals the server, with a short exit timeout that now bounds only the wait for idle client
connections.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tritonclient.http as triton_http
from pytriton.client.auth import create_auth_headers
from pytriton.model_config import DynamicBatcher, ModelConfig, Tensor
from pytriton.triton import Triton, TritonConfig, TritonLifecyclePolicy, TritonSecurityConfig

from automatrix.shared.natsserver import free_port

log = logging.getLogger(__name__)

UNLOAD_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class LocalModelSpec:
    """A Python model served by the embedded Triton: what ``Triton.bind`` needs.

    ``instances`` above 1 runs the infer function on that many handler threads; PyTriton
    0.7's instances wait only 1 s for the first one's handshake socket, so on a loaded
    machine a multi-instance model can fail to load.
    """

    name: str
    infer_func: Callable[..., Any]
    inputs: Sequence[Tensor]
    outputs: Sequence[Tensor]
    max_batch_size: int = 0
    dynamic_batching: bool = True
    max_queue_delay_us: int = 0
    instances: int = 1
    decoupled: bool = False
    version: int = 1

    def model_config(self) -> ModelConfig:
        """PyTriton's config; ``max_batch_size`` 0 turns batching (and the batcher) off."""
        batching = self.max_batch_size > 0
        batcher = (
            DynamicBatcher(max_queue_delay_microseconds=self.max_queue_delay_us)
            if batching and self.dynamic_batching
            else None
        )
        return ModelConfig(
            batching=batching,
            max_batch_size=max(self.max_batch_size, 1),
            batcher=batcher,
            decoupled=self.decoupled,
        )


class EmbeddedTriton:
    """One PyTriton ``Triton`` on chosen ports (0: a free one), its log under ``state_dir``."""

    def __init__(
        self,
        state_dir: Path,
        *,
        host: str = "127.0.0.1",
        http_port: int = 0,
        grpc_port: int = 0,
        metrics_port: int = 0,
        exit_timeout_s: int = 2,
        log_verbose: int = 0,
        access_token: str | None = None,
    ) -> None:
        self.host = host
        self.http_port = http_port or free_port(host)
        self.grpc_port = grpc_port or free_port(host)
        self.metrics_port = metrics_port or free_port(host)
        self.log_dir = state_dir / "triton"
        self.log_file = self.log_dir / "tritonserver.log"
        self._exit_timeout_s = exit_timeout_s
        self._log_verbose = log_verbose
        self._triton: Triton | None = None
        self._access_token = access_token or secrets.token_urlsafe(32)
        self._models: list[LocalModelSpec] = []
        self._calls: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._owner: threading.Thread | None = None

    @property
    def http_url(self) -> str:
        return f"{self.host}:{self.http_port}"

    @property
    def grpc_url(self) -> str:
        return f"{self.host}:{self.grpc_port}"

    @property
    def access_token(self) -> str:
        """The token PyTriton requires on the model-repository, statistics, ... endpoints."""
        return self._access_token

    def grpc_headers(self) -> dict[str, str]:
        """Headers for gRPC calls to restricted endpoints (the model-repository API)."""
        headers: dict[str, str] = create_auth_headers(self._access_token, "grpc")
        return headers

    def http_headers(self) -> dict[str, str]:
        """Headers for HTTP calls to restricted endpoints."""
        headers: dict[str, str] = create_auth_headers(self._access_token, "http")
        return headers

    @property
    def models(self) -> list[str]:
        return [spec.name for spec in self._models]

    @property
    def running(self) -> bool:
        return self._triton is not None and self._triton.is_alive()

    @property
    def server_alive(self) -> bool:
        """Whether the server process runs: PyTriton disconnects as soon as it exits.

        Unlike ``running`` it stays true while a model is being bound or unloaded.
        """
        return self._triton is not None and self._triton.is_connected()

    def start(self, models: Sequence[LocalModelSpec] = ()) -> None:
        """Start the server and load ``models``; returns once all are ready."""
        if self._owner is not None:
            raise RuntimeError("embedded Triton already started")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._owner = threading.Thread(
            target=self._serve_calls, name="embedded-triton", daemon=True
        )
        self._owner.start()
        try:
            self._call(lambda: self._run(models))
        except BaseException:
            self.stop()
            raise

    def bind(self, spec: LocalModelSpec) -> None:
        """Add a model to the running server; returns once it is ready."""
        if self._owner is None:
            raise RuntimeError("start the embedded Triton before binding models to it")
        self._call(lambda: self._bind(spec))

    def restart(self) -> None:
        """Start the server again, on the same ports, with every model it served.

        For a server that died (killed, crashed): PyTriton has already cleaned up after it,
        so this only runs a fresh one; its models load again as they did at ``start``.
        """
        if self._owner is None:
            raise RuntimeError("start the embedded Triton before restarting it")
        self._call(self._restart)

    def stop(self) -> None:
        """Unload every model, then stop the server and its handler threads; idempotent."""
        owner, self._owner = self._owner, None
        if owner is None:
            return
        try:
            self._call(self._stop, owner)
        finally:
            self._calls.put(None)
            owner.join()

    def _call(self, work: Callable[[], None], owner: threading.Thread | None = None) -> None:
        """Run ``work`` on the owner thread and wait for it, re-raising what it raised."""
        done: concurrent.futures.Future[None] = concurrent.futures.Future()

        def task() -> None:
            try:
                work()
            except BaseException as exc:
                done.set_exception(exc)
            else:
                done.set_result(None)

        if (owner or self._owner) is None:
            raise RuntimeError("embedded Triton is not running")
        self._calls.put(task)
        done.result()

    def _serve_calls(self) -> None:
        while (task := self._calls.get()) is not None:
            task()

    def _run(self, models: Sequence[LocalModelSpec]) -> None:
        security = TritonSecurityConfig(access_token=self._access_token)
        config = TritonConfig(
            http_address=self.host,
            http_port=self.http_port,
            grpc_address=self.host,
            grpc_port=self.grpc_port,
            metrics_address=self.host,
            metrics_port=self.metrics_port,
            log_file=self.log_file,
            log_verbose=self._log_verbose,
            exit_timeout_secs=self._exit_timeout_s,
        )
        # PyTriton's own workspace (~/.cache/pytriton, removed on stop) keeps its Unix socket
        # paths short: they may not exceed 107 bytes, which a deep state dir could break.
        # A local model store writes each bound model's config into the repository, so the
        # repository API lists and unloads it like any other model (and all load in parallel
        # at start). Loading it again that way is not supported: PyTriton's handler threads
        # stay connected to the unloaded instance's data store.
        self._triton = Triton(
            config=config,
            security_config=security,
            triton_lifecycle_policy=TritonLifecyclePolicy(local_model_store=True),
        )
        for spec in models:
            self._bind_to(self._triton, spec)
        started = time.monotonic()
        self._triton.run()
        log.info(
            "embedded Triton up in %.1fs: http %s, grpc %s, models %s",
            time.monotonic() - started,
            self.http_url,
            self.grpc_url,
            self.models,
        )

    def _restart(self) -> None:
        specs = list(self._models)
        self._stop()
        self._run(specs)

    def _bind(self, spec: LocalModelSpec) -> None:
        if self._triton is None:
            raise RuntimeError("embedded Triton is not running")
        self._bind_to(self._triton, spec)

    def _bind_to(self, triton: Triton, spec: LocalModelSpec) -> None:
        triton.bind(
            model_name=spec.name,
            infer_func=[spec.infer_func] * spec.instances,
            inputs=list(spec.inputs),
            outputs=list(spec.outputs),
            model_version=spec.version,
            config=spec.model_config(),
            strict=False,
        )
        self._models.append(spec)

    def _stop(self) -> None:
        triton, self._triton = self._triton, None
        if triton is None:
            return
        started = time.monotonic()
        if triton.is_alive():
            self._unload_all()
        triton.stop()
        self._models.clear()
        log.info("embedded Triton stopped in %.1fs", time.monotonic() - started)

    def _unload_all(self) -> None:
        """Ask for every model's unload at once, then wait until none is loaded."""
        client = triton_http.InferenceServerClient(self.http_url, network_timeout=UNLOAD_TIMEOUT_S)
        headers = self.http_headers()
        try:
            for name in self.models:
                client.unload_model(name, headers=headers)
            deadline = time.monotonic() + UNLOAD_TIMEOUT_S
            while time.monotonic() < deadline:
                index = client.get_model_repository_index(headers=headers)
                if not any(entry.get("state") in ("READY", "UNLOADING") for entry in index):
                    return
                time.sleep(0.05)
            log.warning(
                "models still loaded after %.0fs; stopping the server anyway", UNLOAD_TIMEOUT_S
            )
        except Exception:
            log.exception("unloading models before stop failed; stopping the server anyway")
        finally:
            client.close()
