"""DataFrame: named columns of one length on one device, with positional rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from headwater.dataframe.column import Column, column_from_host, column_from_scalar
from headwater.dataframe.columnwise import ColumnwiseMixin
from headwater.dataframe.construct import columns_from_data, is_scalar
from headwater.dataframe.conversion import FrameConversionMixin
from headwater.dataframe.distinct import FrameDistinctMixin
from headwater.dataframe.errors import LengthMismatchError, missing_column
from headwater.dataframe.indexing import FrameILoc, row_selector
from headwater.dataframe.ops import FrameOperatorsMixin
from headwater.dataframe.reductions import FrameReductionsMixin
from headwater.dataframe.rows import RowsMixin
from headwater.dataframe.series import Series
from headwater.dataframe.sorting import FrameSortingMixin
from headwater.tensor.backend.base import Backend
from headwater.tensor.devices import Device, get_backend

__all__ = ["DataFrame"]


class DataFrame(FrameOperatorsMixin, FrameConversionMixin, ColumnwiseMixin, FrameReductionsMixin, FrameSortingMixin, FrameDistinctMixin, RowsMixin):
    """Columns on the device in the Arrow layout, with a pandas-like API.

    Rows have positions, not labels: there is no index to set or align on.

    Parameters
    ----------
    data : dict, list of dicts, pandas DataFrame, pyarrow Table, 2-D NumPy array or DataFrame
        A dict maps names to lists, arrays, Series or scalars (repeated to fill).
    columns : list of str, optional
        Column names to keep (or to give a 2-D array).
    device : optional
        ``"cpu"`` or ``"cuda"``; the default device when omitted.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"a": [1, 2, None], "s": ["x", "y", "x"]})
    >>> df
          a  s
    0     1  x
    1     2  y
    2  <NA>  x
    <BLANKLINE>
    [3 rows x 2 columns]
    a: int64, s: str
    >>> df.shape, df.columns
    ((3, 2), ['a', 's'])
    """

    __slots__ = ("_columns",)

    def __init__(self, data: Any = None, columns: list[str] | None = None,
                 device: str | Device | None = None, dtype: Any = None) -> None:
        self._columns: dict[str, Column] = columns_from_data(data, columns, device, dtype)

    @classmethod
    def _from_columns(cls, columns: Mapping[str, Column]) -> DataFrame:
        """A frame over ``columns`` without copying (lengths are the caller's promise)."""
        obj = object.__new__(cls)
        obj._columns = dict(columns)
        return obj

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
        return self._map(lambda c: c.take(indices, checked=True))  # computed rows only

    def _filter_rows(self, keep: Any) -> DataFrame:
        kept = self._backend().xp.flatnonzero(keep)
        return self._map(lambda c: c.take(kept, checked=True))

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
    def columns(self) -> list[str]:
        """Column names in order."""
        return list(self._columns)

    @columns.setter
    def columns(self, names: list[str]) -> None:
        names = [str(n) for n in names]
        if len(names) != len(self._columns):
            raise LengthMismatchError(f"{len(names)} names given for {len(self._columns)} columns")
        if len(set(names)) != len(names):
            raise ValueError(f"column names must be unique, got {names}")
        self._columns = dict(zip(names, self._columns.values()))

    @property
    def dtypes(self) -> dict[str, Any]:
        """``{name: dtype}`` in column order.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1], "s": ["x"]}).dtypes
        {'a': dtype('int64'), 's': str}
        """
        return {name: col.dtype for name, col in self._columns.items()}

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
        if isinstance(key, str):
            return Series._from_column(self._get_column(key), key)
        if isinstance(key, list) and all(isinstance(k, str) for k in key):
            return self._from_columns({name: self._get_column(name) for name in key})
        if isinstance(key, (slice, Series)) or hasattr(key, "dtype") or isinstance(key, list):
            return self._map(row_selector(key, len(self), self._backend()))
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
            return Series._from_column(columns[name], name)
        raise AttributeError(f"DataFrame has no attribute or column {name!r}")

    def _as_column(self, name: str, value: Any) -> Column:
        n = len(self)
        if isinstance(value, Series):
            col = value._column
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

    def rename(self, columns: Mapping[str, str] | Callable[[str], str] | None = None, **kw: Any) -> DataFrame:
        """Columns renamed by a mapping or a function (``columns=``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1]}).rename(columns={"a": "b"}).columns
        ['b']
        """
        if columns is None:
            columns = kw.get("mapper")
        if callable(columns):
            mapping = {name: str(columns(name)) for name in self._columns}
        else:
            mapping = dict(columns or {})
            for name in mapping:
                self._get_column(name)
        new = [mapping.get(name, name) for name in self._columns]
        if len(set(new)) != len(new):
            raise ValueError(f"renaming would give duplicate column names: {new}")
        return self._from_columns(dict(zip(new, self._columns.values())))

    def drop(self, columns: str | list[str] | None = None, **kw: Any) -> DataFrame:
        """The frame without ``columns``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1], "b": [2]}).drop(columns="a").columns
        ['b']
        """
        if columns is None:
            columns = kw.get("labels")
        names = [columns] if isinstance(columns, str) else list(columns or [])
        for name in names:
            self._get_column(name)
        return self._from_columns({k: v for k, v in self._columns.items() if k not in names})

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
        stop = total + n if n < 0 else min(n, total)
        return self._map(lambda c: c.slice(0, max(stop, 0)))

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
        return self._map(lambda c: c.slice(start, total))

    # -- relational (groupby and joins live in their own modules) --------------------------------
    def groupby(self, by: str | list[str], sort: bool = True, dropna: bool = True) -> Any:
        """Group rows by the values of ``by``; keys come back as columns.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1, 2, 3]})
        >>> type(df.groupby("k")).__name__
        'DataFrameGroupBy'
        """
        from headwater.dataframe.groupby import DataFrameGroupBy

        return DataFrameGroupBy(self, by, sort=sort, dropna=dropna)

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

    def explode(self, column: Any, ignore_index: bool = False) -> DataFrame:
        """One row per element of the list column(s) (see :func:`headwater.dataframe.reshape.explode.explode_frame`)."""
        from headwater.dataframe.reshape.explode import explode_frame

        return explode_frame(self, column, ignore_index)
