"""Looking at the groups one at a time, as pandas code does: iteration, ``get_group``,
``groups``/``indices``, ``pipe``, and the per-group summaries ``describe``,
``value_counts`` and ``sem``, plus the per-group fills ``ffill``/``bfill``.

A group's rows come out in their frame order; its frame is a new frame over those
rows (rows are positional, so it has no row labels of its own). ``groups`` gives each
group's row labels, which are the positions of a frame in its original order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.apply import host_scalars
from headwater.dataframe.column.base import Column
from headwater.dataframe.groupby.perrow import segmented_scan
from headwater.dataframe.keys import require_labels
from headwater.tensor.transfer import to_host

__all__ = ["GroupByIterationMixin"]

_DESCRIBE = ("count", "mean", "std", "min", "25%", "50%", "75%", "max")


class GroupByIterationMixin:
    """``__iter__ get_group groups indices pipe describe value_counts sem ffill bfill``."""

    def _group_names(self) -> list[Any]:
        """Each group's key as pandas names it: a scalar for ``groupby("k")``, a tuple
        for a list of keys (also a list of one, as pandas 2 and later)."""
        columns = [host_scalars(col) for col in self._key_columns().values()]
        if getattr(self, "_scalar_by", False):
            return columns[0]
        return list(zip(*columns))

    def _group_rows(self) -> list[Any]:
        """Each group's row positions (device arrays, ascending), in group order."""
        order, bounds = self._groups()
        return [order[bounds[g]:bounds[g + 1]] for g in range(len(bounds) - 1)]

    def _group_frame(self, rows: Any) -> Any:
        sub = self._frame._take_rows(rows)
        if isinstance(self._selection, str):
            return sub[self._selection]
        if self._selection is not None:
            return sub[list(self._selection)]
        return sub

    def __iter__(self) -> Any:
        """``(key, rows)`` for each group, in group order (``for name, group in df.groupby("k")``).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["b", "a", "b"], "v": [1, 2, 3]})
        >>> [(k, g["v"].to_list()) for k, g in df.groupby("k")]
        [('a', [2]), ('b', [1, 3])]
        >>> [k for k, _ in df.groupby(["k"])]
        [('a',), ('b',)]
        """
        names = self._group_names()
        for name, rows in zip(names, self._group_rows()):
            yield name, self._group_frame(rows)

    def _position_of(self, name: Any) -> int:
        names = self._group_names()
        wanted = name
        if not getattr(self, "_scalar_by", False) and not isinstance(name, tuple):
            wanted = (name,)
        for g, known in enumerate(names):
            if known == wanted:
                return g
        raise KeyError(f"get_group: no group {name!r}; the groups are {names[:10]}"
                       f"{' ...' if len(names) > 10 else ''}")

    def get_group(self, name: Any, obj: Any = None) -> Any:
        """The rows of the group whose key is ``name`` (a tuple for several keys).

        Raises
        ------
        KeyError
            No group has that key.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["b", "a", "b"], "v": [1, 2, 3]})
        >>> df.groupby("k").get_group("b")["v"].to_list()
        [1, 3]
        """
        if obj is not None:
            raise TypeError("get_group(obj=) is deprecated in pandas and not supported; select from the groupby")
        return self._group_frame(self._group_rows()[self._position_of(name)])

    @property
    def indices(self) -> dict[Any, np.ndarray]:
        """Each group's row positions as a NumPy array (host), keyed by the group key.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": [1, 2, 1]}).groupby("k").indices
        {1: array([0, 2]), 2: array([1])}
        """
        return {name: to_host(rows) for name, rows in zip(self._group_names(), self._group_rows())}

    @property
    def groups(self) -> dict[Any, list[int]]:
        """Each group's row labels, keyed by the group key (pandas gives an Index; here a
        list). Labels are positions of a frame in its original order; after a filter or
        sort they are not kept and this raises (use ``indices`` for positions).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": ["x", "y", "x"]}).groupby("k").groups
        {'x': [0, 2], 'y': [1]}
        """
        require_labels(self._frame, "groupby(...).groups", "groupby(...).indices (positions)")
        return {name: rows.tolist() for name, rows in self.indices.items()}

    def pipe(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``; a ``(callable, "keyword")`` tuple passes self as
        that keyword, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 1, 2], "v": [1, 2, 5]})
        >>> df.groupby("k").pipe(lambda g: g["v"].max() - g["v"].min()).to_dict()
        {1: 1, 2: 0}
        """
        if isinstance(func, tuple):
            func, keyword = func
            if keyword in kwargs:
                raise ValueError(f"pipe: {keyword!r} is both the target keyword and an argument")
            kwargs[keyword] = self
            return func(*args, **kwargs)
        return func(self, *args, **kwargs)

    def sem(self, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Standard error of the mean of each group: ``std(ddof) / sqrt(count)``.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 1, 1], "v": [1.0, 2.0, 3.0]})
        >>> round(df.groupby("k")["v"].sem().to_list()[0], 6)
        0.57735
        """
        return self.std(ddof=ddof, numeric_only=numeric_only) / self.count() ** 0.5

    def describe(self, percentiles: Any = None, include: Any = None, exclude: Any = None) -> Any:
        """``count mean std min 25% 50% 75% max`` of one selected column per group, a
        frame keyed by the groups.

        pandas gives a frame with two levels of columns (column, statistic) when several
        columns are described; columns have one level here, so select one column.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "a", "b"], "v": [1.0, 3.0, 5.0]})
        >>> df.groupby("k")["v"].describe()["mean"].to_dict()
        {'a': 2.0, 'b': 5.0}
        """
        if percentiles is not None or include is not None or exclude is not None:
            raise NotImplementedError("groupby describe(percentiles=, include=, exclude=) is not supported; "
                                      "use agg() with the statistics you need")
        if not isinstance(self._selection, str):
            raise NotImplementedError(
                "groupby(...).describe() of several columns would need two levels of column names; "
                "describe one column (df.groupby(k)['v'].describe()) or use agg(['count', 'mean', ...])")
        from headwater.dataframe.frame import DataFrame

        parts = [self.count(), self.mean(), self.std(), self.min(), self.quantile(0.25), self.quantile(0.5),
                 self.quantile(0.75), self.max()]
        count = parts[0]
        columns = {name: part._column.astype(np.float64) for name, part in zip(_DESCRIBE, parts)}
        return DataFrame._from_columns(columns, keys=count._keys, rows=None)

    def value_counts(self, normalize: bool = False, sort: bool = True, ascending: bool = False,
                     bins: Any = None, dropna: bool = True) -> Any:
        """How often each value of the selected column occurs in each group: a Series
        named ``count`` (``proportion`` with ``normalize=True``) keyed by the group keys
        and the value; within each group the most frequent first, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "a", "a", "b"], "v": [1, 2, 2, 1]})
        >>> df.groupby("k")["v"].value_counts().to_dict()
        {('a', 2): 2, ('a', 1): 1, ('b', 1): 1}
        """
        if bins is not None:
            raise NotImplementedError("groupby value_counts(bins=) is not supported; bin first with hw.cut")
        if not isinstance(self._selection, str):
            raise NotImplementedError("value_counts of a DataFrameGroupBy counts rows of several columns; "
                                      "select one column (df.groupby(k)['v'].value_counts())")
        from headwater.dataframe.series import Series

        value = self._selection
        frame = self._frame[self._by + [value]] if value not in self._by else self._frame[self._by]
        if self._dropna:  # rows whose group key is null belong to no group
            frame = frame.dropna(subset=self._by)
        # pairs in order of first appearance; then, as pandas: the groups in key order when
        # the groupby sorts, and (sort=True) the most frequent first, within each group when
        # the groupby sorts and over all pairs when it does not; ties keep appearance order
        counts = frame.groupby(self._by + [value], sort=False, dropna=dropna, as_index=False).size()
        order, ascending_flags = [], []
        if self._sort:
            counts = counts.assign(__group=counts.groupby(self._by, sort=True, dropna=False).ngroup())
            order, ascending_flags = ["__group"], [True]
        if sort:
            order, ascending_flags = order + ["size"], ascending_flags + [ascending]
        if order:  # by the counts, also with normalize=True (as pandas)
            counts = counts.sort_values(order, ascending=ascending_flags, kind="stable")
        name = "count"
        if normalize:
            totals = counts.groupby(self._by, dropna=False)["size"].transform("sum")
            counts = counts.assign(size=counts["size"] / totals)
            name = "proportion"
        keys = {k: counts._columns[k] for k in self._by + [value]}
        return Series._from_column(counts._columns["size"], name, keys=keys, rows=None)

    def _fill(self, direction: str, limit: int | None) -> Any:
        if limit is not None and (not isinstance(limit, (int, np.integer)) or limit < 1):
            raise ValueError(f"{direction}: limit must be a positive int or None, got {limit!r}")
        xp = self._frame._backend().xp
        order, slots = self._order()
        n = int(order.shape[0])
        if direction == "bfill":
            order, slots = order[::-1], slots[::-1]
        position = xp.arange(n, dtype=np.int64)

        def one(col: Column) -> Column:
            valid = ~col.is_missing()[order]
            last = segmented_scan(xp, xp.where(valid, position, -1), slots, "maximum")
            ok = (last >= 0) & (slots >= 0)
            if limit is not None:
                ok &= (position - last) <= int(limit)
            src = xp.full(n, -1, dtype=np.int64)
            src[order] = xp.where(ok, order[xp.maximum(last, 0)], -1)
            return col.take(src, allow_missing=True)

        return self._per_column(one)

    def ffill(self, limit: int | None = None) -> Any:
        """Each missing value replaced by the last valid value before it in its group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 2, 1, 2, 1], "v": [1.0, 2.0, None, None, None]})
        >>> df.groupby("k")["v"].ffill(limit=1).to_list()
        [1.0, 2.0, 1.0, 2.0, None]
        """
        return self._fill("ffill", limit)

    def bfill(self, limit: int | None = None) -> Any:
        """Each missing value replaced by the next valid value after it in its group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 1, 2, 1], "v": [None, None, 5.0, 4.0]})
        >>> df.groupby("k")["v"].bfill().to_list()
        [4.0, 4.0, 5.0, 4.0]
        """
        return self._fill("bfill", limit)

