"""Local chat model: tokens/s and time to first token, through the service and in llama.cpp.

Three paths to the same model, one request at a time, alternating:

- "service": the whole path: an ``InferenceDispatched`` with ``stream: true`` published on
  the bus, the inference service (``create_app``, in this process) serving it through Triton,
  and ``StreamChunk`` events back on ``ai.v1.stream.<request_id>``;
- "triton": a ``tritonclient.grpc.aio`` ``stream_infer`` call straight to the same embedded
  Triton (its Python backend, PyTriton's proxy and the decoupled ``gemma3-270m`` model);
- "direct": a ``GemmaEngine`` (same GGUF, template, threads and sampling) iterated in this
  process, with nothing in between.

The service uses the bench's Triton as an external one (``TRITON_URL``), so "service" and
"triton" share one server and one llama.cpp engine. Prompts, ``max_tokens`` and seeds are
the same on every path, so all generate the same tokens. Time to first token runs from
sending the request to the first non-empty delta; tokens/s is output tokens over the whole
request; decode tokens/s leaves the first token out. Each figure is the median over requests.

Prints a human table, then one JSON line last:
{"tok_s_service":…, "tok_s_direct":…, "ttft_ms_service":…, "ttft_ms_direct":…, …}
(the "triton" path is reported as ``tok_s_triton`` and ``ttft_ms_triton``).

    .venv/bin/python bench/local_chat.py [--rounds 5] [--max-tokens 64] [--threads N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tritonclient.grpc.aio as triton_grpc

from automatrix.inference.app import create_app
from automatrix.inference.models.gemma import MODEL_NAME, GemmaEngine, GemmaSettings, gemma_spec
from automatrix.inference.settings import Settings
from automatrix.inference.triton import EmbeddedTriton
from automatrix.inference.triton.streaming import stream_generate
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import (
    STREAM,
    ChatMessage,
    InferenceDispatched,
    InferenceParams,
    InferenceRequested,
    Role,
    StreamChunk,
)
from automatrix.shared.settings import BusSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: find bench/
from bench.infra import nats_and_redis

SYSTEM = "You are a concise assistant."
QUESTIONS = [
    "Explain in a few sentences why the sky is blue.",
    "Write a short poem about a lighthouse keeper.",
    "List some good habits for writing maintainable code.",
    "Describe how a bicycle gear system works.",
]


@dataclass(frozen=True, slots=True)
class Sample:
    """One request's timings and token count."""

    ttft_s: float
    total_s: float
    output_tokens: int
    text: str

    @property
    def tok_s(self) -> float:
        return self.output_tokens / self.total_s

    @property
    def decode_tok_s(self) -> float:
        return (self.output_tokens - 1) / max(self.total_s - self.ttft_s, 1e-9)


@dataclass
class Route:
    """The samples of one way to the model."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, metric: Callable[[Sample], float]) -> float:
        return statistics.median(metric(s) for s in self.samples)

    def figures(self) -> dict[str, float]:
        return {
            "tok_s": round(self.median(lambda s: s.tok_s), 2),
            "decode_tok_s": round(self.median(lambda s: s.decode_tok_s), 2),
            "ttft_ms": round(self.median(lambda s: s.ttft_s) * 1000, 2),
            "output_tokens": sum(s.output_tokens for s in self.samples),
        }


def conversation(question: str) -> list[ChatMessage]:
    return [
        ChatMessage(role=Role.SYSTEM, content=SYSTEM),
        ChatMessage(role=Role.USER, content=question),
    ]


class Stopwatch:
    """Times one request: started on creation, first non-empty delta, final chunk."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.first: float | None = None
        self.parts: list[str] = []

    def delta(self, text: str) -> None:
        if text and self.first is None:
            self.first = time.perf_counter()
        self.parts.append(text)

    def finish(self, output_tokens: int) -> Sample:
        end = time.perf_counter()
        ttft = (self.first or end) - self.started
        return Sample(ttft, end - self.started, output_tokens, "".join(self.parts))


async def via_bus(
    bus: Bus, request_id: str, messages: list[ChatMessage], params: InferenceParams
) -> Sample:
    chunks = await bus.nc.subscribe(STREAM.format(request_id=request_id))
    request = InferenceRequested(
        request_id=request_id,
        requester="bench",
        model=MODEL_NAME,
        messages=messages,
        params=params,
        stream=True,
    )
    watch = Stopwatch()
    await bus.publish(
        InferenceDispatched(request_id=request_id, deployment=MODEL_NAME, request=request)
    )
    try:
        while True:
            chunk = StreamChunk.parse((await chunks.next_msg(timeout=120)).data)
            watch.delta(chunk.delta)
            if chunk.usage is not None:
                return watch.finish(chunk.usage.output_tokens)
    finally:
        await chunks.unsubscribe()


async def via_triton(
    client: triton_grpc.InferenceServerClient, messages: list[ChatMessage], params: InferenceParams
) -> Sample:
    watch = Stopwatch()
    async for chunk in stream_generate(client, MODEL_NAME, messages, params):
        watch.delta(chunk.delta)
        if chunk.usage is not None:
            return watch.finish(chunk.usage.output_tokens)
    raise RuntimeError("the stream ended without usage")


