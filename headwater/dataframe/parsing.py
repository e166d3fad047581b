"""``to_datetime``, ``to_timedelta`` and ``to_numeric``: pandas' converters over columns.

String columns are parsed once per distinct value (pandas' parser on the host, on the
dictionary only; the codes carry the answer to every row on the device), numbers are
scaled on the device, and scalars and host sequences go to pandas as they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column, UnsupportedOperation

__all__ = ["to_datetime", "to_timedelta", "to_numeric"]

_ERRORS = ("raise", "coerce")


def _hw_types() -> tuple[type, type]:
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.series import Series

    return Series, DataFrame


def _check_errors(errors: str) -> None:
    if errors not in _ERRORS:
        raise ValueError(f"errors must be 'raise' or 'coerce', got {errors!r}")


def _host_values(dictionary: pa.Array) -> pd.Series:
    return pd.Series(dictionary.to_numpy(zero_copy_only=False), dtype=object)


def _unit_ns(unit: str) -> int:
    try:
        return int(pd.Timedelta(1, unit=unit).value)
    except ValueError:
        raise ValueError(f"unknown unit {unit!r}; use 'D', 'h', 'm', 's', 'ms', 'us' or 'ns'") from None


def _check_bounds(col: Column, valid: Any, factor: int, what: str) -> None:
    """Raise pandas' out-of-bounds error when a value times ``factor`` leaves int64."""
    xp = col.xp
    values = col.data if valid is None else col.data[valid]
    if col.data.dtype.kind == "f":
        values = values[xp.isfinite(values)]
    if not values.shape[0]:
        return
    low, high = (col.backend.to_host(f(values)) for f in (xp.min, xp.max))
    limit = np.iinfo(np.int64).max
    if max(abs(float(low)), abs(float(high))) * factor >= limit:
        error = pd.errors.OutOfBoundsDatetime if what == "datetime" else pd.errors.OutOfBoundsTimedelta
        raise error(f"values from {low} to {high} units of {factor} ns leave the [ns] range "
                    f"(about 292 years either side of 1970, the only resolution Headwater keeps); "
                    f"check unit= or pass smaller values")


def _scaled_ns(col: Column, unit: str, what: str = "datetime") -> tuple[Any, Any]:
    """int64 nanoseconds of a numeric column counted in ``unit`` (and its validity)."""
    xp = col.xp
    factor = _unit_ns(unit)
    valid = col.missing_mask()
    _check_bounds(col, valid, factor, what)
    if col.data.dtype.kind == "f":
        finite = xp.isfinite(col.data)
        values = xp.where(finite, col.data, 0.0)
        whole = xp.trunc(values)
        part = (values - whole) * factor  # pandas truncates nanoseconds, rounds coarser units
        part = xp.trunc(part) if factor == 1 else xp.round(part)
        ns = whole.astype(np.int64) * factor + part.astype(np.int64)
        valid = finite if valid is None else valid & finite
        return ns, valid
    return col.data.astype(np.int64) * factor, valid


def _datetime_of_numbers(col: Column, unit: str, origin: Any, utc: bool) -> Column:
    if isinstance(origin, str) and origin == "julian":
        if unit != "D":
            raise ValueError("origin='julian' needs unit='D', as in pandas")
        col = build_column(col.data - 2440587.5, col.missing_mask())  # Julian day of the epoch
    ns, valid = _scaled_ns(col, unit)
    if not (isinstance(origin, str) and origin in ("unix", "julian")):
        stamp = pd.Timestamp(origin)
        if stamp.tz is not None:
            raise ValueError(f"origin {origin!r} must be time-zone naive, as in pandas")
        ns = ns + int(stamp.as_unit("ns").value)
    return build_column(ns, valid, np.dtype("M8[ns]"), tz="UTC" if utc else None)


def _as_utc(col: Column) -> Column:
    # a naive column is taken as UTC; an aware one keeps its instants (the same int64)
    return build_column(col.data, col.mask, col.dtype, tz="UTC")


