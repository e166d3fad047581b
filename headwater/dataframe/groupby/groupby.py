"""``DataFrame.groupby``: factorize the keys once, reduce every column over the ids.

Aggregations give one row per group. With ``as_index=True`` (pandas' default) the
group keys are the result's keys (``reset_index()`` makes them columns); with
``as_index=False`` they are its leading columns. Groups are in key order with
``sort=True`` (null keys last when ``dropna=False``), else in order of first appearance.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.errors import missing_column
from headwater.dataframe.groupby.aggregations import aggregate, check_aggregation
from headwater.dataframe.groupby.callables import GroupByCallablesMixin, known_aggregation
from headwater.dataframe.groupby.grouper import resolve_groupers
from headwater.dataframe.groupby.iteration import GroupByIterationMixin
from headwater.dataframe.groupby.keys import GroupKeys, factorize_keys
from headwater.dataframe.groupby.perrow import GroupByPerRowMixin
from headwater.dataframe.groupby.window import RANK_METHODS, leading_rows, positions, rank_column

__all__ = ["DataFrameGroupBy"]


def _frame(columns: dict[str, Column]) -> Any:
    from headwater.dataframe.frame import DataFrame

    return DataFrame._from_columns(columns)


def _series_keyed(column: Column, name: str | None, keys: dict[str, Column], rows: Any = None) -> Any:
    from headwater.dataframe.series import Series

    return Series._from_column(column, name, keys=keys, rows=rows)


def _agg_label(func: Any) -> str:
    if isinstance(func, str):
        return func
    return known_aggregation(func) or getattr(func, "__name__", "<lambda>")


class DataFrameGroupBy(GroupByPerRowMixin, GroupByCallablesMixin, GroupByIterationMixin):
    """Rows of a frame grouped by the values of one or more key columns.

    Parameters
    ----------
    frame : DataFrame
    by : str or list of str
        Key column names. Keys of every dtype work; string keys group on their codes.
    sort : bool, default True
        Groups in ascending key order; False keeps the order of first appearance.
    dropna : bool, default True
        Drop rows whose key is null (or NaN); False keeps them as a group of their own.
    as_index : bool, default True
        Aggregations are keyed by the groups (as pandas' index); False gives the keys
        as leading columns.
    group_keys, observed
        As pandas; ``observed=False`` with a categorical key is refused (groups are
        the observed ones).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"k": ["b", "a", "b", None], "v": [1, 2, 3, 4]})
    >>> df.groupby("k").sum().to_dict()
    {'v': {'a': 2, 'b': 4}}
    >>> df.groupby("k").sum().reset_index().to_dict()
    {'k': ['a', 'b'], 'v': [2, 4]}
    >>> df.groupby("k", dropna=False, as_index=False).agg(total=("v", "sum"), rows=("v", "size")).to_pandas()
         k  total  rows
    0    a      2     1
    1    b      4     2
    2  NaN      4     1
    """

    def __init__(self, frame: Any, by: str | list[str], sort: bool = True, dropna: bool = True,
                 _selection: str | list[str] | None = None, as_index: bool = True,
                 group_keys: bool = True, observed: bool | None = None) -> None:
        frame, by = resolve_groupers(frame, by)
        self._scalar_by = isinstance(by, str)  # iteration names groups by scalars, else tuples
        names = [by] if isinstance(by, str) else list(by)
        if any(name in frame._keys and name not in frame._columns for name in names if isinstance(name, str)):
            # group by key names as pandas groups by index levels: the keys become columns
            frame = frame._from_columns({**frame._keys, **frame._columns}, rows=frame._rows)
        if not names:
            raise ValueError("groupby needs at least one key column; pass by='name' or a list")
        columns = frame._columns
        for name in names:
            if not isinstance(name, str):
                raise TypeError(
                    f"groupby keys are column names; got {type(name).__name__} {name!r} "
                    f"(add it to the frame as a column first)"
                )
            if name not in columns:
                raise missing_column(name, columns)
        if len(set(names)) != len(names):
            raise ValueError(f"groupby key columns repeat: {names}; list each column once")
        if observed is False and any(columns[n].kind == "categorical" for n in names):
            raise NotImplementedError(
                "groupby(observed=False) would add a group for every unused category; groups here are "
                "the observed ones (observed=True)"
            )
        self._frame, self._by, self._sort, self._dropna = frame, names, bool(sort), bool(dropna)
        self._as_index, self._group_keys = bool(as_index), bool(group_keys)
        self._selection = _selection
        self._keys: GroupKeys | None = None

    # -- the groups ------------------------------------------------------------------
    @property
    def keys(self) -> GroupKeys:
        """Group ids of the rows (computed once and cached)."""
        if self._keys is None:
            cols = [self._frame._columns[name] for name in self._by]
            self._keys = factorize_keys(cols, sort=self._sort, dropna=self._dropna)
        return self._keys

    @property
    def ngroups(self) -> int:
        """Number of groups."""
        return self.keys.n

    def __len__(self) -> int:
        return self.ngroups

    def __repr__(self) -> str:
        return f"<DataFrameGroupBy by={self._by} sort={self._sort} dropna={self._dropna}>"

    def __getitem__(self, key: str | list[str]) -> DataFrameGroupBy:
        """The same groups over a selection of value columns."""
        wanted = [key] if isinstance(key, str) else list(key)
        for name in wanted:
            if name not in self._frame._columns:
                raise missing_column(name, self._frame._columns)
        out = DataFrameGroupBy(self._frame, self._by, self._sort, self._dropna, _selection=key,
                               as_index=self._as_index, group_keys=self._group_keys)
        out._keys, out._scalar_by = self._keys, self._scalar_by
        return out

    def __getattr__(self, name: str) -> DataFrameGroupBy:
        if not name.startswith("_") and name in self._frame._columns and name not in self._by:
            return self[name]
        raise AttributeError(f"DataFrameGroupBy has no attribute or value column {name!r}")

    def _result(self, result: dict[str, Column], series: bool | None = None) -> Any:
        """An aggregation's frame (key columns first in ``result``): keyed by the group
        keys with ``as_index=True`` (a Series for one selected column), else plain."""
        from headwater.dataframe.frame import DataFrame

        if not self._as_index:
            return _frame(result)
        keys = {name: result.pop(name) for name in self._by}
        if series is None:
            series = isinstance(self._selection, str) and len(result) == 1
        if series:
            name, col = next(iter(result.items()))
            return _series_keyed(col, name, keys)
        return DataFrame._from_columns(result, keys=keys)

    def _per_row(self, out: dict[str, Column]) -> Any:
        """A per-row result (transform, rank, ...): the frame's rows, keys and order."""
        frame = self._frame
        if isinstance(self._selection, str):
            return _series_keyed(out[self._selection], self._selection, frame._keys, frame._rows)
        return frame._from_columns(out)

    def _value_names(self) -> list[str]:
        if self._selection is not None:
            return [self._selection] if isinstance(self._selection, str) else list(self._selection)
        return [name for name in self._frame._columns if name not in self._by]

    def _key_columns(self) -> dict[str, Column]:
        return self.keys.key_columns({name: self._frame._columns[name] for name in self._by})

    def _size_column(self) -> Column:
        keys = self.keys
        return build_column(keys.pick(keys.sizes))

    def _one(self, func: Any, name: str, **options: Any) -> Column:
        if not isinstance(func, str):
            known = known_aggregation(func)
            if known is None:
                return self._agg_callable(name, func)
            func = known
        if func == "size":
            return self._size_column()
        return aggregate(func, name, self._frame._columns[name], self.keys, **options)

    # -- aggregation -------------------------------------------------------------------
    def agg(self, func: str | list[str] | dict[str, str | list[str]] | None = None,
            **named: tuple[str, str]) -> Any:
        """Aggregate each group to one row.

        Parameters
        ----------
        func : str, list of str or dict, optional
            One aggregation for every value column (``"sum"``), several (``["min",
            "max"]``, columns named ``"<col>_<agg>"``), or per column (``{"v": "sum",
            "w": ["min", "max"]}``; with a list anywhere every column is named
            ``"<col>_<agg>"``, pandas' two-level names joined by ``_``).
        **named : (column, aggregation)
            Named aggregation: ``out=("v", "sum")``; ``"size"`` counts rows.

        Returns
        -------
        DataFrame
            Key columns, then one column per aggregation, one row per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 1, 2], "v": [1.0, 3.0, 5.0]})
        >>> df.groupby("k", as_index=False).agg({"v": ["min", "mean"]}).to_pandas()
           k  v_min  v_mean
        0  1    1.0     2.0
        1  2    5.0     5.0
        """
        if func is not None and named:
            raise TypeError("pass either func or named aggregations (out=('col', 'agg')), not both")
        plan: list[tuple[str, str, str]] = []  # (output name, column, aggregation)
        if named:
            for out, spec in named.items():
                if not isinstance(spec, tuple) or len(spec) != 2:
                    raise TypeError(
                        f"named aggregation {out}= must be a (column, aggregation) pair such as "
                        f"('v', 'sum'); got {spec!r}"
                    )
                plan.append((out, spec[0], spec[1]))
        elif isinstance(func, dict):
            # as pandas: one list anywhere names every column "<col>_<agg>"
            flat = all(not isinstance(aggs, (list, tuple)) for aggs in func.values())
            for col, aggs in func.items():
                for a in aggs if isinstance(aggs, (list, tuple)) else [aggs]:
                    plan.append((col if flat else f"{col}_{_agg_label(a)}", col, a))
        elif isinstance(func, str) or callable(func):
            plan = [(col, col, func) for col in self._value_names()]
        elif isinstance(func, (list, tuple)):
            one = isinstance(self._selection, str)  # pandas names a selected column's results by aggregation
            plan = [(_agg_label(a) if one else f"{col}_{_agg_label(a)}", col, a)
                    for col in self._value_names() for a in func]
        else:
            raise TypeError(
                f"agg takes an aggregation name, a list of names, a dict column -> name(s), or "
                f"named aggregations; got {type(func).__name__} {func!r}"
            )
        for _, col, agg_name in plan:
            if col not in self._frame._columns:
                raise missing_column(col, self._frame._columns)
            if isinstance(agg_name, str):
                check_aggregation(agg_name)
            elif not callable(agg_name):
                raise TypeError(f"aggregation for {col!r} must be a name or a function, got {agg_name!r}")
        result = self._key_columns()
        for out, col, agg_name in plan:
            result[out] = self._one(agg_name, col)
        single = isinstance(self._selection, str) and (isinstance(func, str) or callable(func))
        return self._result(result, series=single)

    aggregate = agg

    def _shortcut(self, name: str, numeric_only: bool = False, **options: Any) -> Any:
        result = self._key_columns()
        for col in self._value_names():
            column = self._frame._columns[col]
            if numeric_only and column.kind not in ("int", "uint", "float", "bool"):
                continue
            result[col] = aggregate(name, col, column, self.keys, **options)  # explains misfits
        return self._result(result)

    def size(self) -> Any:
        """Rows per group (nulls included): a Series keyed by the groups (named like the
        selected column, else unnamed), or with ``as_index=False`` a frame with a
        ``size`` column, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": [1, 1, 2]}).groupby("k").size().to_dict()
        {1: 2, 2: 1}
        >>> hw.DataFrame({"k": [1, 1, 2]}).groupby("k", as_index=False).size().to_pandas()
           k  size
        0  1     2
        1  2     1
        """
        result = self._key_columns()
        if not self._as_index:
            result["size"] = self._size_column()
            return _frame(result)
        keys = {name: result.pop(name) for name in self._by}
        name = self._selection if isinstance(self._selection, str) else None
        return _series_keyed(self._size_column(), name, keys)

    def sum(self, numeric_only: bool = False) -> Any:
        """Sum of each column per group (0 for a group without values).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").sum().to_pandas()["v"].tolist()
        [4.0, 4.0]
        """
        return self._shortcut("sum", numeric_only)

    def prod(self, numeric_only: bool = False) -> Any:
        """Product of each column per group (1 for a group without values).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").prod().to_pandas()["v"].tolist()
        [3.0, 4.0]
        """
        return self._shortcut("prod", numeric_only)

    def mean(self, numeric_only: bool = False) -> Any:
        """Mean of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").mean().to_pandas()["v"].tolist()
        [2.0, 4.0]
        """
        return self._shortcut("mean", numeric_only)

    def median(self, numeric_only: bool = False) -> Any:
        """Median of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").median().to_pandas()["v"].tolist()
        [2.0, 4.0]
        """
        return self._shortcut("median", numeric_only)

    def quantile(self, q: float = 0.5, numeric_only: bool = False) -> Any:
        """Quantile ``q`` of each column per group (linear interpolation).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").quantile().to_pandas()["v"].tolist()
        [2.0, 4.0]
        """
        return self._shortcut("quantile", numeric_only, q=q)

    def var(self, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Variance of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").var().to_pandas()["v"].tolist()
        [2.0, nan]
        """
        return self._shortcut("var", numeric_only, ddof=ddof)

    def std(self, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Standard deviation of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").std().to_pandas()["v"].tolist()
        [1.4142135623730951, nan]
        """
        return self._shortcut("std", numeric_only, ddof=ddof)

    def min(self, numeric_only: bool = False) -> Any:
        """Smallest value of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").min().to_pandas()["v"].tolist()
        [1.0, 4.0]
        """
        return self._shortcut("min", numeric_only)

    def max(self, numeric_only: bool = False) -> Any:
        """Largest value of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").max().to_pandas()["v"].tolist()
        [3.0, 4.0]
        """
        return self._shortcut("max", numeric_only)

    def idxmax(self, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Row label of each group's largest value (the first one on ties), per column.

        The labels are the frame's key (one key) or, on a frame in its original row
        order, the positions (pandas' labels there); reordered rows raise.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k")["v"].idxmax().to_dict()
        {'a': 2, 'b': 1}
        """
        return self._label_of_extreme("idxmax", skipna)

    def idxmin(self, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Row label of each group's smallest value (see :meth:`idxmax`).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k")["v"].idxmin().to_dict()
        {'a': 0, 'b': 1}
        """
        return self._label_of_extreme("idxmin", skipna)

    def _label_of_extreme(self, name: str, skipna: bool) -> Any:
        from headwater.dataframe.keys import require_labels

        frame = self._frame
        require_labels(frame, f"groupby(...).{name}()", f"groupby(...).{name[3:]}() with a sort and head(1)")
        if not skipna or not self._sort or len(frame._keys) > 1:
            raise NotImplementedError(f"groupby(...).{name}() needs skipna=True, sort=True and at most one "
                                      f"key on the frame; use sort_values and groupby(...).head(1)")
        labels = (next(iter(frame._keys.values())) if frame._keys
                  else build_column(frame._backend().xp.arange(len(frame), dtype=frame._backend().xp.int64)))
        out: dict[str, Column] = {}
        for value in self._value_names():
            work = _frame({**{k: frame._columns[k] for k in self._by}, "__v__": frame._columns[value],
                           "__label__": labels})
            ordered = work.sort_values("__v__", ascending=name == "idxmin", na_position="last", kind="stable")
            got = DataFrameGroupBy(ordered, self._by, True, self._dropna, as_index=False).agg(
                __label__=("__label__", "first"), __v__=("__v__", "first"))
            if got._columns["__v__"].null_count:
                raise ValueError(f"groupby(...).{name}(): a group of {value!r} has only missing values, so "
                                 f"it has no {name[3:]}imum; drop those rows first")
            for k in self._by:
                out.setdefault(k, got._columns[k])
            out[value] = got._columns["__label__"]
        return self._result(out)

    def first(self, numeric_only: bool = False) -> Any:
        """First non-missing value of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").first().to_pandas()["v"].tolist()
        [1.0, 4.0]
        """
        return self._shortcut("first", numeric_only)

    def last(self, numeric_only: bool = False) -> Any:
        """Last non-missing value of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").last().to_pandas()["v"].tolist()
        [3.0, 4.0]
        """
        return self._shortcut("last", numeric_only)

    def count(self) -> Any:
        """Non-missing values of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").count().to_pandas()["v"].tolist()
        [2, 1]
        """
        return self._shortcut("count")

    def nunique(self, dropna: bool = True) -> Any:
        """Distinct values of each column per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").nunique().to_pandas()["v"].tolist()
        [2, 1]
        """
        return self._shortcut("nunique", dropna=dropna)

    def any(self) -> Any:
        """Whether any value of each column is truthy, per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").any().to_pandas()["v"].tolist()
        [True, True]
        """
        return self._shortcut("any")

    def all(self) -> Any:
        """Whether every value of each column is truthy, per group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 4.0, 3.0]})
        >>> df.groupby("k").all().to_pandas()["v"].tolist()
        [True, True]
        """
        return self._shortcut("all")

    # -- per-row results ------------------------------------------------------------------
    def transform(self, func: Any, *args: Any, **options: Any) -> Any:
        """Each group's aggregate broadcast back to the group's rows, or a function of each
        group's values (a Series per value column, called on the host once per group,
        giving a scalar or one value per row).

        Rows whose key was dropped (null key, ``dropna=True``) get null. Returns a
        Series for a single selected column (``gb["v"].transform(...)``), else a
        DataFrame of the value columns in row order.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 2, 1], "v": [1.0, 5.0, 3.0]})
        >>> df.groupby("k")["v"].transform("mean").to_pandas().tolist()
        [2.0, 5.0, 2.0]
        """
        if not isinstance(func, str):
            known = known_aggregation(func)
            if known is None:
                return self._transform_callable(func, *args, **options)
            func = known
        check_aggregation(func)
        ids = self.keys.group_ids()
        out = {name: self._one(func, name, **options).take(ids, allow_missing=True)
               for name in self._value_names()}
        return self._per_row(out)

    def cumcount(self, ascending: bool = True) -> Any:
        """Position of each row within its group, from 0 (null for dropped keys).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": [1, 2, 1, 1]}).groupby("k").cumcount().to_pandas().tolist()
        [0, 0, 1, 2]
        """
        backend = self._frame._columns[self._by[0]].backend
        pos, valid = positions(backend, self.keys, ascending)
        return _series_keyed(build_column(pos, valid), None, self._frame._keys, self._frame._rows)

    def head(self, n: int = 5) -> Any:
        """The first ``n`` rows of each group, in the frame's row order.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 2, 1, 1], "v": [1, 2, 3, 4]})
        >>> df.groupby("k").head(2).to_pandas()["v"].tolist()
        [1, 2, 3]
        """
        return self._rows(n)

    def tail(self, n: int = 5) -> Any:
        """The last ``n`` rows of each group, in the frame's row order."""
        return self._rows(n, from_end=True)

    def _rows(self, n: int, from_end: bool = False) -> Any:
        backend = self._frame._columns[self._by[0]].backend
        keep = leading_rows(backend, self.keys, int(n), from_end)
        return self._frame._filter_rows(keep)

    def rank(self, method: str = "average", ascending: bool = True, na_option: str = "keep",
             pct: bool = False) -> Any:
        """Rank of each value within its group (float64, 1-based), per value column.

        Parameters
        ----------
        method : {"average", "min", "max", "first", "dense"}
            How ties are ranked, as in pandas.
        ascending : bool
        na_option : {"keep"}
            Missing values keep a missing rank.
        pct : bool
            Divide by the group's number of ranked values.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 1, 1, 2], "v": [3.0, 1.0, 3.0, 7.0]})
        >>> df.groupby("k").rank().to_pandas()["v"].tolist()
        [2.5, 1.0, 2.5, 1.0]
        """
        if method not in RANK_METHODS:
            raise ValueError(f"unknown rank method {method!r}; use one of {', '.join(RANK_METHODS)}")
        if na_option != "keep":
            raise ValueError(
                f"na_option={na_option!r} is not supported; missing values keep a missing rank "
                f"(na_option='keep'); fill them with fillna(...) first to rank them"
            )
        out = {name: rank_column(self._frame._columns[name], self.keys, method, ascending, pct)
               for name in self._value_names()}
        return self._per_row(out)

    # --- windows (delegating to headwater/dataframe/windows; issue 14) ---
    def rolling(self, window: Any, min_periods: int | None = None, center: bool = False,
                **kw: Any) -> Any:
        """Rolling windows inside each group, rows in group order (see
        :class:`headwater.dataframe.windows.Rolling`)."""
        from headwater.dataframe.windows import Rolling

        return Rolling(self._frame, window, min_periods, center, groupby=self, **kw)

    def expanding(self, min_periods: int = 1, **kw: Any) -> Any:
        """Expanding windows inside each group (see :class:`headwater.dataframe.windows.Expanding`)."""
        from headwater.dataframe.windows import Expanding

        return Expanding(self._frame, min_periods, groupby=self, **kw)

    def ewm(self, com: Any = None, span: Any = None, halflife: Any = None, alpha: Any = None,
            **kw: Any) -> Any:
        """Exponentially weighted windows inside each group."""
        from headwater.dataframe.windows import ExponentialMovingWindow

        return ExponentialMovingWindow(self._frame, com, span, halflife, alpha, groupby=self, **kw)
