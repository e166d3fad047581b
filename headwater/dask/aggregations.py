"""Groupby aggregations split into partial, combine and final steps.

A decomposable aggregation is computed per partition as partial columns (a mean as a
sum and a count, a variance as a count, a sum and the sum of squared deviations
``M2``), the partials of several partitions are combined by a groupby of their
concatenation (associative, so a tree of combines gives the same answer), and the
final step turns the partials into the answer. Variances combine by Chan's parallel
formula, ``M2 = sum(M2_i) + sum(n_i * (mean_i - mean)^2)``, which keeps the precision
of a single pass instead of subtracting large sums of squares.

Aggregations outside this table (nunique, median) need all of a group's rows in one
place: the groupby shuffles rows by key instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["DECOMPOSABLE", "SHUFFLED", "Agg", "partial", "combine", "final"]

# partial columns per aggregation: (suffix, column function, how the partials combine)
DECOMPOSABLE: dict[str, list[tuple[str, str, str]]] = {
    "sum": [("sum", "sum", "sum")],
    "count": [("count", "count", "sum")],
    "size": [("size", "size", "sum")],
    "min": [("min", "min", "min")],
    "max": [("max", "max", "max")],
    "prod": [("prod", "prod", "prod")],
    "first": [("first", "first", "first")],
    "last": [("last", "last", "last")],
    "mean": [("sum", "sum", "sum"), ("count", "count", "sum")],
    "var": [("n", "count", "sum"), ("s", "sum", "sum"), ("m2", "var", "m2")],
    "std": [("n", "count", "sum"), ("s", "sum", "sum"), ("m2", "var", "m2")],
}
SHUFFLED = frozenset({"nunique", "median"})


@dataclass(frozen=True)
class Agg:
    """One output column: ``func`` of ``column``, computed under the internal name ``out``."""

    out: str
    column: str
    func: str

    def partials(self) -> list[tuple[str, str, str, str]]:
        """(partial name, column, partial function, combine function) for this output."""
        return [(f"{self.out}__{suffix}", self.column, fn, how) for suffix, fn, how in DECOMPOSABLE[self.func]]


def _variance_inputs(frame: Any, aggs: Sequence[Agg]) -> tuple[Any, dict[str, str]]:
    """Integer inputs of variances as float64 copies (squared deviations of ints would truncate)."""
    renamed = {a.out: f"{a.out}__x" for a in aggs
               if a.func in ("var", "std") and frame[a.column].dtype.kind in "iub"}
    if not renamed:
        return frame, {}
    by_out = {a.out: a.column for a in aggs}
    return frame.assign(**{tmp: frame[by_out[out]].astype("float64") for out, tmp in renamed.items()}), renamed


def partial(frame: Any, keys: list[str], aggs: Sequence[Agg], dropna: bool) -> Any:
    """The partial columns of ``aggs`` over one partition, as a flat frame keyed by ``keys``.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dask.aggregations import Agg, partial
    >>> f = hw.DataFrame({"k": [1, 1, 2], "v": [1.0, 3.0, 5.0]})
    >>> partial(f, ["k"], [Agg("m", "v", "mean")], True).to_dict()
    {'k': [1, 2], 'm__sum': [4.0, 5.0], 'm__count': [2, 1]}
    """
    frame, floats = _variance_inputs(frame, aggs)
    spec = {name: (floats.get(a.out, col), fn) for a in aggs for name, col, fn, _ in a.partials()}
    out = frame.groupby(keys, as_index=False, sort=False, dropna=dropna).agg(**spec)
    m2 = {}
    for a in aggs:
        if a.func in ("var", "std"):
            n, var = out[f"{a.out}__n"], out[f"{a.out}__m2"]
            m2[f"{a.out}__m2"] = (var * (n - 1)).where(n > 1, 0.0)
    return out.assign(**m2) if m2 else out


def combine(frame: Any, keys: list[str], aggs: Sequence[Agg], dropna: bool, sort: bool) -> Any:
    """Partials of several partitions (concatenated in order) combined into one partial per group."""
    spec: dict[str, tuple[str, str]] = {}
    adjusted = {}
    for a in aggs:
        for name, _, _, how in a.partials():
            spec[name] = (name, "sum" if how == "m2" else how)
        if a.func in ("var", "std"):
            n, s = frame[f"{a.out}__n"], frame[f"{a.out}__s"]
            grouped = frame.groupby(keys, sort=False, dropna=dropna)
            total_n = grouped[f"{a.out}__n"].transform("sum")
            total_s = grouped[f"{a.out}__s"].transform("sum")
            dev = (s / n - total_s / total_n).where(n > 0, 0.0)
            adjusted[f"{a.out}__m2"] = frame[f"{a.out}__m2"] + (n * dev * dev).where(n > 0, 0.0)
    if adjusted:
        frame = frame.assign(**adjusted)
    return frame.groupby(keys, as_index=False, sort=sort, dropna=dropna).agg(**spec)


def final(frame: Any, keys: list[str], aggs: Sequence[Agg]) -> Any:
    """The answers (columns ``a.out``) from combined partials; keys first."""
    out = {k: frame[k] for k in keys}
    for a in aggs:
        p = f"{a.out}__"
        if a.func == "mean":
            # an empty group is 0 / 0: NaN, as pandas gives
            out[a.out] = frame[p + "sum"].astype("float64") / frame[p + "count"].astype("float64")
        elif a.func in ("var", "std"):
            n = frame[p + "n"]
            var = frame[p + "m2"].astype("float64") / (n - 1).where(n > 0, 0).astype("float64")
            out[a.out] = var ** 0.5 if a.func == "std" else var
        else:
            out[a.out] = frame[p + DECOMPOSABLE[a.func][0][0]]
    return frame[keys].assign(**{a.out: out[a.out] for a in aggs})