def to_datetime(arg: Any, errors: str = "raise", dayfirst: bool = False, yearfirst: bool = False,
                utc: bool = False, format: str | None = None, exact: Any = None,
                unit: str | None = None, origin: Any = "unix", cache: bool = True) -> Any:
    """Convert to ``datetime64[ns]``, as ``pandas.to_datetime``.

    A string Series is parsed once per distinct value with pandas' parser (``format``,
    ``dayfirst``, ``exact`` and ``errors="coerce"`` as in pandas); a numeric Series is
    read as counts of ``unit`` since ``origin`` on the device; a frame with
    ``year``/``month``/``day`` (and optional time) columns is assembled. Scalars give a
    :class:`Timestamp`; lists, arrays and pandas objects give a Series (pandas returns a
    ``DatetimeIndex`` for those; Headwater has no index).

    Parameters
    ----------
    arg : Series, DataFrame, scalar, list or array
    errors : {"raise", "coerce"}
        ``"coerce"`` turns unparseable values into NaT.
    dayfirst, yearfirst, format, exact : as pandas
    utc : bool
        Localize naive values as UTC and convert aware ones to UTC.
    unit : str, optional
        Unit of numeric input (``"s"``, ``"ms"``, ``"D"``, ...); ``"ns"`` by default.
    origin : "unix", "julian" or a timestamp
    cache : bool
        Accepted for compatibility; distinct values are always parsed once.

    Examples
    --------
    >>> import headwater as hw
    >>> s = hw.to_datetime(hw.Series(["2024-01-05", "not a date", None]), errors="coerce")
    >>> s.dtype, s.to_list()
    (dtype('<M8[ns]'), [Timestamp('2024-01-05 00:00:00'), None, None])
    >>> hw.to_datetime(hw.Series([0, 86400]), unit="s").dt.day.to_list()
    [1, 2]
    >>> hw.to_datetime("1998-12-01") - hw.Timedelta(days=90)
    Timestamp('1998-09-02 00:00:00')
    """
    _check_errors(errors)
    Series, DataFrame = _hw_types()
    kw: dict[str, Any] = {"errors": errors, "dayfirst": dayfirst, "yearfirst": yearfirst,
                          "utc": utc, "format": format}
    if exact is not None:
        kw["exact"] = exact
    if arg is None:
        return None
    if isinstance(arg, DataFrame):
        out = pd.to_datetime(arg.to_pandas(), **kw)
        return Series(out)
    if not isinstance(arg, Series):
        out = pd.to_datetime(arg, unit=unit, origin=origin, **kw)
        if isinstance(out, (pd.Series, pd.Index)):
            return Series(pd.Series(out, name=getattr(arg, "name", None)))
        return out
    col = arg._column
    if col.kind in ("string", "categorical"):
        if origin != "unix":
            kw["origin"] = origin
        parsed = col.map_dictionary(lambda d: pa.array(pd.to_datetime(_host_values(d), unit=unit, **kw)))
        if parsed.kind == "datetime":  # nanoseconds, whatever unit pandas parsed to
            parsed = build_column(parsed.data, parsed.mask, parsed.dtype, tz=parsed.tz)
        else:  # no value parsed: all null
            parsed = build_column(col.xp.zeros(len(col), np.int64), col.xp.zeros(len(col), bool),
                                  np.dtype("M8[ns]"), tz="UTC" if utc else None)
        return arg._from_column(parsed, arg.name)
    if col.kind in ("int", "uint", "float"):
        return arg._from_column(_datetime_of_numbers(col, unit or "ns", origin, utc), arg.name)
    if col.kind == "datetime":
        return arg._from_column(_as_utc(col) if utc else col, arg.name)
    raise UnsupportedOperation(
        f"to_datetime cannot convert a {col.dtype} column; give strings, numbers or datetimes"
    )


def to_timedelta(arg: Any, unit: str | None = None, errors: str = "raise") -> Any:
    """Convert to ``timedelta64[ns]``, as ``pandas.to_timedelta``.

    Strings (``"1 days 02:00:00"``, ``"90s"``...) are parsed once per distinct value;
    numbers count ``unit`` (``"ns"`` by default). Scalars give a :class:`Timedelta`,
    lists and arrays a Series.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.to_timedelta(hw.Series(["1 day", "2h", None])).dt.total_seconds().to_list()
    [86400.0, 7200.0, None]
    >>> hw.to_timedelta(hw.Series([1.5]), unit="min").to_list()
    [Timedelta('0 days 00:01:30')]
    >>> hw.to_timedelta(3, unit="D")
    Timedelta('3 days 00:00:00')
    """
    _check_errors(errors)
    Series, _ = _hw_types()
    if not isinstance(arg, Series):
        out = pd.to_timedelta(arg, unit=unit, errors=errors)
        if isinstance(out, (pd.Series, pd.Index)):
            return Series(pd.Series(out, name=getattr(arg, "name", None)))
        return out
    col = arg._column
    if col.kind in ("string", "categorical"):
        parsed = col.map_dictionary(
            lambda d: pa.array(pd.to_timedelta(_host_values(d), unit=unit, errors=errors)))
        if parsed.kind == "timedelta":
            parsed = build_column(parsed.data, parsed.mask, parsed.dtype)
        else:  # no value parsed: all null
            parsed = build_column(col.xp.zeros(len(col), np.int64), col.xp.zeros(len(col), bool),
                                  np.dtype("m8[ns]"))
        return arg._from_column(parsed, arg.name)
    if col.kind in ("int", "uint", "float"):
        ns, valid = _scaled_ns(col, unit or "ns", "timedelta")
        return arg._from_column(build_column(ns, valid, np.dtype("m8[ns]")), arg.name)
    if col.kind == "timedelta":
        return arg
    raise UnsupportedOperation(f"to_timedelta cannot convert a {col.dtype} column; give strings or numbers")


