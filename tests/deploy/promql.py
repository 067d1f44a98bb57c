"""Metric names in PromQL expressions, and the names a Prometheus exposition declares."""

from __future__ import annotations

import re
from collections.abc import Iterable

# PromQL's aggregations, functions and keywords: identifiers that are not metric names.
KEYWORDS = frozenset(
    (
        "sum",
        "min",
        "max",
        "avg",
        "group",
        "stddev",
        "stdvar",
        "count",
        "count_values",
        "bottomk",
        "topk",
        "quantile",
        "limitk",
        "limit_ratio",
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "bool",
        "and",
        "or",
        "unless",
        "offset",
        "abs",
        "absent",
        "absent_over_time",
        "ceil",
        "changes",
        "clamp",
        "clamp_max",
        "clamp_min",
        "day_of_month",
        "day_of_week",
        "day_of_year",
        "days_in_month",
        "delta",
        "deriv",
        "exp",
        "floor",
        "histogram_avg",
        "histogram_count",
        "histogram_fraction",
        "histogram_quantile",
        "histogram_stddev",
        "histogram_stdvar",
        "histogram_sum",
        "holt_winters",
        "hour",
        "idelta",
        "increase",
        "irate",
        "label_join",
        "label_replace",
        "ln",
        "log2",
        "log10",
        "minute",
        "month",
        "predict_linear",
        "rate",
        "resets",
        "round",
        "scalar",
        "sgn",
        "sort",
        "sort_desc",
        "sort_by_label",
        "sort_by_label_desc",
        "sqrt",
        "time",
        "timestamp",
        "vector",
        "year",
        "avg_over_time",
        "min_over_time",
        "max_over_time",
        "sum_over_time",
        "count_over_time",
        "quantile_over_time",
        "stddev_over_time",
        "stdvar_over_time",
        "last_over_time",
        "present_over_time",
        "mad_over_time",
    )
)

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_VARIABLE = re.compile(r"\$\{?\w+\}?")
_IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_:][\w:]*")
_NUMBER_SUFFIX = re.compile(r"\b\d+(\.\d+)?(e[+-]?\d+)?\b", re.IGNORECASE)


def metric_names(expr: str) -> set[str]:
    """The metric names an expression selects (label names, functions and keywords removed)."""
    text = _STRING.sub(" ", expr)
    text = _VARIABLE.sub(" ", text)
    text = _MATCHERS.sub(" ", text)
    text = _RANGE.sub(" ", text)
    text = _GROUPING.sub(" ", text)
    text = _NUMBER_SUFFIX.sub(" ", text)
    return {name for name in _IDENTIFIER.findall(text) if name not in KEYWORDS}


_TYPE_LINE = re.compile(r"^# TYPE (?P<name>[A-Za-z_:][\w:]*) (?P<type>\w+)\s*$", re.MULTILINE)
_SAMPLE = re.compile(
    r"^(?P<name>[A-Za-z_:][\w:]*)(?:\{(?P<labels>.*)\})?\s+(?P<value>\S+)", re.MULTILINE
)
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
_SERIES = {
    "counter": ("", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
}


def samples(exposition: str) -> list[tuple[str, dict[str, str], float]]:
    """Each sample line of a text exposition, names as written (no parser renaming)."""
    return [
        (match["name"], dict(_LABEL.findall(match["labels"] or "")), float(match["value"]))
        for match in _SAMPLE.finditer(exposition)
    ]


def exported_names(exposition: str) -> set[str]:
    """Every series name a ``/metrics`` text declares, sampled yet or not.

    A labelled metric no code path has touched yet has ``# HELP`` and ``# TYPE`` lines but no
    samples; the names its samples will carry follow from its declared name and type.
    """
    names = {name for name, _, _ in samples(exposition)}
    for match in _TYPE_LINE.finditer(exposition):
        name, kind = match["name"], match["type"]
        base = name.removesuffix("_total") if kind == "counter" else name
        for suffix in _SERIES.get(kind, ("",)):
            names.add(name if suffix == "" else base + suffix)
    return names


def unknown(queried: Iterable[str], exported: set[str]) -> list[str]:
    """The queried names no exposition declared, sorted."""
    return sorted(set(queried) - exported)


def sample_values(exposition: str, name: str, **labels: str) -> list[float]:
    """Values of the samples called ``name`` whose labels include ``labels``."""
    return [
        value
        for sample, found, value in samples(exposition)
        if sample == name and labels.items() <= found.items()
    ]
