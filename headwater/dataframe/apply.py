"""Functions over values: ``map``, ``apply``, ``applymap``/``DataFrame.map``, ``pipe``,
``transform`` and ``agg``.

A Python callable runs on the host. Each is made as cheap as it allows: element
functions run once per *distinct* value (one counted crossing of the distinct values,
then one gather on the device); functions of a whole column get the column; a
row function is first tried once on the whole frame (its columns standing for the
row's values, refusing anything that is not element-wise) and only falls back to a
call per row when that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from headwater.dataframe.column import Column, column_from_host, full_null
from headwater.tensor.transfer import to_host

__all__ = ["SeriesApplyMixin", "FrameApplyMixin", "Row", "map_values"]


def host_scalars(col: Column) -> list[Any]:
    """The values of ``col`` as the host scalars pandas hands a Python function:
    ``pd.Timestamp``/``pd.Timedelta`` for datetimes and durations, Python values
    otherwise, None for nulls (one counted crossing)."""
    if col.kind in ("datetime", "timedelta"):
        values = col.to_arrow().to_pylist()
        ints = to_host(col.data).view(np.int64).tolist()
        return [None if v is None else col.box(i) for v, i in zip(values, ints)]
    return col.to_arrow().to_pylist()


def map_values(col: Column, func: Callable[[Any], Any], na_action: str | None = None) -> Column:
    """``func`` of every value, called once per distinct value (host), gathered back by
    the value ids on the device. Nulls stay null with ``na_action="ignore"``; otherwise
    ``func`` is called on the missing value too, as pandas' default dtypes hold it: NaN
    in number and string columns (pandas keeps a missing integer as a float NaN, and its
    ``str`` dtype a NaN), NaT in datetime and timedelta columns, None otherwise."""
    from headwater.dataframe.unique import factorize_column

    if na_action not in (None, "ignore"):
        raise ValueError(f"na_action must be None or 'ignore', got {na_action!r}")
    ids, uniques = factorize_column(col, sort=False)
    results = [func(v) for v in host_scalars(uniques)]
    has_missing = col.null_count > 0 or bool(col.is_missing().any())
    if has_missing and na_action is None:
        results.append(func(_missing_value(col)))
        xp = col.xp
        ids = xp.where(ids >= 0, ids, len(results) - 1)
    out = column_from_host(results, device=col.device) if results else full_null(0, np.float64, col.backend)
    return out.take(ids, allow_missing=True)


def _missing_value(col: Column) -> Any:
    if col.kind in ("float", "int", "uint", "string", "decimal"):
        return np.nan
    if col.kind in ("datetime", "timedelta"):
        from headwater.dataframe.scalars import NaT

        return NaT
    return None


def _lookup(col: Column, keys: Column, values: Column, what: str) -> Column:
    """``values`` at the row of ``keys`` equal to each value of ``col`` (null when absent)."""
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.join import merge
    from headwater.dataframe.unique import duplicated_rows

    if len(keys) and bool(duplicated_rows([keys], "first").any()):
        raise ValueError(f"{what}: the mapping's keys repeat; a lookup needs unique keys")
    left = DataFrame._from_columns({"__key__": col})
    right = DataFrame._from_columns({"__key__": keys, "__value__": values})
    return merge(left, right, how="left", on="__key__")._columns["__value__"]


class _NotElementwise(Exception):
    """A row function used its argument as a whole column (a reduction, a shift...)."""


_ORDER_METHODS = (
    "sum mean min max std var median quantile count any all prod nunique unique value_counts describe "
    "cumsum cumprod cummax cummin shift diff pct_change rank sort_values argsort head tail to_list "
    "tolist to_numpy to_dict idxmax idxmin argmax argmin mode sample dropna drop_duplicates duplicated "
    "reset_index to_frame agg aggregate apply map transform pipe items iloc loc at iat index"
).split()


def _elementwise_series() -> type:
    from headwater.dataframe.series import Series

    class ElementSeries(Series):
        """A column standing for one value of every row; order-reading methods refuse."""

        __slots__ = ()

        def __len__(self) -> int:
            raise _NotElementwise("len")

        def __iter__(self) -> Any:
            raise _NotElementwise("iteration")

        def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
            raise _NotElementwise("array")

    def refuse(name: str) -> Any:
        def method(self: Any, *args: Any, **kw: Any) -> Any:
            raise _NotElementwise(name)

        return property(method) if name in ("iloc", "loc", "at", "iat", "index") else method

    for name in _ORDER_METHODS:
        setattr(ElementSeries, name, refuse(name))
    return ElementSeries


class _WholeRow:
    """The argument of a row function tried once on all rows: ``row["a"]`` / ``row.a``
    is the whole column (element-wise operations only)."""

    def __init__(self, frame: Any, cls: type) -> None:
        self._frame, self._cls = frame, cls

    def __getitem__(self, name: Any) -> Any:
        if not isinstance(name, str) or name not in self._frame._columns:
            raise _NotElementwise("item")
        return self._cls._from_column(self._frame._columns[name], name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._frame._columns:
            raise _NotElementwise(name)
        return self[name]


class Row(dict):
    """One row given to a per-row function: a dict of the row's values, also readable as
    attributes (``row.a``), with ``index`` (column names) and ``values``, as a pandas row."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def index(self) -> list[str]:
        return list(self.keys())

    @property
    def values(self) -> np.ndarray:
        return np.asarray(list(dict.values(self)), dtype=object)

    def to_dict(self) -> dict[str, Any]:
        return dict(self)

    def _numbers(self) -> list[Any]:
        return [v for v in dict.values(self) if v is not None and not (isinstance(v, float) and np.isnan(v))]

    def sum(self) -> Any:
        return sum(self._numbers())

    def mean(self) -> Any:
        nums = self._numbers()
        return sum(nums) / len(nums) if nums else float("nan")

    def max(self) -> Any:
        return max(self._numbers())

    def min(self) -> Any:
        return min(self._numbers())


