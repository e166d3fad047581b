"""Positional row selection: slices, boolean masks, integer positions (``iloc``).

A key is resolved once into a function over columns, so a frame selects every
column with the same device gather.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.dataframe.column import Column
from headwater.tensor.backend.base import Backend
from headwater.tensor.devices import array_device
from headwater.tensor.transfer import to_host

__all__ = ["row_selector", "rows_from_key", "SeriesILoc", "FrameILoc", "positions_of"]


def _bool_mask(key: Any, n: int, backend: Backend) -> Any:
    from headwater.dataframe.series import Series

    if isinstance(key, Series):
        col = key._column
        if col.kind != "bool":
            raise TypeError(f"a boolean Series selects rows; got a Series of dtype {col.dtype}")
        if len(col) != n:
            raise IndexError(f"boolean Series has {len(col)} rows, the frame has {n}")
        if col.backend is not backend:
            raise ValueError(f"the mask is on {col.device}; move it with .to(...) first")
        return col.data if col.mask is None else col.data & col.mask  # null selects nothing
    return None


def positions_of(key: Any, n: int, backend: Backend) -> Any:
    """An xp int64 array of positions from a list/array of ints (negative from the end)."""
    xp = backend.xp
    if backend.owns(key):
        idx = key
    elif array_device(key) is not None and not isinstance(key, np.ndarray):  # another device
        idx = backend.to_device(to_host(key))
    else:
        host = np.asarray(key)
        if host.size == 0:
            host = host.astype(np.int64)
        if host.dtype.kind == "b":
            if host.shape[0] != n:
                raise IndexError(f"boolean mask has {host.shape[0]} values, the frame has {n} rows")
            return ("mask", backend.to_device(host))
        if host.dtype.kind not in "iu":
            raise TypeError(f"row positions must be integers, got {host.dtype}")
        idx = backend.to_device(host.astype(np.int64))
    if idx.dtype == bool:
        if int(idx.shape[0]) != n:
            raise IndexError(f"boolean mask has {idx.shape[0]} values, the frame has {n} rows")
        return ("mask", idx)
    idx = idx.astype(np.int64)
    if idx.shape[0]:
        lo, hi = (int(v) for v in to_host(xp.stack([xp.min(idx), xp.max(idx)])))
        if lo < -n or hi >= n:
            raise IndexError(f"row position {hi if hi >= n else lo} is out of bounds for {n} rows")
        if lo < 0:
            idx = xp.where(idx < 0, idx + n, idx)
    return ("take", idx)


def row_selector(key: Any, n: int, backend: Backend) -> Callable[[Column], Column]:
    """A function selecting the rows ``key`` names from any column of length ``n``."""
    if isinstance(key, slice):
        start, stop, step = key.indices(n)
        if step == 1:
            def take_slice(col: Column) -> Column:
                return col.slice(start, max(stop, start))

            take_slice.keeps_order = start == 0  # a prefix keeps pandas' labels 0..k-1
            return take_slice
        # slice.indices gives stop -1 for "through row 0" when stepping backwards, which
        # a slice would read as "up to the last row"
        end = None if stop < 0 else stop
        return lambda col: col.slice(start, end, step)
    mask = _bool_mask(key, n, backend)
    if mask is None:
        how, arr = positions_of(key, n, backend)
        if how == "take":
            return lambda col: col.take(arr, checked=True)  # positions_of checked the bounds
        mask = arr
    xp = backend.xp
    if bool(to_host(xp.all(mask))):
        # every row kept: columns are immutable, so the result shares them, as copy() does
        def every_row(col: Column) -> Column:
            return col

        every_row.keeps_order = True
        return every_row
    # one pass finds the kept rows; every buffer of every column is then one gather
    # (on the CPU faster than a boolean compress of each buffer, except when all rows stay)
    kept = xp.flatnonzero(mask)
    return lambda col: col.take(kept, checked=True)


def rows_from_key(col: Column, key: Any, n: int) -> Column:
    """The rows of one column selected by ``key``."""
    return row_selector(key, n, col.backend)(col)


def _scalar(col: Column, i: int, n: int) -> Any:
    if not -n <= i < n:
        raise IndexError(f"row {i} is out of bounds for {n} rows")
    i = i + n if i < 0 else i
    piece = col.slice(i, i + 1)
    if col.kind in ("string", "categorical"):
        return piece.to_arrow()[0].as_py()
    valid = piece.missing_mask()
    if valid is not None and not bool(to_host(valid)[0]):
        return col.box(None) if col.kind in ("datetime", "timedelta") else None
    value = to_host(piece.data)[0]
    return col.box(int(value)) if col.kind in ("datetime", "timedelta", "decimal") else value


class SeriesILoc:
    """``s.iloc[i]`` (a host scalar), ``s.iloc[a:b]``, ``s.iloc[[i, j]]``, ``s.iloc[mask]``."""

    def __init__(self, series: Any) -> None:
        self._s = series

    def __getitem__(self, key: Any) -> Any:
        s = self._s
        if isinstance(key, (int, np.integer)):
            return _scalar(s._column, int(key), len(s))
        select = row_selector(key, len(s), s._column.backend)
        return s._select_rows(select, getattr(select, "keeps_order", False))

    def __setitem__(self, key: Any, value: Any) -> None:
        from headwater.dataframe.locators import set_positions

        frame = self._s.to_frame("v")
        set_positions(frame, key, 0, value)
        self._s._column = frame._columns["v"]


class FrameILoc:
    """``df.iloc[rows]``, ``df.iloc[rows, cols]``; ``df.iloc[i]`` gives a dict of one row."""

    def __init__(self, frame: Any) -> None:
        self._f = frame

    def __setitem__(self, key: Any, value: Any) -> None:
        from headwater.dataframe.locators import set_positions

        rows, cols = key if isinstance(key, tuple) else (key, slice(None))
        set_positions(self._f, rows, cols, value)

    def __getitem__(self, key: Any) -> Any:
        f = self._f
        rows, cols = key if isinstance(key, tuple) else (key, slice(None))
        names = list(f._columns)
        if isinstance(cols, (int, np.integer)):
            picked = [names[int(cols)]]
        elif isinstance(cols, slice):
            picked = names[cols]
        else:
            picked = [names[int(c)] for c in cols]
        n = len(f)
        if isinstance(rows, (int, np.integer)):
            row = {name: _scalar(f._columns[name], int(rows), n) for name in picked}
            return row[picked[0]] if isinstance(cols, (int, np.integer)) else row
        sub = f[picked] if picked != names else f
        select = row_selector(rows, n, f._backend())
        out = sub._select_rows(select, getattr(select, "keeps_order", False))
        if isinstance(cols, (int, np.integer)):
            from headwater.dataframe.series import Series

            return Series._from_column(out._columns[picked[0]], picked[0])
        return out
