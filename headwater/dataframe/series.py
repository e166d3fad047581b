"""Series: one named column with a pandas-like API and a positional index."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from headwater.dataframe.attributes import SeriesAttributesMixin
from headwater.dataframe.apply import SeriesApplyMixin
from headwater.dataframe.column import Column
from headwater.dataframe.columnwise import ColumnwiseMixin
from headwater.dataframe.combine import CombineMixin
from headwater.dataframe.distinct import SeriesDistinctMixin
from headwater.dataframe.indexing import SeriesILoc, row_selector
from headwater.dataframe.inspect import SeriesInspectMixin
from headwater.dataframe.keys import FREE, ORIGINAL, keys_from_index, keys_take, lineage, reordered, require_labels
from headwater.dataframe.labels import SeriesLabelsMixin
from headwater.dataframe.ops import OperatorsMixin
from headwater.dataframe.reductions import SeriesReductionsMixin
from headwater.dataframe.sorting import SeriesSortingMixin
from headwater.dataframe.stats import SeriesStatsMixin
from headwater.tensor.devices import Device

__all__ = ["Series"]


_UNSET = object()


class Series(SeriesAttributesMixin, SeriesLabelsMixin, SeriesApplyMixin, SeriesStatsMixin, CombineMixin, SeriesInspectMixin, OperatorsMixin, ColumnwiseMixin, SeriesReductionsMixin, SeriesSortingMixin,
             SeriesDistinctMixin):
    """A named column on the device; keyed (``.index``, ``loc``) where pandas has labels.

    Parameters
    ----------
    data : list, dict, NumPy array, pandas Series, pyarrow Array or Series
        Values; ``None``, ``pd.NA`` and float NaN become nulls. A dict's keys key the
        values (as pandas' index).
    name : str, optional
        (A list, array or Index here is pandas' positional ``index``.)
    dtype : optional
        ``"int64"``, ``"float32"``, ``"str"``, ``"category"``, ``"datetime64[ns]"`` ...
    device : optional
        ``"cpu"`` or ``"cuda"``; the default device when omitted.
    index : list, array or Index, optional
        Labels: the Series is keyed by them (``loc``, ``to_dict``, alignment), as
        pandas' index; ``range(n)`` means positions.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.Series({"a": 1, "b": 2})["b"], hw.Series([1, 2], index=["x", "y"]).to_dict()
    (np.int64(2), {'x': 1, 'y': 2})
    >>> s = hw.Series([1, None, 3], name="x")
    >>> s
    0    1.0
    1    NaN
    2    3.0
    Name: x, dtype: float64
    >>> (s * 2).sum()
    np.float64(8.0)
    """

    __slots__ = ("_column", "name", "_keys", "_rows")

    def __init__(self, data: Any = None, name: str | None = None, dtype: Any = None,
                 device: str | Device | None = None, *, index: Any = None, copy: Any = None) -> None:
        if name is not None and not isinstance(name, (str, int, float, tuple, np.generic)) and index is None:
            # pandas' second positional argument is the index: Series(values, ["a", "b"])
            name, index = None, name
        if isinstance(data, Mapping):  # pandas: the keys label the values (or pick them, with index=)
            if index is None:
                index, data = list(data.keys()), list(data.values())
            else:
                labels = index.tolist() if hasattr(index, "tolist") else list(index)
                data = [data.get(label) for label in labels]
        if isinstance(data, Series):
            col = data._column if device is None else data._column.to(device)
            col = col.astype(dtype) if dtype is not None else col
            name = data.name if name is None else name
        elif isinstance(data, Column):
            col = data
        else:
            if data is None:
                data = []
            if name is None and getattr(data, "name", None) is not None and not isinstance(data, (pa.Array, pa.ChunkedArray)):
                name = data.name
            from headwater.dataframe.construct import from_python_values

            col = from_python_values(data, dtype=dtype, device=device)
        self._column = col
        self.name = None if name is None else str(name)
        self._keys: dict[str, Column] = {} if index is None else keys_from_index(index, len(col), col.device)
        self._rows: Any = ORIGINAL

    @lineage
    def _from_column(cls, like: Series | None, column: Column, name: str | None = None,
                     keys: dict[str, Column] | None = None, rows: Any = _UNSET) -> Series:
        """Wrap a column without copying.

        Called on a Series with a column as long as it (the same rows), the result keeps
        that Series' keys and row order; with ``keys=`` / ``rows=`` it has those; called
        on the class it is positional (``FREE``: no claim about pandas' labels).
        """
        obj = object.__new__(cls)
        obj._column = column
        obj.name = name
        if like is not None and keys is None and rows is _UNSET and len(column) == len(like._column):
            obj._keys, obj._rows = like._keys, like._rows
        else:
            obj._keys = dict(keys or {})
            obj._rows = FREE if rows is _UNSET else rows
        return obj

    def _backend(self) -> Any:
        return self._column.backend

    def _inplace(self, result: Series, inplace: bool) -> Series | None:
        """``result``, or with ``inplace=True`` this Series made into it (returns None)."""
        if not inplace:
            return result
        self._column, self._keys, self._rows = result._column, result._keys, result._rows
        return None

    def _select_rows(self, select: Any, keeps_order: bool = False) -> Series:
        """The rows ``select`` picks from the values and the keys (see DataFrame._select_rows)."""
        return self._from_column(select(self._column), self.name, keys=keys_take(self._keys, select),
                                 rows=self._rows if keeps_order else reordered())

    def _take(self, indices: Any) -> Series:
        return self._select_rows(lambda c: c.take(indices, checked=True))

    def _filter(self, keep: Any) -> Series:
        kept = self._column.xp.flatnonzero(keep)
        return self._take(kept)

    def _map(self, fn: Any) -> Series:
        return self._from_column(fn(self._column), self.name)

    def _map_named(self, fn: Any) -> Series:
        return self._from_column(fn(self.name, self._column), self.name)

    # -- attributes -----------------------------------------------------------------------
    @property
    def dtype(self) -> Any:
        """The column's dtype (a NumPy dtype, ``str`` or ``category``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a"]).dtype, hw.Series([1.5]).dtype
        (str, dtype('float64'))
        """
        return self._column.dtype

    @property
    def shape(self) -> tuple[int]:
        """``(rows,)``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2]).shape
        (2,)
        """
        return (len(self._column),)

    @property
    def size(self) -> int:
        """Number of rows.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2]).size
        2
        """
        return len(self._column)

    @property
    def device(self) -> Device:
        """The device holding the values.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1], device="cpu").device
        device(type='cpu')
        """
        return self._column.device

    @property
    def null_count(self) -> int:
        """Number of nulls (one host read).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, None, None]).null_count
        2
        """
        return self._column.null_count

    def __len__(self) -> int:
        return len(self._column)

    def rename(self, name: str, *, inplace: bool = False) -> Series | None:
        """The same values under a new name.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1], name="a").rename("b").name
        'b'
        """
        if callable(name) or isinstance(name, dict):
            raise NotImplementedError("Series.rename with a mapping or function renames labels, which rows "
                                      "do not have; pass the new name")
        if inplace:
            self.name = name
            return None
        return self._from_column(self._column, name)

    def alias(self, name: str) -> Series:
        """Same as :meth:`rename`.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1]).alias("x").name
        'x'
        """
        return self.rename(name)

    # -- rows -----------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        if self._keys and not isinstance(key, slice) and not (isinstance(key, Series) and key._column.kind == "bool"):
            return self.loc[key]
        if isinstance(key, (int, np.integer)):
            require_labels(self, f"s[{key}] (a row label)", f"s.iloc[{key}]")
            return self.iloc[int(key)]
        if isinstance(key, str):
            raise KeyError(f"{key!r}: this Series has no keys (its rows are labelled by position)")
        select = row_selector(key, len(self), self._column.backend)
        return self._select_rows(select, getattr(select, "keeps_order", False))

    def __setitem__(self, key: Any, value: Any) -> None:
        self.loc[key] = value

    @property
    def iloc(self) -> SeriesILoc:
        """Positional selection: ``s.iloc[3]``, ``s.iloc[1:4]``, ``s.iloc[[0, 2]]``.

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series([10, 20, 30])
        >>> s.iloc[-1], s.iloc[[2, 0]].to_list()
        (np.int64(30), [30, 10])
        """
        return SeriesILoc(self)

    def head(self, n: int = 5) -> Series:
        """The first ``n`` rows (a view, no copy).

        Examples
        --------
        >>> import headwater as hw
        >>> len(hw.Series(range(10)).head(3))
        3
        """
        n = max(len(self) + n if n < 0 else min(n, len(self)), 0)
        return self._select_rows(lambda c: c.slice(0, n), keeps_order=True)

    def tail(self, n: int = 5) -> Series:
        """The last ``n`` rows (a view, no copy).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(range(10)).tail(2).to_list()
        [8, 9]
        """
        total = len(self)
        start = min(abs(n if n < 0 else max(total - n, 0)), total)
        return self._select_rows(lambda c: c.slice(start, total), keeps_order=start == 0)

    def dropna(self, *, axis: Any = 0, inplace: bool = False, how: Any = None,
               ignore_index: bool = False) -> Series | None:
        """The values without missing ones (null, or NaN in floats).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None, 2.0]).dropna().to_list()
        [1.0, 2.0]
        """
        if axis not in (0, "index"):
            raise ValueError(f"Series.dropna: axis must be 0, got {axis!r}")
        valid = self._column.missing_mask()
        out = self if valid is None else self._filter(valid)
        if ignore_index:
            out = out.reset_index(drop=True)
        return self._inplace(out, inplace)

    def sample(self, n: int | None = None, frac: float | None = None, replace: bool = False,
               seed: int | None = None) -> Series:
        """Random values drawn on the device (see :meth:`DataFrame.sample`).

        Examples
        --------
        >>> import headwater as hw
        >>> len(hw.Series(range(10)).sample(n=3, seed=0))
        3
        """
        frame = self.to_frame("v").sample(n=n, frac=frac, replace=replace, seed=seed)
        return frame["v"].rename(self.name)

    # -- conversion -----------------------------------------------------------------------
    def to_pandas(self) -> Any:
        """A pandas Series (nullable ``Int64``/``boolean`` where there are nulls).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", None], name="s").to_pandas().tolist()
        ['a', nan]
        """
        import pandas as pd

        out = pd.Series(self._column.to_pandas(), name=self.name, copy=False)
        if self._keys:
            out.index = self.index_to_pandas()
        return out

    def index_to_pandas(self) -> Any:
        """The keys as a pandas Index / MultiIndex (host copies, counted)."""
        from headwater.dataframe.conversion import keys_to_pandas

        return keys_to_pandas(self._keys)

    def to_arrow(self) -> pa.Array:
        """A pyarrow Array with the exact type, nulls and dictionary.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", None]).to_arrow().type
        DataType(string)
        """
        return self._column.to_arrow()

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        """Host NumPy values (one counted crossing); nulls become ``na_value``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None]).to_numpy()
        array([ 1., nan])
        """
        return self._column.to_numpy(na_value)

    # -- zero-copy bridge (issue 6; logic in headwater/dataframe/bridge.py) ------------------
    def to_tensor(self, fill: Any = None) -> Any:
        """A Tensor sharing this column's device buffer (no copy, no host crossing).

        Strings and categoricals give their int32 codes, datetimes int64 nanoseconds.
        Nulls are an error naming the column unless ``fill`` is given (then one copy).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0]).to_tensor().tolist()
        [1.0, 2.0]
        """
        from headwater.dataframe.bridge import column_to_tensor

        return column_to_tensor(self._column, self.name, fill)

    def __dlpack__(self, **kwargs: Any) -> Any:
        from headwater.dataframe.bridge import column_dlpack

        return column_dlpack(self._column, self.name, **kwargs)

    def __dlpack_device__(self) -> tuple[int, int]:
        from headwater.dataframe.bridge import column_dlpack_device

        return column_dlpack_device(self._column)

    @property
    def values(self) -> np.ndarray:
        """Host NumPy values, as :meth:`to_numpy` (one counted crossing).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2]).values
        array([1, 2])
        """
        return self.to_numpy()

    def to_cupy(self) -> Any:
        """The values as an array on the Series' device (CuPy on the GPU, NumPy on the CPU);
        nulls become NaN in a float copy.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None]).to_cupy().tolist()
        [1.0, nan]
        """
        col = self._column
        if col.kind not in ("int", "uint", "float", "bool"):
            raise TypeError(f"to_cupy needs a numeric or bool Series, got {col.dtype}; use .to_tensor() for "
                            f"the codes of strings and categoricals")
        valid = col.missing_mask()
        if valid is None:
            return col.data
        return col.xp.where(valid, col.data.astype(np.float64), np.nan)

    @property
    def T(self) -> Series:  # noqa: N802 - pandas' name
        """The Series itself (a Series is one-dimensional)."""
        return self

    def to_list(self) -> list[Any]:
        """Host Python values, ``None`` for nulls (pandas gives NaN for a missing float).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.5, None]).to_list()
        [1.5, None]
        """
        return self.to_arrow().to_pylist()

    tolist = to_list

    def to_frame(self, name: str | None = None) -> Any:
        """A one-column DataFrame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1], name="a").to_frame().columns
        ['a']
        """
        from headwater.dataframe.frame import DataFrame

        return DataFrame._from_columns({name or self.name or "0": self._column}, keys=self._keys, rows=self._rows)

    def to(self, device: str | Device) -> Series:
        """The Series on ``device`` (no copy when already there).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1]).to("cpu").device
        device(type='cpu')
        """
        return self._from_column(self._column.to(device), self.name)

    def to_cudf(self) -> Any:
        """A cudf Series (needs cudf)."""
        from headwater.dataframe.interop import series_to_cudf

        return series_to_cudf(self)

    # -- accessors -----------------------------------------------------------------------
    @property
    def str(self) -> Any:
        """String functions, run once per distinct value (``.str.lower()``, ...).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["Ab"]).str.lower().to_list()
        ['ab']
        """
        from headwater.dataframe.accessors.strings import StringAccessor

        return StringAccessor(self)

    @property
    def dt(self) -> Any:
        """Datetime fields and rounding (``.dt.year``, ``.dt.floor("h")``, ...).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-05-06"], dtype="datetime64[ns]").dt.month.to_list()
        [5]
        """
        from headwater.dataframe.accessors.datetimes import DatetimeAccessor

        return DatetimeAccessor(self)

    @property
    def cat(self) -> Any:
        """Categorical codes and categories.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["b", "a"], dtype="category").cat.categories
        ['a', 'b']
        """
        from headwater.dataframe.accessors.categories import CategoricalAccessor

        return CategoricalAccessor(self)

    # -- display ---------------------------------------------------------------------------
    def __repr__(self) -> str:
        from headwater.dataframe.format import series_repr

        return series_repr(self)

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()

    def __iter__(self) -> Any:
        return iter(self.to_list())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self.to_numpy()
        return out if dtype is None else out.astype(dtype)

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

    def resample(self, rule: Any, **kw: Any) -> Any:
        """Time bins of a Series keyed by one datetime column (``df.set_index("ts")["v"]``),
        as pandas bins a Series by its DatetimeIndex; aggregations give a Series keyed by
        the bin labels (see :class:`headwater.dataframe.windows.resample.Resampler`).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"ts": hw.date_range("2024-01-01", periods=4, freq="12h"), "v": [1, 2, 3, 4]})
        >>> df.set_index("ts")["v"].resample("D").sum().to_list()
        [3, 7]
        """
        from headwater.dataframe.windows.resample import Resampler

        if "on" in kw:
            raise TypeError("Series.resample takes no on=; use df.resample(rule, on=column)[name]")
        out = Resampler(self.to_frame(self.name or "0"), rule, **kw)
        out._series = True
        return out

    def ewm(self, com: Any = None, span: Any = None, halflife: Any = None, alpha: Any = None,
            **kw: Any) -> Any:
        """Exponentially weighted windows (see :class:`headwater.dataframe.windows.ExponentialMovingWindow`)."""
        from headwater.dataframe.windows import ExponentialMovingWindow

        return ExponentialMovingWindow(self, com, span, halflife, alpha, **kw)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        from headwater.dataframe.numpy_protocol import series_ufunc

        return series_ufunc(self, ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        from headwater.dataframe.numpy_protocol import series_function

        return series_function(self, func, types, args, kwargs)

    @property
    def plot(self) -> Any:
        """pandas' plot accessor on a host copy (counted): ``s.plot()``, ``s.plot.hist()``."""
        from headwater.dataframe.plotting import plot_accessor

        return plot_accessor(self)

    def hist(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' ``Series.hist`` on a host copy (counted)."""
        from headwater.dataframe.plotting import hist

        return hist(self, *args, **kwargs)

    def unstack(self, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
        """Key ``level`` (the last by default) spread into columns, one per value (named
        by the value as a string), keyed by the other keys, sorted: pandas' ``unstack``.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"g": ["a", "a", "b"], "h": ["x", "y", "x"], "v": [1, 2, 3]})
        >>> df.groupby(["g", "h"])["v"].sum().unstack().reset_index().to_dict()
        {'g': ['a', 'b'], 'x': [1, 3], 'y': [2, None]}
        """
        from headwater.dataframe.reshape.stack import unstack_series

        return unstack_series(self, level, fill_value, sort)

    def explode(self, ignore_index: bool = False) -> Series:
        """One row per list element (see :func:`headwater.dataframe.reshape.explode.explode_series`)."""
        from headwater.dataframe.reshape.explode import explode_series

        return explode_series(self, ignore_index)
