"""``Series.dt``: calendar fields computed on the device from int64 nanoseconds.

Fields use the proleptic Gregorian civil-from-days algorithm (H. Hinnant), in integer
arithmetic that runs the same on NumPy and CuPy. Time-zone-aware columns are
converted to local time by pyarrow on the host first.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from headwater.dataframe.accessors.datetime_methods import DatetimeMethodsMixin
from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import UnsupportedOperation
from headwater.dataframe.column.calendar import NS_PER_DAY, civil_fields, days_from_civil

__all__ = ["CALENDAR_FIELDS", "DatetimeAccessor", "calendar_field", "calendar_fields", "civil_fields"]

CALENDAR_FIELDS = (
    "year", "month", "day", "hour", "minute", "second", "day_of_week", "day_of_year", "quarter",
)


def calendar_fields(xp: Any, ns: Any, names: list[str]) -> dict[str, Any]:
    """Several calendar fields (names from ``CALENDAR_FIELDS``) of int64 nanoseconds
    since the epoch, sharing one pass of the civil-date arithmetic.

    Monday is day 0 of the week, as in pandas. Values are int64 xp arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.accessors.datetimes import calendar_fields
    >>> ns = np.array([0, 1_709_992_800 * 10**9])  # 1970-01-01, 2024-03-09 14:00
    >>> {k: v.tolist() for k, v in calendar_fields(np, ns, ["year", "day_of_week", "hour"]).items()}
    {'year': [1970, 2024], 'day_of_week': [3, 5], 'hour': [0, 14]}
    """
    unknown = [name for name in names if name not in CALENDAR_FIELDS]
    if unknown:
        raise AttributeError(f"unknown calendar field(s) {unknown}; choose from {CALENDAR_FIELDS}")
    f = civil_fields(xp, ns)
    table = {
        "year": lambda: f["year"],
        "month": lambda: f["month"],
        "day": lambda: f["day"],
        "hour": lambda: f["of_day"] // (3600 * 10**9),
        "minute": lambda: (f["of_day"] // (60 * 10**9)) % 60,
        "second": lambda: (f["of_day"] // 10**9) % 60,
        "day_of_week": lambda: xp.remainder(f["days"] + 3, 7),  # 1970-01-01 was a Thursday
        "day_of_year": lambda: f["days"] - days_from_civil(xp, f["year"], 1, 1) + 1,
        "quarter": lambda: (f["month"] - 1) // 3 + 1,
    }
    return {name: table[name]() for name in names}


def calendar_field(xp: Any, ns: Any, name: str) -> Any:
    """One calendar field of int64 nanoseconds since the epoch (see :func:`calendar_fields`).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.accessors.datetimes import calendar_field
    >>> calendar_field(np, np.array([0]), "year").tolist()
    [1970]
    """
    return calendar_fields(xp, ns, [name])[name]


class DatetimeAccessor(DatetimeMethodsMixin):
    """Calendar fields and rounding of a datetime Series (and durations of a timedelta one).

    Flags, ISO calendar, names, formatting, ceil/round and time zones live in
    ``datetime_methods``.
    """

    def __init__(self, series: Any) -> None:
        col = series._column
        if col.kind not in ("datetime", "timedelta"):
            raise UnsupportedOperation(
                f".dt needs a datetime64 column, got {col.dtype}; convert with .astype('datetime64[ns]')"
            )
        self._s = series
        self._col = col

    def _local_ns(self) -> Any:
        col = self._col
        if col.kind == "datetime" and getattr(col, "tz", None):
            import pyarrow.compute as pc

            local = pc.local_timestamp(col.to_arrow()).cast(pa.timestamp("ns")).cast(pa.int64())
            local = local.fill_null(0).to_numpy()
            return col.backend.to_device(local)
        return col.data

    def _numbers(self, values: Any, dtype: Any) -> Any:
        """Integer fields as pandas gives them: ``dtype`` without missing values, float64
        with NaN where the column has NaT (pandas' NumPy integers hold no missing value)."""
        col = self._col
        if col.null_count:
            return self._s._from_column(build_column(values.astype(np.float64), col.mask), self._s.name)
        return self._s._from_column(build_column(values.astype(dtype), None), self._s.name)

    def _field(self, name: str) -> Any:
        if self._col.kind != "datetime":
            raise UnsupportedOperation(f".dt.{name} needs a datetime column, got {self._col.dtype}")
        return self._numbers(calendar_field(self._col.xp, self._local_ns(), name), np.int32)

    @property
    def year(self) -> Any:
        """The year.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-02-29"], dtype="datetime64[ns]").dt.year.to_list()
        [2024]
        """
        return self._field("year")

    @property
    def month(self) -> Any:
        """The month, 1 to 12.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-02-29"], dtype="datetime64[ns]").dt.month.to_list()
        [2]
        """
        return self._field("month")

    @property
    def day(self) -> Any:
        """The day of the month.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-02-29"], dtype="datetime64[ns]").dt.day.to_list()
        [29]
        """
        return self._field("day")

    @property
    def hour(self) -> Any:
        """The hour, 0 to 23.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-01-01 13:45:10"], dtype="datetime64[ns]").dt.hour.to_list()
        [13]
        """
        return self._field("hour")

    @property
    def minute(self) -> Any:
        """The minute, 0 to 59.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-01-01 13:45:10"], dtype="datetime64[ns]").dt.minute.to_list()
        [45]
        """
        return self._field("minute")

    @property
    def second(self) -> Any:
        """The second, 0 to 59.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-01-01 13:45:10"], dtype="datetime64[ns]").dt.second.to_list()
        [10]
        """
        return self._field("second")

    @property
    def day_of_week(self) -> Any:
        """Monday 0 to Sunday 6.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-01-01"], dtype="datetime64[ns]").dt.day_of_week.to_list()
        [0]
        """
        return self._field("day_of_week")

    dayofweek = day_of_week
    weekday = day_of_week

    @property
    def day_of_year(self) -> Any:
        """1 to 366.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-12-31"], dtype="datetime64[ns]").dt.day_of_year.to_list()
        [366]
        """
        return self._field("day_of_year")

    dayofyear = day_of_year

    @property
    def quarter(self) -> Any:
        """1 to 4.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-08-01"], dtype="datetime64[ns]").dt.quarter.to_list()
        [3]
        """
        return self._field("quarter")

    @property
    def days(self) -> Any:
        """Whole days of a timedelta.

        Examples
        --------
        >>> import pandas as pd, headwater as hw
        >>> hw.Series([pd.Timedelta("36h")]).dt.days.to_list()
        [1]
        """
        if self._col.kind != "timedelta":
            raise UnsupportedOperation(".dt.days needs a timedelta column")
        col = self._col
        return self._numbers(col.xp.floor_divide(col.data, NS_PER_DAY), np.int64)

    def total_seconds(self) -> Any:
        """Seconds of a timedelta, as float64.

        Examples
        --------
        >>> import pandas as pd, headwater as hw
        >>> hw.Series([pd.Timedelta("90s")]).dt.total_seconds().to_list()
        [90.0]
        """
        if self._col.kind != "timedelta":
            raise UnsupportedOperation(".dt.total_seconds needs a timedelta column")
        col = self._col
        return self._s._from_column(build_column(col.data / 1e9, col.mask), self._s.name)
