"""hwd groupby: decomposable aggregations by tree reduction, the others by a hash shuffle."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from headwater.dask import aggregations, shuffle, tree

__all__ = ["GroupBy"]


def _finish(frame: Any, keys: list[str], internal: list[str], names: list[str], as_index: bool,
            series: bool) -> Any:
    """Internal answer columns renamed to the user's names; keyed (and a Series) as pandas gives them."""
    if series and as_index:
        out = frame.set_index(keys)[internal[0]]
        out.name = names[0]
        return out
    out = frame.rename(columns=dict(zip(internal, names)))
    return out.set_index(keys) if as_index else out


def _shuffled(frame: Any, keys: list[str], spec: dict[str, tuple[str, str]], dropna: bool, sort: bool) -> Any:
    return frame.groupby(keys, as_index=False, sort=sort, dropna=dropna).agg(**spec)


def _combine_final(frame: Any, combine: Any, final: Any) -> Any:
    return final(combine(frame))


class GroupBy:
    """Lazy groups of an hwd.DataFrame (``d.groupby(keys)``), optionally with selected columns.

    Decomposable aggregations (sum, count, size, min, max, prod, first, last, mean,
    var, std) are computed as partial aggregates per partition and combined in a
    tree of ``split_every`` partials at a time; ``split_out=k`` instead hash-partitions
    the partials into ``k`` output partitions (for many groups). nunique and median
    hash-shuffle the rows by key, so each output partition holds whole groups
    (``split_out`` partitions, default: as many as the input).

    Row order: with ``sort=True`` (the default, as pandas) groups come out sorted by
    key; with ``sort=False`` their order is unspecified (it depends on the partitions
    and the shuffle), unlike pandas' first-appearance order.

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> d = hwd.from_headwater(hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 2.0, 4.0]}), npartitions=2)
    >>> d.groupby("k").agg(total=("v", "sum"), mean=("v", "mean")).compute().reset_index().to_dict()
    {'k': ['a', 'b'], 'total': [5.0, 2.0], 'mean': [2.5, 2.0]}
    >>> d.groupby("k")["v"].std().compute().tolist()
    [2.1213203435596424, nan]
    """

    def __init__(self, frame: Any, by: str | list[str], sort: bool = True, dropna: bool = True,
                 as_index: bool = True, selection: Any = None) -> None:
        keys = [by] if isinstance(by, str) else by
        if not isinstance(keys, (list, tuple)) or not keys or not all(isinstance(k, str) for k in keys):
            raise TypeError(f"hwd groupby takes a column name or a list of names, got {by!r}; "
                            "assign a computed key as a column first")
        frame._check_columns(list(keys))
        self._frame, self._by, self._keys = frame, by, list(keys)
        self._sort, self._dropna, self._as_index = sort, dropna, as_index
        self._selection = selection

    def __getitem__(self, key: str | list[str]) -> GroupBy:
        self._frame._check_columns([key] if isinstance(key, str) else list(key))
        return GroupBy(self._frame, self._by, self._sort, self._dropna, self._as_index, selection=key)

    def _grouped(self, frame: Any, as_index: bool | None = None) -> Any:
        g = frame.groupby(self._by, as_index=self._as_index if as_index is None else as_index, sort=self._sort,
                          dropna=self._dropna)
        return g if self._selection is None else g[self._selection]

    def agg(self, func: Any = None, *args: Any, split_out: int | None = None, split_every: int = 8,
            **named: Any) -> Any:
        """Aggregate as Headwater's (and pandas') ``groupby(...).agg`` does.

        Parameters
        ----------
        func : str, list of str, or dict of column -> str or list, optional
        split_out : int, optional
            Output partitions (default 1 for decomposable aggregations; the input's
            partition count for nunique/median).
        split_every : int
            Partials combined per tree node.
        **named : ``name=(column, func)`` named aggregations
        """
        if args:
            raise TypeError("hwd groupby agg takes no extra positional arguments; pass options of an "
                            "aggregation through map_partitions")
        pairs = self._specs(func, named)
        meta = self._grouped(self._frame._meta).agg(func, **named) if func is not None \
            else self._grouped(self._frame._meta).agg(**named)
        return self._aggregate(pairs, meta, split_out, split_every)

    aggregate = agg

    def _specs(self, func: Any, named: dict[str, Any]) -> list[tuple[str, str]]:
        """(column, function) per output column, in the order Headwater gives the outputs."""
        if named:
            pairs = [tuple(v) for v in named.values()]
        elif isinstance(func, dict):
            pairs = [(c, f) for c, fs in func.items() for f in (fs if isinstance(fs, (list, tuple)) else [fs])]
        else:
            funcs = list(func) if isinstance(func, (list, tuple)) else [func]
            if isinstance(self._selection, str):
                cols = [self._selection]
            elif self._selection is not None:
                cols = list(self._selection)
            else:
                cols = [c for c in self._frame.columns if c not in self._keys]
            pairs = [(c, f) for c in cols for f in funcs]
        for col, f in pairs:
            if not isinstance(f, str):
                raise TypeError(f"hwd groupby aggregations are named by strings, got {f!r} for column {col!r}; "
                                "use map_partitions after a shuffle for custom functions")
            if f not in aggregations.DECOMPOSABLE and f not in aggregations.SHUFFLED:
                raise NotImplementedError(
                    f"aggregation {f!r} is not supported on partitioned frames; supported: "
                    f"{sorted(aggregations.DECOMPOSABLE) + sorted(aggregations.SHUFFLED)}")
        return pairs

    def _aggregate(self, pairs: Sequence[tuple[str, str]], meta: Any, split_out: int | None,
                   split_every: int) -> Any:
        from headwater.dataframe.series import Series

        keys = self._keys
        is_series = isinstance(meta, Series)
        names = [meta.name] if is_series else [c for c in meta.columns if c not in keys]
        if len(names) != len(pairs):  # pragma: no cover - a guard on the naming contract
            raise RuntimeError(f"groupby outputs {names} do not match the aggregations {pairs}")
        aggs = [aggregations.Agg(f"__hwd_agg{i}", col, f) for i, (col, f) in enumerate(pairs)]
        needed = list(dict.fromkeys(keys + [a.column for a in aggs if a.column not in keys]))
        source = self._frame[needed]
        finish = functools.partial(_finish, keys=keys, internal=[a.out for a in aggs], names=names,
                                   as_index=self._as_index, series=is_series)
        if any(a.func in aggregations.SHUFFLED for a in aggs):
            n = split_out or source.npartitions
            rows = shuffle.hash_shuffle(source, keys, n)
            spec = {a.out: (a.column, a.func) for a in aggs}
            flat = rows.map_partitions(_shuffled, keys, spec, self._dropna, self._sort,
                                       meta=rows._meta.groupby(keys, as_index=False).agg(**spec))
        else:
            partial = functools.partial(aggregations.partial, keys=keys, aggs=aggs, dropna=self._dropna)
            parts = source.map_partitions(partial)
            combine = functools.partial(aggregations.combine, keys=keys, aggs=aggs, dropna=self._dropna,
                                        sort=self._sort)
            final = functools.partial(aggregations.final, keys=keys, aggs=aggs)
            final_meta = final(combine(parts._meta))
            if not split_out or split_out == 1:
                flat = tree.tree_reduce(parts, combine, final, final_meta, split_every, prefix="groupby-agg")
                return flat.map_partitions(finish, meta=meta)
            rows = shuffle.hash_shuffle(parts, keys, split_out)
            flat = rows.map_partitions(_combine_final, combine, final, meta=final_meta)
        if self._sort and flat.npartitions > 1:
            from headwater.dask.sort import sort_values

            flat = sort_values(flat, keys)
        return flat.map_partitions(finish, meta=meta)

    def _one(self, func: str, split_out: int | None = None, split_every: int = 8) -> Any:
        return self.agg(func, split_out=split_out, split_every=split_every)

    def sum(self, **kw: Any) -> Any:
        """Sum per group (see :meth:`agg` for ``split_out``/``split_every``)."""
        return self._one("sum", **kw)

    def mean(self, **kw: Any) -> Any:
        """Mean per group."""
        return self._one("mean", **kw)

    def min(self, **kw: Any) -> Any:
        """Minimum per group."""
        return self._one("min", **kw)

    def max(self, **kw: Any) -> Any:
        """Maximum per group."""
        return self._one("max", **kw)

    def count(self, **kw: Any) -> Any:
        """Non-missing values per group."""
        return self._one("count", **kw)

    def var(self, **kw: Any) -> Any:
        """Variance (ddof=1) per group."""
        return self._one("var", **kw)

    def std(self, **kw: Any) -> Any:
        """Standard deviation (ddof=1) per group."""
        return self._one("std", **kw)

    def prod(self, **kw: Any) -> Any:
        """Product per group."""
        return self._one("prod", **kw)

    def first(self, **kw: Any) -> Any:
        """First non-missing value per group, in global row order."""
        return self._one("first", **kw)

    def last(self, **kw: Any) -> Any:
        """Last non-missing value per group, in global row order."""
        return self._one("last", **kw)

    def nunique(self, **kw: Any) -> Any:
        """Distinct values per group (a hash shuffle of the rows)."""
        return self._one("nunique", **kw)

    def median(self, **kw: Any) -> Any:
        """Median per group (a hash shuffle of the rows)."""
        return self._one("median", **kw)

    def size(self, split_out: int | None = None, split_every: int = 8) -> Any:
        """Rows per group (a Series, or a frame with a ``size`` column when ``as_index=False``)."""
        meta = self._grouped(self._frame._meta).size()
        return self._aggregate([(self._keys[0], "size")], meta, split_out, split_every)
