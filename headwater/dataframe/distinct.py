"""Distinct values, counts and duplicates as methods (kernels in ``unique.py``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import Column, build_column
from headwater.dataframe.sorting import sort_permutation
from headwater.dataframe.unique import duplicated_rows, factorize_column, factorize_columns, nunique

__all__ = ["SeriesDistinctMixin", "FrameDistinctMixin", "counts_frame"]


def counts_frame(key_columns: dict[str, Column], counts: Any, normalize: bool, sort: bool,
                 ascending: bool) -> Any:
    """A Series ``count`` (or ``proportion``) keyed by the distinct values, largest first
    when sorting (pandas' result; ``reset_index()`` gives the key columns and the counts)."""
    from headwater.dataframe.series import Series

    xp = next(iter(key_columns.values())).xp
    if normalize:
        total = xp.sum(counts)
        values = counts / xp.maximum(total, 1)
        label = "proportion"
    else:
        values = counts.astype(np.int64)
        label = "count"
    out = Series._from_column(build_column(values), label, keys=dict(key_columns), rows=None)
    if sort and len(out):
        out = out._take(sort_permutation([out._column], [ascending]))
        out._rows = None  # the counts' labels are their keys
    return out


class SeriesDistinctMixin:
    """``unique``, ``nunique``, ``value_counts``, ``duplicated``, ``drop_duplicates``."""

    def unique(self) -> Any:
        """Distinct values in order of first appearance (a missing value once, if any).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, 1, 3, None]).unique().to_list()
        [3.0, 1.0, None]
        """
        keep = ~duplicated_rows([self._column], "first")
        return self._filter(keep)

    def nunique(self, dropna: bool = True) -> int:
        """Number of distinct values.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", "b", "a", None]).nunique()
        2
        """
        return nunique(self._column, dropna)

    def value_counts(self, normalize: bool = False, sort: bool = True, ascending: bool = False,
                     bins: Any = None, dropna: bool = True) -> Any:
        """How often each distinct value occurs: a Series ``count`` (``proportion`` with
        ``normalize=True``) keyed by the values, as pandas. A categorical counts every
        category (0 for unused ones); ``bins=`` counts ``hw.cut(values, bins,
        include_lowest=True)``'s intervals, empty ones too.

        Examples
        --------
        >>> import headwater as hw
        >>> vc = hw.Series(["a", "b", "a"], name="s").value_counts()
        >>> vc.to_dict(), vc.name, vc.index.name
        ({'a': 2, 'b': 1}, 'count', 's')
        >>> vc.reset_index().columns
        ['s', 'count']
        """
        from headwater.dataframe.column import full_null
        from headwater.dataframe.column.cast import concat_columns

        if bins is not None:
            from headwater.dataframe.reshape.bins import cut

            counts = cut(self, bins, include_lowest=True).value_counts(False, sort, ascending, dropna=dropna)
            if not normalize:
                return counts
            out = counts / len(self)  # as pandas: shares of every value, missing ones included
            out.name = "proportion"
            return out
        col = self._column
        xp = col.xp
        by_category = col.kind == "categorical"  # ties in category order, as pandas
        if by_category:  # every category, used or not
            n = len(col.dictionary)
            group = xp.where(col.is_missing(), n, col.data.astype(np.int64))
            uniques = col._with(xp.arange(n, dtype=col.data.dtype), None)
            first = xp.arange(n + 1)
        else:
            ids, uniques = factorize_column(col, sort=False)
            n = len(uniques)
            group = xp.where(ids >= 0, ids, n)  # missing values form group n
        counts = xp.bincount(group, minlength=n + 1)
        if not by_category:
            first = col.backend.segment_first_index(group, n + 1)
        keys = concat_columns([uniques, full_null(1, col.dtype, col.backend)])
        keep = counts > 0
        if by_category:
            keep[:n] = True
        if dropna:
            keep[n] = False
        # groups in order of first appearance (categories: in category order), so that
        # ties keep pandas' order
        chosen = xp.flatnonzero(keep)
        chosen = chosen[xp.argsort(first[chosen], kind="stable")]
        keys = keys.take(chosen)
        counts = xp.take(counts, chosen)
        return counts_frame({self.name: keys}, counts, normalize, sort, ascending)

    def duplicated(self, keep: str | bool = "first") -> Any:
        """True for values seen before (``keep="last"``: seen later; False: all repeats).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 1]).duplicated().to_list()
        [False, False, True]
        """
        return self._from_column(build_column(duplicated_rows([self._column], keep)), self.name)

    def drop_duplicates(self, keep: str | bool = "first", *, inplace: bool = False,
                        ignore_index: bool = False) -> Any:
        """The values without repeats.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 1]).drop_duplicates().to_list()
        [1, 2]
        """
        out = self._filter(~duplicated_rows([self._column], keep))
        return self._inplace(out.reset_index(drop=True) if ignore_index else out, inplace)


class FrameDistinctMixin:
    """Row-level distinct operations of a DataFrame."""

    def _subset(self, subset: Any) -> list[Column]:
        names = list(self._columns) if subset is None else ([subset] if isinstance(subset, str) else list(subset))
        return [self._get_column(name) for name in names]

    def duplicated(self, subset: str | list[str] | None = None, keep: str | bool = "first") -> Any:
        """True for rows that repeat an earlier row (over ``subset`` columns).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 1], "b": [2, 2]}).duplicated().to_list()
        [False, True]
        """
        from headwater.dataframe.series import Series

        if len(self) == 0 or not self._columns:
            return Series._from_column(build_column(self._backend().xp.zeros(len(self), dtype=bool)))
        return Series._from_column(build_column(duplicated_rows(self._subset(subset), keep)))

    def drop_duplicates(self, subset: str | list[str] | None = None, *, keep: str | bool = "first",
                        inplace: bool = False, ignore_index: bool = False) -> Any:
        """Rows without repeats (missing values compare equal, as in pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> len(hw.DataFrame({"a": [1, 1, None, None]}).drop_duplicates())
        2
        """
        if len(self) == 0 or not self._columns:
            out = self._from_columns(dict(self._columns))
        else:
            out = self._filter_rows(~duplicated_rows(self._subset(subset), keep))
        return self._inplace(out.reset_index(drop=True) if ignore_index else out, inplace)

    def nunique(self, dropna: bool = True) -> Any:
        """Distinct values per column, a Series keyed by the column names (as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 1, 2], "s": ["x", "y", None]}).nunique().to_dict()
        {'a': 2, 's': 2}
        """
        from headwater.dataframe.reductions import per_column_series

        return per_column_series(self, {name: nunique(col, dropna) for name, col in self._columns.items()},
                                 "nunique")

    def value_counts(self, subset: str | list[str] | None = None, normalize: bool = False,
                     sort: bool = True, ascending: bool = False, dropna: bool = True) -> Any:
        """How often each distinct row occurs: a Series ``count`` keyed by the columns.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 1, 2], "b": ["x", "x", "y"]}).value_counts().to_dict()
        {(1, 'x'): 2, (2, 'y'): 1}
        """
        names = list(self._columns) if subset is None else ([subset] if isinstance(subset, str) else list(subset))
        cols = [self._get_column(name) for name in names]
        xp = cols[0].xp
        ids, first = factorize_columns(cols, sort=False)
        n = int(first.shape[0])
        counts = xp.bincount(ids, minlength=n)
        keys = {name: col.take(first) for name, col in zip(names, cols)}
        if dropna:
            ok = xp.ones(n, dtype=bool)
            for col in keys.values():
                ok &= col.valid()
            keys = {name: col.filter(ok) for name, col in keys.items()}
            counts = counts[ok]
        return counts_frame(keys, counts, normalize, sort, ascending)
