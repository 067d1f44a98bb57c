"""``gemma3-270m`` in the embedded Triton: token streaming, usage, limits, seeds; the real model."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from llama_cpp import Llama

from automatrix.inference.models.gemma import (
    MODEL_NAME,
    GemmaSettings,
    chat_formatter,
    gemma_spec,
    llama_messages,
    model_path,
)
from automatrix.inference.triton.client import TritonError, TritonModelNotReady, TritonUnavailable
from automatrix.inference.triton.embedded import EmbeddedTriton
from automatrix.inference.triton.streaming import StreamChunk, generate, stream_generate
from automatrix.shared.contracts import ChatMessage, ErrorKind, FinishReason, InferenceParams, Role
from automatrix.shared.natsserver import free_port

pytestmark = pytest.mark.timeout(180)

N_CTX = 2048
PROMPT = [
    ChatMessage(role=Role.SYSTEM, content="You are a poet."),
    ChatMessage(role=Role.USER, content="Write two lines about the sea."),
]
SAMPLED = InferenceParams(max_tokens=24, temperature=0.9, top_p=0.95, seed=11)


@pytest.fixture(scope="module")
def triton(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedTriton]:
    server = EmbeddedTriton(tmp_path_factory.mktemp("gemma"))
    server.start([gemma_spec(GemmaSettings(n_ctx=N_CTX))])
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def direct() -> Llama:
    """llama.cpp in this process with the same file, template and context, for reference."""
    return Llama(
        model_path=str(model_path()),
        n_ctx=N_CTX,
        chat_handler=chat_formatter().to_chat_handler(),
        verbose=False,
    )


async def timed_stream(url: str, params: InferenceParams) -> list[tuple[float, StreamChunk]]:
    started = time.perf_counter()
    return [
        (time.perf_counter() - started, chunk)
        async for chunk in stream_generate(url, MODEL_NAME, PROMPT, params)
    ]


def test_template_folds_the_system_message_into_the_first_user_turn() -> None:
    prompt = chat_formatter()(messages=llama_messages(PROMPT)).prompt

    assert prompt == (
        "<bos><start_of_turn>user\nYou are a poet.\n\nWrite two lines about the sea.<end_of_turn>\n"
        "<start_of_turn>model\n"
    )


async def test_stream_sends_each_delta_as_its_own_response(
    triton: EmbeddedTriton, direct: Llama
) -> None:
    timed = await timed_stream(triton.grpc_url, SAMPLED)

    *deltas, (final_at, final) = timed
    assert len(deltas) > 1
    assert all(chunk.delta and chunk.finish_reason is None for _, chunk in deltas)
    spread = deltas[-1][0] - deltas[0][0]
    assert spread > 0.2 * final_at, "deltas should arrive as they are generated, not in a burst"
    text = "".join(chunk.delta for _, chunk in timed)
    assert text.strip()
    assert final.finish_reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert final.usage is not None

    reference = direct.create_chat_completion(
        messages=llama_messages(PROMPT),
        max_tokens=SAMPLED.max_tokens,
        temperature=SAMPLED.temperature or 0.0,
        top_p=SAMPLED.top_p or 1.0,
        seed=SAMPLED.seed,
    )
    assert isinstance(reference, dict)
    assert final.usage.input_tokens == reference["usage"]["prompt_tokens"] > 0
    assert final.usage.output_tokens == reference["usage"]["completion_tokens"] > 0
    assert final.usage.total_tokens == reference["usage"]["total_tokens"]
    assert final.finish_reason == reference["choices"][0]["finish_reason"]
    assert text == reference["choices"][0]["message"]["content"]


async def test_whole_completion_is_the_stream_collected(triton: EmbeddedTriton) -> None:
    streamed = await timed_stream(triton.grpc_url, SAMPLED)
    completion = await generate(triton.grpc_url, MODEL_NAME, PROMPT, SAMPLED)

    assert completion.text.strip()
    assert completion.text == "".join(chunk.delta for _, chunk in streamed)
    assert completion.usage == streamed[-1][1].usage
    assert completion.usage.input_tokens > 0
    assert completion.usage.output_tokens > 0


async def test_same_seed_same_text(triton: EmbeddedTriton) -> None:
    params = SAMPLED.model_copy(update={"temperature": 1.2, "seed": 2024})
    first = await generate(triton.grpc_url, MODEL_NAME, PROMPT, params)
    second = await generate(triton.grpc_url, MODEL_NAME, PROMPT, params)

    assert first.text
    assert first == second


async def test_max_tokens_is_honoured(triton: EmbeddedTriton) -> None:
    params = InferenceParams(max_tokens=3, temperature=0.0)
    timed = await timed_stream(triton.grpc_url, params)

    final = timed[-1][1]
    assert final.finish_reason == FinishReason.LENGTH
    assert final.usage is not None
    assert final.usage.output_tokens == 3
    assert 1 <= len(timed) - 1 <= 3


async def test_concurrent_requests_do_not_share_an_engine(triton: EmbeddedTriton) -> None:
    alone = await generate(triton.grpc_url, MODEL_NAME, PROMPT, SAMPLED)
    together = await asyncio.gather(
        *(generate(triton.grpc_url, MODEL_NAME, PROMPT, SAMPLED) for _ in range(2))
    )

    assert [c.text for c in together] == [alone.text, alone.text]


async def test_refusals_carry_their_kind_and_the_model_keeps_serving(
    triton: EmbeddedTriton,
) -> None:
    out_of_turn = [ChatMessage(role=Role.ASSISTANT, content="Hello.")]
    with pytest.raises(TritonError) as refused:
        await generate(triton.grpc_url, MODEL_NAME, out_of_turn, SAMPLED)
    assert refused.value.kind == ErrorKind.BAD_REQUEST
    assert "alternate" in str(refused.value)

    too_long = [ChatMessage(role=Role.USER, content="sea " * (N_CTX + 100))]
    with pytest.raises(TritonError) as overflow:
        await generate(triton.grpc_url, MODEL_NAME, too_long, SAMPLED)
    assert overflow.value.kind == ErrorKind.CONTEXT_LENGTH

    after = await generate(triton.grpc_url, MODEL_NAME, PROMPT, InferenceParams(max_tokens=2))
    assert after.usage.output_tokens == 2


async def test_unknown_model_and_unreachable_server_are_unavailable(triton: EmbeddedTriton) -> None:
    with pytest.raises(TritonModelNotReady):
        await generate(triton.grpc_url, "no-such-model", PROMPT, SAMPLED)
    with pytest.raises(TritonUnavailable) as unreachable:
        await generate(f"127.0.0.1:{free_port()}", MODEL_NAME, PROMPT, SAMPLED)
    assert unreachable.value.kind == ErrorKind.UNAVAILABLE