def _is_ufunc(func: Any) -> bool:
    return isinstance(func, np.ufunc)


class SeriesApplyMixin:
    """``map``, ``apply``, ``transform``, ``agg``, ``pipe`` of a Series."""

    def map(self, arg: Mapping | Any | Callable[[Any], Any], na_action: str | None = None) -> Any:
        """Values mapped through a dict, a keyed Series (its keys to its values) or a function.

        Values a mapping lacks become null, as pandas gives NaN. A function runs on the
        host once per distinct value (not once per row).

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["a", "b", "a", None])
        >>> s.map({"a": 1, "b": 2}).to_list()
        [1, 2, 1, None]
        >>> s.map(str.upper, na_action="ignore").to_list()
        ['A', 'B', 'A', None]
        """
        from headwater.dataframe.series import Series

        col = self._column
        if isinstance(arg, Series):
            if arg._keys:
                if len(arg._keys) != 1:
                    raise ValueError("map with a Series needs one key; reset_index() extra keys first")
                keys = next(iter(arg._keys.values()))
            else:
                arg.index.tolist()  # raises when its labels are not kept
                keys = column_from_host(np.arange(len(arg)), device=col.device)
            return self._from_column(_lookup(col, keys, arg._column, "map"), self.name)
        if isinstance(arg, Mapping):
            if hasattr(arg, "__missing__"):
                return self._from_column(map_values(col, arg.__getitem__, na_action), self.name)
            if not arg:
                return self._from_column(full_null(len(col), np.float64, col.backend), self.name)
            keys = column_from_host(list(arg.keys()), device=col.device)
            values = column_from_host(list(arg.values()), device=col.device)
            out = _lookup(col, keys, values, "map")
            return self._from_column(out, self.name)
        if not callable(arg):
            raise TypeError(f"map takes a dict, a Series or a function, got {type(arg).__name__}")
        return self._from_column(map_values(col, arg, na_action), self.name)

    def apply(self, func: Callable[..., Any] | str, convert_dtype: Any = None, args: tuple = (),
              *, by_row: Any = "compat", **kwargs: Any) -> Any:
        """``func`` of each value (host, once per distinct value); a NumPy ufunc or a
        method name runs on the whole column on the device.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 2]).apply(lambda v: v * 10).to_list()
        [10, 20, 20]
        """
        if convert_dtype is not None:
            raise TypeError("apply(convert_dtype=) was removed from pandas; cast the result with astype")
        if isinstance(func, str):
            return getattr(self, func)(*args, **kwargs)
        if _is_ufunc(func) and not args and not kwargs and self._numeric():
            out = func(self)  # Series.__array_ufunc__: on the device
            if hasattr(out, "_column"):
                return out
        if isinstance(func, (list, dict)):
            return self.agg(func)
        return self._from_column(map_values(self._column, lambda v: func(v, *args, **kwargs)), self.name)

    def _numeric(self) -> bool:
        return self._column.kind in ("int", "uint", "float", "bool")

    def pipe(self, func: Callable[..., Any] | tuple, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``; ``(func, "keyword")`` passes self as that keyword.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2]).pipe(lambda s, k: s * k, 3).to_list()
        [3, 6]
        """
        if isinstance(func, tuple):
            func, target = func
            kwargs[target] = self
            return func(*args, **kwargs)
        return func(self, *args, **kwargs)

    def transform(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Same-length values: a method name, a function of the whole column (as pandas
        calls it), or a list/dict of those (a frame).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 3.0]).transform(lambda s: s - s.mean()).to_list()
        [-1.0, 1.0]
        """
        if isinstance(func, (list, tuple, dict)):
            items = func.items() if isinstance(func, dict) else [(_func_name(f), f) for f in func]
            cols = {name: self.transform(f, *args, **kwargs)._column for name, f in items}
            return self.to_frame()._from_columns(cols)
        out = getattr(self, func)(*args, **kwargs) if isinstance(func, str) else func(self, *args, **kwargs)
        if not hasattr(out, "_column") or len(out) != len(self):
            raise ValueError("transform must give one value per row; use agg for reductions")
        return out

    def agg(self, func: Any = None, *args: Any, **kwargs: Any) -> Any:
        """A reduction by name or function, or several (a Series keyed by their names).

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series([1.0, 2.0, 6.0])
        >>> s.agg("mean"), s.agg(["min", "max"]).to_dict()
        (np.float64(3.0), {'min': 1.0, 'max': 6.0})
        """
        from headwater.dataframe.series import Series

        if isinstance(func, (list, tuple, dict)):
            items = list(func.items()) if isinstance(func, dict) else [(_func_name(f), f) for f in func]
            values = [self.agg(f, *args, **kwargs) for _, f in items]
            keys = {None: column_from_host([str(n) for n, _ in items], device=self._column.device)}
            return Series._from_column(column_from_host(values, device=self._column.device), self.name,
                                       keys=keys, rows=None)
        if isinstance(func, str):
            return getattr(self, func)(*args, **kwargs)
        if callable(func):
            return func(self, *args, **kwargs)
        raise TypeError(f"agg takes a name, a function, or a list/dict of them; got {func!r}")

    aggregate = agg


