"""Sorting: one stable permutation from the keys, then one gather per column.

Keys are processed last to first with stable sorts (a least-significant-key radix
scheme), so ties keep their row order. Descending order flips each key without
overflow (``~x`` for integers, ``-x`` for floats); missing values are placed first
or last by a stable partition after each key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from headwater.dataframe.column import Column

__all__ = ["sort_permutation", "SeriesSortingMixin", "FrameSortingMixin"]


def _descending(key: Any) -> Any:
    if key.dtype.kind == "f":
        return -key
    return ~key


def stable_argsort(xp: Any, key: Any) -> Any:
    """A stable argsort from a fast unstable one: ties are put back in row order.

    Only the rows in runs of equal keys are sorted a second time (by run, then row), so
    keys with few ties (floats) cost one unstable sort and a check; NumPy's stable sort
    of float64 is about 1.6 times slower than its quicksort. Keys with many ties are
    better served by the stable sort itself.
    """
    perm = xp.argsort(key)
    n = int(perm.shape[0])
    if n < 2:
        return perm
    sorted_key = xp.take(key, perm)
    tie = sorted_key[1:] == sorted_key[:-1]
    in_run = xp.zeros(n, dtype=bool)
    in_run[1:] |= tie
    in_run[:-1] |= tie
    rows = xp.flatnonzero(in_run)
    if int(rows.shape[0]) == 0:
        return perm
    run = xp.cumsum(xp.concatenate([xp.zeros(1, dtype=np.int64), (~tie).astype(np.int64)]))
    tied = xp.take(perm, rows)
    composite = xp.take(run, rows) * n + tied  # below n * n: fits int64 up to 3e9 rows
    perm[rows] = xp.take(tied, xp.argsort(composite))
    return perm


def _argsort(xp: Any, key: Any, stable: bool) -> Any:
    if not stable:
        return xp.argsort(key)
    if key.dtype.kind == "f":  # floats rarely tie: a fast sort and a repair of the ties
        return stable_argsort(xp, key)
    return xp.argsort(key, kind="stable")  # integer codes and ranks tie often


def _partition(xp: Any, perm: Any, missing_sorted: Any, na_first: bool) -> Any:
    present = perm[~missing_sorted]
    absent = perm[missing_sorted]
    return xp.concatenate([absent, present] if na_first else [present, absent])


def sort_permutation(cols: Sequence[Column], ascending: Sequence[bool], na_position: str = "last",
                     kind: str = "stable") -> Any:
    """Row order that sorts ``cols`` (first column most significant)."""
    if na_position not in ("first", "last"):
        raise ValueError(f"na_position must be 'first' or 'last', got {na_position!r}")
    xp = cols[0].xp
    n = len(cols[0])
    if len(cols) == 1:
        return _single_key(cols[0], ascending[0], na_position == "first", kind)
    perm = None
    stable = kind in ("stable", "mergesort") or len(cols) > 1
    for col, asc in reversed(list(zip(cols, ascending))):
        key = col.sort_key()
        valid = col.missing_mask()
        if valid is not None:
            key = xp.where(valid, key, 0)
        if not asc:
            key = _descending(key)
        if perm is not None:
            key = key[perm]
        order = _argsort(xp, key, stable)
        perm = order if perm is None else perm[order]
        if valid is not None:
            perm = _partition(xp, perm, ~valid[perm], na_position == "first")
    return perm if perm is not None else xp.arange(n)


def _single_key(col: Column, ascending: bool, na_first: bool, kind: str) -> Any:
    """One key: sort only the present rows, then put the missing ones at one end."""
    xp = col.xp
    key = col.sort_key()
    if not ascending:
        key = _descending(key)
    valid = col.missing_mask()
    stable = kind in ("stable", "mergesort")
    if valid is None:
        return _argsort(xp, key, stable)
    present = xp.flatnonzero(valid)
    absent = xp.flatnonzero(~valid)
    ordered = xp.take(present, _argsort(xp, xp.take(key, present), stable))
    return xp.concatenate([absent, ordered] if na_first else [ordered, absent])


class SeriesSortingMixin:
    """Sorting methods of a Series."""

    def sort_values(self, ascending: bool = True, na_position: str = "last", kind: str = "stable") -> Any:
        """The values in sorted order (stable; missing values last by default).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, None, 1]).sort_values().to_list()
        [1, 3, None]
        """
        perm = sort_permutation([self._column], [ascending], na_position, kind)
        return self._from_column(self._column.take(perm), self.name)

    def argsort(self) -> Any:
        """Positions that would sort the values (a Series of int64).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([30, 10, 20]).argsort().to_list()
        [1, 2, 0]
        """
        perm = sort_permutation([self._column], [True])
        from headwater.dataframe.column import build_column

        return self._from_column(build_column(perm.astype(np.int64)), self.name)

    def nlargest(self, n: int = 5, keep: str = "first") -> Any:
        """The ``n`` largest values, largest first.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 9, 4]).nlargest(2).to_list()
        [9, 4]
        """
        return self.dropna().sort_values(ascending=False).head(n)

    def nsmallest(self, n: int = 5, keep: str = "first") -> Any:
        """The ``n`` smallest values, smallest first.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 9, 4]).nsmallest(2).to_list()
        [1, 4]
        """
        return self.dropna().sort_values().head(n)


class FrameSortingMixin:
    """Sorting methods of a DataFrame."""

    def sort_values(self, by: str | list[str], ascending: bool | list[bool] = True,
                    na_position: str = "last", kind: str = "stable") -> Any:
        """Rows sorted by one or more columns (stable, so ties keep their order).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["b", "a", "b"], "v": [1, 2, 0]})
        >>> df.sort_values(["k", "v"], ascending=[True, False])["v"].to_list()
        [2, 1, 0]
        """
        names = [by] if isinstance(by, str) else list(by)
        asc = [ascending] * len(names) if isinstance(ascending, bool) else list(ascending)
        if len(asc) != len(names):
            raise ValueError(f"ascending has {len(asc)} values for {len(names)} sort columns")
        cols = [self._get_column(name) for name in names]
        if not self._columns or len(self) == 0:
            return self._from_columns(dict(self._columns))
        perm = sort_permutation(cols, asc, na_position, kind)
        return self._take_rows(perm)

    def nlargest(self, n: int, columns: str | list[str], keep: str = "first") -> Any:
        """The ``n`` rows with the largest values in ``columns``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 5, 3]}).nlargest(2, "a")["a"].to_list()
        [5, 3]
        """
        return self.sort_values(columns, ascending=False).head(n)

    def nsmallest(self, n: int, columns: str | list[str], keep: str = "first") -> Any:
        """The ``n`` rows with the smallest values in ``columns``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [3, 1, 2]}).nsmallest(2, "a")["a"].to_list()
        [1, 2]
        """
        return self.sort_values(columns, ascending=True).head(n)
