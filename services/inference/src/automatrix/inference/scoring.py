"""``score`` on request-reply (``ai.v1.rpc.inference.score``): run a model neuroweaver trained.

The models are the ``production`` versions the ``ModelSwapper`` keeps loaded in Triton (the
performance predictor, the anomaly detector, the capacity forecaster, the router). Rows go
to Triton in batches the models accept; the reply names the version that ran, so a caller
sees a promotion or a rollback in its very next answer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from automatrix.inference.hotswap import ModelSwapper
from automatrix.inference.triton.client import TritonError, TritonModelNotReady
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import FieldError, RpcErrorCode
from automatrix.shared.contracts.scoring import MAX_SCORE_ROWS, SCORE_METHOD, ScoreParams
from automatrix.shared.rpc import RpcFailure, RpcServer


class Scorer:
    """Answers ``score`` calls with the active version of the model named."""

    def __init__(self, swapper: ModelSwapper, *, batch_rows: int) -> None:
        self.swapper = swapper
        self.batch_rows = batch_rows

    async def score(self, params: ScoreParams) -> dict[str, Any]:
        rows = {len(matrix) for matrix in params.inputs.values()}
        if len(rows) != 1 or 0 in rows:
            raise _invalid("inputs", "every input needs the same number of rows, at least one")
        (count,) = rows
        if count > MAX_SCORE_ROWS:
            raise _invalid("inputs", f"at most {MAX_SCORE_ROWS} rows per call, got {count}")
        if self.swapper.active(params.model) is None:
            raise RpcFailure(RpcErrorCode.NOT_FOUND, f"no version of {params.model!r} is served")
        arrays = {
            name: np.asarray(matrix, dtype=np.float32) for name, matrix in params.inputs.items()
        }
        if any(array.ndim != 2 for array in arrays.values()):
            raise _invalid("inputs", "each input is a matrix: rows of equal length")
        parts: list[dict[str, Any]] = []
        version = 0
        try:
            for start in range(0, count, self.batch_rows):
                batch = {name: a[start : start + self.batch_rows] for name, a in arrays.items()}
                active, out = await self.swapper.infer_versioned(
                    params.model, batch, list(params.outputs)
                )
                version = active.version
                parts.append(out)
        except TritonModelNotReady as exc:
            raise RpcFailure(RpcErrorCode.UNAVAILABLE, str(exc)) from exc
        except TritonError as exc:
            # The model refused the inputs (a wrong name or width): the caller's to fix.
            raise _invalid("inputs", str(exc)) from exc
        outputs = {
            name: np.concatenate([p[name] for p in parts]).reshape(count, -1).tolist()
            for name in params.outputs
        }
        return {"model": params.model, "version": version, "outputs": outputs}

    def register_on(self, server: RpcServer) -> None:
        server.method(SCORE_METHOD, self.score, ScoreParams)


def scoring_server(bus: Bus, swapper: ModelSwapper, *, batch_rows: int) -> RpcServer:
    server = RpcServer(bus, "inference")
    Scorer(swapper, batch_rows=batch_rows).register_on(server)
    return server


def _invalid(field: str, message: str) -> RpcFailure:
    return RpcFailure(
        RpcErrorCode.INVALID, message, [FieldError(loc=[field], msg=message[:1024], type="value")]
    )
