"""Methods that apply to every column on its own, shared by Series and DataFrame.

Each method maps a column function over the columns (``_map``); the dtype logic
lives in the columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from headwater.dataframe.column import Column, build_column, deferred
from headwater.dataframe.dtypes import parse_dtype
from headwater.dataframe.missing import backward_positions, forward_positions
from headwater.dataframe.ranking import rank_column
from headwater.tensor.transfer import to_host

__all__ = ["ColumnwiseMixin"]


def _cond_column(cond: Any, name: str | None, n: int, na: bool = False) -> Any:
    """An xp bool array from a bool Series/DataFrame column (null counts as ``na``)."""
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.series import Series

    if isinstance(cond, DataFrame):
        cond = cond[name]
    if isinstance(cond, Series):
        col = cond._column
        if col.kind != "bool":
            raise TypeError(f"the condition must be boolean, got dtype {col.dtype}")
        if len(col) != n:
            raise ValueError(f"the condition has {len(col)} rows, the data has {n}")
        if col.mask is None:
            return col.data
        return col.data | ~col.mask if na else col.data & col.mask
    raise TypeError(f"the condition must be a boolean Series or DataFrame, got {type(cond).__name__}")


def _other(other: Any, name: str | None) -> Any:
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.series import Series

    if isinstance(other, DataFrame):
        return other._columns[name]
    if isinstance(other, Series):
        return other._column
    return other


class ColumnwiseMixin:
    """Column-by-column methods; needs ``_map(fn)`` and ``_map_named(fn)``."""

    # -- missing values ---------------------------------------------------------------------
    def isna(self) -> Any:
        """True where the value is missing (null, or NaN in a float column).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None, 3.0]).isna().to_list()
        [False, True, False]
        """
        return self._map(lambda c: build_column(c.is_missing()))

    isnull = isna

    def notna(self) -> Any:
        """True where the value is present.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", None]).notna().to_list()
        [True, False]
        """
        return self._map(lambda c: build_column(c.valid()))

    notnull = notna

    def fillna(self, value: Any = None, *, method: str | None = None, axis: Any = None,
               inplace: bool = False, limit: int | None = None, downcast: Any = None) -> Any:
        """Replace missing values by a scalar, a ``{column: value}`` dict, or ffill/bfill
        (``inplace=True`` changes this object and returns None).

        Parameters
        ----------
        value : scalar or dict
            For a DataFrame a dict fills only the named columns.
        method : {"ffill", "bfill"}, optional
            Carry the last (next) present value into missing rows.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, None, 3]).fillna(0).to_list()
        [1.0, 0.0, 3.0]
        >>> hw.Series([1, None, 3]).fillna(method="ffill").to_list()
        [1.0, 1.0, 3.0]
        """
        if limit is not None or downcast is not None:
            raise NotImplementedError("fillna(limit=, downcast=) is not supported; fill every missing value, "
                                      "then cast with astype(...)")
        if axis not in (None, 0, "index"):
            raise NotImplementedError(f"fillna(axis={axis!r}) is not supported; fill along the rows (axis=0)")
        if method is not None:
            if method in ("ffill", "pad"):
                return self._in_place(self.ffill(), inplace)
            if method in ("bfill", "backfill"):
                return self._in_place(self.bfill(), inplace)
            raise ValueError(f"method must be 'ffill' or 'bfill', got {method!r}")
        if value is None:
            raise ValueError("fillna needs a value (or method='ffill'/'bfill')")
        from headwater.dataframe.frame import DataFrame
        from headwater.dataframe.series import Series

        if isinstance(value, DataFrame):  # the one-row answer of df.mean() and friends
            value = {name: value[name].iloc[0] for name in value.columns}
        if isinstance(value, Series) and value._keys and hasattr(self, "_columns"):
            value = value.to_dict()  # a Series keyed by column names fills per column, as pandas
        if isinstance(value, Series):
            return self._in_place(self._map_named(lambda name, c: c.where(c.valid(), _other(value, name))), inplace)
        if isinstance(value, Mapping):
            self._check_names(value)
            return self._in_place(self._map_named(lambda name, c: c.fillna(value[name]) if name in value else c), inplace)
        return self._in_place(self._map(lambda c: c.fillna(value)), inplace)

    def _in_place(self, result: Any, inplace: bool) -> Any:
        """``result``; with ``inplace=True`` this object made into it and returned (as pandas
        3 returns self from ``fillna``/``replace`` in place)."""
        if inplace:
            self._inplace(result, True)
            return self
        return result

    def _is_series_like(self) -> bool:
        return not hasattr(self, "_columns")

    def _check_names(self, names: Any) -> None:
        columns = getattr(self, "_columns", None)
        if columns is None:
            return
        from headwater.dataframe.errors import missing_column

        for name in names:
            if name not in columns:
                raise missing_column(name, columns)

    def _fill_along(self, forward: bool, limit: int | None, axis: Any, inplace: bool, limit_area: Any) -> Any:
        if axis not in (None, 0, "index", "rows"):
            raise NotImplementedError("ffill/bfill along the columns (axis=1) is not supported; fill along the rows")
        if limit_area is not None:
            raise NotImplementedError("ffill/bfill(limit_area=) is not supported; mask the result with the area you want")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1):
            raise ValueError(f"limit must be a positive int or None, got {limit!r}")
        find = forward_positions if forward else backward_positions

        def one(c: Column) -> Column:
            if c.missing_mask() is None:
                return c
            source = find(c.valid())
            if limit is not None:  # at most ``limit`` consecutive fills from one value
                xp = c.xp
                distance = xp.abs(xp.arange(len(c), dtype=np.int64) - source)
                source = xp.where((source >= 0) & (distance <= int(limit)), source, -1)
            return c.fill_null_positions(source)

        return self._in_place(self._map(one), inplace)

    def ffill(self, *, axis: Any = None, inplace: bool = False, limit: int | None = None,
              limit_area: Any = None) -> Any:
        """Fill each missing value with the last present value above it (at most ``limit``
        in a row from one value).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([None, 2, None]).ffill().to_list()
        [None, 2.0, 2.0]
        >>> hw.Series([1, None, None]).ffill(limit=1).to_list()
        [1.0, 1.0, None]
        """
        return self._fill_along(True, limit, axis, inplace, limit_area)

    def bfill(self, *, axis: Any = None, inplace: bool = False, limit: int | None = None,
              limit_area: Any = None) -> Any:
        """Fill each missing value with the next present value below it (at most ``limit``
        in a row from one value).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([None, 2, None]).bfill().to_list()
        [2.0, 2.0, None]
        """
        return self._fill_along(False, limit, axis, inplace, limit_area)

    def replace(self, to_replace: Any = None, value: Any = None, *, inplace: bool = False,
                limit: int | None = None, regex: bool = False, method: Any = None) -> Any:
        """Replace values: ``replace(old, new)``, ``replace([a, b], new)``, ``replace([a, b],
        [x, y])``, ``replace({old: new})`` or, on a frame, ``replace({column: {old: new}})``.

        ``None`` or NaN as the old value replaces missing values.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", "b", None]).replace({"a": "x", None: "?"}).to_list()
        ['x', 'b', '?']
        >>> hw.Series([1, -999, 3]).replace(-999, None).to_list()
        [1, None, 3]
        """
        if regex or limit is not None or method is not None:
            raise NotImplementedError("replace(regex=, limit=, method=) is not supported; use .str.replace(...) "
                                      "for patterns and ffill()/bfill() for filling")
        if isinstance(to_replace, Mapping) and to_replace and all(isinstance(v, Mapping) for v in to_replace.values()):
            self._check_names(to_replace)
            per = {name: self[name].replace(spec)._column for name, spec in to_replace.items()}
            return self._in_place(self._map_named(lambda name, c: per.get(name, c)), inplace)
        if isinstance(to_replace, Mapping):
            pairs = list(to_replace.items())
        elif isinstance(to_replace, (list, tuple, set)):
            if isinstance(value, (list, tuple)):
                if len(value) != len(to_replace):
                    raise ValueError(f"replace: {len(to_replace)} values to replace but {len(value)} replacements")
                pairs = list(zip(to_replace, value))
            else:
                pairs = [(old, value) for old in to_replace]
        else:
            pairs = [(to_replace, value)]

        def one(c: Column) -> Column:
            for old, new in pairs:
                if old is None or (isinstance(old, float) and np.isnan(old)):
                    c = c if new is None else c.fillna(new)
                    continue
                hit = c.binary_op("eq", old)
                hit_rows = hit.data if hit.mask is None else hit.data & hit.mask
                if bool(to_host(c.xp.any(hit_rows))):  # a value of another type never hits
                    c = c.where(~hit_rows, new)
            return c

        return self._in_place(self._map(one), inplace)

    # -- dtype and element-wise -------------------------------------------------------------
    def astype(self, dtype: Any) -> Any:
        """Cast to ``dtype`` (or ``{column: dtype}`` for a DataFrame).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2]).astype("float32").dtype
        dtype('float32')
        """
        if isinstance(dtype, Mapping):
            self._check_names(dtype)
            parsed = {k: parse_dtype(v) for k, v in dtype.items()}
            return self._map_named(lambda name, c: c.astype(parsed[name]) if name in parsed else c)
        target = parse_dtype(dtype)
        return self._map(lambda c: c.astype(target))

    def abs(self) -> Any:
        """Absolute values.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([-1, 2]).abs().to_list()
        [1, 2]
        """
        return self._map(lambda c: c.unary_op("abs"))

    def round(self, decimals: int | Mapping[str, int] | Any = 0, *args: Any, **kwargs: Any) -> Any:
        """Round floats and decimals to ``decimals`` places (half to even, as NumPy, pandas
        and Arrow); a decimal keeps its dtype. On a DataFrame ``decimals`` may be a
        ``{column: places}`` dict (or a Series keyed by column names): other columns stay.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.234, 2.5]).round(1).to_list()
        [1.2, 2.5]
        >>> hw.DataFrame({"a": [1.26], "b": [2.34]}).round({"a": 1}).to_dict("list")
        {'a': [1.3], 'b': [2.34]}
        """
        if args or kwargs:
            raise TypeError(f"round takes only decimals (NumPy's extra arguments are not supported), got "
                            f"{args or ''} {kwargs or ''}".rstrip())
        from headwater.dataframe.series import Series

        if (isinstance(decimals, Series) and decimals._keys) or type(decimals).__name__ == "Series":
            decimals = decimals.to_dict()  # a Series keyed by column names (also pandas')
        if isinstance(decimals, Mapping):
            if self._is_series_like():
                raise TypeError("Series.round(decimals) takes an int; a dict of places is for a DataFrame")
            self._check_names(decimals)
            places = dict(decimals)
        elif isinstance(decimals, (int, np.integer)) and not isinstance(decimals, bool):
            places = None
        else:
            raise TypeError(f"decimals must be an int (or a {{column: int}} dict), got {type(decimals).__name__}")

        def one(name: str, c: Column) -> Column:
            n = int(decimals) if places is None else places.get(name)
            if n is None:
                return c
            if c.kind == "decimal":
                return c.round_to(n)
            if c.kind != "float":
                return c
            return c._with(c.xp.round(c.data, n), c.mask)

        return self._map_named(one)

    def clip(self, lower: Any = None, upper: Any = None) -> Any:
        """Limit values to ``[lower, upper]``; nulls stay null.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([-5, 0, 5]).clip(-1, 1).to_list()
        [-1, 0, 1]
        """

        def one(c: Column) -> Column:
            if lower is not None:
                below = c.binary_op("lt", lower)
                c = c.where(~(below.data & below.valid()), lower)
            if upper is not None:
                above = c.binary_op("gt", upper)
                c = c.where(~(above.data & above.valid()), upper)
            return c

        return self._map(one)

    def isin(self, values: Any) -> Any:
        """True where the value is in ``values``.

        A missing value is in ``values`` as pandas decides it for the dtype pandas would
        give the column: NaN among the values matches a float column's NaN and nulls,
        ``NaT`` a datetime's nulls, None/NaN/NA a string or category column's nulls;
        otherwise (and for integer and bool columns with nulls, pandas' nullable
        dtypes) missing values give False.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", "b", None]).isin(["a"]).to_list()
        [True, False, False]
        """
        from headwater.dataframe.series import Series

        if isinstance(values, Series) and self._is_series_like():
            try:
                return self._map(lambda c: build_column(_isin_column(c, values._column)))
            except (TypeError, ValueError):
                values = values.to_list()  # keys of different families: compare as Python values
        elif isinstance(values, Series):
            values = values.to_list()
        if isinstance(values, Mapping):
            return self._map_named(
                lambda name, c: build_column(c.isin(list(values[name])) if name in values else c.xp.zeros(len(c), dtype=bool))
            )
        values = list(values)

        def found(c: Column) -> Column:
            hit = c.isin(values)
            if _matches_missing(c, values):
                hit = hit | c.is_missing()
            return build_column(hit)

        def one(c: Column) -> Column:  # on a pending gather's source where that is shorter
            pushed = deferred.on_source(c, found)
            return pushed if pushed is not None else found(c)

        return self._map(one)

    def between(self, left: Any, right: Any, inclusive: str = "both") -> Any:
        """``left <= value <= right`` (``inclusive``: both, neither, left, right).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 5, None]).between(1, 4).to_list()
        [True, False, False]
        """
        lo_op = "ge" if inclusive in ("both", "left") else "gt"
        hi_op = "le" if inclusive in ("both", "right") else "lt"
        if inclusive not in ("both", "neither", "left", "right"):
            raise ValueError(f"inclusive must be 'both', 'neither', 'left' or 'right', got {inclusive!r}")

        def both(c: Column, lo: Any, hi: Any) -> Column:
            return c.binary_op(lo_op, lo).binary_op("and", c.binary_op(hi_op, hi))

        def one(c: Column) -> Column:  # on a pending gather's source where that is shorter
            pushed = deferred.on_source(c, both, left, right)
            return pushed if pushed is not None else both(c, left, right)

        return self._map(one)

    def where(self, cond: Any, other: Any = None) -> Any:
        """Keep values where ``cond`` is True, else ``other`` (null by default).

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series([1, 2, 3])
        >>> s.where(s > 1, 0).to_list()
        [0, 2, 3]
        """
        n = len(self)
        return self._map_named(lambda name, c: c.where(_cond_column(cond, name, n), _other(other, name)))

    def mask(self, cond: Any, other: Any = None) -> Any:
        """Replace values where ``cond`` is True by ``other`` (null by default).

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series([1, 2, 3])
        >>> s.mask(s > 1).to_list()
        [1, None, None]
        """
        n = len(self)
        return self._map_named(lambda name, c: c.where(~_cond_column(cond, name, n, na=True), _other(other, name)))

    # -- running and shifted -----------------------------------------------------------------
    def cumsum(self, skipna: bool = True) -> Any:
        """Running sum; missing values stay missing and are skipped.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, None, 2]).cumsum().to_list()
        [1.0, None, 3.0]
        """
        return self._map(lambda c: c.cumulative("cumsum", skipna))

    def cumprod(self, skipna: bool = True) -> Any:
        """Running product.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([2, 3, 4]).cumprod().to_list()
        [2, 6, 24]
        """
        return self._map(lambda c: c.cumulative("cumprod", skipna))

    def cummax(self, skipna: bool = True) -> Any:
        """Running maximum.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 3, 2]).cummax().to_list()
        [1, 3, 3]
        """
        return self._map(lambda c: c.cumulative("cummax", skipna))

    def cummin(self, skipna: bool = True) -> Any:
        """Running minimum.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, 1, 2]).cummin().to_list()
        [3, 1, 1]
        """
        return self._map(lambda c: c.cumulative("cummin", skipna))

    def shift(self, periods: int = 1, fill_value: Any = None) -> Any:
        """Move values down by ``periods`` rows (up when negative); new rows are null.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 3]).shift(1).to_list()
        [None, 1, 2]
        """

        def one(c: Column) -> Column:
            xp = c.xp
            n = len(c)
            src = xp.arange(n, dtype=np.int64) - periods
            src = xp.where((src >= 0) & (src < n), src, -1)
            out = c.take(src, allow_missing=True)
            if fill_value is not None:
                moved = src < 0
                out = out.where(~moved, fill_value)
            return out

        return self._map(one)

    def diff(self, periods: int = 1) -> Any:
        """``value - value periods rows above``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 4, 9]).diff().to_list()
        [None, 3, 5]
        """
        shifted = self.shift(periods)
        return self._map_named(lambda name, c: c.binary_op("sub", _pick(shifted, name)))

    def pct_change(self, periods: int = 1) -> Any:
        """``value / value periods rows above - 1`` (no filling of missing values).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0, 3.0]).pct_change().to_list()
        [None, 1.0, 0.5]
        """
        shifted = self.shift(periods)
        return self._map_named(lambda name, c: c.binary_op("truediv", _pick(shifted, name)).binary_op("sub", 1))

    def rank(self, method: str = "average", ascending: bool = True, na_option: str = "keep",
             pct: bool = False) -> Any:
        """Rank of each value (1-based, float64); missing values get a null rank.

        Parameters
        ----------
        method : {"average", "min", "max", "first", "dense"}

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([10, 20, 10, None]).rank().to_list()
        [1.5, 3.0, 1.5, None]
        >>> hw.Series([10, 20, 10]).rank(method="dense").to_list()
        [1.0, 2.0, 1.0]
        """
        if na_option != "keep":
            raise ValueError("only na_option='keep' is supported: missing values get a null rank")
        return self._map(lambda c: rank_column(c, method, ascending, pct))


def _matches_missing(col: Column, values: list[Any]) -> bool:
    """Whether ``isin(values)`` is True on the missing rows of ``col``, as pandas has it for
    the dtype pandas would give the column: NaN among the values matches a float
    column's NaN and nulls, NaT a datetime's or timedelta's nulls (None too, beside
    another value, which makes pandas convert the values), and None, NaN or NA a string
    or categorical column's nulls; integer and bool columns with nulls are pandas'
    nullable dtypes, where nothing matches a null."""
    def nan(v: Any) -> bool:
        return isinstance(v, (float, np.floating)) and bool(np.isnan(v))

    kind = col.kind
    if kind == "float":
        return any(nan(v) for v in values)
    if kind in ("datetime", "timedelta"):  # None becomes NaT when pandas converts the values it joins
        nat = [type(v).__name__ == "NaTType" or (isinstance(v, (np.datetime64, np.timedelta64)) and bool(np.isnat(v)))
               for v in values]
        return any(nat) or (None in values and any(v is not None and not n for v, n in zip(values, nat)))
    if kind in ("string", "categorical"):
        return any(v is None or type(v).__name__ == "NAType" or nan(v) for v in values)
    return False


def _isin_column(col: Column, values: Column) -> Any:
    """xp bool: rows of ``col`` whose value is among ``values``, by a semi join on the
    device (no Python list, however many values); nulls match nothing."""
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.join import merge

    xp = col.xp
    left = DataFrame._from_columns({"__k__": col, "__row__": build_column(xp.arange(len(col), dtype=np.int64))})
    kept = merge(left, DataFrame._from_columns({"__k__": values}), how="semi", on="__k__")._columns["__row__"]
    out = xp.zeros(len(col), dtype=bool)
    out[kept.data] = True
    return out


def _pick(obj: Any, name: str | None) -> Column:
    columns = getattr(obj, "_columns", None)
    return columns[name] if columns is not None else obj._column
