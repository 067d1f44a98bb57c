"""Hyper-parameter search for the router model: an Optuna study with pruning.

Each trial scores a configuration by grouped cross-validation on the training part only
(the held-out set is never seen while tuning), reporting after every fold, so the median
pruner stops a configuration that is already behind. The study is seeded (TPE sampler) and
bounded by a trial count and a wall-clock timeout; each finished trial is reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import optuna
from numpy.typing import NDArray

from automatrix.neuroweaver.domain.classifier import Example, Hyper, evaluate, split, train

FOLDS = 3

TrialReport = Callable[[int, dict[str, float], str], None]
"""(trial number, metrics, state) -> None, called as each trial ends."""


def suggest(trial: optuna.Trial, base: Hyper) -> Hyper:
    """The search space around the defaults: the heads' regularisation, the kernel width, and
    (when the words are used) the words' share of the blend."""
    hyper = dataclasses.replace(
        base,
        c=trial.suggest_float("c", 1.0, 1000.0, log=True),
        gamma=trial.suggest_float("gamma", 0.05, 2.0, log=True),
        tier_c=trial.suggest_float("tier_c", 0.1, 30.0, log=True),
    )
    if base.text_weight > 0:
        hyper = dataclasses.replace(hyper, text_weight=trial.suggest_float("text_weight", 0.3, 0.8))
    return hyper


def tune(
    x: NDArray[Any],
    examples: Sequence[Example],
    base: Hyper,
    *,
    trials: int,
    timeout_s: float,
    seed: int,
    report: TrialReport,
) -> tuple[Hyper, dict[str, float]]:
    """The best configuration found and the study's summary."""
    index = {id(e): i for i, e in enumerate(examples)}
    folds = _folds(examples, seed)

    def objective(trial: optuna.Trial) -> float:
        hyper = suggest(trial, base)
        scores: list[float] = []
        for fold, (fit_part, val_part) in enumerate(folds):
            fit_x = x[[index[id(e)] for e in fit_part]]
            val_x = x[[index[id(e)] for e in val_part]]
            trained = train(fit_x, fit_part, hyper, seed=seed)
            scores.append(evaluate(trained, val_x, val_part).capability_accuracy)
            trial.report(float(np.mean(scores)), fold)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return float(np.mean(scores))

    def on_trial(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        metrics = {"cv_accuracy": trial.value} if trial.value is not None else {}
        metrics |= {k: float(v) for k, v in trial.params.items()}
        if study.best_trials:
            metrics["best_cv_accuracy"] = float(study.best_value)
        report(trial.number, metrics, trial.state.name.lower())

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0),
    )
    study.optimize(objective, n_trials=trials, timeout=timeout_s, callbacks=[on_trial])
    finished = [t for t in study.trials if t.state is optuna.trial.TrialState.COMPLETE]
    if not finished:
        return base, {"trials": float(len(study.trials)), "pruned": float(len(study.trials))}
    best = study.best_trial
    summary = {
        "trials": float(len(study.trials)),
        "pruned": float(sum(t.state is optuna.trial.TrialState.PRUNED for t in study.trials)),
        "best_cv_accuracy": float(study.best_value),
    }
    return dataclasses.replace(base, **best.params), summary


def _folds(examples: Sequence[Example], seed: int) -> list[tuple[list[Example], list[Example]]]:
    """Grouped folds: each validation part is whole phrasing groups, about 1/FOLDS of each class."""
    folds = []
    remaining = list(examples)
    for k in range(FOLDS - 1):
        rest, val = split(remaining, test_share=1.0 / (FOLDS - k), seed=seed + k)
        folds.append(val)
        remaining = rest
    folds.append(remaining)
    return [
        ([e for j, part in enumerate(folds) if j != i for e in part], folds[i])
        for i in range(FOLDS)
    ]
