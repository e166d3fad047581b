"""Reductions: a Series gives a host scalar, a DataFrame a one-row frame (as Polars).

Each result is one counted host read. Missing values are skipped unless
``skipna=False``, in which case a missing value makes the result NaN.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SeriesReductionsMixin", "FrameReductionsMixin", "REDUCTIONS"]

REDUCTIONS = ("sum", "prod", "mean", "min", "max", "std", "var", "median", "count", "any", "all")


class SeriesReductionsMixin:
    """Scalar reductions of one column."""

    def _reduce(self, name: str, skipna: bool = True, **kw: Any) -> Any:
        return self._column.reduce(name, skipna=skipna, **kw)

    def sum(self, skipna: bool = True, min_count: int = 0) -> Any:
        """Sum of the values (0 for none; NaN below ``min_count`` values).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, None, 2]).sum()
        np.int64(3)
        """
        return self._reduce("sum", skipna, min_count=min_count)

    def prod(self, skipna: bool = True, min_count: int = 0) -> Any:
        """Product of the values.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([2, 3]).prod()
        np.int64(6)
        """
        return self._reduce("prod", skipna, min_count=min_count)

    def mean(self, skipna: bool = True) -> Any:
        """Arithmetic mean.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, None]).mean()
        np.float64(1.5)
        """
        return self._reduce("mean", skipna)

    def min(self, skipna: bool = True) -> Any:
        """Smallest value.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["b", "a"]).min()
        'a'
        """
        return self._reduce("min", skipna)

    def max(self, skipna: bool = True) -> Any:
        """Largest value.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.5, 4.0]).max()
        np.float64(4.0)
        """
        return self._reduce("max", skipna)

    def std(self, skipna: bool = True, ddof: int = 1) -> Any:
        """Standard deviation (``ddof=1`` as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 3.0]).std()
        np.float64(1.414213562373...)
        """
        return self._reduce("std", skipna, ddof=ddof)

    def var(self, skipna: bool = True, ddof: int = 1) -> Any:
        """Variance (``ddof=1`` as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 3.0]).var()
        np.float64(2.0)
        """
        return self._reduce("var", skipna, ddof=ddof)

    def median(self, skipna: bool = True) -> Any:
        """Median.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 5, 2]).median()
        np.float64(2.0)
        """
        return self._reduce("median", skipna)

    def quantile(self, q: float = 0.5) -> Any:
        """Quantile ``q`` with linear interpolation (as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 3, 4]).quantile(0.25)
        np.float64(1.75)
        """
        return self._reduce("quantile", True, q=q)

    def count(self) -> int:
        """Number of present (non-missing) values.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, None]).count()
        1
        """
        return self._reduce("count")

    def any(self, skipna: bool = True) -> bool:
        """Whether any value is true (non-zero).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([False, None, True]).any()
        True
        """
        return self._reduce("any", skipna)

    def all(self, skipna: bool = True) -> bool:
        """Whether every present value is true (non-zero).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([True, None]).all()
        True
        """
        return self._reduce("all", skipna)

    def describe(self) -> Any:
        """Summary statistics as a frame with a ``statistic`` column.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 3], name="x").describe()["x"].to_list()[:2]
        [3.0, 2.0]
        """
        from headwater.dataframe.describe import describe

        return describe({self.name or "0": self._column})


class FrameReductionsMixin:
    """Per-column reductions returned as a one-row DataFrame."""

    def _reduce_frame(self, name: str, skipna: bool = True, numeric_only: bool = False, axis: Any = 0,
                      **kw: Any) -> Any:
        from headwater.dataframe.column import column_from_host

        if axis in (1, "columns"):
            return _row_reduce(self, name, skipna, kw)
        if axis not in (0, "index", None):
            raise ValueError(f"axis must be 0/'index' or 1/'columns', got {axis!r}")

        out = {}
        device = self.device if len(self._columns) else None
        for col_name, col in self._columns.items():
            if numeric_only and col.kind not in ("int", "uint", "float", "bool"):
                continue
            value = col.reduce(name, skipna=skipna, **kw)
            out[col_name] = column_from_host([value], device=device)
        return self._from_columns(out, keys={}, rows=None)

    def sum(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, min_count: int = 0) -> Any:
        """Per-column sums as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [0.5, None]}).sum().to_dict()
        {'a': [3], 'b': [0.5]}
        """
        return self._reduce_frame("sum", skipna, numeric_only, axis=axis, min_count=min_count)

    def prod(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column products as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [2, 3]}).prod().to_dict()
        {'a': [6]}
        """
        return self._reduce_frame("prod", skipna, numeric_only, axis=axis)

    def mean(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column means as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2]}).mean().to_dict()
        {'a': [1.5]}
        """
        return self._reduce_frame("mean", skipna, numeric_only, axis=axis)

    def min(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column minima as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [2, 3], "s": ["b", "a"]}).min().to_dict()
        {'a': [2], 's': ['a']}
        """
        return self._reduce_frame("min", skipna, numeric_only, axis=axis)

    def max(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column maxima as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [2, 3]}).max().to_dict()
        {'a': [3]}
        """
        return self._reduce_frame("max", skipna, numeric_only, axis=axis)

    def std(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, ddof: int = 1) -> Any:
        """Per-column standard deviations as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1.0, 3.0]}).std().to_dict()
        {'a': [1.4142135623730951]}
        """
        return self._reduce_frame("std", skipna, numeric_only, axis=axis, ddof=ddof)

    def var(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, ddof: int = 1) -> Any:
        """Per-column variances as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1.0, 3.0]}).var().to_dict()
        {'a': [2.0]}
        """
        return self._reduce_frame("var", skipna, numeric_only, axis=axis, ddof=ddof)

    def median(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column medians as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 5, 2]}).median().to_dict()
        {'a': [2.0]}
        """
        return self._reduce_frame("median", skipna, numeric_only, axis=axis)

    def quantile(self, q: float = 0.5, numeric_only: bool = True) -> Any:
        """Per-column quantiles as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2, 3, 4]}).quantile(0.5).to_dict()
        {'a': [2.5]}
        """
        return self._reduce_frame("quantile", True, numeric_only, q=q)

    def count(self, axis: Any = 0, numeric_only: bool = False) -> Any:
        """Present values per column as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, None]}).count().to_dict()
        {'a': [1]}
        """
        if axis in (1, "columns"):
            import numpy as np

            from headwater.dataframe.column import build_column
            from headwater.dataframe.series import Series

            xp = self._backend().xp
            total = xp.zeros(len(self), dtype=np.int64)
            for col in self._columns.values():
                if not numeric_only or col.kind in ("int", "uint", "float", "bool"):
                    total += (col.valid() & ~col.is_missing()).astype(np.int64)
            return Series._from_column(build_column(total), None, keys=self._keys, rows=self._rows)
        return self._reduce_frame("count", numeric_only=numeric_only)

    def any(self, skipna: bool = True) -> Any:
        """Per-column ``any`` as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [0, 1], "b": [0, 0]}).any().to_dict()
        {'a': [True], 'b': [False]}
        """
        return self._reduce_frame("any", skipna)

    def all(self, skipna: bool = True) -> Any:
        """Per-column ``all`` as a one-row frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 1], "b": [0, 1]}).all().to_dict()
        {'a': [True], 'b': [False]}
        """
        return self._reduce_frame("all", skipna)

    def describe(self) -> Any:
        """count, mean, std, min, quartiles and max of the numeric columns.

        The first column, ``statistic``, names each row (there is no row index).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2, 3], "s": ["x", "y", "z"]}).describe().columns
        ['statistic', 'a']
        """
        from headwater.dataframe.describe import describe

        return describe(self._columns)


