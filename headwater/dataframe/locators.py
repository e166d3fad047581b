"""``loc``, ``at``, ``iat`` and assignment through ``loc`` / ``iloc``.

A row key resolves once to a boolean mask or to positions (:func:`resolve_rows`):
masks and ``:`` always work; labels are the keys of a keyed object, else the
positions while the rows are in their original order (see :mod:`.keys`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import Column, column_from_host, column_from_scalar, full_null
from headwater.dataframe.indexing import _scalar, positions_of, row_selector
from headwater.dataframe.keys import key_positions, require_labels
from headwater.tensor.devices import array_device

__all__ = ["FrameLoc", "SeriesLoc", "FrameAt", "SeriesAt", "FrameIAt", "SeriesIAt", "resolve_rows",
           "assign_rows"]

_LABEL_HINT = "iloc[...] (positions) or a boolean mask"


def _is_mask(key: Any) -> bool:
    if hasattr(key, "_column"):
        return key._column.kind == "bool"
    if array_device(key) is not None:
        return key.dtype == bool
    return isinstance(key, list) and len(key) > 0 and all(isinstance(v, (bool, np.bool_)) for v in key)


def _label_positions(obj: Any, key: Any) -> tuple[Any, bool]:
    """Positions of the rows labelled ``key`` (a label or a list of labels)."""
    backend = obj._backend()
    if obj._keys:
        return key_positions(obj._keys, key, len(obj))
    require_labels(obj, "loc/at with row labels", _LABEL_HINT)
    many = isinstance(key, (list, np.ndarray)) or hasattr(key, "_column")
    values = key.to_list() if hasattr(key, "_column") else key
    items = list(values) if many else [values]
    for v in items:
        if not isinstance(v, (int, np.integer)) or isinstance(v, (bool, np.bool_)):
            raise KeyError(f"{v!r}: rows are labelled by their positions 0..{len(obj) - 1} (no keys; "
                           f"set_index(...) makes a column the keys)")
        if not 0 <= int(v) < len(obj):
            raise KeyError(f"row label {v!r} not found ({len(obj)} rows)")
    return backend.to_device(np.asarray(items, dtype=np.int64)), not many


def _label_slice(obj: Any, key: slice) -> Any:
    """Positions start..stop, both ends included (labels, as pandas' loc slices)."""
    if key.step not in (None, 1):
        raise NotImplementedError("loc slices with a step are not supported; use iloc[::step]")
    n = len(obj)
    if obj._keys:
        start = 0 if key.start is None else int(key_positions(obj._keys, key.start, n)[0][0])
        stop = n - 1 if key.stop is None else int(key_positions(obj._keys, key.stop, n)[0][-1])
    else:
        require_labels(obj, "loc with a label slice", "iloc[a:b] (positions)")
        start = 0 if key.start is None else int(key.start)
        stop = n - 1 if key.stop is None else min(int(key.stop), n - 1)
    return slice(start, max(stop + 1, start))


def resolve_rows(obj: Any, key: Any) -> tuple[str, Any, bool]:
    """``("all"|"mask"|"take"|"slice", value, scalar)`` for a ``loc`` row key."""
    if callable(key) and not hasattr(key, "_column"):
        key = key(obj)
    if isinstance(key, slice):
        if key == slice(None):
            return "all", None, False
        return "slice", _label_slice(obj, key), False
    if _is_mask(key):
        if hasattr(key, "_column"):
            col = key._column
            if len(col) != len(obj):
                raise IndexError(f"boolean mask has {len(col)} rows, the object has {len(obj)}")
            return "mask", col.data if col.mask is None else col.data & col.mask, False
        how, arr = positions_of(key, len(obj), obj._backend())
        return "mask", arr, False
    positions, scalar = _label_positions(obj, key)
    return "take", positions, scalar


def _rows_of(obj: Any, how: str, value: Any) -> Any:
    if how == "all":
        return obj
    if how == "slice":
        return obj._select_rows(row_selector(value, len(obj), obj._backend()), keeps_order=value.start == 0)
    if how == "mask":
        kept = obj._backend().xp.flatnonzero(value)
        return obj._select_rows(lambda c: c.take(kept, checked=True))
    return obj._select_rows(lambda c: c.take(value, checked=True))


def _selected_mask(obj: Any, how: str, value: Any) -> Any:
    """An xp bool array of the rows a key selects (for assignment)."""
    xp = obj._backend().xp
    n = len(obj)
    if how == "all":
        return xp.ones(n, dtype=bool)
    if how == "mask":
        return value
    sel = xp.zeros(n, dtype=bool)
    if how == "slice":
        sel[value] = True
    else:
        sel[value] = True
    return sel


def _values_column(obj: Any, name: str, sel: Any, value: Any, like: Column | None) -> Any:
    """The new values as a full-length column (or a scalar) for rows ``sel``."""
    from headwater.dataframe.series import Series

    n = len(obj)
    if isinstance(value, Series):
        if len(value) == n:
            return obj._aligned_values(name, value)
        col = value._column
    elif isinstance(value, (list, tuple)) or array_device(value) is not None:
        col = column_from_host(value, device=obj._backend().name) if not obj._backend().owns(value) else None
        if col is None:
            col = column_from_host(value, device=obj._backend().name)
    else:
        return value
    xp = obj._backend().xp
    k = int(xp.sum(sel))
    if len(col) != k:
        raise ValueError(f"cannot set {len(col)} values into {k} selected rows of column {name!r}")
    idx = xp.full(n, -1, dtype=np.int64)
    idx[xp.flatnonzero(sel)] = xp.arange(k, dtype=np.int64)
    return col.take(idx, allow_missing=True)


def assign_rows(obj: Any, how: str, value_key: Any, names: list[str], value: Any) -> None:
    """Set ``value`` into the selected rows of columns ``names`` of a frame (in place);
    a new column is null outside the selected rows, as pandas gives NaN there."""
    sel = _selected_mask(obj, how, value_key)
    for name in names:
        like = obj._columns.get(name)
        new = _values_column(obj, name, sel, value, like)
        if like is None:
            if isinstance(new, Column):
                like = full_null(len(obj), new.dtype, obj._backend())
            else:
                like = full_null(len(obj), column_from_scalar(new, 1, device=obj._backend().name).dtype,
                                 obj._backend())
        obj._columns[name] = like.where(~sel, new)


def _column_names(frame: Any, cols: Any) -> tuple[list[str], bool]:
    names = list(frame._columns)
    if isinstance(cols, str):
        return [cols], True
    if isinstance(cols, slice):
        if cols == slice(None):
            return names, False
        lo = 0 if cols.start is None else names.index(cols.start)
        hi = len(names) - 1 if cols.stop is None else names.index(cols.stop)
        return names[lo:hi + 1], False
    if _is_mask(cols):
        flags = cols.to_list() if hasattr(cols, "to_list") else list(cols)
        return [n for n, f in zip(names, flags) if f], False
    return list(cols), False


class FrameLoc:
    """``df.loc[rows]``, ``df.loc[rows, cols]`` and assignment through them."""

    def __init__(self, frame: Any) -> None:
        self._f = frame

    def _split(self, key: Any) -> tuple[Any, Any]:
        if isinstance(key, tuple) and len(key) == 2 and not (self._f._keys and len(self._f._keys) == 2
                                                             and not isinstance(key[1], (str, list, slice))):
            return key
        return key, slice(None)

    def __getitem__(self, key: Any) -> Any:
        f = self._f
        rows, cols = self._split(key)
        names, one_col = _column_names(f, cols)
        for name in names:
            f._get_column(name)
        how, value, scalar = resolve_rows(f, rows)
        sub = _rows_of(f[names] if names != list(f._columns) else f, how, value)
        if scalar and len(sub) == 1:
            row = {name: _scalar(sub._columns[name], 0, 1) for name in names}
            return row[names[0]] if one_col else row
        return sub[names[0]] if one_col else sub

    def __setitem__(self, key: Any, value: Any) -> None:
        f = self._f
        rows, cols = self._split(key)
        names, _ = _column_names(f, cols)
        how, sel, _ = resolve_rows(f, rows)
        assign_rows(f, how, sel, names, value)


class SeriesLoc:
    """``s.loc[label]`` (a scalar for a unique label), ``s.loc[[labels]]``, ``s.loc[mask]``."""

    def __init__(self, series: Any) -> None:
        self._s = series

    def __getitem__(self, key: Any) -> Any:
        s = self._s
        how, value, scalar = resolve_rows(s, key)
        sub = _rows_of(s, how, value)
        if scalar and len(sub) == 1:
            return _scalar(sub._column, 0, 1)
        return sub

    def __setitem__(self, key: Any, value: Any) -> None:
        s = self._s
        how, sel, _ = resolve_rows(s, key)
        frame = s.to_frame("v")
        assign_rows(frame, how, sel, ["v"], value)
        s._column = frame._columns["v"]


class FrameAt:
    """``df.at[label, column]``: one value by row label and column name."""

    def __init__(self, frame: Any) -> None:
        self._f = frame

    def __getitem__(self, key: tuple[Any, str]) -> Any:
        rows, col = key
        out = FrameLoc(self._f)[rows, col]
        if hasattr(out, "_column"):
            raise KeyError(f"row label {rows!r} names {len(out)} rows; at[] reads one value (use loc)")
        return out

    def __setitem__(self, key: tuple[Any, str], value: Any) -> None:
        FrameLoc(self._f)[key] = value


class SeriesAt(SeriesLoc):
    """``s.at[label]``: one value by label."""


class FrameIAt:
    """``df.iat[i, j]``: one value by row and column position."""

    def __init__(self, frame: Any) -> None:
        self._f = frame

    def __getitem__(self, key: tuple[int, int]) -> Any:
        i, j = key
        name = list(self._f._columns)[j]
        return _scalar(self._f._columns[name], int(i), len(self._f))

    def __setitem__(self, key: tuple[int, int], value: Any) -> None:
        i, j = key
        set_positions(self._f, i, j, value)


class SeriesIAt:
    """``s.iat[i]``: one value by position."""

    def __init__(self, series: Any) -> None:
        self._s = series

    def __getitem__(self, i: int) -> Any:
        return _scalar(self._s._column, int(i), len(self._s))

    def __setitem__(self, i: int, value: Any) -> None:
        frame = self._s.to_frame("v")
        set_positions(frame, i, 0, value)
        self._s._column = frame._columns["v"]


def set_positions(frame: Any, rows: Any, cols: Any, value: Any) -> None:
    """``df.iloc[rows, cols] = value``: assignment by positions (in place)."""
    names = list(frame._columns)
    if isinstance(cols, (int, np.integer)):
        picked = [names[int(cols)]]
    elif isinstance(cols, slice):
        picked = names[cols]
    else:
        picked = [names[int(c)] for c in cols]
    n = len(frame)
    xp = frame._backend().xp
    if isinstance(rows, (int, np.integer)):
        r = int(rows) + n if int(rows) < 0 else int(rows)
        if not 0 <= r < n:
            raise IndexError(f"row {rows} is out of bounds for {n} rows")
        sel = xp.zeros(n, dtype=bool)
        sel[r] = True
        assign_rows(frame, "mask", sel, picked, value)
        return
    if isinstance(rows, slice):
        sel = xp.zeros(n, dtype=bool)
        sel[rows] = True
        assign_rows(frame, "mask", sel, picked, value)
        return
    how, arr = positions_of(rows.to_numpy() if hasattr(rows, "_column") else rows, n, frame._backend())
    assign_rows(frame, how, arr, picked, value)
