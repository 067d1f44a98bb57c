"""The insight models as the inference service serves them (their ``production`` versions).

neuroweaver trains the anomaly detector and the capacity forecaster; inference hot-loads the
promoted version into Triton and answers ``score``. Here they are put to work: the model's
verdict on each deployment's window beside the statistical detector's, and the forecaster
as one more forecasting candidate, judged on the held-out tail like the others.
"""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np

from automatrix.neuroweaver.insights.anomaly_model import CLASSES
from automatrix.neuroweaver.insights.anomaly_model import INPUT_NAME as ANOMALY_INPUT
from automatrix.neuroweaver.insights.anomaly_model import OUTPUT_NAME as ANOMALY_OUTPUT
from automatrix.neuroweaver.insights.forecast import Method, Series
from automatrix.neuroweaver.insights.forecast_model import INPUT_NAME as FORECAST_INPUT
from automatrix.neuroweaver.insights.forecast_model import LAGS
from automatrix.neuroweaver.insights.forecast_model import OUTPUT_NAME as FORECAST_OUTPUT
from automatrix.shared.bus import Bus
from automatrix.shared.contracts import RpcErrorCode
from automatrix.shared.contracts.scoring import (
    ANOMALY_MODEL,
    FORECAST_MODEL,
    SCORE_METHOD,
    ScoreParams,
    ScoreResult,
)
from automatrix.shared.rpc import RpcClient, RpcFailure

TIMEOUT_S = 2.0
STEP_TIMEOUT_S = 5.0


class ServedModels:
    """Calls ``score`` on the inference service; None where no version is served."""

    def __init__(self, bus: Bus, *, timeout_s: float = TIMEOUT_S) -> None:
        self.rpc = RpcClient(bus, timeout_s=timeout_s)

    async def score(
        self, model: str, inputs: dict[str, list[list[float]]], outputs: list[str]
    ) -> ScoreResult | None:
        params = ScoreParams(model=model, inputs=inputs, outputs=outputs)
        try:
            data = await self.rpc.call("inference", SCORE_METHOD, params)
        except RpcFailure as exc:
            if exc.code in (RpcErrorCode.NOT_FOUND, RpcErrorCode.UNAVAILABLE):
                return None
            raise
        return ScoreResult.model_validate(data)

    async def anomaly_verdicts(self, features: dict[str, list[float]]) -> dict[str, Any] | None:
        """The served detector's class probabilities per deployment, and its version."""
        if not features:
            return None
        names = sorted(features)
        result = await self.score(
            ANOMALY_MODEL, {ANOMALY_INPUT: [features[n] for n in names]}, [ANOMALY_OUTPUT]
        )
        if result is None:
            return None
        verdicts = {}
        for name, row in zip(names, result.outputs[ANOMALY_OUTPUT], strict=True):
            probabilities = {label: round(p, 4) for label, p in zip(CLASSES, row, strict=True)}
            verdicts[name] = {**probabilities, "verdict": CLASSES[int(np.argmax(row))]}
        return {"name": ANOMALY_MODEL, "version": result.version, "deployments": verdicts}

    async def forecaster(self) -> tuple[int, Method] | None:
        """The served forecaster's version and a forecasting method running it, if served.

        The method is called from a worker thread (forecasts are made in one): each step is a
        ``score`` call run on this event loop, the forecast fed back as the next lag.
        """
        probe = await self.score(
            FORECAST_MODEL, {FORECAST_INPUT: [[0.0] * LAGS]}, [FORECAST_OUTPUT]
        )
        if probe is None:
            return None
        loop = asyncio.get_running_loop()

        def served(train: Series, horizon: int, _: int | None) -> Series:
            if len(train) < LAGS:
                raise ValueError(f"the forecaster needs {LAGS} buckets of history")
            history: list[float] = [float(v) for v in train]
            for _step in range(horizon):
                call = self.score(
                    FORECAST_MODEL, {FORECAST_INPUT: [history[-LAGS:]]}, [FORECAST_OUTPUT]
                )
                result = asyncio.run_coroutine_threadsafe(call, loop).result(STEP_TIMEOUT_S)
                if result is None:
                    raise ValueError("the forecaster is no longer served")
                history.append(float(result.outputs[FORECAST_OUTPUT][0][0]))
            return np.array(history[len(train) :], dtype=np.float64)

        return probe.version, served


def candidate_name(version: int) -> str:
    return f"model:{FORECAST_MODEL}:v{version}"
