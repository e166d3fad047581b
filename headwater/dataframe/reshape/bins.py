"""``cut`` and ``qcut``: values into bins, by a binary search of the edges on the device.

The edges (a few numbers) are computed as pandas does (equal widths widened by 0.1%,
or quantiles of the values) and the interval labels are pandas' own, so a result
prints and compares like pandas'. The result is an ordered categorical of the labels
(strings: Headwater categories are strings; pandas holds ``Interval`` objects).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.dtypes import CategoricalDtype
from headwater.tensor.transfer import to_host

__all__ = ["cut", "qcut"]


def _as_series(x: Any) -> Any:
    from headwater.dataframe.series import Series

    return x if isinstance(x, Series) else Series(x)


def _values(col: Column) -> tuple[Any, Any]:
    if col.kind not in ("int", "uint", "float", "bool"):
        raise TypeError(f"cut/qcut need numeric values, got {col.dtype}")
    xp = col.xp
    values = col.data.astype(xp.float64)
    valid = col.missing_mask()
    ok = ~xp.isnan(values) if valid is None else valid & ~xp.isnan(values)
    return values, ok


def _even_edges(xp: Any, values: Any, ok: Any, bins: int, right: bool) -> np.ndarray:
    if bins < 1:
        raise ValueError("`bins` should be a positive integer.")
    kept = values[ok]
    if kept.shape[0] == 0:
        raise ValueError("cannot cut values that are all missing with a number of bins; give the edges")
    low, high = (float(to_host(f(kept))) for f in (xp.min, xp.max))
    if np.isinf(low) or np.isinf(high):
        raise ValueError("cannot specify integer `bins` when input data contains infinity")
    if low == high:
        low -= 0.001 * abs(low) if low != 0 else 0.001
        high += 0.001 * abs(high) if high != 0 else 0.001
        return np.linspace(low, high, bins + 1, endpoint=True)
    edges = np.linspace(low, high, bins + 1, endpoint=True)
    adjust = (high - low) * 0.001
    if right:
        edges[0] -= adjust
    else:
        edges[-1] += adjust
    return edges


def _binned(s: Any, edges: np.ndarray, right: bool, labels: Any, precision: int,
            include_lowest: bool, duplicates: str, ordered: bool, shown: Any = None) -> Any:
    col = s._column
    xp = col.xp
    values, ok = _values(col)
    if duplicates not in ("raise", "drop"):
        raise ValueError("invalid value for 'duplicates' parameter, valid options are: raise, drop")
    shown = edges if shown is None else np.asarray(shown)  # the edges as the labels show them
    unique = np.unique(edges)
    if len(unique) < len(edges):
        if duplicates == "raise":
            raise ValueError(f"Bin edges must be unique: {edges!r}. You can drop duplicate edges by "
                             f"setting the 'duplicates' kwarg")
        edges, shown = unique, np.unique(shown)
    if np.any(np.diff(edges) < 0):
        raise ValueError("bins must increase monotonically.")
    device_edges = col.backend.to_device(edges.astype(np.float64))
    ids = xp.searchsorted(device_edges, values, side="left" if right else "right")
    if include_lowest:
        ids = xp.where(values == edges[0], 1, ids)
    inside = ok & (ids > 0) & (ids < len(edges))
    codes = xp.where(inside, ids - 1, 0).astype(np.int32)
    if labels is False:
        return s._from_column(build_column(codes.astype(np.int64), inside), s.name), edges
    if labels is None:  # pandas' own labels, formatted for the values' dtype
        like = np.array([], dtype=col.data.dtype if col.kind != "bool" else np.int64)
        names = [str(iv) for iv in pd.cut(like, shown, right=right, precision=precision,
                                           include_lowest=include_lowest).categories]
    else:
        names = list(labels)
        if len(names) != len(edges) - 1:
            raise ValueError("Bin labels must be one fewer than the number of bin edges")
        if not all(isinstance(n, str) for n in names):
            table = col.backend.to_device(np.asarray(names))
            return s._from_column(build_column(xp.take(table, codes), inside), s.name), edges
        if ordered and len(set(names)) != len(names):
            raise ValueError("labels must be unique if ordered=True; pass ordered=False for duplicate labels")
    categories = pa.array(names, pa.string())
    dtype = CategoricalDtype(categories, ordered)
    out = build_column(codes, inside, dtype, dictionary=categories, ordered=ordered)
    return s._from_column(out, s.name), edges


def cut(x: Any, bins: Any, right: bool = True, labels: Any = None, retbins: bool = False,
        precision: int = 3, include_lowest: bool = False, duplicates: str = "raise",
        ordered: bool = True) -> Any:
    """Bin values into intervals, as ``pandas.cut``.

    Parameters
    ----------
    x : Series or array-like of numbers
    bins : int or sequence of edges
        An int makes that many equal-width bins over the range (widened by 0.1% so the
        extremes fall inside).
    right, include_lowest, precision, duplicates, ordered : as pandas
    labels : None, False or a list
        None gives pandas' interval labels (``"(0.5, 1.0]"``) as an ordered categorical;
        False the integer bin numbers; a list of strings names the bins (a list of
        numbers gives a numeric column).
    retbins : bool
        Also return the edges (a NumPy array).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cut(hw.Series([1, 5, 9, None]), bins=[0, 4, 8, 12]).to_list()
    ['(0, 4]', '(4, 8]', '(8, 12]', None]
    >>> hw.cut(hw.Series([1.0, 5.0, 9.0]), 2, labels=["low", "high"]).to_list()
    ['low', 'low', 'high']
    """
    s = _as_series(x)
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        values, ok = _values(s._column)
        edges = _even_edges(s._column.xp, values, ok, int(bins), right)
    else:
        shown = np.asarray(bins)
        edges = shown.astype(np.float64)
        if edges.ndim != 1:
            raise ValueError("bins must be an int or a 1-d sequence of edges")
        return _finish(*_binned(s, edges, right, labels, precision, include_lowest, duplicates, ordered,
                                shown), retbins)
    return _finish(*_binned(s, edges, right, labels, precision, include_lowest, duplicates, ordered), retbins)


def _finish(out: Any, edges: np.ndarray, retbins: bool) -> Any:
    return (out, edges) if retbins else out


def qcut(x: Any, q: Any, labels: Any = None, retbins: bool = False, precision: int = 3,
         duplicates: str = "raise") -> Any:
    """Bin values into quantile ranges, as ``pandas.qcut``: ``q`` equal-count bins (an int)
    or the given quantiles.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.qcut(hw.Series([1, 2, 3, 4, 5, 6, 7, 8]), 4, labels=False).to_list()
    [0, 0, 1, 1, 2, 2, 3, 3]
    >>> hw.qcut(hw.Series([1.0, 2.0, 3.0, 4.0]), 2).to_list()
    ['(0.999, 2.5]', '(0.999, 2.5]', '(2.5, 4.0]', '(2.5, 4.0]']
    """
    s = _as_series(x)
    values, ok = _values(s._column)
    xp = s._column.xp
    quantiles = np.linspace(0, 1, int(q) + 1) if isinstance(q, (int, np.integer)) else np.asarray(q, float)
    kept = xp.sort(values[ok])
    if kept.shape[0] == 0:
        edges = np.full(len(quantiles), np.nan)
    else:
        edges = to_host(xp.quantile(kept, s._column.backend.to_device(quantiles)))
    return _finish(*_binned(s, np.asarray(edges, dtype=np.float64), True, labels, precision, True,
                            duplicates, True), retbins)
