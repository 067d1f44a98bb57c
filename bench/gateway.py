"""Gateway latency end to end, at the client: exact cache hit, semantic cache hit and miss.

The bench talks HTTP to ``POST /v1/chat/completions`` of a whole platform: the one at
``--url`` (with ``--key``), else one it starts itself with ``automatrix up`` (a temporary
state directory, free ports, a master key of its own, the default rate limits raised so the
saturation phase is not refused). Latencies are taken at the client, over one persistent
HTTP/1.1 connection, one request at a time, from sending the request to having read the
whole response; each phase starts with ``--warmup`` unmeasured requests.

- **exact hit**: one question asked once (the prime, stored in the background), then
  ``--exact`` identical requests; every answer must say ``x-automatrix-cache: hit-exact``.
- **semantic hit**: one question primed, then ``--semantic`` distinct capitalisation
  variants of it ("how DO i Reverse ..."): MiniLM is uncased, so each embeds as the prime
  (similarity 1.0) while its exact key differs; every answer must say ``hit-semantic``.
- **miss**: ``--miss`` distinct prompts (each with its own number, so no guard matches
  another) answered by ``gemma3-270m``, ``max_tokens`` 8, temperature 0, with
  ``cache-control: no-store`` (the lookup still runs, nothing is stored).
- **saturation**: ``--clients`` closed-loop clients (asyncio, one connection each) for
  ``--seconds`` s repeating the exact hit (``exact_rps``), then the semantic variants
  (``semantic_rps``).
- **comparisons**: ``GET /v1/models`` (HTTP and auth only) and ``POST /v1/embeddings`` of the
  primed question (the bus round trip a semantic lookup makes), sequentially.
- **server side**: the services' own histograms (``/metrics``), read before and after the
  exact and semantic phases: the gateway's mean time per hit (``server_*_ms``) and, when the
  bench started the platform, relaycore's added latency and inference's handler time per
  embedding (means, warm-up requests included).

A request whose answer does not carry the expected cache status (or is not 200) counts in
``*_failures`` and not in the percentiles. Goals (the gateway issue): exact hit p50 < 2 ms,
semantic hit p50 < 10 ms. Prints a human summary, then one JSON line last:
{"exact_p50_ms":…, "exact_p99_ms":…, "semantic_p50_ms":…, …, "exact_rps":…, …}

    .venv/bin/python bench/gateway.py [--exact 300] [--semantic 300] [--miss 30] [--clients 16]
    .venv/bin/python bench/gateway.py --url http://127.0.0.1:8000 --key am-... # a running one
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: find bench/
from bench.launched import running_platform, wait_for_models

CHAT_MODEL = "gemma3-270m"
EMBED_MODEL = "minilm-embed"
CHAT = "/v1/chat/completions"
CACHE_HEADER = "x-automatrix-cache"
SIMILARITY_HEADER = "x-automatrix-cache-similarity"
NO_STORE = {"cache-control": "no-store"}
EXACT_QUESTION = "Name a primary colour."
SEMANTIC_QUESTION = "How do I reverse a list in Python?"
GOAL_EXACT_P50_MS = 2.0
GOAL_SEMANTIC_P50_MS = 10.0
BEHIND_GATEWAY = ("relaycore", "inference")
GATEWAY_SECONDS = "automatrix_gateway_request_seconds"
SERVER_SERIES: dict[str, tuple[str, str, dict[str, str]]] = {
    # figure: (service, histogram, labels); the figure is the histogram's mean over the hits
    "server_exact_ms": ("orchestrator", GATEWAY_SECONDS, {"route": "chat", "cache": "hit-exact"}),
    "server_semantic_ms": ("orchestrator", GATEWAY_SECONDS, {"cache": "hit-semantic"}),
    "relay_added_ms": ("relaycore", "automatrix_relay_added_seconds", {}),
    "embed_handler_ms": (
        "inference",
        "automatrix_bus_handler_seconds",
        {"consumer": f"inference-{EMBED_MODEL}"},
    ),
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def case_variants(text: str) -> Iterator[str]:
    """``text`` with each word lower-case, Capitalised or UPPER, every spelling once, not itself."""
    words = text.split(" ")
    seen = {text}
    for styles in itertools.product((str.lower, str.capitalize, str.upper), repeat=len(words)):
        variant = " ".join(style(word) for style, word in zip(styles, words, strict=True))
        if variant not in seen:
            seen.add(variant)
            yield variant


def chat_body(text: str, max_tokens: int = 8) -> bytes:
    """A pre-encoded chat request, so the client's JSON encoding stays out of the timings."""
    return json.dumps(
        {
            "model": CHAT_MODEL,
            "messages": [{"role": "user", "content": text}],
            "max_tokens": max_tokens,
            "temperature": 0,
        }
    ).encode()


