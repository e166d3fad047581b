"""DatetimeParts: calendar fields of datetime columns as integer feature columns."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.column import build_column
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import column, with_columns

__all__ = ["DatetimeParts", "civil_from_days"]

PARTS = ("year", "quarter", "month", "day", "dayofweek", "dayofyear", "hour", "minute", "second",
         "is_weekend")
_NS_PER_DAY = 86_400 * 10**9


def civil_from_days(xp: Any, days: Any) -> tuple[Any, Any, Any]:
    """(year, month, day) of int64 days since 1970-01-01, proleptic Gregorian.

    Howard Hinnant's ``civil_from_days``, written with integer ``xp`` operations
    so that it runs on the device.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.features.datetime_parts import civil_from_days
    >>> [a.tolist() for a in civil_from_days(np, np.array([0, 19723, -1]))]
    [[1970, 2024, 1969], [1, 1, 12], [1, 1, 31]]
    """
    z = days + 719_468
    era = xp.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = xp.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _days_before_year(xp: Any, year: Any) -> Any:
    """Days from 1970-01-01 to January 1st of ``year``."""
    y = year - 1
    era = xp.floor_divide(y, 400)
    yoe = y - era * 400
    doe = yoe * 365 + yoe // 4 - yoe // 100 + 306
    return era * 146_097 + doe - 719_468


class DatetimeParts(FeatureOp):
    """Append ``<column>_<part>`` int32 columns with calendar fields of datetimes.

    Parts: ``year quarter month day dayofweek`` (Monday = 0, as pandas)
    ``dayofyear hour minute second is_weekend``. Fields are those of the stored
    wall-clock time (UTC for time-zone aware columns). Nulls stay null. Needs no
    fit.

    Parameters
    ----------
    columns : list of str
        Datetime columns.
    parts : list of str
        Which fields, default ``["year", "month", "day", "dayofweek", "hour"]``.
    drop : bool
        Drop the datetime column itself after extracting the parts.

    Examples
    --------
    >>> import pandas as pd, headwater as hw
    >>> df = hw.DataFrame({"t": pd.to_datetime(["2024-03-09 13:45"])})
    >>> out = hw.features.DatetimeParts(columns=["t"], parts=["year", "dayofweek", "hour"]).transform(df)
    >>> out["t_year"].tolist(), out["t_dayofweek"].tolist(), out["t_hour"].tolist()
    ([2024], [5], [13])
    """

    name = "datetime_parts"
    stateless = True
    _OPTIONS: ClassVar[dict[str, Any]] = {
        "parts": ["year", "month", "day", "dayofweek", "hour"],
        "drop": False,
    }

    def _check_options(self) -> None:
        parts = self.options["parts"]
        if isinstance(parts, str):
            parts = [parts]
        unknown = [p for p in parts if p not in PARTS]
        if unknown or not parts:
            raise FeatureOpError(f"DatetimeParts parts {unknown or parts!r} are not known; choose from {PARTS}")
        self.options["parts"] = list(parts)

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            if col.kind != "datetime":
                raise FeatureOpError(
                    f"DatetimeParts needs datetime columns, but {name!r} is {col.dtype}; "
                    f"parse it first (hw.to_datetime or read_csv(parse_dates=...))"
                )
            for part, values in _fields(col.xp, col.data, self.options["parts"]).items():
                new[f"{name}_{part}"] = build_column(values.astype(col.xp.int32), col.mask)
        return with_columns(df, new, drop=self.columns if self.options["drop"] else ())


def _fields(xp: Any, ns: Any, parts: list[str]) -> dict[str, Any]:
    days = xp.floor_divide(ns, _NS_PER_DAY)
    seconds = (ns - days * _NS_PER_DAY) // 10**9
    year, month, day = civil_from_days(xp, days)
    dayofweek = xp.remainder(days + 3, 7)  # 1970-01-01 was a Thursday
    table = {
        "year": lambda: year,
        "quarter": lambda: (month - 1) // 3 + 1,
        "month": lambda: month,
        "day": lambda: day,
        "dayofweek": lambda: dayofweek,
        "dayofyear": lambda: days - _days_before_year(xp, year) + 1,
        "hour": lambda: seconds // 3600,
        "minute": lambda: (seconds // 60) % 60,
        "second": lambda: seconds % 60,
        "is_weekend": lambda: (dayofweek >= 5).astype(xp.int32),
    }
    return {part: table[part]() for part in parts}
