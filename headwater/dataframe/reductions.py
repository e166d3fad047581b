"""Reductions: a Series gives a host scalar, a DataFrame a Series keyed by its column names (as pandas).

Each result is one counted host read. Missing values are skipped unless
``skipna=False``, in which case a missing value makes the result NaN.
"""

from __future__ import annotations

from typing import Any

from headwater.tensor.transfer import to_host

__all__ = ["SeriesReductionsMixin", "FrameReductionsMixin", "REDUCTIONS"]

REDUCTIONS = ("sum", "prod", "mean", "min", "max", "std", "var", "median", "count", "any", "all")


class SeriesReductionsMixin:
    """Scalar reductions of one column."""

    def _reduce(self, name: str, skipna: bool = True, **kw: Any) -> Any:
        try:
            return self._column.reduce(name, skipna=skipna, **kw)
        except OverflowError as exc:  # a decimal total past 18 digits: name the column
            raise type(exc)(f"Series {self.name!r}: {exc}") from exc

    def sum(self, skipna: bool = True, min_count: int = 0) -> Any:
        """Sum of the values (0 for none; NaN below ``min_count`` values).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, None, 2]).sum()
        np.float64(3.0)
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

    def skew(self, skipna: bool = True) -> Any:
        """Sample skewness (adjusted Fisher-Pearson), as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> round(float(hw.Series([1.0, 2.0, 10.0]).skew()), 6)
        1.652317
        """
        return self._reduce("skew", skipna)

    def kurt(self, skipna: bool = True) -> Any:
        """Excess kurtosis (Fisher's, unbiased), as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> round(float(hw.Series([1.0, 2.0, 4.0, 10.0]).kurt()), 6)
        2.030769
        """
        return self._reduce("kurt", skipna)

    kurtosis = kurt

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
        """Summary statistics as a Series keyed by the statistic names, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 3], name="x").describe()["mean"]
        np.float64(2.0)
        """
        from headwater.dataframe.describe import describe

        return describe({self.name or "0": self._column})[self.name or "0"].rename(self.name)


class FrameReductionsMixin:
    """Per-column reductions returned, as pandas, as a Series keyed by the column names."""

    def _reduce_frame(self, name: str, skipna: bool = True, numeric_only: bool = False, axis: Any = 0,
                      **kw: Any) -> Any:
        if axis in (1, "columns"):
            return _row_reduce(self, name, skipna, kw)
        if axis not in (0, "index", None):
            raise ValueError(f"axis must be 0/'index' or 1/'columns', got {axis!r}")
        values = {}
        for col_name, col in self._columns.items():
            if numeric_only and col.kind not in ("int", "uint", "float", "bool"):
                continue
            try:
                values[col_name] = col.reduce(name, skipna=skipna, **kw)
            except OverflowError as exc:  # a decimal total past 18 digits: name the column
                raise type(exc)(f"column {col_name!r}: {exc}") from exc
        return per_column_series(self, values, name)

    def sum(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, min_count: int = 0) -> Any:
        """Per-column sums, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [0.5, None]}).sum().to_dict()
        {'a': 3.0, 'b': 0.5}
        """
        return self._reduce_frame("sum", skipna, numeric_only, axis=axis, min_count=min_count)

    def prod(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column products, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [2, 3]}).prod().to_dict()
        {'a': 6}
        """
        return self._reduce_frame("prod", skipna, numeric_only, axis=axis)

    def mean(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column means, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2]}).mean().to_dict()
        {'a': 1.5}
        """
        return self._reduce_frame("mean", skipna, numeric_only, axis=axis)

    def min(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column minima, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [2, 3], "b": [0.5, 4.0]}).min().to_dict()
        {'a': 2.0, 'b': 0.5}
        """
        return self._reduce_frame("min", skipna, numeric_only, axis=axis)

    def max(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column maxima, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [2, 3]}).max().to_dict()
        {'a': 3}
        """
        return self._reduce_frame("max", skipna, numeric_only, axis=axis)

    def std(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, ddof: int = 1) -> Any:
        """Per-column standard deviations, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1.0, 3.0]}).std().to_dict()
        {'a': 1.4142135623730951}
        """
        return self._reduce_frame("std", skipna, numeric_only, axis=axis, ddof=ddof)

    def var(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, ddof: int = 1) -> Any:
        """Per-column variances, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1.0, 3.0]}).var().to_dict()
        {'a': 2.0}
        """
        return self._reduce_frame("var", skipna, numeric_only, axis=axis, ddof=ddof)

    def skew(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column sample skewness, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> round(float(hw.DataFrame({"a": [1.0, 2.0, 10.0]}).skew()["a"]), 6)
        1.652317
        """
        return self._reduce_frame("skew", skipna, numeric_only, axis=axis)

    def kurt(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column excess kurtosis, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> round(float(hw.DataFrame({"a": [1.0, 2.0, 4.0, 10.0]}).kurt()["a"]), 6)
        2.030769
        """
        return self._reduce_frame("kurt", skipna, numeric_only, axis=axis)

    kurtosis = kurt

    def median(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Per-column medians, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 5, 2]}).median().to_dict()
        {'a': 2.0}
        """
        return self._reduce_frame("median", skipna, numeric_only, axis=axis)

    def quantile(self, q: float = 0.5, numeric_only: bool = True) -> Any:
        """Per-column quantiles, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2, 3, 4]}).quantile(0.5).to_dict()
        {'a': 2.5}
        """
        return self._reduce_frame("quantile", True, numeric_only, q=q).rename(q)  # named by q, as pandas

    def count(self, axis: Any = 0, numeric_only: bool = False) -> Any:
        """Present values per column, a Series keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, None]}).count().to_dict()
        {'a': 1}
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

    def _logical(self, name: str, axis: Any, bool_only: bool, skipna: bool) -> Any:
        """``any``/``all`` per column (axis 0), per row (axis 1) or of everything (None)."""
        if axis in (0, "index", "rows"):
            if bool_only:
                return self[[c for c, col in self._columns.items() if col.kind == "bool"]]._reduce_frame(name, skipna)
            return self._reduce_frame(name, skipna)
        if axis not in (1, "columns", None):
            raise ValueError(f"{name}: axis must be 0, 1 or None, got {axis!r}")
        from headwater.dataframe.column import build_column
        from headwater.dataframe.series import Series

        xp = self._backend().xp
        out = xp.full(len(self), name == "all", dtype=bool)
        for col_name, col in self._columns.items():
            if bool_only and col.kind != "bool":
                continue
            if col.kind not in ("bool", "int", "uint", "float"):
                raise TypeError(f"{name}(axis={axis!r}): column {col_name!r} is {col.dtype}, which has no truth "
                                f"value per row; select the numeric and bool columns (or bool_only=True)")
            truth = col.data if col.kind == "bool" else col.data != 0
            missing = col.is_missing()
            # a missing value counts as absent with skipna (True for all, False for any), else as True (NaN is truthy)
            truth = xp.where(missing, name == "all" if skipna else True, truth)
            out = (out & truth) if name == "all" else (out | truth)
        if axis is None:
            return bool(to_host((out.all() if name == "all" else out.any())))
        return Series._from_column(build_column(out), None, keys=self._keys, rows=self._rows)

    def any(self, axis: Any = 0, bool_only: bool = False, skipna: bool = True, **kwargs: Any) -> Any:
        """``any`` per column (a Series keyed by the column names), per row (``axis=1``,
        a Series) or of the whole frame (``axis=None``, a bool).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [0, 1], "b": [0, 0]})
        >>> df.any().to_dict(), df.any(axis=1).to_list(), df.any(axis=None)
        ({'a': True, 'b': False}, [False, True], True)
        """
        _no_extra("any", kwargs)
        return self._logical("any", axis, bool_only, skipna)

    def all(self, axis: Any = 0, bool_only: bool = False, skipna: bool = True, **kwargs: Any) -> Any:
        """``all`` per column (a Series keyed by the column names), per row (``axis=1``,
        a Series) or of the whole frame (``axis=None``, a bool).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 1], "b": [0, 1]})
        >>> df.all().to_dict(), df.all(axis=1).to_list()
        ({'a': True, 'b': False}, [False, True])
        """
        _no_extra("all", kwargs)
        return self._logical("all", axis, bool_only, skipna)

    def describe(self) -> Any:
        """count, mean, std, min, quartiles and max of the numeric columns, keyed by
        the statistic names (pandas' index).

        Examples
        --------
        >>> import headwater as hw
        >>> d = hw.DataFrame({"a": [1, 2, 3], "s": ["x", "y", "z"]}).describe()
        >>> d.columns, d.loc["max", "a"]
        (['a'], np.float64(3.0))
        """
        from headwater.dataframe.describe import describe

        return describe(self._columns)


def _no_extra(name: str, kwargs: dict[str, Any]) -> None:
    if kwargs:
        raise TypeError(f"{name}() got unexpected keyword arguments {sorted(kwargs)}")


def per_column_series(frame: Any, values: dict[str, Any], name: str) -> Any:
    """``values`` (one host scalar per column) as a Series keyed by the column names:
    pandas' result of ``df.sum()``, ``df.isna().sum()``, ``df.mean()["a"]``.

    The values share one dtype (numbers promoted as NumPy does: int and float columns
    give float64). Pandas falls back to ``object`` when the kinds differ (a number and a
    string); Headwater has no object dtype, so that case raises and names the columns.
    """
    from headwater.dataframe.column import column_from_host, full_null
    from headwater.dataframe.column.cast import concat_columns
    from headwater.dataframe.dtypes import DtypeError
    from headwater.dataframe.series import Series

    device = frame.device if len(frame._columns) else None
    names = list(values)
    keys = {None: column_from_host(names, dtype="string", device=device)}
    if not names:
        return Series._from_column(column_from_host([], dtype="float64", device=device), None, keys=keys,
                                   rows=None)
    from headwater.dataframe.column.base import is_null_scalar

    present = {n: column_from_host([v], device=device) for n, v in values.items() if not is_null_scalar(v)}
    try:
        dtype = concat_columns(list(present.values())).dtype if present else "float64"
    except DtypeError:
        kinds = ", ".join(f"{n}: {p.dtype}" for n, p in present.items())
        raise DtypeError(
            f"DataFrame.{name}() gives values of different kinds ({kinds}); pandas would hold them in "
            "an object Series, which Headwater does not have. Pass numeric_only=True, select columns of "
            f"one kind first, or reduce each column (df[col].{name}())") from None
    backend = frame._backend()
    column = concat_columns([present[n].astype(dtype) if n in present else full_null(1, dtype, backend)
                             for n in names])
    return Series._from_column(column, None, keys=keys, rows=None)


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