# -- the platform ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A running gateway and a key it accepts."""

    url: str
    key: str
    metrics: dict[str, str] = field(default_factory=dict)
    """Base URL of each service whose ``/metrics`` can be read (the gateway's at least)."""

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}


@contextmanager
def own_platform(workdir: Path, ready_timeout_s: float) -> Iterator[Target]:
    """A platform of the bench's own, with limits the saturation runs cannot meet."""
    limits = {"GATEWAY_DEFAULT_RPM": "100000000", "GATEWAY_DEFAULT_TPM": "1000000000"}
    with running_platform(workdir, ready_timeout_s=ready_timeout_s, extra_env=limits) as run:
        behind = {name: run.services[name] for name in BEHIND_GATEWAY}
        yield Target(run.url, run.master_key, {"orchestrator": run.url, **behind})


# -- sequential phases -----------------------------------------------------------------------


@dataclass
class Phase:
    """Latencies of the requests that got the expected answer, and what the others got."""

    latencies_ms: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    similarities: list[float] = field(default_factory=list)
    output_tokens: list[int] = field(default_factory=list)

    def figures(self, name: str) -> dict[str, Any]:
        if not self.latencies_ms:
            raise RuntimeError(f"no {name} request got the expected answer: {self.failures}")
        return {
            f"{name}_p50_ms": round(percentile(self.latencies_ms, 0.50), 3),
            f"{name}_p99_ms": round(percentile(self.latencies_ms, 0.99), 3),
        }


def timed_phase(
    http: httpx.Client,
    path: str,
    bodies: Sequence[bytes | None],
    warmup: int,
    expected: str | None = None,
    headers: dict[str, str] | None = None,
) -> Phase:
    """Send ``bodies`` in turn (None: a GET), the first ``warmup`` untimed; time each answered
    200 and, where ``expected`` is given, with that cache status."""
    phase = Phase()
    for index, body in enumerate(bodies):
        started = time.perf_counter()
        if body is None:
            response = http.get(path, headers=headers)
        else:
            response = http.post(path, content=body, headers=headers)
        ms = (time.perf_counter() - started) * 1000
        status = response.headers.get(CACHE_HEADER, "-")
        if index < warmup:
            continue
        if response.status_code != 200 or (expected is not None and status != expected):
            phase.failures[f"{response.status_code} {status}"] += 1
            continue
        phase.latencies_ms.append(ms)
        if similarity := response.headers.get(SIMILARITY_HEADER):
            phase.similarities.append(float(similarity))
        if expected is not None:
            phase.output_tokens.append(int(response.json()["usage"]["completion_tokens"]))
    return phase


def prime(http: httpx.Client, question: str, probe: str, expected: str) -> None:
    """Ask ``question`` so it is cached, then wait until ``probe`` is answered ``expected``.

    The gateway stores an answer in the background after replying, so the probe (sent with
    ``no-store``, so a miss adds nothing) is repeated until the entry is there.
    """
    response = http.post(CHAT, content=chat_body(question))
    response.raise_for_status()
    deadline = time.monotonic() + 30
    while True:
        response = http.post(CHAT, content=chat_body(probe), headers=NO_STORE)
        response.raise_for_status()
        if response.headers.get(CACHE_HEADER) == expected:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{probe!r} never became a {expected} after {question!r} was asked")
        time.sleep(0.05)


def scrape(target: Target) -> dict[str, tuple[float, float]]:
    """(sum, count) of each ``SERVER_SERIES`` histogram whose service's /metrics is reachable."""
    found: dict[str, tuple[float, float]] = {}
    for service, base in target.metrics.items():
        try:
            response = httpx.get(f"{base}/metrics", timeout=10)
            response.raise_for_status()
        except httpx.HTTPError as exc:  # the breakdown is extra: the latencies stand without it
            print(f"note: no server-side figures from {service}: {exc!r}", file=sys.stderr)
            continue
        families = text_string_to_metric_families(response.text)
        samples = [sample for family in families for sample in family.samples]
        for figure, (owner, histogram, labels) in SERVER_SERIES.items():
            if owner != service:
                continue
            wanted = [
                s.value
                for suffix in ("_sum", "_count")
                for s in samples
                if s.name == histogram + suffix and labels.items() <= s.labels.items()
            ]
            if len(wanted) == 2:
                found[figure] = (wanted[0], wanted[1])
    return found


