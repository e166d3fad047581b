"""Python callables over groups: ``apply``, ``transform(func)``, ``filter`` and ``agg``
with functions, plus ``NamedAgg``.

A callable runs on the host once per group (not per row), on that group's rows: a
DataFrame (``apply``, ``filter``) or a Series per value column (``transform``,
``agg``). The rows are put in group order once on the device and each group is a
slice of that order. NumPy and builtin reductions (``np.sum``, ``max``, ``len``...)
are recognised and run as the device aggregations instead.
"""

from __future__ import annotations

import builtins
from collections import namedtuple
from typing import Any

import numpy as np

from headwater.dataframe.column import column_from_host, full_null
from headwater.dataframe.column.cast import concat_columns
from headwater.tensor.transfer import to_host

__all__ = ["GroupByCallablesMixin", "NamedAgg", "known_aggregation"]

NamedAgg = namedtuple("NamedAgg", ["column", "aggfunc"])
NamedAgg.__doc__ = """``agg(out=NamedAgg(column="v", aggfunc="sum"))``, as pandas' ``NamedAgg``.

Examples
--------
>>> import headwater as hw
>>> df = hw.DataFrame({"k": [1, 1, 2], "v": [1, 2, 3]})
>>> df.groupby("k").agg(total=hw.NamedAgg("v", "sum")).to_dict()
{'total': {1: 3, 2: 3}}
"""

_KNOWN = {
    np.sum: "sum", np.mean: "mean", np.min: "min", np.max: "max", np.median: "median",
    np.prod: "prod", np.std: "std", np.var: "var", np.nansum: "sum", np.nanmean: "mean",
    builtins.sum: "sum", builtins.min: "min", builtins.max: "max", builtins.len: "size",
}


def known_aggregation(func: Any) -> str | None:
    """The device aggregation a NumPy/builtin reduction stands for, or None."""
    try:
        return _KNOWN.get(func)
    except TypeError:
        return None