_ROW = {"sum": "nansum", "prod": "nanprod", "mean": "nanmean", "min": "nanmin", "max": "nanmax",
        "std": "nanstd", "var": "nanvar", "median": "nanmedian"}


def _row_reduce(frame: Any, name: str, skipna: bool, kw: dict) -> Any:
    """``axis=1``: one value per row over the numeric columns (missing values skipped),
    a Series with the frame's rows."""
    import numpy as np

    from headwater.dataframe.column import build_column
    from headwater.dataframe.series import Series

    if name not in _ROW:
        raise NotImplementedError(f"{name}(axis=1) is not supported; use apply(func, axis=1)")
    cols = [c for c in frame._columns.values() if c.kind in ("int", "uint", "float", "bool")]
    xp = frame._backend().xp
    n = len(frame)
    if not cols:
        data = xp.zeros((n, 0))
    else:
        data = xp.stack([xp.where(c.valid() & ~c.is_missing(), c.data.astype(np.float64), np.nan) for c in cols],
                        axis=1)
    present = (~xp.isnan(data)).sum(axis=1) if cols else xp.zeros(n, dtype=np.int64)
    if not skipna and cols:
        fn = getattr(xp, _ROW[name][3:])
    else:
        fn = getattr(xp, _ROW[name])
    extra = {"ddof": kw.get("ddof", 1)} if name in ("std", "var") else {}
    if cols and int(present.min()) == 0 and name not in ("sum", "prod"):
        safe = xp.where(xp.isnan(data).all(axis=1, keepdims=True), 0.0, data)
        out = xp.where(present > 0, fn(safe, axis=1, **extra), np.nan)
    else:
        out = fn(data, axis=1, **extra) if cols else xp.zeros(n) if name == "sum" else xp.full(n, np.nan)
    min_count = kw.get("min_count", 0)
    if min_count:
        out = xp.where(present >= min_count, out, np.nan)
    if name in ("std", "var"):
        out = xp.where(present > extra["ddof"], out, np.nan)
    valid = ~xp.isnan(out)
    return Series._from_column(build_column(out, None if bool(valid.all()) else valid), None,
                               keys=frame._keys, rows=frame._rows)
