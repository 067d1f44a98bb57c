"""Embedding requests/s through the embedded Triton, dynamic batching on and off, side by side.

One process starts one embedded Triton with ``minilm-embed`` bound twice, sharing one
onnxruntime session: with dynamic batching (``--max-batch-size``, ``--queue-delay-us``) and
without (``max_batch_size`` 0, no batcher: Triton runs one request at a time). Clients are
asyncio tasks sharing one ``TritonClient`` (gRPC); each request carries one short text.
Rounds alternate the two models; each figure is the median of the rounds.

Prints a human table, then one JSON line last:
{"eps_1":…, "eps_32_batched":…, "eps_32_unbatched":…, "batching_ratio":…, …}

    .venv/bin/python bench/embeddings.py [--seconds 5] [--rounds 3] [--clients 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from automatrix.inference.models.minilm import (
    DEFAULT_MAX_BATCH_SIZE,
    DEFAULT_QUEUE_DELAY_US,
    EMBEDDING_OUTPUT,
    MODEL_NAME,
    TEXT_INPUT,
    MiniLMEncoder,
    minilm_spec,
)
from automatrix.inference.triton import EmbeddedTriton, TritonClient

UNBATCHED = f"{MODEL_NAME}-unbatched"
TOPICS = ["queue", "cache", "router", "model", "trace", "batch", "stream", "tenant"]
TEXTS = [
    f"How does the {topic} behave when request {n} arrives during a traffic spike?"
    for n in range(64)
    for topic in TOPICS
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def load(client: TritonClient, model: str, clients: int, seconds: float) -> dict[str, float]:
    """``clients`` closed-loop clients for ``seconds``: requests/s and latency percentiles."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []

    async def one_client(offset: int) -> None:
        n = offset
        while time.perf_counter() < deadline:
            text = np.array([[TEXTS[n % len(TEXTS)].encode()]], dtype=object)
            sent = time.perf_counter()
            out = await client.infer(model, {TEXT_INPUT: text}, [EMBEDDING_OUTPUT])
            latencies.append(time.perf_counter() - sent)
            assert out[EMBEDDING_OUTPUT].shape == (1, 384)
            n += clients

    before = await client.statistics(model)
    started = time.perf_counter()
    await asyncio.gather(*(one_client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    after = await client.statistics(model)
    return {
        "eps": len(latencies) / elapsed,
        "batch": (after[0] - before[0]) / max(1, after[1] - before[1]),
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


async def bench(args: argparse.Namespace, server: EmbeddedTriton) -> dict[str, float]:
    """Alternate the models at 1 and ``--clients`` clients; medians of the rounds."""
    runs: dict[str, list[dict[str, float]]] = {}
    async with TritonClient(server.grpc_url, headers=server.grpc_headers()) as client:
        for model in (MODEL_NAME, UNBATCHED):
            await load(client, model, args.clients, args.warmup)
        for round_no in range(1, args.rounds + 1):
            for model, clients in (
                (MODEL_NAME, 1),
                (UNBATCHED, 1),
                (MODEL_NAME, args.clients),
                (UNBATCHED, args.clients),
            ):
                figures = await load(client, model, clients, args.seconds)
                runs.setdefault(f"{model}@{clients}", []).append(figures)
                print(
                    f"round {round_no}  {model:<24} clients {clients:>3}  "
                    f"{figures['eps']:8.1f} req/s  p50 {figures['p50_ms']:7.2f} ms  "
                    f"p99 {figures['p99_ms']:7.2f} ms  mean batch {figures['batch']:5.1f}",
                    flush=True,
                )

    def median(key: str, field: str = "eps") -> float:
        return statistics.median(run[field] for run in runs[key])

    batched = median(f"{MODEL_NAME}@{args.clients}")
    unbatched = median(f"{UNBATCHED}@{args.clients}")
    return {
        "eps_1": round(median(f"{MODEL_NAME}@1"), 1),
        "eps_32_batched": round(batched, 1),
        "eps_32_unbatched": round(unbatched, 1),
        "batching_ratio": round(batched / unbatched, 3),
        "eps_1_unbatched": round(median(f"{UNBATCHED}@1"), 1),
        "mean_batch_32_batched": round(median(f"{MODEL_NAME}@{args.clients}", "batch"), 1),
        "p50_ms_32_batched": round(median(f"{MODEL_NAME}@{args.clients}", "p50_ms"), 2),
        "p50_ms_32_unbatched": round(median(f"{UNBATCHED}@{args.clients}", "p50_ms"), 2),
        "clients": args.clients,
        "max_batch_size": args.max_batch_size,
        "queue_delay_us": args.queue_delay_us,
        "ort_threads": args.threads,
        "instances": args.instances,
        "seconds": args.seconds,
        "rounds": args.rounds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per model first")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--max-batch-size", type=int, default=DEFAULT_MAX_BATCH_SIZE)
    parser.add_argument("--queue-delay-us", type=int, default=DEFAULT_QUEUE_DELAY_US)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime intra-op (0: all)")
    parser.add_argument("--instances", type=int, default=1, help="model instances, both models")
    parser.add_argument("--cache-dir", type=Path, default=None, help="built ONNX graph cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-embeddings-") as tmp:
        encoder = MiniLMEncoder(args.cache_dir or Path(tmp) / "models", args.threads)
        specs = [
            minilm_spec(
                batching,
                name=name,
                max_batch_size=args.max_batch_size,
                max_queue_delay_us=args.queue_delay_us,
                instances=args.instances,
                encoder=encoder,
            )
            for batching, name in ((True, MODEL_NAME), (False, UNBATCHED))
        ]
        server = EmbeddedTriton(Path(tmp))
        server.start(specs)
        try:
            result = asyncio.run(bench(args, server))
        finally:
            server.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
