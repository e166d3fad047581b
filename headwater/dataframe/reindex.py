"""``reindex``: rows picked (or made missing) by label, columns by name, as pandas.

Rows are labelled by the keys of a keyed frame or Series, else by their positions
while they are in their original order (pandas' default labels there). The result
is keyed by the labels asked for, in that order: a label that no row has gives a
missing row (``fill_value`` where given; values that were already missing stay so,
as in pandas). Labels of reordered rows are not kept, so reindexing rows there raises
and names the positional alternative. ``columns=`` selects and orders columns; a
name that is no column gives a column of ``fill_value`` (missing by default).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import Column, build_column, column_from_host, column_from_scalar, full_null
from headwater.dataframe.keys import _unique_keys, require_labels

__all__ = ["reindex_frame", "reindex_series", "row_positions", "key_rows"]


def _refuse(method: Any, level: Any, limit: Any, tolerance: Any) -> None:
    for name, value, instead in (("method", method, "reindex first, then .ffill()/.bfill() the result, or "
                                                   "hw.merge_asof(...) for nearest-label matches"),
                                 ("level", level, "reset_index() and merge(...) on that key column"),
                                 ("limit", limit, "the result's .ffill(limit=...)"),
                                 ("tolerance", tolerance, "hw.merge_asof(..., tolerance=...)")):
        if value is not None:
            raise NotImplementedError(f"reindex({name}=) is not supported; use {instead}")


def _labels_list(labels: Any) -> list[Any]:
    if hasattr(labels, "_column"):  # a Series of labels
        return labels.to_list()
    if hasattr(labels, "tolist"):  # an Index, a NumPy array, ColumnNames
        return list(labels.tolist())
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
        raise TypeError(f"reindex takes a list of labels, got {labels!r}; wrap one label in a list")
    return list(labels)


def _target(keys: dict[str, Column], labels: list[Any]) -> dict[str, Column]:
    """The asked-for labels as key columns of the keys' dtypes."""
    names = list(keys)
    if len(names) > 1:
        for label in labels:
            if not isinstance(label, tuple) or len(label) != len(names):
                raise KeyError(f"a label of this object is a tuple of {len(names)} values (keys {names}), "
                               f"got {label!r}")
        parts = list(zip(*labels)) if labels else [[] for _ in names]
    else:
        parts = [labels]
    out = {}
    for name, values in zip(names, parts):
        key = keys[name]
        col = column_from_host(list(values), device=key.device) if len(values) else full_null(0, key.dtype, key.backend)
        if col.dtype != key.dtype:
            try:
                col = col.astype(key.dtype)
            except (TypeError, ValueError) as exc:
                raise TypeError(f"reindex: the labels {list(values)[:5]!r} do not fit the key {name!r} "
                                f"({key.dtype}): {exc}") from None
        out[name] = col
    return out


def row_positions(obj: Any, labels: Any) -> tuple[Any, dict[str, Column]]:
    """(xp int64 row of each label, -1 where none has it; the result's key columns)."""
    wanted = _labels_list(labels)
    backend = obj._backend()
    xp = backend.xp
    n = len(obj)
    if not obj._keys:
        require_labels(obj, "reindex (rows by label)",
                       "reset_index(drop=True) first (rows numbered 0..n-1), or take(positions)/iloc")
        if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in wanted):
            raise TypeError(f"this object has no keys, so its row labels are the positions 0..{n - 1}; "
                            f"reindex takes integers here, got {wanted[:5]!r} (set_index(...) to label rows)")
        target = backend.to_device(np.asarray(wanted, dtype=np.int64))
        inside = (target >= 0) & (target < n)
        return xp.where(inside, target, -1), {None: build_column(target)}
    target = _target(obj._keys, wanted)
    return key_rows(obj._keys, target, "reindex"), target


def key_rows(keys: dict[str, Column], target: dict[str, Column], what: str) -> Any:
    """xp int64: the row whose ``keys`` equal each row of ``target`` (-1 where none);
    the keys must be unique (pandas cannot reindex on duplicate labels)."""
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.join import merge

    _unique_keys(keys, what)
    first = next(iter(keys.values()))
    xp = first.xp
    source = dict(keys)
    source["__row__"] = build_column(xp.arange(len(first), dtype=np.int64))
    rows = merge(DataFrame._from_columns(target), DataFrame._from_columns(source), how="left",
                 on=list(keys))._columns["__row__"]
    return rows.data if rows.mask is None else xp.where(rows.mask, rows.data, -1)


def _gather(col: Column, positions: Any, fill_value: Any) -> Column:
    taken = col.take(positions, allow_missing=True)
    if fill_value is None:
        return taken
    return taken.where(positions >= 0, column_from_scalar(fill_value, len(positions), like=col))


def _new_column(n: int, fill_value: Any, backend: Any) -> Column:
    if fill_value is None:
        return full_null(n, np.float64, backend)
    return column_from_scalar(fill_value, n, device=backend.name)


def reindex_frame(frame: Any, labels: Any = None, index: Any = None, columns: Any = None, axis: Any = None,
                  method: Any = None, copy: Any = None, level: Any = None, fill_value: Any = None,
                  limit: Any = None, tolerance: Any = None) -> Any:
    """``DataFrame.reindex`` (see the module docstring)."""
    _refuse(method, level, limit, tolerance)
    if axis is not None and (index is not None or columns is not None):
        raise TypeError("reindex: pass axis= with labels, or index=/columns=, not both")
    if labels is not None:
        if axis in (1, "columns"):
            if columns is not None:
                raise TypeError("reindex: labels with axis=1 and columns= both name the columns; pass one")
            columns = labels
        elif axis in (None, 0, "index", "rows"):
            if index is not None:
                raise TypeError("reindex: labels and index= both name the rows; pass one")
            index = labels
        else:
            raise ValueError(f"axis must be 0/'index' or 1/'columns', got {axis!r}")
    backend = frame._backend()
    out = frame
    if index is not None:
        positions, keys = row_positions(frame, index)
        cols = {name: _gather(col, positions, fill_value) for name, col in frame._columns.items()}
        out = frame._from_columns(cols, keys=keys, rows=_rows_token())
    if columns is not None:
        names = _labels_list(columns)
        n = len(out)
        cols = {str(name): out._columns[name] if name in out._columns else _new_column(n, fill_value, backend)
                for name in names}
        if len(cols) != len(names):
            raise ValueError(f"reindex(columns=) names a column twice: {names}")
        out = out._from_columns(cols, keys=out._keys, rows=out._rows)
    return out if out is not frame else frame._from_columns(dict(frame._columns))


def reindex_series(series: Any, index: Any = None, *, axis: Any = None, method: Any = None, copy: Any = None,
                   level: Any = None, fill_value: Any = None, limit: Any = None, tolerance: Any = None) -> Any:
    """``Series.reindex`` (see the module docstring)."""
    _refuse(method, level, limit, tolerance)
    if axis not in (None, 0, "index", "rows"):
        raise ValueError(f"a Series has one axis: axis must be 0/'index', got {axis!r}")
    if index is None:
        return series._from_column(series._column, series.name)
    positions, keys = row_positions(series, index)
    return series._from_column(_gather(series._column, positions, fill_value), series.name, keys=keys,
                               rows=_rows_token())


def _rows_token() -> Any:
    from headwater.dataframe.keys import reordered

    return reordered()
