"""Sorting: one stable permutation from the keys, then one gather per column.

Keys are processed last to first with stable sorts (a least-significant-key radix
scheme), so ties keep their row order. Each key's missing rows go first or last as
part of its own sort.

On the CPU each key is ordered by :func:`~headwater.tensor.backend.packed_sort.packed_argsort`
(one sort of packed ``(key, row)`` words, which also places the missing rows); CuPy's
``argsort`` is a stable radix sort already, so the GPU uses it and partitions the
missing rows after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from headwater.dataframe.column import Column
from headwater.tensor.backend.base import Backend
from headwater.tensor.backend.packed_sort import packed_argsort

__all__ = ["sort_permutation", "key_order", "SeriesSortingMixin", "FrameSortingMixin"]


def _descending(key: Any) -> Any:
    if key.dtype.kind == "f":
        return -key
    return ~key


def key_order(backend: Backend, key: Any, ascending: bool = True, valid: Any = None,
              na_first: bool = False, head: int | None = None) -> Any:
    """Stable order of one key; rows where ``valid`` is False (and NaN) go to one end.

    ``head`` asks for only the first positions of the order (see ``packed_argsort``).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.sorting import key_order
    >>> be = hw.get_backend()
    >>> key_order(be, be.xp.asarray([2.0, float("nan"), 1.0, 2.0]), ascending=False).tolist()
    [0, 3, 2, 1]
    """
    xp = backend.xp
    if backend.name != "cuda" and key.dtype.kind in "biuf":
        return packed_argsort(xp, key, not ascending, valid, na_first, head)
    return _argsort_and_partition(xp, key, ascending, valid, na_first)[:head]


def _argsort_and_partition(xp: Any, key: Any, ascending: bool, valid: Any, na_first: bool) -> Any:
    """The GPU path: CuPy's argsort is stable; the missing rows are moved to one end."""
    if key.dtype.kind == "f":
        not_nan = ~xp.isnan(key)
        valid = not_nan if valid is None else valid & not_nan
    if not ascending:
        key = _descending(key)
    if valid is None:
        return xp.argsort(key, kind="stable")
    present = xp.flatnonzero(valid)
    absent = xp.flatnonzero(~valid)
    ordered = xp.take(present, xp.argsort(xp.take(key, present), kind="stable"))
    return xp.concatenate([absent, ordered] if na_first else [ordered, absent])


def sort_permutation(cols: Sequence[Column], ascending: Sequence[bool], na_position: str = "last",
                     kind: str = "stable", head: int | None = None) -> Any:
    """Row order that sorts ``cols`` (first column most significant); always stable.

    With ``head`` only the first ``head`` rows of that order: the most significant key
    is ordered last, so only its sort needs to produce them.
    """
    if na_position not in ("first", "last"):
        raise ValueError(f"na_position must be 'first' or 'last', got {na_position!r}")
    backend = cols[0].backend
    perm = None
    for i, (col, asc) in reversed(list(enumerate(zip(cols, ascending)))):
        key, valid = col.sort_key(), col.mask  # key_order counts NaN as missing itself
        if perm is not None:
            key = key[perm]
            valid = None if valid is None else valid[perm]
        order = key_order(backend, key, asc, valid, na_position == "first", head if i == 0 else None)
        perm = order if perm is None else perm[order]
    return perm


class SeriesSortingMixin:
    """Sorting methods of a Series."""

    def sort_values(self, *, axis: Any = 0, ascending: bool = True, inplace: bool = False, kind: str = "stable",
                    na_position: str = "last", ignore_index: bool = False, key: Any = None) -> Any:
        """The values in sorted order (stable; missing values last by default); ``key`` is
        a function of the Series giving the values to sort by.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, None, 1]).sort_values().to_list()
        [1.0, 3.0, None]
        """
        by = self if key is None else key(self)
        perm = sort_permutation([by._column], [ascending], na_position, kind)
        out = self._take(perm)
        if ignore_index:
            out = out.reset_index(drop=True)
        return self._inplace(out, inplace)

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
        return self._sorted_head(n, ascending=False)

    def nsmallest(self, n: int = 5, keep: str = "first") -> Any:
        """The ``n`` smallest values, smallest first.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 9, 4]).nsmallest(2).to_list()
        [1, 4]
        """
        return self._sorted_head(n, ascending=True)

    def _sorted_head(self, n: int, ascending: bool) -> Any:
        if n < 0:
            return self.dropna().sort_values(ascending=ascending).head(n)
        perm = sort_permutation([self._column], [ascending], head=n)
        return self._take(perm).dropna()  # missing were last


class FrameSortingMixin:
    """Sorting methods of a DataFrame."""

    def sort_values(self, by: str | list[str], *, axis: Any = 0, ascending: bool | list[bool] = True,
                    inplace: bool = False, kind: str = "stable", na_position: str = "last",
                    ignore_index: bool = False, key: Any = None) -> Any:
        """Rows sorted by one or more columns (stable, so ties keep their order).

        Parameters
        ----------
        by : str or list of str
        ascending : bool or list of bool
        na_position : {"last", "first"}
            Where missing values (null, NaN) go.
        kind : str
            Accepted for pandas compatibility and otherwise unused: every sort here is
            stable, which is a correct result for any ``kind`` pandas offers.
        inplace, ignore_index : bool
            Sort this frame (returns None); number the result's rows 0..n-1.
        key : callable, optional
            A function of each sort column (a Series) giving the values to sort by.

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
        if axis not in (0, "index"):
            raise NotImplementedError("sort_values(axis=1) is not supported; reorder columns with df[sorted(...)]")
        cols = [self._get_column(name) if key is None else key(self[name])._column for name in names]
        if not self._columns or len(self) == 0:
            out = self._from_columns(dict(self._columns))
        else:
            out = self._take_rows(sort_permutation(cols, asc, na_position, kind))
        if ignore_index:
            out = out.reset_index(drop=True)
        return self._inplace(out, inplace)

    def nlargest(self, n: int, columns: str | list[str], keep: str = "first") -> Any:
        """The ``n`` rows with the largest values in ``columns``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 5, 3]}).nlargest(2, "a")["a"].to_list()
        [5, 3]
        """
        return self._sorted_head(columns, False, n)

    def nsmallest(self, n: int, columns: str | list[str], keep: str = "first") -> Any:
        """The ``n`` rows with the smallest values in ``columns``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [3, 1, 2]}).nsmallest(2, "a")["a"].to_list()
        [1, 2]
        """
        return self._sorted_head(columns, True, n)

    def _sorted_head(self, by: str | list[str], ascending: bool, n: int) -> Any:
        if n < 0 or not self._columns or len(self) == 0:
            return self.sort_values(by, ascending=ascending).head(n)
        cols = [self._get_column(name) for name in ([by] if isinstance(by, str) else by)]
        return self._take_rows(sort_permutation(cols, [ascending] * len(cols), head=n))
