"""Request-volume forecasting per deployment, judged on a held-out tail against naive.

Candidates: naive (the last bucket again), seasonal naive (the same bucket one season ago,
given a season of history), Holt's damped linear trend (smoothing chosen by grid search on
one-step errors) and ridge regression on lags (scikit-learn). Each is fitted on the history
less its last buckets and scored by MAE on them; the best is refitted on all the history to
forecast. The naive MAE is reported beside it, so a forecast no better than "same as now"
shows it (skill <= 0). Everything is deterministic: no sampling anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import Ridge  # type: ignore[import-untyped]

Series = NDArray[np.float64]
Method = Callable[[Series, int, int | None], Series]

MIN_TRAIN = 6
"""Fewest buckets a candidate is fitted on; with less history the forecast is naive."""
MAX_LAGS = 24
HOLT_ALPHAS = (0.1, 0.2, 0.3, 0.5, 0.7, 0.9)
HOLT_BETAS = (0.0, 0.05, 0.1, 0.2, 0.3)
HOLT_DAMPING = 0.98
RIDGE_ALPHA = 1.0


@dataclass(frozen=True)
class Forecast:
    """Predicted counts per bucket for the next ``horizon`` buckets, and how it was judged."""

    method: str
    horizon: int
    values: tuple[float, ...]
    mae: float | None
    """Held-out MAE of ``method``; None when the history was too short to hold any out."""
    naive_mae: float | None
    history: int
    candidates: dict[str, float] = field(default_factory=dict)
    """Held-out MAE of every candidate that could be fitted."""

    @property
    def skill(self) -> float | None:
        """1 - MAE / naive MAE: above 0 beats naive, 0 ties it; None when not measurable."""
        if self.mae is None or self.naive_mae is None:
            return None
        if self.naive_mae == 0:
            return 0.0 if self.mae == 0 else None  # naive was perfect: no ratio to give
        return 1 - self.mae / self.naive_mae

    @property
    def peak(self) -> float:
        return max(self.values, default=0.0)


def fill_series(counts: Mapping[int, float], *, first: int, last: int) -> list[float]:
    """Counts for every bucket index from ``first`` to ``last``, 0 where none were recorded."""
    if last < first:
        return []
    return [float(counts.get(bucket, 0.0)) for bucket in range(first, last + 1)]


def naive(train: Series, horizon: int, _: int | None) -> Series:
    return np.full(horizon, train[-1])


def seasonal_naive(train: Series, horizon: int, season: int | None) -> Series:
    if season is None or len(train) < season:
        raise ValueError("seasonal naive needs a full season of history")
    last_season = train[-season:]
    return np.array([last_season[h % season] for h in range(horizon)], dtype=np.float64)


def holt(train: Series, horizon: int, _: int | None) -> Series:
    """Damped linear trend with the (alpha, beta) that fit the history best one step ahead."""
    best: tuple[float, float, float] | None = None
    for alpha in HOLT_ALPHAS:
        for beta in HOLT_BETAS:
            level, trend, sse = _holt_run(train, alpha, beta)
            if best is None or sse < best[0]:
                best = (sse, level, trend)
    assert best is not None
    last_level, last_trend = best[1], best[2]
    steps = np.cumsum(HOLT_DAMPING ** np.arange(1, horizon + 1))
    forecast: Series = last_level + steps * last_trend
    return forecast


def _holt_run(series: Series, alpha: float, beta: float) -> tuple[float, float, float]:
    # Start from a line fitted to the first points: one noisy difference is a poor trend.
    head = series[: min(len(series), 10)]
    trend, level = (float(c) for c in np.polyfit(np.arange(len(head)), head, 1))
    sse = 0.0
    for value in series:
        predicted = level + HOLT_DAMPING * trend
        sse += (float(value) - predicted) ** 2
        previous = level
        level = alpha * float(value) + (1 - alpha) * predicted
        trend = beta * (level - previous) + (1 - beta) * HOLT_DAMPING * trend
    return level, trend, sse


def ridge_lags(train: Series, horizon: int, season: int | None) -> Series:
    """Ridge regression of a bucket on the buckets before it (and one season back), rolled."""
    lags = min(MAX_LAGS, len(train) // 4)
    back = season if season is not None and len(train) >= season + lags + MIN_TRAIN else None
    first = max(lags, back or 0)
    if lags < 2 or len(train) - first < MIN_TRAIN:
        raise ValueError("too little history for lagged regression")
    # On a unit scale, so the penalty means the same for 5 and 5000 requests a bucket.
    scale = float(np.mean(train)) or 1.0
    history = [float(v) / scale for v in train]
    rows = [_lag_row(history, t, lags, back) for t in range(first, len(history))]
    model = Ridge(alpha=RIDGE_ALPHA).fit(np.array(rows), np.array(history[first:]))
    for _ in range(horizon):
        row = _lag_row(history, len(history), lags, back)
        history.append(float(model.predict(np.array([row]))[0]))
    return np.array(history[len(train) :], dtype=np.float64) * scale


def _lag_row(history: list[float], t: int, lags: int, back: int | None) -> list[float]:
    row = history[t - lags : t]
    if back is not None:
        row.append(history[t - back])
    return row


METHODS: dict[str, Method] = {
    "naive": naive,
    "seasonal_naive": seasonal_naive,
    "holt": holt,
    "ridge_lags": ridge_lags,
}


def forecast(
    values: Sequence[float],
    *,
    horizon: int,
    season: int | None = None,
    extra: Mapping[str, Method] | None = None,
) -> Forecast:
    """Pick the candidate with the lowest MAE on the held-out tail, refit it, forecast.

    ``extra`` adds candidates after the built-in ones (a served model, say): judged the same
    way, and losing ties to them.
    """
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    if season is not None and season < 2:
        raise ValueError("season must be at least 2 buckets")
    series = np.asarray(values, dtype=np.float64)
    if len(series) == 0:
        return Forecast("naive", horizon, (0.0,) * horizon, None, None, 0)
    holdout = min(horizon, len(series) // 3)
    if holdout < 1 or len(series) - holdout < MIN_TRAIN:
        values = _clipped(naive(series, horizon, season))
        return Forecast("naive", horizon, values, None, None, len(series))
    train, test = series[:-holdout], series[-holdout:]
    scores: dict[str, float] = {}
    methods = {**METHODS, **(extra or {})}
    for name, method in methods.items():
        try:
            predicted = np.clip(method(train, holdout, season), 0, None)
        except ValueError:
            continue  # not enough history for this one
        scores[name] = float(np.mean(np.abs(predicted - test)))
    # Ties go to the simpler method: METHODS is ordered simplest first.
    best = min(scores, key=lambda name: (scores[name], list(methods).index(name)))
    return Forecast(
        method=best,
        horizon=horizon,
        values=_clipped(methods[best](series, horizon, season)),
        mae=scores[best],
        naive_mae=scores["naive"],
        history=len(series),
        candidates=scores,
    )


def _clipped(values: Series) -> tuple[float, ...]:
    return tuple(float(v) for v in np.clip(values, 0, None))
