"""Async access to a Triton endpoint (embedded or external) over gRPC, KServe v2 protocol."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import tritonclient.grpc as grpcclient
import tritonclient.grpc.aio as grpcaio
from numpy.typing import NDArray
from tritonclient.utils import InferenceServerException, np_to_triton_dtype

from automatrix.shared.contracts import ErrorKind


class TritonError(Exception):
    """A Triton call failed; ``kind`` is the contract's classification of the cause."""

    kind: ErrorKind = ErrorKind.INTERNAL

    def __init__(self, message: str, kind: ErrorKind | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


class TritonUnavailable(TritonError):  # noqa: N818  (names from the contract)
    """The server cannot be reached, is not ready, timed out or has no capacity."""

    kind = ErrorKind.UNAVAILABLE


class TritonModelNotReady(TritonError):  # noqa: N818
    """The model is unknown to the server or not loaded (yet, or any more)."""

    kind = ErrorKind.UNAVAILABLE


class TritonInferError(TritonError):
    """The server reached the model and refused the request or failed running it."""

    kind = ErrorKind.INTERNAL


@dataclass(frozen=True)
class RepositoryModel:
    """One entry of the model-repository index."""

    name: str
    version: str
    state: str
    reason: str

    @property
    def ready(self) -> bool:
        return self.state == "READY"


_MODEL_MISSING = (
    "unknown model",
    "is not ready",
    "is not found",
    "has no available versions",
    "failed to load",
)
_UNREACHABLE = ("failed to connect", "connection refused", "unavailable", "socket closed")


def classify(exc: InferenceServerException) -> TritonError:
    """Map a ``tritonclient`` error (gRPC status + message) to our hierarchy."""
    status = str(exc.status() or "")
    message = str(exc.message() or exc)
    text = message.lower()
    if "DEADLINE_EXCEEDED" in status:
        return TritonUnavailable(message, ErrorKind.TIMEOUT)
    if "RESOURCE_EXHAUSTED" in status:
        return TritonUnavailable(message, ErrorKind.NO_CAPACITY)
    if "UNAUTHENTICATED" in status or "PERMISSION_DENIED" in status or "restricted" in text:
        return TritonError(message, ErrorKind.AUTH)
    if any(marker in text for marker in _MODEL_MISSING) or "NOT_FOUND" in status:
        return TritonModelNotReady(message)
    if "UNAVAILABLE" in status or "CANCELLED" in status:
        if any(marker in text for marker in _UNREACHABLE):
            return TritonUnavailable(message)
        return TritonModelNotReady(message)
    if "INVALID_ARGUMENT" in status or "UNIMPLEMENTED" in status:
        return TritonInferError(message, ErrorKind.BAD_REQUEST)
    return TritonInferError(message, ErrorKind.INTERNAL)


def _grpc_target(url: str) -> str:
    """``host:port`` from ``TRITON_URL`` written as ``host:port`` or ``grpc://host:port``."""
    return url.split("://", 1)[-1].rstrip("/")


class TritonClient:
    """One gRPC channel to one Triton server; use from one event loop.

    ``headers`` go with every call: the embedded server needs its access token there for the
    model-repository API (``EmbeddedTriton.grpc_headers()``); an external one needs none.
    """

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout_s: float = 30.0,
    ) -> None:
        self.url = _grpc_target(url)
        self._headers = dict(headers or {})
        self._timeout_s = timeout_s
        self._client: grpcaio.InferenceServerClient | None = None

    def aio(self) -> grpcaio.InferenceServerClient:
        """The ``tritonclient`` aio client behind this one (for streaming calls); one channel.

        Created on first use, inside the event loop the channel will belong to.
        """
        if self._client is None:
            self._client = grpcaio.InferenceServerClient(self.url)
        return self._client

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        call = getattr(self.aio(), method)
        try:
            return await call(
                *args, headers=self._headers, client_timeout=self._timeout_s, **kwargs
            )
        except InferenceServerException as exc:
            raise classify(exc) from exc

    async def ready(self) -> bool:
        """Whether the server is live and ready; False when it cannot be reached."""
        try:
            return bool(await self._call("is_server_live")) and bool(
                await self._call("is_server_ready")
            )
        except TritonUnavailable:
            return False

    async def model_ready(self, name: str, version: str = "") -> bool:
        """Whether ``name`` (a version of it) is loaded and ready."""
        return bool(await self._call("is_model_ready", name, version))

    async def infer(
        self,
        name: str,
        inputs: Mapping[str, NDArray[Any]],
        outputs: list[str],
        *,
        version: str = "",
        timeout_s: float | None = None,
    ) -> dict[str, NDArray[Any]]:
        """Run one request; BYTES inputs are arrays of ``bytes``/``str`` (dtype object)."""
        request = []
        for input_name, array in inputs.items():
            datatype = "BYTES" if array.dtype.kind in "OSU" else np_to_triton_dtype(array.dtype)
            tensor = grpcclient.InferInput(input_name, list(array.shape), datatype)
            tensor.set_data_from_numpy(array)
            request.append(tensor)
        wanted = [grpcclient.InferRequestedOutput(output) for output in outputs]
        try:
            result = await self.aio().infer(
                name,
                request,
                model_version=version,
                outputs=wanted,
                headers=self._headers,
                client_timeout=timeout_s or self._timeout_s,
            )
        except InferenceServerException as exc:
            raise classify(exc) from exc
        answer: dict[str, NDArray[Any]] = {}
        for output in outputs:
            array = result.as_numpy(output)
            if array is None:
                raise TritonInferError(f"{name} returned no output {output!r}")
            answer[output] = array
        return answer

    async def statistics(self, name: str, version: str = "") -> tuple[int, int]:
        """``(inferences, executions)`` so far: their ratio is the mean batch size run."""
        stats = await self._call("get_inference_statistics", name, version, as_json=True)
        models = stats.get("model_stats", [])
        inferences = sum(int(model.get("inference_count", 0)) for model in models)
        executions = sum(int(model.get("execution_count", 0)) for model in models)
        return inferences, executions

    async def repository_index(self) -> list[RepositoryModel]:
        """Every model the server knows, loaded or not (KServe v2 repository index)."""
        index = await self._call("get_model_repository_index", as_json=True)
        return [
            RepositoryModel(
                name=str(entry.get("name", "")),
                version=str(entry.get("version", "")),
                state=str(entry.get("state", "")),
                reason=str(entry.get("reason", "")),
            )
            for entry in index.get("models", [])
        ]

    async def load(
        self, name: str, *, config: str | None = None, files: Mapping[str, bytes] | None = None
    ) -> None:
        """Load (or reload) ``name``; ``config`` JSON and ``files`` override the repository's."""
        await self._call("load_model", name, config=config, files=dict(files) if files else None)

    async def unload(self, name: str, *, unload_dependents: bool = False) -> None:
        """Unload ``name``; Triton lets its in-flight requests finish first."""
        await self._call("unload_model", name, unload_dependents=unload_dependents)

    async def close(self) -> None:
        """Close the channel; a later call opens a new one."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()

    async def __aenter__(self) -> TritonClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
