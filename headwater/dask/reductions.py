"""Whole-column reductions of hwd.Series: partial values per partition, combined once."""

from __future__ import annotations

import math
from typing import Any

from dask.highlevelgraph import HighLevelGraph

from headwater.dask import collection

__all__ = ["reduce_series"]


def _partial(s: Any, how: str) -> tuple[Any, int]:
    n = int(s.count())
    if how in ("min", "max"):
        return (getattr(s, how)() if n else None), n
    if how == "mean":
        return (s.sum() if n else 0), n
    return getattr(s, how)(), n


def _combine(partials: list[tuple[Any, int]], how: str) -> Any:
    values = [v for v, n in partials if n or how in ("sum", "count")]
    if how == "count":
        return sum(values)
    if how == "sum":
        return sum(values[1:], values[0]) if values else 0
    if how == "mean":
        total = sum(n for _, n in partials)
        return sum(values) / total if total else math.nan
    if not values:
        return math.nan
    return min(values) if how == "min" else max(values)


def reduce_series(series: Any, how: str) -> collection.Scalar:
    """A lazy scalar: ``how`` (sum, count, min, max, mean) over all partitions."""
    name = collection.fresh_name(f"series-{how}", series._name)
    dsk = {(name, 0): (_combine, [(_partial, key, how) for key in series.__dask_keys__()], how)}
    return collection.Scalar(HighLevelGraph.from_collections(name, dsk, dependencies=[series]), name)
