"""DataFrame: named columns of one length on one device, with positional rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from headwater.dataframe.attributes import FrameAttributesMixin
from headwater.dataframe.column_names import ColumnNames
from headwater.dataframe.apply import FrameApplyMixin
from headwater.dataframe.column import Column, column_from_host, column_from_scalar
from headwater.dataframe.columnwise import ColumnwiseMixin
from headwater.dataframe.combine import CombineMixin
from headwater.dataframe.construct import columns_from_data, is_scalar
from headwater.dataframe.conversion import FrameConversionMixin
from headwater.dataframe.distinct import FrameDistinctMixin
from headwater.dataframe.edits import FrameEditsMixin
from headwater.dataframe.errors import LengthMismatchError, missing_column
from headwater.dataframe.indexing import FrameILoc, row_selector
from headwater.dataframe.inspect import FrameInspectMixin
from headwater.dataframe.keys import (
    ORIGINAL,
    align_to,
    check_same_rows,
    keys_from_index,
    keys_take,
    lineage,
    reordered,
)
from headwater.dataframe.labels import FrameLabelsMixin
from headwater.dataframe.ops import FrameOperatorsMixin
from headwater.dataframe.query import QueryMixin
from headwater.dataframe.reductions import FrameReductionsMixin
from headwater.dataframe.rows import RowsMixin
from headwater.dataframe.series import Series
from headwater.dataframe.sorting import FrameSortingMixin
from headwater.dataframe.stats import FrameStatsMixin
from headwater.tensor.backend.base import Backend
from headwater.tensor.devices import Device, get_backend

__all__ = ["DataFrame"]


_UNSET = object()


class DataFrame(FrameAttributesMixin, FrameLabelsMixin, FrameApplyMixin, FrameStatsMixin, CombineMixin, FrameInspectMixin, QueryMixin,
                FrameOperatorsMixin, FrameConversionMixin, ColumnwiseMixin, FrameReductionsMixin,
                FrameSortingMixin, FrameDistinctMixin, RowsMixin, FrameEditsMixin):
    """Columns on the device in the Arrow layout, with a pandas-like API.

    Rows have positions. Where pandas has labels, a frame carries keys: groupby results,
    ``value_counts`` and ``set_index`` name key columns, which ``.index``, ``loc`` and
    ``reset_index`` use (see :mod:`headwater.dataframe.keys`).

    Parameters
    ----------
    data : dict, list of dicts, pandas DataFrame, pyarrow Table, 2-D NumPy array or DataFrame
        A dict maps names to lists, arrays, Series or scalars (repeated to fill).
    columns : list of str, optional
        Column names to keep (or to give a 2-D array).
    device : optional
        ``"cpu"`` or ``"cuda"``; the default device when omitted.
    index : list, array or Index, optional
        Row labels: the frame is keyed by them (``loc``, ``to_dict``, alignment), as
        pandas' index; ``range(n)`` means positions.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"a": [1, 2, None], "s": ["x", "y", "x"]})
    >>> df
         a  s
    0  1.0  x
    1  2.0  y
    2  NaN  x
    >>> df.shape, df.columns
    ((3, 2), ['a', 's'])
    """

    __slots__ = ("_columns", "_keys", "_rows")

    def __init__(self, data: Any = None, columns: list[str] | None = None,
                 device: str | Device | None = None, dtype: Any = None, *, index: Any = None,
                 copy: Any = None) -> None:
        if index is not None and isinstance(data, Mapping) and data and all(np.ndim(v) == 0 for v in data.values()):
            n = len(index)  # pandas repeats scalars to the index's length
            data = {name: [value] * n for name, value in data.items()}
        self._columns: dict[str, Column] = columns_from_data(data, columns, device, dtype)
        self._keys: dict[str, Column] = {}
        self._rows: Any = ORIGINAL
        if index is not None:
            self._keys = keys_from_index(index, len(self), self.device)

    @lineage
    def _from_columns(cls, like: DataFrame | None, columns: Mapping[str, Column],
                      keys: Mapping[str, Column] | None = None, rows: Any = _UNSET) -> DataFrame:
        """A frame over ``columns`` without copying (lengths are the caller's promise).

        Called on a frame (``self._from_columns(cols)``) with columns as long as its
        rows, the result keeps that frame's keys and row order (same rows); called on
        the class, or with ``keys=`` / ``rows=``, it has exactly those (default: no
        keys, rows in original order).
        """
        obj = object.__new__(cls)
        obj._columns = dict(columns)
        if like is not None and keys is None and rows is _UNSET:
            n = len(next(iter(obj._columns.values()))) if obj._columns else len(like)
            if n == len(like):
                obj._keys, obj._rows = like._keys, like._rows
                return obj
        obj._keys = dict(keys or {})
        obj._rows = ORIGINAL if rows is _UNSET else rows
        return obj

    def _select_rows(self, select: Callable[[Column], Column], keeps_order: bool = False) -> DataFrame:
        """The rows ``select`` picks from every column and key; unless ``keeps_order``
        (a prefix, or every row) the result's rows are marked reordered."""
        cols = {name: select(col) for name, col in self._columns.items()}
        return self._from_columns(cols, keys=keys_take(self._keys, select),
                                  rows=self._rows if keeps_order else reordered())

    def _map(self, fn: Callable[[Column], Column]) -> DataFrame:
        return self._map_named(lambda name, col: fn(col))

    def _map_named(self, fn: Callable[[str, Column], Column]) -> DataFrame:
        out = {}
        for name, col in self._columns.items():
            try:
                out[name] = fn(name, col)
            except (TypeError, ValueError) as exc:  # name the column that could not do it
                raise type(exc)(f"column {name!r} ({col.dtype}): {exc}") from exc
        return self._from_columns(out)

    def _backend(self) -> Backend:
        for col in self._columns.values():
            return col.backend
        return get_backend()

    def _get_column(self, name: Any) -> Column:
        try:
            return self._columns[name]
        except (KeyError, TypeError):
            raise missing_column(name, self._columns) from None

    def _take_rows(self, indices: Any) -> DataFrame:
        return self._select_rows(lambda c: c.take(indices, checked=True))  # computed rows only

    def _filter_rows(self, keep: Any) -> DataFrame:
        kept = self._backend().xp.flatnonzero(keep)
        return self._select_rows(lambda c: c.take(kept, checked=True))

    # -- shape ------------------------------------------------------------------------------
    def __len__(self) -> int:
        for col in self._columns.values():
            return len(col)
        return 0

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [3, 4]}).shape
        (2, 2)
        """
        return len(self), len(self._columns)

    @property
    def columns(self) -> ColumnNames:
        """Column names in order: a list that also has pandas' Index methods
        (``tolist``, ``str.lower``, ``get_loc``; see :mod:`headwater.dataframe.column_names`)."""
        return ColumnNames(self._columns)

    @columns.setter
    def columns(self, names: list[str]) -> None:
        names = [str(n) for n in names]
        if len(names) != len(self._columns):
            raise LengthMismatchError(f"{len(names)} names given for {len(self._columns)} columns")
        if len(set(names)) != len(names):
            raise ValueError(f"column names must be unique, got {names}")
        self._columns = dict(zip(names, self._columns.values()))

    @property
    def dtypes(self) -> Any:
        """The column dtypes as a Series keyed by column name, as pandas (see
        :mod:`headwater.dataframe.dtype_series`).

        Examples
        --------
        >>> import headwater as hw
        >>> dtypes = hw.DataFrame({"a": [1], "s": ["x"]}).dtypes
        >>> dtypes["a"], dtypes.to_dict()
        (dtype('int64'), {'a': dtype('int64'), 's': str})
        """
        from headwater.dataframe.dtype_series import frame_dtypes

        return frame_dtypes(self._columns)

    @property
    def device(self) -> Device:
        """The device holding the columns.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1]}, device="cpu").device
        device(type='cpu')
        """
        return Device(self._backend().name)

    @property
    def empty(self) -> bool:
        """True when the frame has no rows or no columns.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": []}).empty
        True
        """
        return len(self) == 0 or not self._columns

    # -- columns ------------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool) and str(key) in self._columns:
            key = str(key)  # pandas' integer column labels (str.split(expand=True), ...) are names here
        if isinstance(key, str):
            if key not in self._columns and key in self._keys:
                return Series._from_column(self._keys[key], key, keys=self._keys, rows=self._rows)
            return Series._from_column(self._get_column(key), key, keys=self._keys, rows=self._rows)
        if isinstance(key, list) and all(isinstance(k, str) for k in key):
            return self._from_columns({name: self._get_column(name) for name in key})
        if isinstance(key, (slice, Series)) or hasattr(key, "dtype") or isinstance(key, list):
            select = row_selector(key, len(self), self._backend())
            return self._select_rows(select, getattr(select, "keeps_order", False))
        raise missing_column(key, self._columns)

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __iter__(self) -> Any:
        return iter(self._columns)

    def __getattr__(self, name: str) -> Series:
        if name.startswith("_"):
            raise AttributeError(name)
        columns = object.__getattribute__(self, "_columns")
        if name in columns:
            return Series._from_column(columns[name], name, keys=self._keys, rows=self._rows)
        raise AttributeError(f"DataFrame has no attribute or column {name!r}")

    def _aligned_values(self, name: str, value: Series) -> Column:
        """``value``'s column in this frame's row order: positional where the labels are
        the same, aligned on the keys where both are keyed, refused where pandas would
        align on labels that are not kept."""
        if (self._columns or self._keys) and check_same_rows(self, value, f"setting column {name!r}") == "align":
            return align_to(self._keys, value._keys, value._column, f"setting column {name!r}")
        return value._column

    def _as_column(self, name: str, value: Any) -> Column:
        n = len(self)
        if isinstance(value, Series):
            col = self._aligned_values(name, value)
        elif isinstance(value, Column):
            col = value
        elif is_scalar(value):
            col = column_from_scalar(value, n, device=self.device) if self._columns else column_from_host([value], device=self.device)
        else:
            col = column_from_host(value, device=self.device)
        if self._columns and len(col) != n:
            raise LengthMismatchError(
                f"cannot set column {name!r}: it has {len(col)} values ({col.dtype}) and the frame "
                f"has {n} rows; give {n} values or a scalar"
            )
        if self._columns and col.backend is not self._backend():
            col = col.to(self.device)
        return col

    def __setitem__(self, name: str, value: Any) -> None:
        col = self._as_column(str(name), value)  # validate before mutating
        if not self._columns and not self._keys and isinstance(value, Series):
            self._keys, self._rows = value._keys, value._rows  # an empty frame takes the labels
        self._columns[str(name)] = col

    def __delitem__(self, name: str) -> None:
        self._get_column(name)
        del self._columns[name]

    def assign(self, **columns: Any) -> DataFrame:
        """A new frame with columns added or replaced; callables get the frame.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2]})
        >>> df.assign(b=lambda d: d["a"] * 10, c=0).to_dict()
        {'a': [1, 2], 'b': [10, 20], 'c': [0, 0]}
        """
        out = self._from_columns(self._columns)
        for name, value in columns.items():
            out[name] = value(out) if callable(value) else value
        return out

    def _inplace(self, result: DataFrame, inplace: bool) -> DataFrame | None:
        """``result``, or with ``inplace=True`` this frame made into it (returns None)."""
        if not inplace:
            return result
        self._columns, self._keys, self._rows = dict(result._columns), result._keys, result._rows
        return None

    def rename(self, mapper: Mapping[str, str] | Callable[[str], str] | None = None, *,
               index: Any = None, columns: Mapping[str, str] | Callable[[str], str] | None = None,
               axis: int | str | None = None, copy: bool | None = None, inplace: bool = False,
               level: Any = None, errors: str = "ignore") -> DataFrame | None:
        """Columns renamed by a mapping or a function (``columns=``, or ``mapper`` with
        ``axis=1``); ``errors="raise"`` refuses names the frame does not have.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1]}).rename(columns={"a": "b"}).columns
        ['b']
        >>> df = hw.DataFrame({"a": [1]})
        >>> df.rename(str.upper, axis=1, inplace=True)
        >>> df.columns
        ['A']
        """
        if index is not None or (mapper is not None and axis in (None, 0, "index")):
            raise NotImplementedError(
                "rename(index=...) renames row labels, which rows do not have (they are positional); "
                "rename key values with set_index on a mapped column, or rename columns with "
                "rename(columns=...)"
            )
        if level is not None:
            raise NotImplementedError("rename(level=) is not supported: columns have one level")
        if errors not in ("ignore", "raise"):
            raise ValueError(f"errors must be 'ignore' or 'raise', got {errors!r}")
        columns = mapper if columns is None else columns
        if callable(columns):
            mapping = {name: str(columns(name)) for name in self._columns}
        else:
            mapping = dict(columns or {})
            if errors == "raise":
                for name in mapping:
                    self._get_column(name)
        new = [mapping.get(name, name) for name in self._columns]
        if len(set(new)) != len(new):
            raise ValueError(f"renaming would give duplicate column names: {new}")
        return self._inplace(self._from_columns(dict(zip(new, self._columns.values()))), inplace)

    def drop(self, labels: Any = None, *, axis: int | str = 0, index: Any = None, columns: Any = None,
             level: Any = None, inplace: bool = False, errors: str = "raise") -> DataFrame | None:
        """The frame without some columns (``columns=``, or ``labels`` with ``axis=1``) or
        rows (``index=``, or ``labels`` with ``axis=0``, as pandas).

        Rows are named by their keys on a keyed frame, else by their labels, which are
        the positions while the rows are in their original order (after a filter or sort
        that raises: drop rows by position with ``df.iloc[...]`` or a mask).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})
        >>> df.drop(columns="a").columns
        ['b']
        >>> df.drop(index=[0, 2])["a"].to_list()
        [2]
        >>> df.drop("b", axis=1, inplace=True)
        >>> df.columns
        ['a']
        """
        from headwater.dataframe.labels import drop_rows

        if level is not None:
            raise NotImplementedError("drop(level=) is not supported; drop rows by a mask on a key column")
        if errors not in ("ignore", "raise"):
            raise ValueError(f"errors must be 'ignore' or 'raise', got {errors!r}")
        if labels is not None:
            if index is not None or columns is not None:
                raise TypeError("drop: give labels (with axis) or index=/columns=, not both")
            if axis in (1, "columns"):
                columns = labels
            elif axis in (0, "index", "rows"):
                index = labels
            else:
                raise ValueError(f"axis must be 0/'index' or 1/'columns', got {axis!r}")
        names = [columns] if isinstance(columns, str) else list(columns if columns is not None else [])
        if errors == "raise":
            for name in names:
                self._get_column(name)
        out = self._from_columns({k: v for k, v in self._columns.items() if k not in names})
        if index is not None:
            out = drop_rows(out, index, errors)
        return self._inplace(out, inplace)

    def select(self, *names: str) -> DataFrame:
        """The named columns, in that order.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1], "b": [2]}).select("b", "a").columns
        ['b', 'a']
        """
        return self[list(names)]

    def copy(self, deep: bool = False) -> DataFrame:
        """A new frame; columns are immutable, so their buffers are shared.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1]})
        >>> c = df.copy()
        >>> c["b"] = 2
        >>> df.columns, c.columns
        (['a'], ['a', 'b'])
        """
        return self._from_columns(self._columns)

    # -- rows ---------------------------------------------------------------------------------
    @property
    def iloc(self) -> FrameILoc:
        """Positional selection: ``df.iloc[2]``, ``df.iloc[1:5, [0, 2]]``, ``df.iloc[mask]``.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
        >>> df.iloc[1]
        {'a': np.int64(2), 'b': 'y'}
        >>> df.iloc[1:, [1]].to_dict()
        {'b': ['y', 'z']}
        """
        return FrameILoc(self)

    def head(self, n: int = 5) -> DataFrame:
        """The first ``n`` rows (views, no copy).

        Examples
        --------
        >>> import headwater as hw
        >>> len(hw.DataFrame({"a": range(10)}).head(3))
        3
        """
        total = len(self)
        stop = max(total + n if n < 0 else min(n, total), 0)
        return self._select_rows(lambda c: c.slice(0, stop), keeps_order=True)

    def tail(self, n: int = 5) -> DataFrame:
        """The last ``n`` rows (views, no copy).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": range(10)}).tail(2)["a"].to_list()
        [8, 9]
        """
        total = len(self)
        start = min(abs(n), total) if n < 0 else max(total - n, 0)
        return self._select_rows(lambda c: c.slice(start, total), keeps_order=start == 0)

    # -- relational (groupby and joins live in their own modules) --------------------------------
    def groupby(self, by: Any = None, axis: Any = None, level: Any = None, as_index: bool = True,
                sort: bool = True, group_keys: bool = True, observed: bool | None = None,
                dropna: bool = True) -> Any:
        """Group rows by the values of ``by`` (column names, key names, or a ``Grouper``).

        With ``as_index=True`` (the default, as pandas) aggregations carry the group keys
        as their keys (``reset_index()`` makes them columns); ``as_index=False`` gives
        them as leading columns.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1, 2, 3]})
        >>> type(df.groupby("k")).__name__
        'DataFrameGroupBy'
        """
        from headwater.dataframe.groupby import DataFrameGroupBy

        if axis not in (None, 0, "index"):
            raise NotImplementedError(f"groupby(axis={axis!r}) is not supported; group rows (axis=0), "
                                      f"or transpose with .T first")
        if level is not None:
            if by is not None:
                raise TypeError("groupby: give by= or level=, not both")
            names = list(self._keys)
            levels = level if isinstance(level, list) else [level]
            by = [names[v] if isinstance(v, int) else v for v in levels]
        if by is None:
            raise TypeError("groupby needs by= (column names) or level= (key names)")
        from headwater.dataframe.groupby.grouper import time_bins

        bins = time_bins(self, by, as_index)
        if bins is not None:  # Grouper(key=, freq=) alone: pandas' bins, empty ones too
            return bins
        return DataFrameGroupBy(self, by, sort=sort, dropna=dropna, as_index=as_index,
                                group_keys=group_keys, observed=observed)

    def merge(self, right: DataFrame, **kw: Any) -> DataFrame:
        """Join with ``right`` (see :func:`headwater.merge`).

        Examples
        --------
        >>> import headwater as hw
        >>> left = hw.DataFrame({"k": [1, 2], "a": ["x", "y"]})
        >>> right = hw.DataFrame({"k": [2], "b": [0.5]})
        >>> left.merge(right, on="k").to_dict()
        {'k': [2], 'a': ['y'], 'b': [0.5]}
        """
        from headwater.dataframe.join import merge

        return merge(self, right, **kw)

    # -- display --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        from headwater.dataframe.format import frame_repr

        return frame_repr(self)

    def _repr_html_(self) -> str:
        from headwater.dataframe.format import frame_html

        return frame_html(self)


    # --- reshaping, windows, plotting (delegating to their modules; issue 14) ---
    def rolling(self, window: Any, min_periods: int | None = None, center: bool = False,
                **kw: Any) -> Any:
        """Rolling windows (see :class:`headwater.dataframe.windows.Rolling`)."""
        from headwater.dataframe.windows import Rolling

        return Rolling(self, window, min_periods, center, **kw)

    def expanding(self, min_periods: int = 1, **kw: Any) -> Any:
        """Expanding windows (see :class:`headwater.dataframe.windows.Expanding`)."""
        from headwater.dataframe.windows import Expanding

        return Expanding(self, min_periods, **kw)

    def ewm(self, com: Any = None, span: Any = None, halflife: Any = None, alpha: Any = None,
            **kw: Any) -> Any:
        """Exponentially weighted windows (see :class:`headwater.dataframe.windows.ExponentialMovingWindow`)."""
        from headwater.dataframe.windows import ExponentialMovingWindow

        return ExponentialMovingWindow(self, com, span, halflife, alpha, **kw)

    def melt(self, id_vars: Any = None, value_vars: Any = None, var_name: str | None = None,
             value_name: str = "value", **kw: Any) -> DataFrame:
        """Wide to long (see :func:`headwater.melt`)."""
        from headwater.dataframe.reshape.melt import melt

        return melt(self, id_vars, value_vars, var_name, value_name, **kw)

    def pivot_table(self, values: Any = None, index: Any = None, columns: Any = None,
                    aggfunc: Any = "mean", **kw: Any) -> DataFrame:
        """Aggregate and spread (see :func:`headwater.pivot_table`)."""
        from headwater.dataframe.reshape.pivot import pivot_table

        return pivot_table(self, values, index, columns, aggfunc, **kw)

    def pivot(self, columns: Any = None, index: Any = None, values: Any = None) -> DataFrame:
        """Spread without aggregating (see :func:`headwater.pivot`)."""
        from headwater.dataframe.reshape.pivot import pivot

        return pivot(self, columns=columns, index=index, values=values)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        from headwater.dataframe.numpy_protocol import frame_ufunc

        return frame_ufunc(self, ufunc, method, inputs, kwargs)

    @property
    def plot(self) -> Any:
        """pandas' plot accessor on a host copy (counted): ``df.plot(x=, y=)``, ``df.plot.scatter``."""
        from headwater.dataframe.plotting import plot_accessor

        return plot_accessor(self)

    def hist(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' ``DataFrame.hist`` on a host copy (counted)."""
        from headwater.dataframe.plotting import hist

        return hist(self, *args, **kwargs)

    def boxplot(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' ``DataFrame.boxplot`` on a host copy (counted)."""
        from headwater.dataframe.plotting import boxplot

        return boxplot(self, *args, **kwargs)

    def resample(self, rule: Any, on: str | None = None, **kw: Any) -> Any:
        """Time bins of the rows by the datetime column ``on`` (see
        :class:`headwater.dataframe.windows.resample.Resampler`)."""
        from headwater.dataframe.windows.resample import Resampler

        return Resampler(self, rule, on=on, **kw)

    def stack(self, level: Any = -1, dropna: Any = None, sort: Any = None, future_stack: bool = True) -> Any:
        """The values as one Series keyed by (row label, column name), as pandas 3's
        ``stack`` (missing values kept; see :mod:`headwater.dataframe.reshape.stack`).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [3, 4]}).stack().to_list()
        [1, 3, 2, 4]
        """
        from headwater.dataframe.reshape.stack import stack_frame

        if level != -1:
            raise NotImplementedError("stack(level=) needs column levels, which frames do not have")
        return stack_frame(self, dropna, sort, future_stack)

    def unstack(self, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
        """Key ``level`` spread into columns (a frame with one value column; see
        :meth:`Series.unstack`)."""
        from headwater.dataframe.reshape.stack import unstack_frame

        return unstack_frame(self, level, fill_value, sort)

    def explode(self, column: Any, ignore_index: bool = False) -> DataFrame:
        """One row per element of the list column(s) (see :func:`headwater.dataframe.reshape.explode.explode_frame`)."""
        from headwater.dataframe.reshape.explode import explode_frame

        return explode_frame(self, column, ignore_index)