def direct(engine: GemmaEngine, messages: list[ChatMessage], params: InferenceParams) -> Sample:
    watch = Stopwatch()
    for chunk in engine.stream(messages, params):
        watch.delta(chunk.text)
        if chunk.finish_reason is not None:
            return watch.finish(chunk.output_tokens)
    raise RuntimeError("the engine stopped without a final chunk")


def requests(args: argparse.Namespace) -> Iterable[tuple[list[ChatMessage], InferenceParams]]:
    for round_ in range(args.rounds):
        for n, question in enumerate(QUESTIONS):
            seed = 1000 * round_ + n
            params = InferenceParams(max_tokens=args.max_tokens, temperature=0.8, seed=seed)
            yield conversation(question), params


async def bench(
    args: argparse.Namespace, server: EmbeddedTriton, engine: GemmaEngine, urls: tuple[str, str]
) -> dict[str, object]:
    service, triton, local = Route("service"), Route("triton"), Route("direct")
    routes = (service, triton, local)
    same_text = 0
    nats_url, redis_url = urls
    with tempfile.TemporaryDirectory(prefix="bench-local-chat-svc-") as state:
        app = create_app(
            Settings(
                nats_url=nats_url,
                redis_url=redis_url,
                state_dir=Path(state),
                triton_url=server.grpc_url,
                bus_namespace="bench:",
            )
        )
        await app.start()
        requester = Bus(BusSettings(nats_url=nats_url, redis_url=redis_url), name="bench")
        try:
            async with requester, triton_grpc.InferenceServerClient(server.grpc_url) as client:
                warm = conversation("Hello.")
                await via_bus(requester, "warm", warm, InferenceParams(max_tokens=4))
                await via_triton(client, warm, InferenceParams(max_tokens=4))
                await asyncio.to_thread(direct, engine, warm, InferenceParams(max_tokens=4))
                for i, (messages, params) in enumerate(requests(args)):
                    # Rotate which path goes first, so none always follows another.
                    texts = []
                    for path in routes[i % 3 :] + routes[: i % 3]:
                        if path is service:
                            sample = await via_bus(requester, f"r{i}", messages, params)
                        elif path is triton:
                            sample = await via_triton(client, messages, params)
                        else:
                            # On a thread, as in the Triton model, leaving this loop free.
                            sample = await asyncio.to_thread(direct, engine, messages, params)
                        path.samples.append(sample)
                        texts.append(sample.text)
                    same_text += len(set(texts)) == 1
        finally:
            await app.stop()
    f = {route.name: route.figures() for route in routes}
    return {
        "tok_s_service": f["service"]["tok_s"],
        "tok_s_direct": f["direct"]["tok_s"],
        "ttft_ms_service": f["service"]["ttft_ms"],
        "ttft_ms_direct": f["direct"]["ttft_ms"],
        "tok_s_triton": f["triton"]["tok_s"],
        "ttft_ms_triton": f["triton"]["ttft_ms"],
        "decode_tok_s_service": f["service"]["decode_tok_s"],
        "decode_tok_s_direct": f["direct"]["decode_tok_s"],
        "decode_tok_s_triton": f["triton"]["decode_tok_s"],
        "tok_s_ratio": round(f["service"]["tok_s"] / f["direct"]["tok_s"], 3),
        "ttft_overhead_ms": round(f["service"]["ttft_ms"] - f["direct"]["ttft_ms"], 2),
        "requests_per_path": len(service.samples),
        "output_tokens_per_path": f["service"]["output_tokens"],
        "same_text": same_text,
        "max_tokens": args.max_tokens,
        "threads": args.threads,
        "raw": {
            path.name: {
                "ttft_ms": [round(x.ttft_s * 1000, 2) for x in path.samples],
                "total_ms": [round(x.total_s * 1000, 2) for x in path.samples],
                "output_tokens": [x.output_tokens for x in path.samples],
            }
            for path in routes
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the prompts")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads, both")
    parser.add_argument("--n-ctx", type=int, default=2048)
    args = parser.parse_args()
    settings = GemmaSettings(n_ctx=args.n_ctx, n_threads=args.threads)
    engine = GemmaEngine(settings)
    # The service serves gemma only: minilm-embed is not on the bench's Triton.
    os.environ["AUTOMATRIX_DEPLOYMENT_MINILM_EMBED_ENABLED"] = "false"
    with (
        tempfile.TemporaryDirectory(prefix="bench-local-chat-") as tmp,
        nats_and_redis(Path(tmp)) as urls,
    ):
        server = EmbeddedTriton(Path(tmp))
        server.start([gemma_spec(settings)])
        try:
            result = asyncio.run(bench(args, server, engine, urls))
        finally:
            server.stop()
    print(f"{'path':<8} {'tok/s':>8} {'decode tok/s':>13} {'TTFT ms':>9}")
    for name in ("service", "triton", "direct"):
        print(
            f"{name:<8} {result[f'tok_s_{name}']:>8} {result[f'decode_tok_s_{name}']:>13}"
            f" {result[f'ttft_ms_{name}']:>9}"
        )
    print(
        f"{result['requests_per_path']} requests a path, max_tokens {args.max_tokens}, "
        f"same text {result['same_text']}/{result['requests_per_path']}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