_DOWNCASTS = ("integer", "signed", "unsigned", "float")


def _downcast(col: Column, downcast: str) -> Column:
    xp = col.xp
    valid = col.missing_mask()
    if len(col) == 0 or col.kind == "bool":
        return col
    values = col.data if valid is None else col.data[valid]
    if values.shape[0] == 0:
        return col
    if downcast == "float":
        if col.data.dtype.itemsize <= 4 and col.kind == "float":
            return col
        with np.errstate(over="ignore"):
            small = col.data.astype(np.float32)
        ok = bool(col.backend.to_host(xp.allclose(small.astype(np.float64), col.data, equal_nan=True)))
        return build_column(small, col.mask) if ok else col
    low, high = (col.backend.to_host(f(values)) for f in (xp.min, xp.max))
    if col.kind == "float":
        integral = bool(col.backend.to_host(xp.all(values == xp.trunc(values))))
        if not integral or not np.isfinite([low, high]).all():
            return col
    choices = ("uint8", "uint16", "uint32", "uint64") if downcast == "unsigned" else \
        ("int8", "int16", "int32", "int64")
    if downcast == "unsigned" and low < 0:
        return col
    for name in choices:
        info = np.iinfo(name)
        if info.min <= low and high <= info.max:
            if np.dtype(name).itemsize >= col.data.dtype.itemsize and col.kind != "float":
                return col
            return build_column(col.data.astype(name), col.missing_mask())
    return col


def to_numeric(arg: Any, errors: str = "raise", downcast: str | None = None,
               dtype_backend: Any = None) -> Any:
    """Convert to numbers, as ``pandas.to_numeric``.

    String columns are parsed once per distinct value (int64 when every value is an
    integer, else float64; ``errors="coerce"`` makes bad values null); numeric columns
    come back as they are, datetimes as int64 nanoseconds. ``downcast`` picks the
    smallest dtype of its kind that holds every value, as pandas does.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.to_numeric(hw.Series(["1", "2.5", "x", None]), errors="coerce").to_list()
    [1.0, 2.5, None, None]
    >>> hw.to_numeric(hw.Series([1, 2, 300]), downcast="integer").dtype
    dtype('int16')
    >>> hw.to_numeric("7")
    np.int64(7)
    """
    _check_errors(errors)
    if downcast is not None and downcast not in _DOWNCASTS:
        raise ValueError(f"downcast must be one of {_DOWNCASTS} or None, got {downcast!r}")
    if dtype_backend is not None:
        raise NotImplementedError(
            "to_numeric(dtype_backend=) is not supported: Headwater columns are always nullable"
        )
    Series, _ = _hw_types()
    if not isinstance(arg, Series):
        out = pd.to_numeric(arg, errors=errors, downcast=downcast)
        if isinstance(out, (pd.Series, pd.Index)) or (isinstance(out, np.ndarray) and out.ndim):
            return Series(pd.Series(out, name=getattr(arg, "name", None)))
        return out
    col = arg._column
    if col.kind in ("string", "categorical"):
        col = col.map_dictionary(lambda d: pa.array(pd.to_numeric(_host_values(d), errors=errors),
                                                    from_pandas=True))
        if col.kind not in ("int", "uint", "float", "bool"):  # no distinct value: all null
            col = build_column(col.xp.zeros(len(col), np.float64), col.xp.zeros(len(col), bool))
    elif col.kind in ("datetime", "timedelta"):
        col = build_column(col.data, col.mask)
    elif col.kind not in ("int", "uint", "float", "bool"):
        raise UnsupportedOperation(f"to_numeric cannot convert a {col.dtype} column")
    if downcast is not None:
        col = _downcast(col, downcast)
    return arg._from_column(col, arg.name)
