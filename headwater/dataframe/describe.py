"""``describe``: the summary pandas prints, as a frame keyed by the statistic names
(pandas' index: ``count``, ``mean``, ... ``max``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import Column, column_from_host
from headwater.dataframe.unique import nunique

__all__ = ["describe", "STATISTICS"]

STATISTICS = ("count", "mean", "std", "min", "25%", "50%", "75%", "max")


def _stats(col: Column) -> list[float]:
    values = [float(col.reduce("count"))]
    values.append(float(col.reduce("mean")))
    values.append(float(col.reduce("std")))
    values.append(float(col.reduce("min")))
    for q in (0.25, 0.5, 0.75):
        values.append(float(col.reduce("quantile", q=q)))
    values.append(float(col.reduce("max")))
    return values


def describe(columns: dict[str, Column]) -> Any:
    """Statistics of the numeric columns (all columns' counts if none is numeric), keyed
    by the statistic names as pandas indexes them."""
    from headwater.dataframe.frame import DataFrame

    numeric = {k: c for k, c in columns.items() if c.kind in ("int", "uint", "float")}
    device = next(iter(columns.values())).device if columns else None
    out: dict[str, Column] = {}
    if not numeric:
        names = ["count", "unique"]
        for name, col in columns.items():
            # the number of distinct values as an int, whatever the column's dtype boxes (a Timestamp ...)
            out[name] = column_from_host([float(col.reduce("count")), float(nunique(col))], device=device)
    else:
        names = list(STATISTICS)
        for name, col in numeric.items():
            out[name] = column_from_host(np.asarray(_stats(col), dtype=np.float64), device=device)
    return DataFrame._from_columns(out, keys={None: column_from_host(names, device=device)})
