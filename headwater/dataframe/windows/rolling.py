"""``rolling`` and ``expanding`` windows on a Series, a DataFrame or a groupby.

As pandas: results are float64 and aligned to the rows (grouped: in group order,
groups in key order); ``min_periods`` defaults to the window length for fixed windows
and to 1 for time windows and expanding ones; ``center``, ``closed`` and ``step``
behave as pandas'. The aggregations run on the device (``kernels``); ``apply`` calls
a Python function per window on the host (counted), as pandas does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column, UnsupportedOperation
from headwater.dataframe.windows.bounds import (
    WindowOrder,
    check_closed,
    expanding_bounds,
    fixed_bounds,
    time_bounds,
)
from headwater.dataframe.windows.frames import WindowTarget
from headwater.dataframe.windows.kernels import QUANTILE_METHODS, WindowData, window_reduce
from headwater.tensor.transfer import to_host

__all__ = ["Rolling", "Expanding", "numeric_values"]

_AGGREGATIONS = ("count", "sum", "mean", "median", "min", "max", "std", "var", "quantile")


def numeric_values(col: Column, name: Any, what: str) -> tuple[Any, Any]:
    """(float64 values, valid) of a numeric or bool column; missing = null or NaN."""
    if col.kind not in ("int", "uint", "float", "bool"):
        raise UnsupportedOperation(
            f"{what} needs numeric columns; column {name!r} is {col.dtype}: select the numeric "
            f"columns first (df.select_dtypes('number') or df[[...]])"
        )
    xp = col.xp
    values = col.data.astype(xp.float64)
    valid = col.missing_mask()
    ok = ~xp.isnan(values) if valid is None else valid & ~xp.isnan(values)
    return xp.where(ok, values, 0.0), ok


class _Window:
    """What rolling and expanding windows share: the target, the order, the aggregations."""

    _what = "rolling"

    def __init__(self, obj: Any, min_periods: int | None, groupby: Any = None, on: str | None = None,
                 step: int | None = None) -> None:
        self._target = WindowTarget(obj, groupby, on, self._what)
        self._min_periods = min_periods
        self._step = None if step is None else int(step)
        if self._step is not None and (self._step < 1 or groupby is not None):
            raise ValueError(f"{self._what}(step=) needs a positive int and no groupby, got {step!r}")
        self._order = WindowOrder(self._target.backend, self._target.n_rows, self._target.groups)
        self._bounds_cache: tuple[Any, Any] | None = None

    def _bounds(self) -> tuple[Any, Any]:
        raise NotImplementedError

    def _data(self, col: Column, name: Any) -> WindowData:
        if self._bounds_cache is None:
            self._bounds_cache = self._bounds()
        start, end = self._bounds_cache
        values, ok = numeric_values(col, name, self._what)
        order = self._order
        return WindowData(order.backend.xp, order.gather(values), order.gather(ok), start, end)

    def _reduce(self, how: str, **options: Any) -> Any:
        min_periods = self._default_min_periods() if self._min_periods is None else int(self._min_periods)

        def one(name: Any, col: Column) -> Column:
            out, valid = window_reduce(self._data(col, name), how, min_periods, **options)
            return build_column(out, valid)

        return self._target.assemble(one, self._step)

    def _default_min_periods(self) -> int:
        return 1

    # -- aggregations -------------------------------------------------------------------
    def count(self) -> Any:
        """Non-missing values in each window (float64, as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None, 3.0]).rolling(2).count().to_list()
        [None, 1.0, 1.0]
        """
        return self._reduce("count")

    def sum(self) -> Any:
        """Sum of each window.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 3, 4]).rolling(2).sum().to_list()
        [None, 3.0, 5.0, 7.0]
        """
        return self._reduce("sum")

    def mean(self) -> Any:
        """Mean of each window.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0, 4.0]).rolling(2).mean().to_list()
        [None, 1.5, 3.0]
        """
        return self._reduce("mean")

    def median(self) -> Any:
        """Median of each window.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([5.0, 1.0, 3.0, 2.0]).rolling(3).median().to_list()
        [None, None, 3.0, 2.0]
        """
        return self._reduce("median")

    def min(self) -> Any:
        """Minimum of each window.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, 1, 2]).rolling(2).min().to_list()
        [None, 1.0, 1.0]
        """
        return self._reduce("min")

    def max(self) -> Any:
        """Maximum of each window.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, 1, 2]).rolling(2).max().to_list()
        [None, 3.0, 2.0]
        """
        return self._reduce("max")

    def std(self, ddof: int = 1) -> Any:
        """Standard deviation of each window (``ddof=1``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 3.0, 5.0]).rolling(2).std().to_list()
        [None, 1.4142135623730951, 1.4142135623730951]
        """
        return self._reduce("std", ddof=int(ddof))

    def var(self, ddof: int = 1) -> Any:
        """Variance of each window (``ddof=1``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 3.0, 5.0]).rolling(2).var().to_list()
        [None, 2.0, 2.0]
        """
        return self._reduce("var", ddof=int(ddof))

    def quantile(self, q: float, interpolation: str = "linear") -> Any:
        """The ``q`` quantile of each window (``interpolation`` as NumPy/pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0, 3.0, 4.0]).rolling(4).quantile(0.25).to_list()
        [None, None, None, 1.75]
        """
        if not 0 <= float(q) <= 1:
            raise ValueError(f"quantile needs q in [0, 1], got {q!r}")
        if interpolation not in QUANTILE_METHODS:
            raise ValueError(f"interpolation must be one of {QUANTILE_METHODS}, got {interpolation!r}")
        return self._reduce("quantile", q=float(q), interpolation=interpolation)

    def apply(self, func: Callable[..., Any], raw: bool = False, engine: Any = None,
              engine_kwargs: Any = None, args: tuple = (), kwargs: dict | None = None) -> Any:
        """``func`` of each window's values, called once per window on the host (counted).

        ``raw=True`` passes a NumPy array, ``raw=False`` a pandas Series (as pandas).
        Missing values are NaN inside the window; windows with fewer than
        ``min_periods`` values give null without a call.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0, 4.0]).rolling(2).apply(lambda w: w[-1] - w[0], raw=True).to_list()
        [None, 1.0, 2.0]
        """
        if engine not in (None, "cython") or engine_kwargs:
            raise NotImplementedError("rolling.apply(engine=) is not supported; the function runs in Python")
        import pandas as pd

        kwargs = kwargs or {}
        min_periods = self._default_min_periods() if self._min_periods is None else int(self._min_periods)

        def one(name: Any, col: Column) -> Column:
            data = self._data(col, name)
            values = to_host(data.xp.where(data.ok, data.values, data.xp.nan))
            start, end = to_host(data.start), to_host(data.end)
            counts = to_host(data.count())
            out = np.full(len(start), np.nan)
            for p in range(len(start)):
                if counts[p] >= max(min_periods, 1):
                    window = values[start[p]:end[p]]
                    out[p] = func(window if raw else pd.Series(window), *args, **kwargs)
            device = col.backend.to_device(out)
            return build_column(device, ~data.xp.isnan(device))

        return self._target.assemble(one, self._step)

    def agg(self, func: Any) -> Any:
        """One aggregation by name, a list (columns ``<col>_<agg>`` on frames, ``<agg>``
        on a Series) or a dict column -> name(s).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0, 4.0], name="x").rolling(2).agg(["min", "max"]).to_dict()
        {'min': [None, 1.0, 2.0], 'max': [None, 2.0, 4.0]}
        """
        def call(name: str) -> Any:
            if name not in _AGGREGATIONS or name == "quantile":
                raise ValueError(f"unknown {self._what} aggregation {name!r}; choose from "
                                 f"{[a for a in _AGGREGATIONS if a != 'quantile']}")
            return getattr(self, name)()

        if isinstance(func, str):
            return call(func)
        if callable(func):
            return self.apply(func, raw=True)
        return self._target.combine(func, call)

    aggregate = agg


class Rolling(_Window):
    """Fixed-length (``window=3``) or time-based (``window="3D"``, ``on="ts"``) windows.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"k": ["a", "a", "b", "a"], "v": [1.0, 2.0, 5.0, 4.0]})
    >>> df[["v"]].rolling(2, min_periods=1).sum()["v"].to_list()
    [1.0, 3.0, 7.0, 9.0]
    >>> df.groupby("k")["v"].rolling(2).sum().reset_index().to_dict()
    {'k': ['a', 'a', 'a', 'b'], 'level_1': [0, 1, 3, 2], 'v': [None, 3.0, 6.0, None]}
    """

    _what = "rolling"

    def __init__(self, obj: Any, window: Any, min_periods: int | None = None, center: bool = False,
                 win_type: str | None = None, on: str | None = None, axis: Any = 0,
                 closed: str | None = None, step: int | None = None, method: str = "single",
                 groupby: Any = None) -> None:
        if win_type is not None:
            raise NotImplementedError(f"rolling(win_type={win_type!r}) is not supported; use unweighted windows or ewm()")
        if axis not in (0, "index", "rows"):
            raise NotImplementedError("rolling(axis=1) is not supported; windows run down the rows")
        if method != "single":
            raise NotImplementedError("rolling(method='table') is not supported; use method='single'")
        self._closed = check_closed(closed)
        self._center = bool(center)
        if isinstance(window, (int, np.integer)) and not isinstance(window, bool):
            if window < 0:
                raise ValueError(f"window must be a non-negative int, got {window}")
            self._window: Any = int(window)
            self._time = False
        else:
            self._window = window
            self._time = True
            if center:
                raise NotImplementedError("rolling(center=True) with a time window is not supported")
        if min_periods is not None and (not isinstance(min_periods, (int, np.integer)) or min_periods < 0):
            raise ValueError(f"min_periods must be a non-negative int, got {min_periods!r}")
        if not self._time and min_periods is not None and min_periods > self._window:
            raise ValueError(f"min_periods {min_periods} must be <= window {self._window}")
        super().__init__(obj, min_periods, groupby, on, step)
        if self._time and self._target.times is None:
            raise ValueError(
                f"rolling({window!r}) with a time window needs on='<datetime column>' (rows have no "
                f"datetime index); for a number of rows pass an int"
            )

    def _default_min_periods(self) -> int:
        return 1 if self._time else self._window

    def _bounds(self) -> tuple[Any, Any]:
        if self._time:
            times = self._order.gather(self._target.times)
            return time_bounds(self._order, times, self._window, self._closed, "rolling")
        return fixed_bounds(self._order, self._window, self._center, self._closed)


class Expanding(_Window):
    """Windows from the first row (of the group) to each row.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.Series([1.0, None, 3.0]).expanding().sum().to_list()
    [1.0, 1.0, 4.0]
    """

    _what = "expanding"

    def __init__(self, obj: Any, min_periods: int = 1, axis: Any = 0, method: str = "single",
                 groupby: Any = None) -> None:
        if axis not in (0, "index", "rows"):
            raise NotImplementedError("expanding(axis=1) is not supported; windows run down the rows")
        if method != "single":
            raise NotImplementedError("expanding(method='table') is not supported")
        super().__init__(obj, int(min_periods), groupby)

    def _bounds(self) -> tuple[Any, Any]:
        return expanding_bounds(self._order)
