"""Local chat model: tokens/s and time to first token, through Triton and directly in llama.cpp.

"service" here means through Triton's streaming gRPC: a ``tritonclient.grpc.aio``
``stream_infer`` call to the embedded Triton, its Python backend and PyTriton's proxy, and the
decoupled ``gemma3-270m`` model, which runs llama.cpp and answers one response per delta; that
is the model runtime of the inference service. The bus path in front of it (dispatch event,
serving, chunk events) is not measured yet. "direct" is the same ``GemmaEngine`` (same GGUF,
template, threads and sampling) iterated in this process, with nothing in between.

Requests alternate between the two, one at a time, with the same prompts, ``max_tokens`` and
seeds, so both generate the same tokens. Time to first token runs from sending the request to
the first non-empty delta; tokens/s is output tokens over the whole request; decode tokens/s
leaves the first token out. Each figure is the median over requests.

Prints a human table, then one JSON line last:
{"tok_s_service":…, "tok_s_direct":…, "ttft_ms_service":…, "ttft_ms_direct":…, …}

    .venv/bin/python bench/local_chat.py [--rounds 5] [--max-tokens 64] [--threads N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tritonclient.grpc.aio as triton_grpc

from automatrix.inference.models.gemma import MODEL_NAME, GemmaEngine, GemmaSettings, gemma_spec
from automatrix.inference.triton import EmbeddedTriton
from automatrix.inference.triton.streaming import stream_generate
from automatrix.shared.contracts import ChatMessage, InferenceParams, Role

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


async def via_service(
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
    args: argparse.Namespace, server: EmbeddedTriton, engine: GemmaEngine
) -> dict[str, object]:
    service, local = Route("service"), Route("direct")
    same_text = 0
    async with triton_grpc.InferenceServerClient(server.grpc_url) as client:
        warm = conversation("Hello.")
        await via_service(client, warm, InferenceParams(max_tokens=4))
        await asyncio.to_thread(direct, engine, warm, InferenceParams(max_tokens=4))
        for i, (messages, params) in enumerate(requests(args)):
            # Alternate which path goes first, so neither always follows the other.
            order = (service, local) if i % 2 == 0 else (local, service)
            texts = []
            for path in order:
                if path is service:
                    sample = await via_service(client, messages, params)
                else:
                    # On a thread, as in the Triton model, leaving this loop and its channel free.
                    sample = await asyncio.to_thread(direct, engine, messages, params)
                path.samples.append(sample)
                texts.append(sample.text)
            same_text += texts[0] == texts[1]
    s, d = service.figures(), local.figures()
    return {
        "tok_s_service": s["tok_s"],
        "tok_s_direct": d["tok_s"],
        "ttft_ms_service": s["ttft_ms"],
        "ttft_ms_direct": d["ttft_ms"],
        "decode_tok_s_service": s["decode_tok_s"],
        "decode_tok_s_direct": d["decode_tok_s"],
        "tok_s_ratio": round(s["tok_s"] / d["tok_s"], 3),
        "ttft_overhead_ms": round(s["ttft_ms"] - d["ttft_ms"], 2),
        "requests_per_path": len(service.samples),
        "output_tokens_per_path": s["output_tokens"],
        "same_text": same_text,
        "max_tokens": args.max_tokens,
        "threads": args.threads,
        "raw": {
            path.name: {
                "ttft_ms": [round(x.ttft_s * 1000, 2) for x in path.samples],
                "total_ms": [round(x.total_s * 1000, 2) for x in path.samples],
                "output_tokens": [x.output_tokens for x in path.samples],
            }
            for path in (service, local)
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
    with tempfile.TemporaryDirectory(prefix="bench-local-chat-") as tmp:
        server = EmbeddedTriton(Path(tmp))
        server.start([gemma_spec(settings)])
        try:
            result = asyncio.run(bench(args, server, engine))
        finally:
            server.stop()
    print(f"{'path':<8} {'tok/s':>8} {'decode tok/s':>13} {'TTFT ms':>9}")
    for name in ("service", "direct"):
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