def _func_name(func: Any) -> str:
    return func if isinstance(func, str) else getattr(func, "__name__", repr(func))


class FrameApplyMixin:
    """``apply``, ``map``/``applymap``, ``pipe``, ``transform`` and ``agg`` of a DataFrame."""

    def apply(self, func: Callable[..., Any] | str, axis: int | str = 0, raw: bool = False,
              result_type: str | None = None, args: tuple = (), *, by_row: Any = "compat",
              engine: str = "python", engine_kwargs: Any = None, **kwargs: Any) -> Any:
        """``func`` of each column (``axis=0``) or of each row (``axis=1``).

        Columns are passed whole (a Series). A row function is first called once with the
        whole frame standing for a row (``row["a"]`` is the column ``a``; element-wise
        operations only), which gives every row's answer in one device pass; when it
        uses the row otherwise (an ``if`` on a value, a reduction...), it is called per
        row on the host with a :class:`Row` (a dict with attribute access).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2], "b": [10, 20]})
        >>> df.apply(lambda r: r["a"] + r["b"], axis=1).to_list()
        [11, 22]
        >>> df.apply(lambda r: r["a"] if r["b"] > 10 else 0, axis=1).to_list()
        [0, 2]
        >>> df.apply(lambda c: c.max()).to_dict()
        {'a': 2, 'b': 20}
        """
        from headwater.dataframe.series import Series

        if raw or result_type is not None or engine != "python":
            raise NotImplementedError("apply(raw=, result_type=, engine=) are not supported; the function "
                                      "gets Series (axis=0) or rows (axis=1)")
        if isinstance(func, str):
            return getattr(self, func)(*args, **kwargs)
        if axis in (1, "columns"):
            return self._apply_rows(func, args, kwargs)
        if axis not in (0, "index"):
            raise ValueError(f"axis must be 0/'index' or 1/'columns', got {axis!r}")
        results = {name: func(self[name], *args, **kwargs) for name in self._columns}
        if all(isinstance(r, Series) and len(r) == len(self) for r in results.values()):
            return self._from_columns({name: r._column for name, r in results.items()})
        if any(isinstance(r, Series) for r in results.values()):
            raise NotImplementedError("apply: functions giving Series of another length are not supported")
        keys = {None: column_from_host(list(results), device=self.device)}
        return Series._from_column(column_from_host(list(results.values()), device=self.device), None,
                                   keys=keys, rows=None)

    def _apply_rows(self, func: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        from headwater.dataframe.series import Series

        try:
            out = func(_WholeRow(self, _elementwise_series()), *args, **kwargs)
            if isinstance(out, Series) and len(out._column) == len(self):
                return Series._from_column(out._column, None, keys=self._keys, rows=self._rows)
        except Exception:  # noqa: BLE001 - any failure means the function needs real rows
            pass
        names = list(self._columns)
        lists = [c.to_arrow().to_pylist() for c in self._columns.values()]
        results = [func(Row(zip(names, values)), *args, **kwargs) for values in zip(*lists)]
        if results and all(isinstance(r, dict) for r in results):
            from headwater.dataframe.frame import DataFrame

            out = DataFrame([dict(r) for r in results], device=self.device)
            return self._from_columns(out._columns)
        col = column_from_host(results, device=self.device) if results else full_null(0, np.float64, self._backend())
        return Series._from_column(col, None, keys=self._keys, rows=self._rows)

    def map(self, func: Callable[[Any], Any], na_action: str | None = None, **kwargs: Any) -> Any:
        """``func`` of every value, column by column (host, once per distinct value).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2, 1]}).map(lambda v: v * 2).to_dict()
        {'a': [2, 4, 2]}
        """
        return self._map(lambda c: map_values(c, lambda v: func(v, **kwargs), na_action))

    applymap = map

    def pipe(self, func: Callable[..., Any] | tuple, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``; ``(func, "keyword")`` passes self as that keyword.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1]}).pipe(lambda d: d.assign(b=2)).columns
        ['a', 'b']
        """
        if isinstance(func, tuple):
            func, target = func
            kwargs[target] = self
            return func(*args, **kwargs)
        return func(self, *args, **kwargs)

    def transform(self, func: Any, axis: int | str = 0, *args: Any, **kwargs: Any) -> Any:
        """Same-shape values column by column: a name, a function of a column, or a
        dict column -> function.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1.0, 3.0]}).transform(lambda s: s * 2).to_dict()
        {'a': [2.0, 6.0]}
        """
        if axis not in (0, "index"):
            raise NotImplementedError("transform(axis=1) is not supported; use apply(func, axis=1)")
        if isinstance(func, dict):
            cols = {name: self[name].transform(f, *args, **kwargs)._column for name, f in func.items()}
        else:
            cols = {name: self[name].transform(func, *args, **kwargs)._column for name in self._columns}
        return self._from_columns(cols)

    def agg(self, func: Any = None, axis: int | str = 0, *args: Any, **kwargs: Any) -> Any:
        """Reductions of the columns: a name (as ``df.sum()``), a function of a column, or
        a list / dict of them: a frame keyed by the aggregation names, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1.0, 3.0], "b": [2.0, 4.0]})
        >>> df.agg(["min", "max"]).to_dict()
        {'a': {'min': 1.0, 'max': 3.0}, 'b': {'min': 2.0, 'max': 4.0}}
        >>> df.agg({"a": "sum"}).to_dict()
        {'a': {'sum': 4.0}}
        """
        if axis not in (0, "index"):
            raise NotImplementedError("agg(axis=1) is not supported; use apply(func, axis=1)")
        if isinstance(func, str) and not args and not kwargs:
            return getattr(self, func)()
        if callable(func):
            return self.apply(func, args=args, **kwargs)
        if isinstance(func, (list, tuple)):
            plan = {name: list(func) for name in self._columns}
        elif isinstance(func, dict):
            plan = {name: [f] if not isinstance(f, (list, tuple)) else list(f) for name, f in func.items()}
        else:
            raise TypeError(f"agg takes a name, a function, or a list/dict of them; got {func!r}")
        labels: list[str] = []
        for fs in plan.values():
            labels += [_func_name(f) for f in fs if _func_name(f) not in labels]
        cols = {}
        for name, fs in plan.items():
            got = {_func_name(f): self[name].agg(f, *args, **kwargs) for f in fs}
            values = [got.get(label) for label in labels]
            cols[name] = column_from_host(values, device=self.device)
        keys = {None: column_from_host(labels, device=self.device)}
        return self._from_columns(cols, keys=keys, rows=None)

    aggregate = agg