def server_means(
    before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]
) -> dict[str, float]:
    """Mean ms of each histogram between two scrapes (those that moved)."""
    means: dict[str, float] = {}
    for figure, (total, count) in after.items():
        total_before, count_before = before.get(figure, (0.0, 0.0))
        if count > count_before:
            means[figure] = round((total - total_before) * 1000 / (count - count_before), 3)
    return means


# -- saturation ------------------------------------------------------------------------------


async def saturate(
    target: Target, bodies: list[bytes], expected: str, clients: int, seconds: float
) -> dict[str, float]:
    """``clients`` closed-loop clients cycling through ``bodies``: answers/s and failures."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    ok = failed = 0
    async with httpx.AsyncClient(
        base_url=target.url, headers=target.headers(), limits=limits, timeout=60
    ) as http:

        async def client(offset: int, until: float) -> None:
            nonlocal ok, failed
            for index in itertools.count(offset, clients):
                if time.perf_counter() >= until:
                    return
                response = await http.post(CHAT, content=bodies[index % len(bodies)])
                if response.status_code == 200 and response.headers.get(CACHE_HEADER) == expected:
                    ok += 1
                else:
                    failed += 1

        await asyncio.gather(*(client(i, time.perf_counter() + 0.5) for i in range(clients)))
        ok = failed = 0
        cpu, started = time.process_time(), time.perf_counter()
        await asyncio.gather(*(client(i, started + seconds) for i in range(clients)))
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
    return {"rps": ok / wall, "failures": failed, "client_cores": cpu / wall}


# -- the bench -------------------------------------------------------------------------------


def bench(args: argparse.Namespace, target: Target) -> dict[str, Any]:
    warm = args.warmup
    spellings = list(itertools.islice(case_variants(SEMANTIC_QUESTION), 1 + warm + args.semantic))
    probe, paraphrases = spellings[0], spellings[1:]
    base = secrets.randbelow(900_000) + 100_000  # another run's prompts stay another run's
    miss_warm = min(warm, 3)  # each miss is a generation: a few suffice to warm its path
    misses = [f"Write a haiku about the number {base + i}." for i in range(miss_warm + args.miss)]
    exact_body = chat_body(EXACT_QUESTION)
    semantic_bodies = [chat_body(text) for text in paraphrases]
    with httpx.Client(base_url=target.url, headers=target.headers(), timeout=120) as http:
        wait_for_models(http, {CHAT_MODEL, EMBED_MODEL})
        models = timed_phase(http, "/v1/models", [None] * (3 + args.comparisons), 3)
        embed_body = json.dumps({"model": EMBED_MODEL, "input": SEMANTIC_QUESTION}).encode()
        embeds = [embed_body] * (3 + args.comparisons)
        embeddings = timed_phase(http, "/v1/embeddings", embeds, 3)
        prime(http, EXACT_QUESTION, EXACT_QUESTION, "hit-exact")
        prime(http, SEMANTIC_QUESTION, probe, "hit-semantic")
        before = scrape(target)
        exacts = [exact_body] * (warm + args.exact)
        exact = timed_phase(http, CHAT, exacts, warm, "hit-exact")
        semantic = timed_phase(http, CHAT, semantic_bodies, warm, "hit-semantic")
        server = server_means(before, scrape(target))
        miss_bodies = [chat_body(text) for text in misses]
        miss = timed_phase(http, CHAT, miss_bodies, miss_warm, "miss", NO_STORE)
    exact_load = asyncio.run(
        saturate(target, [exact_body], "hit-exact", args.clients, args.seconds)
    )
    semantic_load = asyncio.run(
        saturate(target, semantic_bodies, "hit-semantic", args.clients, args.seconds)
    )
    figures: dict[str, Any] = {
        **exact.figures("exact"),
        **semantic.figures("semantic"),
        **miss.figures("miss"),
        "exact_rps": round(exact_load["rps"], 1),
        "semantic_rps": round(semantic_load["rps"], 1),
        **embeddings.figures("embeddings"),
        **models.figures("models"),
        **server,
        "exact_count": len(exact.latencies_ms),
        "semantic_count": len(semantic.latencies_ms),
        "miss_count": len(miss.latencies_ms),
        "exact_failures": exact.failures.total(),
        "semantic_failures": semantic.failures.total(),
        "miss_failures": miss.failures.total(),
        "exact_rps_failures": exact_load["failures"],
        "semantic_rps_failures": semantic_load["failures"],
        "semantic_similarity_min": min(semantic.similarities, default=0.0),
        "miss_output_tokens_mean": round(
            sum(miss.output_tokens) / max(1, len(miss.output_tokens)), 2
        ),
        "client_cores_exact_rps": round(exact_load["client_cores"], 2),
        "clients": args.clients,
        "seconds": args.seconds,
    }
    figures["exact_goal_met"] = figures["exact_p50_ms"] < GOAL_EXACT_P50_MS
    figures["semantic_goal_met"] = figures["semantic_p50_ms"] < GOAL_SEMANTIC_P50_MS
    for name, phase in (("exact", exact), ("semantic", semantic), ("miss", miss)):
        if phase.failures:
            failures = dict(phase.failures)
            print(f"warning: {name} requests answered otherwise: {failures}", file=sys.stderr)
    return figures


def summary(f: dict[str, Any]) -> str:
    def met(goal: bool) -> str:
        return "met" if goal else "NOT met"

    lines = [
        f"exact hit     p50 {f['exact_p50_ms']:8.3f} ms  p99 {f['exact_p99_ms']:8.3f} ms  "
        f"({f['exact_count']} requests, {f['exact_failures']} not hit-exact)  "
        f"goal p50 < {GOAL_EXACT_P50_MS:g} ms: {met(f['exact_goal_met'])}",
        f"semantic hit  p50 {f['semantic_p50_ms']:8.3f} ms  "
        f"p99 {f['semantic_p99_ms']:8.3f} ms  "
        f"({f['semantic_count']} requests, {f['semantic_failures']} not hit-semantic)  "
        f"goal p50 < {GOAL_SEMANTIC_P50_MS:g} ms: {met(f['semantic_goal_met'])}",
        f"miss          p50 {f['miss_p50_ms']:8.3f} ms  p99 {f['miss_p99_ms']:8.3f} ms  "
        f"({f['miss_count']} requests, {f['miss_output_tokens_mean']} output tokens each)",
        f"/v1/embeddings p50 {f['embeddings_p50_ms']:7.3f} ms, /v1/models p50 "
        f"{f['models_p50_ms']:.3f} ms (for comparison)",
        f"saturation, {f['clients']} clients, {f['seconds']:g} s: exact hits "
        f"{f['exact_rps']:,.1f}/s, semantic hits {f['semantic_rps']:,.1f}/s",
    ]
    server = {key: f[key] for key in SERVER_SERIES if key in f}
    if server:
        lines.append(
            "server side, means from /metrics: "
            + ", ".join(
                f"{key.removesuffix('_ms')} {value:.3f} ms" for key, value in server.items()
            )
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="gateway of a running platform (default: start one)")
    parser.add_argument("--key", help="API key for --url (its rate limit must allow the load)")
    parser.add_argument("--exact", type=int, default=300, help="exact hits timed")
    parser.add_argument("--semantic", type=int, default=300, help="semantic hits timed")
    parser.add_argument("--miss", type=int, default=30, help="misses timed")
    parser.add_argument(
        "--comparisons", type=int, default=100, help="/v1/models and /v1/embeddings requests timed"
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients at saturation")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each saturation run")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per phase")
    parser.add_argument(
        "--ready-timeout", type=float, default=300.0, help="for starting a platform"
    )
    args = parser.parse_args()
    if (args.url is None) != (args.key is None):
        parser.error("--url and --key go together")
    if (
        min(args.exact, args.semantic, args.miss, args.comparisons, args.clients) < 1
        or args.seconds <= 0
    ):
        parser.error("counts, --clients and --seconds must be positive")
    if args.semantic + args.warmup + 1 > sum(1 for _ in case_variants(SEMANTIC_QUESTION)):
        parser.error("--semantic + --warmup exceed the spellings of the question")
    if args.url is not None:
        url = args.url.rstrip("/")
        figures = bench(args, Target(url, args.key, {"orchestrator": url}))
    else:
        with (
            tempfile.TemporaryDirectory() as tmp,
            own_platform(Path(tmp), args.ready_timeout) as target,
        ):
            figures = bench(args, target)
    print(summary(figures))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
