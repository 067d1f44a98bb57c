"""Chat completions from a decoupled Triton model over gRPC bidirectional streaming.

The protocol: inputs ``messages_json`` and ``params_json`` (JSON bytes of the contract's
``ChatMessage`` list and ``InferenceParams``); one response per text delta with ``delta`` and
``finish_reason`` (empty until the last); the last also has ``input_tokens`` and
``output_tokens``. A model refuses a request with ``request_error``, so the kind survives the
trip through Triton's error text.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any, NamedTuple

import grpc
import numpy as np
import tritonclient.grpc.aio as triton_grpc
from pytriton.exceptions import PyTritonBadParameterError
from tritonclient.utils import InferenceServerException

from automatrix.inference.triton.client import TritonError, TritonInferError, classify
from automatrix.shared.contracts import ChatMessage, ErrorKind, FinishReason, InferenceParams, Usage

MESSAGES_INPUT = "messages_json"
PARAMS_INPUT = "params_json"
DELTA_OUTPUT = "delta"
FINISH_REASON_OUTPUT = "finish_reason"
INPUT_TOKENS_OUTPUT = "input_tokens"
OUTPUT_TOKENS_OUTPUT = "output_tokens"
CHAT_OUTPUTS = (DELTA_OUTPUT, FINISH_REASON_OUTPUT, INPUT_TOKENS_OUTPUT, OUTPUT_TOKENS_OUTPUT)
_KINDS = {kind.value for kind in ErrorKind}
_REFUSAL = re.compile(rf"{PyTritonBadParameterError.__name__}: \[(\w+)\]")


class StreamChunk(NamedTuple):
    """One streamed response: a text delta; the last also carries finish reason and usage."""

    delta: str
    finish_reason: FinishReason | None
    usage: Usage | None


class Completion(NamedTuple):
    """A whole completion, collected from its stream."""

    text: str
    finish_reason: FinishReason
    usage: Usage


def request_error(kind: ErrorKind, message: str) -> PyTritonBadParameterError:
    """What a model raises to refuse a request, with a kind the client can read back."""
    return PyTritonBadParameterError(f"[{kind.value}] {message}")


def encode_messages(messages: Sequence[ChatMessage]) -> bytes:
    """The ``messages_json`` payload: a JSON list of ``{role, content}`` objects."""
    return json.dumps([m.model_dump(mode="json", exclude_none=True) for m in messages]).encode()


def encode_params(params: InferenceParams) -> bytes:
    """The ``params_json`` payload: the sampling parameters that are set."""
    return params.model_dump_json(exclude_none=True).encode()


def _bytes_input(name: str, payload: bytes) -> triton_grpc.InferInput:
    tensor = triton_grpc.InferInput(name, [1], "BYTES")
    tensor.set_data_from_numpy(np.array([payload], dtype=np.object_))
    return tensor


def _scalar(result: Any, name: str) -> Any:
    array = result.as_numpy(name)
    return None if array is None or array.size == 0 else array.reshape(-1)[0]


def decode_chunk(result: Any) -> StreamChunk:
    """Read one response of the protocol."""
    delta = _scalar(result, DELTA_OUTPUT)
    reason = _scalar(result, FINISH_REASON_OUTPUT)
    if not reason:
        return StreamChunk(delta.decode() if delta else "", None, None)
    input_tokens = _scalar(result, INPUT_TOKENS_OUTPUT)
    output_tokens = _scalar(result, OUTPUT_TOKENS_OUTPUT)
    if input_tokens is None or output_tokens is None:
        raise TritonInferError("the final response has no token counts")
    usage = Usage(
        input_tokens=int(input_tokens),
        output_tokens=int(output_tokens),
        total_tokens=int(input_tokens) + int(output_tokens),
    )
    return StreamChunk(delta.decode() if delta else "", FinishReason(reason.decode()), usage)


def _stream_error(error: InferenceServerException) -> TritonError:
    message = str(error.message())
    if refusal := _REFUSAL.search(message):
        kind = ErrorKind(refusal.group(1)) if refusal.group(1) in _KINDS else ErrorKind.INTERNAL
        return TritonInferError(message[refusal.start() :].strip(), kind)
    return classify(error)


async def stream_generate(
    client: str | triton_grpc.InferenceServerClient,
    model: str,
    messages: Sequence[ChatMessage],
    params: InferenceParams,
    *,
    request_id: str = "",
) -> AsyncIterator[StreamChunk]:
    """Stream a completion from ``model``; the last chunk is the one with a finish reason.

    ``client`` is a gRPC ``host:port`` (a channel is opened for this call) or an open
    ``tritonclient.grpc.aio`` client to reuse. Failures raise ``TritonError`` with its kind.
    """
    if isinstance(client, str):
        async with triton_grpc.InferenceServerClient(client) as own:
            async for chunk in stream_generate(own, model, messages, params, request_id=request_id):
                yield chunk
        return

    request = {
        "model_name": model,
        "inputs": [
            _bytes_input(MESSAGES_INPUT, encode_messages(messages)),
            _bytes_input(PARAMS_INPUT, encode_params(params)),
        ],
        "outputs": [triton_grpc.InferRequestedOutput(name) for name in CHAT_OUTPUTS],
        "request_id": request_id,
    }

    async def one_request() -> AsyncIterator[dict[str, Any]]:
        yield request

    responses = client.stream_infer(one_request())
    ended = False
    try:
        async for result, error in responses:
            if error is not None:
                raise _stream_error(error)
            chunk = decode_chunk(result)
            if chunk.finish_reason is None:
                yield chunk
                continue
            # The call ends right after the final response. Wait for that before handing the
            # chunk over: a call cancelled between the two leaves Triton with a request it
            # never completes, and the model can no longer unload.
            async for _ in responses:
                raise TritonInferError(f"{model} responded after its final response")
            ended = True
            yield chunk
            return
        ended = True
    except grpc.aio.AioRpcError as exc:
        status = InferenceServerException(msg=exc.details(), status=str(exc.code()))
        raise classify(status) from exc
    finally:
        if not ended:
            responses.cancel()
    raise TritonInferError(f"{model} ended the stream without a final response")


async def generate(
    client: str | triton_grpc.InferenceServerClient,
    model: str,
    messages: Sequence[ChatMessage],
    params: InferenceParams,
    *,
    request_id: str = "",
) -> Completion:
    """The whole completion: ``stream_generate`` collected."""
    parts: list[str] = []
    final: StreamChunk | None = None
    async for chunk in stream_generate(client, model, messages, params, request_id=request_id):
        parts.append(chunk.delta)
        final = chunk
    if final is None or final.finish_reason is None or final.usage is None:
        raise TritonInferError(f"{model} ended the stream without a final response")
    return Completion("".join(parts), final.finish_reason, final.usage)