class GroupByCallablesMixin:
    """``apply``, ``filter``, and the callable forms of ``transform`` and ``agg``."""

    def _groups(self) -> tuple[Any, list[int]]:
        """Rows of the kept groups in group order, and the group boundaries (host ints)."""
        xp = self._frame._backend().xp
        gid = self.keys.group_ids()
        rows = xp.flatnonzero(gid >= 0)
        order = rows[xp.argsort(gid[rows], kind="stable")]
        counts = xp.bincount(gid[rows], minlength=self.keys.n) if self.keys.n else xp.zeros(0, dtype=np.int64)
        bounds = [0] + np.cumsum(to_host(counts)).tolist()
        return order, bounds

    def _each(self, fn: Any, as_frame: bool) -> list[Any]:
        order, bounds = self._groups()
        frame = self._frame
        names = self._value_names()
        out = []
        for g in range(len(bounds) - 1):
            rows = order[bounds[g]:bounds[g + 1]]
            sub = frame._take_rows(rows)
            if isinstance(self._selection, str):
                out.append(fn(sub[self._selection]))
            elif as_frame:
                out.append(fn(sub if self._selection is None else sub[names]))
            else:
                out.append(fn(sub))
        return out

    def _group_key_columns(self) -> dict[str, Any]:
        return self._key_columns()

    def apply(self, func: Any, *args: Any, include_groups: bool = True, **kwargs: Any) -> Any:
        """``func`` of each group's rows (a DataFrame, or a Series for one selected column),
        called on the host once per group.

        Scalars give one value per group (keyed by the groups); frames or Series are
        stacked, keyed by their group's keys (pandas adds the rows' own labels as a
        second level, which rows here do not have).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1, 2, 3]})
        >>> df.groupby("k").apply(lambda g: g["v"].max() - g["v"].min()).to_dict()
        {'a': 2, 'b': 0}
        """
        from headwater.dataframe.frame import DataFrame
        from headwater.dataframe.series import Series

        if not include_groups and self._selection is None:
            def call(sub: Any) -> Any:
                return func(sub.drop(columns=[c for c in self._by if c in sub.columns]), *args, **kwargs)
        else:
            def call(sub: Any) -> Any:
                return func(sub, *args, **kwargs)
        results = self._each(call, as_frame=True)
        keys = self._key_columns()
        if all(not isinstance(r, (DataFrame, Series)) for r in results):
            col = column_from_host(results, device=self._frame.device) if results else full_null(0, np.float64, self._frame._backend())
            if not self._as_index:
                return DataFrame._from_columns({**keys, "None": col})
            name = self._selection if isinstance(self._selection, str) else None  # as pandas
            return Series._from_column(col, name, keys=keys, rows=None)
        frames = [r.to_frame() if isinstance(r, Series) else r for r in results]
        if not all(isinstance(r, DataFrame) for r in frames):
            raise TypeError("apply: the function must give scalars for every group, or frames/Series for every group")
        xp = self._frame._backend().xp
        repeat = xp.concatenate([xp.full(len(f), g, dtype=np.int64) for g, f in enumerate(frames)]) if frames else None
        values = {name: concat_columns([f._columns[name] for f in frames]) for name in frames[0]._columns}
        if repeat is None:
            return DataFrame._from_columns({})
        group_keys = {name: col.take(repeat) for name, col in keys.items()}
        if all(len(f) == 1 for f in frames) or (self._group_keys and self._as_index):
            out = DataFrame._from_columns(values, keys=group_keys, rows=None)
        else:
            out = DataFrame._from_columns(values)
        if isinstance(results[0], Series) and len(values) == 1:
            return out[next(iter(values))]
        return out

    def filter(self, func: Any, dropna: bool = True, *args: Any, **kwargs: Any) -> Any:
        """The rows of the groups for which ``func(group)`` is True, in row order.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1, 2, 3]})
        >>> df.groupby("k").filter(lambda g: len(g) > 1)["v"].to_list()
        [1, 3]
        """
        if not dropna:
            raise NotImplementedError("filter(dropna=False) is not supported; the rows of failing groups are dropped")
        verdicts = self._each(lambda sub: bool(func(sub, *args, **kwargs)), as_frame=False)
        xp = self._frame._backend().xp
        gid = self.keys.group_ids()
        passed = self._frame._backend().to_device(np.asarray(verdicts + [False], dtype=bool))
        keep = passed[xp.where(gid >= 0, gid, len(verdicts))]
        return self._frame._filter_rows(keep)

    def _transform_callable(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        order, bounds = self._groups()
        frame = self._frame
        xp = frame._backend().xp
        n = len(frame)
        where = xp.full(n, -1, dtype=np.int64)
        where[order] = xp.arange(int(order.shape[0]), dtype=np.int64)
        out = {}
        from headwater.dataframe.series import Series

        for name in self._value_names():
            col = frame._columns[name].take(order)
            parts = []
            for g in range(len(bounds) - 1):
                lo, hi = bounds[g], bounds[g + 1]
                got = func(Series._from_column(col.slice(lo, hi), name), *args, **kwargs)
                if isinstance(got, Series):
                    if len(got) != hi - lo:
                        raise ValueError(f"transform: the function gave {len(got)} values for a group of {hi - lo} rows")
                    parts.append(got._column)
                else:
                    parts.append(column_from_host([got] * (hi - lo), device=frame.device))
            stacked = concat_columns(parts) if parts else frame._columns[name].slice(0, 0)
            out[name] = stacked.take(where, allow_missing=True)
        return self._per_row(out)

    def _agg_callable(self, name: str, func: Any) -> Any:
        """One value per group of ``func(Series of the group's values)``."""
        from headwater.dataframe.series import Series

        order, bounds = self._groups()
        col = self._frame._columns[name].take(order)
        values = [func(Series._from_column(col.slice(bounds[g], bounds[g + 1]), name))
                  for g in range(len(bounds) - 1)]
        if not values:
            return self._frame._columns[name].slice(0, 0)
        return column_from_host(values, device=self._frame.device)
