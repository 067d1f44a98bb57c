"""litellm deployments against a real OpenAI-compatible server."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from automatrix.inference.deployments import (
    Deployment,
)
from automatrix.inference.providers import ProviderChunk, ProviderError
from automatrix.shared.contracts.base import utcnow
from automatrix.shared.contracts.inference import ErrorKind, FinishReason, InferenceRequested
from bench.upstream import Upstream, UpstreamConfig

if TYPE_CHECKING:
    from automatrix.inference.providers.litellm_provider import LiteLLMProvider

pytestmark = pytest.mark.timeout(60)

KEY_ENV = "AUTOMATRIX_TEST_UPSTREAM_KEY"
KEY = "sk-test-3f9a"
RETRY_AFTER_S = 7.0
CONTEXT_TOKENS = 64

MakeProvider = Callable[..., "LiteLLMProvider"]


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    config = UpstreamConfig(api_key=KEY, retry_after_s=RETRY_AFTER_S, context_tokens=CONTEXT_TOKENS)
    async with Upstream(config=config) as server:
        yield server


@pytest.fixture
def provider(upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> MakeProvider:
    """Build a provider for ``openai/<model>`` on the upstream; keyword overrides allowed."""
    # Imported here: litellm takes seconds to import, and collection should not pay for it.
    from automatrix.inference.providers.litellm_provider import LiteLLMProvider

    monkeypatch.setenv(KEY_ENV, KEY)

    def make(model: str = "echo-1", **overrides: Any) -> LiteLLMProvider:
        fields: dict[str, Any] = {
            "name": "upstream-echo",
            "model": f"openai/{model}",
            "api_base": upstream.base_url,
            "api_key_env": KEY_ENV,
            "cost_per_1k_input": 2.0,
            "cost_per_1k_output": 4.0,
            "timeout_s": 5.0,
            **overrides,
        }
        return LiteLLMProvider(Deployment(**fields))

    return make


def chat(text: str, **fields: Any) -> InferenceRequested:
    return InferenceRequested(
        request_id="req-1",
        requester="tests",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": text}],
        **fields,
    )


async def collect(provider: LiteLLMProvider, request: InferenceRequested) -> list[ProviderChunk]:
    return [chunk async for chunk in provider.stream(request)]


async def test_completion_returns_text_usage_model_and_cost(provider: MakeProvider) -> None:
    result = await provider().complete(chat("summarise event sourcing please"))

    assert result.text == "echo: summarise event sourcing please"
    assert result.finish_reason is FinishReason.STOP
    assert (result.usage.input_tokens, result.usage.output_tokens) == (6, 5)
    assert result.usage.total_tokens == 11
    assert result.cost_usd == pytest.approx((6 * 2.0 + 5 * 4.0) / 1000)
    assert result.model == "echo-1"
    assert result.latency_ms > 0


async def test_max_tokens_cuts_the_reply_with_finish_reason_length(provider: MakeProvider) -> None:
    result = await provider().complete(chat("one two three four", params={"max_tokens": 2}))

    assert result.text == "echo: one"
    assert result.finish_reason is FinishReason.LENGTH
    assert result.usage.output_tokens == 2


async def test_stream_deltas_reassemble_the_completion_and_end_with_usage(
    provider: MakeProvider,
) -> None:
    request = chat("stream these five words now")
    complete = await provider().complete(request)
    chunks = await collect(provider(), request.model_copy(update={"stream": True}))

    *deltas, last = chunks
    assert len(deltas) == 6
    assert all(c.delta and c.finish_reason is None and c.usage is None for c in deltas)
    assert "".join(c.delta for c in deltas) == complete.text
    assert last.last
    assert last.finish_reason is FinishReason.STOP
    assert last.usage == complete.usage
    assert last.cost_usd == pytest.approx(complete.cost_usd)


async def test_a_stream_ends_with_usage_even_when_the_upstream_sends_none(
    provider: MakeProvider, upstream: Upstream
) -> None:
    upstream.config.stream_usage = False

    *deltas, last = await collect(provider(), chat("count these tokens", stream=True))

    assert "".join(c.delta for c in deltas) == "echo: count these tokens"
    assert last.usage is not None
    assert last.usage.input_tokens > 0
    assert last.usage.output_tokens > 0


async def test_embeddings_return_one_unit_vector_per_text(provider: MakeProvider) -> None:
    embedder = provider("embed-1", kind="embedding")
    texts = ["the first text", "a second one", "the first text"]

    result = await embedder.embed(texts)
    short = await embedder.embed(texts[:1], dimensions=64)

    assert [len(v) for v in result.vectors] == [384, 384, 384]
    assert all(math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-4) for v in result.vectors)
    assert result.vectors[0] == pytest.approx(result.vectors[2])
    assert result.vectors[0] != pytest.approx(result.vectors[1])
    assert result.usage.input_tokens == 9
    assert result.cost_usd == pytest.approx(9 * 2.0 / 1000)
    assert len(short.vectors) == 1
    assert len(short.vectors[0]) == 64


FAULTS = [
    ("429", ErrorKind.RATE_LIMITED, True, 429),
    ("401", ErrorKind.AUTH, False, 401),
    ("403", ErrorKind.AUTH, False, 403),
    ("404", ErrorKind.UNAVAILABLE, False, 404),
    ("400", ErrorKind.BAD_REQUEST, False, 400),
    ("context_length", ErrorKind.CONTEXT_LENGTH, False, 400),
    ("500", ErrorKind.UNAVAILABLE, True, 500),
    ("503", ErrorKind.UNAVAILABLE, True, 503),
    ("hang", ErrorKind.TIMEOUT, True, None),
]


@pytest.mark.parametrize("streaming", [False, True], ids=["complete", "stream"])
@pytest.mark.parametrize(
    ("fault", "kind", "retryable", "status"), FAULTS, ids=[f[0] for f in FAULTS]
)
async def test_each_upstream_failure_maps_to_its_error_kind(
    provider: MakeProvider,
    upstream: Upstream,
    fault: str,
    kind: ErrorKind,
    retryable: bool,
    status: int | None,
    streaming: bool,
) -> None:
    faulty = provider(f"fault-{fault}", timeout_s=0.5)
    request = chat("hello", stream=streaming)

    with pytest.raises(ProviderError) as caught:
        await (collect(faulty, request) if streaming else faulty.complete(request))

    error = caught.value
    assert (error.kind, error.retryable) == (kind, retryable)
    assert error.retry_after_s == (RETRY_AFTER_S if fault == "429" else None)
    if status is not None:
        assert error.status == status
    assert KEY not in error.message
    served = upstream.requests["hang" if fault == "hang" else f"error:{fault}"]
    assert served == 1, "litellm must not retry on its own"


async def test_a_prompt_prefix_selects_the_fault_for_embeddings_too(
    provider: MakeProvider, upstream: Upstream
) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider("embed-1", kind="embedding").embed(["[fault:503] please"])

    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert caught.value.retryable
    assert upstream.requests["error:503"] == 1


async def test_a_prompt_over_the_context_window_is_a_context_length_error(
    provider: MakeProvider,
) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider().complete(chat("word " * (CONTEXT_TOKENS + 1)))

    assert caught.value.kind is ErrorKind.CONTEXT_LENGTH
    assert not caught.value.retryable


async def test_the_key_is_read_from_its_variable_at_call_time(
    provider: MakeProvider, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    echo = provider()
    monkeypatch.setenv(KEY_ENV, "sk-wrong")
    with pytest.raises(ProviderError) as wrong:
        await echo.complete(chat("hi"))
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(ProviderError) as missing:
        await echo.complete(chat("hi"))
    monkeypatch.setenv(KEY_ENV, KEY)
    result = await echo.complete(chat("hi"))

    assert (wrong.value.kind, wrong.value.status) == (ErrorKind.AUTH, 401)
    assert "sk-wrong" not in wrong.value.message
    assert missing.value.kind is ErrorKind.AUTH
    assert KEY_ENV in missing.value.message
    assert upstream.requests["error:401"] == 1
    assert result.text == "echo: hi"


async def test_a_deadline_bounds_the_call(provider: MakeProvider, upstream: Upstream) -> None:
    past = chat("hi", deadline=utcnow() - timedelta(seconds=1))
    soon = chat("hi", deadline=utcnow() + timedelta(seconds=0.3))

    with pytest.raises(ProviderError) as expired:
        await provider().complete(past)
    with pytest.raises(ProviderError) as ran_out:
        await provider("fault-hang").complete(soon)

    assert expired.value.kind is ErrorKind.DEADLINE_EXCEEDED
    assert upstream.requests["chat"] == 0
    assert ran_out.value.kind is ErrorKind.DEADLINE_EXCEEDED
    assert not ran_out.value.retryable


def test_litellm_is_imported_with_its_bundled_cost_map_and_no_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("AUTOMATRIX_FROM_DOTENV=1\n")
    script = (
        "import json, os\n"
        "import automatrix.inference.providers.litellm_provider\n"
        "from litellm.litellm_core_utils import get_model_cost_map as m\n"
        "info = m.get_model_cost_map_source_info()\n"
        "print(json.dumps([info['source'], info['is_env_forced'],"
        " os.environ.get('AUTOMATRIX_FROM_DOTENV')]))\n"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LITELLM_")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["local", True, None]


def test_retry_after_accepts_seconds_milliseconds_and_http_dates() -> None:
    from automatrix.inference.providers.errors import retry_after_seconds

    assert retry_after_seconds({"Retry-After": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds(None) is None
