"""More of ``Series.dt``: calendar flags, ISO calendar, names, formatting, rounding and
time zones.

Flags, ISO weeks, month and day names, ``normalize`` and ``date`` are integer
arithmetic on the device (names as a dictionary column of 12 or 7 strings);
``strftime`` formats each distinct timestamp once on the host; ``tz_convert`` only
relabels the column (instants are stored in UTC), while ``tz_localize`` asks pandas
for the time-zone rules on a host copy (counted).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from headwater.dataframe.column import build_column, column_from_arrow
from headwater.dataframe.column.base import UnsupportedOperation
from headwater.dataframe.column.calendar import (
    NS_PER_DAY,
    civil_fields,
    days_from_civil,
    days_in_month,
)
from headwater.dataframe.dictionary_codes import codes_column

__all__ = ["DatetimeMethodsMixin"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _step_ns(freq: Any, what: str) -> int:
    try:
        return int(pd.Timedelta(pd.tseries.frequencies.to_offset(freq)).value)
    except ValueError:
        raise ValueError(f"{what} needs a fixed frequency such as 'D', 'h' or '15min', got {freq!r}") from None


class DatetimeMethodsMixin:
    """Needs ``_s``, ``_col``, ``_local_ns()`` and ``_result(col)`` from the accessor."""

    _s: Any
    _col: Any

    def _datetime(self, what: str) -> Any:
        if self._col.kind != "datetime":
            raise UnsupportedOperation(f".dt.{what} needs a datetime column, got {self._col.dtype}")
        return self._col

    def _out(self, col: Any) -> Any:
        return self._s._from_column(col, self._s.name)

    def _fields(self, what: str) -> dict[str, Any]:
        self._datetime(what)
        return civil_fields(self._col.xp, self._local_ns())

    def _flag(self, what: str, values: Any) -> Any:
        mask = self._col.mask
        if values.dtype == bool and mask is not None:  # pandas: a calendar flag of NaT is False
            return self._out(build_column(values & mask, None))
        return self._out(build_column(values, mask))

    # -- calendar flags -----------------------------------------------------------------
    @property
    def days_in_month(self) -> Any:
        """Number of days in the value's month.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-02-10", "2023-02-10"], dtype="datetime64[ns]").dt.days_in_month.to_list()
        [29, 28]
        """
        f = self._fields("days_in_month")
        return self._flag("days_in_month", days_in_month(self._col.xp, f["year"], f["month"]).astype(np.int32))

    daysinmonth = days_in_month

    @property
    def is_month_start(self) -> Any:
        """Whether the value falls on the first day of its month.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-03-01", "2024-03-02"], dtype="datetime64[ns]").dt.is_month_start.to_list()
        [True, False]
        """
        return self._flag("is_month_start", self._fields("is_month_start")["day"] == 1)

    @property
    def is_month_end(self) -> Any:
        """Whether the value falls on the last day of its month.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-02-29", "2023-02-28", "2024-02-28"], dtype="datetime64[ns]").dt.is_month_end.to_list()
        [True, True, False]
        """
        f = self._fields("is_month_end")
        return self._flag("is_month_end", f["day"] == days_in_month(self._col.xp, f["year"], f["month"]))

    @property
    def is_quarter_start(self) -> Any:
        """Whether the value is the first day of a quarter.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-04-01", "2024-05-01"], dtype="datetime64[ns]").dt.is_quarter_start.to_list()
        [True, False]
        """
        f = self._fields("is_quarter_start")
        return self._flag("is_quarter_start", (f["day"] == 1) & (f["month"] % 3 == 1))

    @property
    def is_quarter_end(self) -> Any:
        """Whether the value is the last day of a quarter.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-06-30", "2024-05-31"], dtype="datetime64[ns]").dt.is_quarter_end.to_list()
        [True, False]
        """
        f = self._fields("is_quarter_end")
        last = f["day"] == days_in_month(self._col.xp, f["year"], f["month"])
        return self._flag("is_quarter_end", last & (f["month"] % 3 == 0))

    @property
    def is_year_start(self) -> Any:
        """Whether the value is January 1st.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-01-01", "2024-01-02"], dtype="datetime64[ns]").dt.is_year_start.to_list()
        [True, False]
        """
        f = self._fields("is_year_start")
        return self._flag("is_year_start", (f["day"] == 1) & (f["month"] == 1))

    @property
    def is_year_end(self) -> Any:
        """Whether the value is December 31st.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-12-31"], dtype="datetime64[ns]").dt.is_year_end.to_list()
        [True]
        """
        f = self._fields("is_year_end")
        return self._flag("is_year_end", (f["day"] == 31) & (f["month"] == 12))

    @property
    def is_leap_year(self) -> Any:
        """Whether the value's year is a leap year.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-05-01", "1900-05-01"], dtype="datetime64[ns]").dt.is_leap_year.to_list()
        [True, False]
        """
        y = self._fields("is_leap_year")["year"]
        return self._flag("is_leap_year", ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0))

    def isocalendar(self) -> Any:
        """ISO 8601 ``year``, ``week`` and ``day`` (Monday 1) as a frame (int32 year, uint32 week and day, as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-12-30", "2021-01-03"], dtype="datetime64[ns]").dt.isocalendar().to_dict()
        {'year': [2025, 2020], 'week': [1, 53], 'day': [1, 7]}
        """
        xp = self._col.xp
        f = self._fields("isocalendar")
        weekday = xp.remainder(f["days"] + 3, 7)  # Monday 0
        thursday = f["days"] - weekday + 3  # the week belongs to the year of its Thursday
        year = civil_fields(xp, thursday * NS_PER_DAY)["year"]
        week = (thursday - days_from_civil(xp, year, 1, 1)) // 7 + 1
        from headwater.dataframe.frame import DataFrame

        mask = self._col.mask
        return DataFrame._from_columns({
            "year": build_column(year.astype(np.int32), mask),
            "week": build_column(week.astype(np.uint32), mask),
            "day": build_column((weekday + 1).astype(np.uint32), mask),
        })

    def month_name(self, locale: str | None = None) -> Any:
        """The English month name (a dictionary column of the 12 names).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-02-10", None], dtype="datetime64[ns]").dt.month_name().to_list()
        ['February', None]
        """
        if locale is not None:
            raise NotImplementedError("month_name(locale=) is not supported; names are English")
        month = self._fields("month_name")["month"]
        return self._out(codes_column((month - 1).astype(np.int32), self._col.mask, _MONTHS))

    def day_name(self, locale: str | None = None) -> Any:
        """The English day name (a dictionary column of the 7 names).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-02-10"], dtype="datetime64[ns]").dt.day_name().to_list()
        ['Saturday']
        """
        if locale is not None:
            raise NotImplementedError("day_name(locale=) is not supported; names are English")
        days = self._fields("day_name")["days"]
        return self._out(codes_column(self._col.xp.remainder(days + 3, 7).astype(np.int32),
                                      self._col.mask, _DAYS))

    # -- dates, times and formatting ----------------------------------------------------------
    def normalize(self) -> Any:
        """The value at midnight (local midnight for a time-zone-aware column).

        Examples
        --------
        >>> import headwater as hw
        >>> str(hw.Series(["2024-01-01 13:45"], dtype="datetime64[ns]").dt.normalize().iloc[0])
        '2024-01-01 00:00:00'
        """
        col = self._datetime("normalize")
        if getattr(col, "tz", None):
            return self._host("normalize", lambda p: p.dt.normalize())
        return self._out(col._with(col.data - col.xp.remainder(col.data, NS_PER_DAY), col.mask))

    @property
    def date(self) -> Any:
        """The calendar date, as midnight of that day.

        pandas gives Python ``datetime.date`` objects; Headwater keeps a ``datetime64[ns]``
        column at (local) midnight, which ``to_arrow()`` writes as Arrow ``date32``.

        Examples
        --------
        >>> import headwater as hw
        >>> d = hw.Series(["2024-01-01 13:45"], dtype="datetime64[ns]").dt.date
        >>> d.to_arrow().type, d == "2024-01-01"
        (DataType(date32[day]), ...)
        """
        self._datetime("date")
        local = self._local_ns()
        days = local - self._col.xp.remainder(local, NS_PER_DAY)
        return self._out(build_column(days, self._col.mask, np.dtype("M8[ns]"), _arrow_type=pa.date32()))

    @property
    def time(self) -> Any:
        """The time of day, as the timedelta since (local) midnight.

        pandas gives Python ``datetime.time`` objects; Headwater gives a ``timedelta64[ns]``
        column, which compares with ``datetime.time`` values and time strings.

        Examples
        --------
        >>> import datetime, headwater as hw
        >>> t = hw.Series(["2024-01-01 13:45"], dtype="datetime64[ns]").dt.time
        >>> t.to_list(), (t > datetime.time(12, 0)).to_list()
        ([Timedelta('0 days 13:45:00')], [True])
        """
        self._datetime("time")
        of_day = self._col.xp.remainder(self._local_ns(), NS_PER_DAY)
        return self._out(build_column(of_day, self._col.mask, np.dtype("m8[ns]")))

    def strftime(self, date_format: str) -> Any:
        """Format each value with ``date_format`` (pandas' ``strftime`` codes), once per
        distinct timestamp.

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["2024-01-05 10:00", None, "2024-01-05 10:00"], dtype="datetime64[ns]")
        >>> s.dt.strftime("%d/%m/%Y %H:%M").to_list()
        ['05/01/2024 10:00', None, '05/01/2024 10:00']
        """
        col = self._datetime("strftime")
        ids, uniques = col.backend.factorize(col.data, col.mask, sort=False)
        distinct = build_column(uniques, None, col.dtype, tz=getattr(col, "tz", None))
        values = pd.Series(distinct.to_pandas()).dt.strftime(date_format)
        return self._out(codes_column(ids, col.mask, pa.array(values, pa.string())))

    def _host(self, what: str, fn: Any) -> Any:
        host = pd.Series(self._col.to_arrow().to_pandas())
        return self._out(column_from_arrow(pa.array(fn(host), from_pandas=True), device=self._col.device))

    # -- rounding ---------------------------------------------------------------------------
    def _rounded(self, freq: str, how: str) -> Any:
        col, xp = self._col, self._col.xp
        step = _step_ns(freq, how)
        if getattr(col, "tz", None):  # local wall times round, then the zone's rules apply
            return self._host(how, lambda p: getattr(p.dt, how)(freq))
        rem = xp.remainder(col.data, step)
        down = col.data - rem
        if how == "floor":
            up = xp.zeros(rem.shape, dtype=bool)
        elif how == "ceil":
            up = rem > 0
        else:  # halves to even, as pandas
            up = (2 * rem > step) | ((2 * rem == step) & (xp.floor_divide(col.data, step) % 2 == 1))
        return self._out(col._with(down + xp.where(up, step, 0), col.mask))

    def floor(self, freq: str) -> Any:
        """Round down to a fixed frequency (``"D"``, ``"h"``, ``"15min"``, ``"s"``...);
        a time-zone-aware column rounds its local times, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["2024-01-01 13:45"], dtype="datetime64[ns]")
        >>> str(s.dt.floor("h").iloc[0])
        '2024-01-01 13:00:00'
        """
        return self._rounded(freq, "floor")

    def ceil(self, freq: str) -> Any:
        """Round up to a fixed frequency (see :meth:`floor`).

        Examples
        --------
        >>> import headwater as hw
        >>> str(hw.Series(["2024-01-01 13:45"], dtype="datetime64[ns]").dt.ceil("h").iloc[0])
        '2024-01-01 14:00:00'
        """
        return self._rounded(freq, "ceil")

    def round(self, freq: str) -> Any:
        """Round to the nearest multiple of a fixed frequency, halves to even (see :meth:`floor`).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-01-01 13:30", "2024-01-01 14:30"], dtype="datetime64[ns]").dt.round("h").dt.hour.to_list()
        [14, 14]
        """
        return self._rounded(freq, "round")

    # -- time zones ---------------------------------------------------------------------------
    @property
    def tz(self) -> Any:
        """The column's time zone name, or None.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-01-01"], dtype="datetime64[ns]").dt.tz_localize("UTC").dt.tz
        'UTC'
        """
        return getattr(self._datetime("tz"), "tz", None)

    def tz_convert(self, tz: Any) -> Any:
        """The same instants shown in time zone ``tz`` (None: UTC, naive); no data moves.

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["2024-07-01 12:00"], dtype="datetime64[ns]").dt.tz_localize("UTC")
        >>> s.dt.tz_convert("Europe/Paris").dt.hour.to_list()
        [14]
        """
        col = self._datetime("tz_convert")
        if getattr(col, "tz", None) is None:
            raise TypeError("Cannot convert tz-naive timestamps, use tz_localize to localize")
        name = None if tz is None else str(tz)
        if name is not None:
            pd.Timestamp(0, tz=name)  # an unknown zone raises here, as in pandas
        return self._out(build_column(col.data, col.mask, col.dtype, tz=name))

    def tz_localize(self, tz: Any, ambiguous: Any = "raise", nonexistent: Any = "raise") -> Any:
        """Read naive wall times as times in ``tz`` (None: drop the zone, keep wall times).

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["2024-07-01 12:00"], dtype="datetime64[ns]").dt.tz_localize("Europe/Paris")
        >>> s.dt.tz_convert("UTC").dt.hour.to_list()
        [10]
        """
        col = self._datetime("tz_localize")
        aware = getattr(col, "tz", None) is not None
        if tz is None:
            if not aware:
                return self._s
            return self._out(build_column(self._local_ns(), col.mask, col.dtype))
        if aware:
            raise TypeError("Already tz-aware, use tz_convert to convert.")
        if str(tz) == "UTC":
            return self._out(build_column(col.data, col.mask, col.dtype, tz="UTC"))
        return self._host("tz_localize", lambda p: p.dt.tz_localize(tz, ambiguous=ambiguous,
                                                                   nonexistent=nonexistent))

    def to_period(self, freq: Any = None) -> Any:
        """Not supported: Headwater has no period dtype.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["2024-01-01"], dtype="datetime64[ns]").dt.to_period("M")
        Traceback (most recent call last):
        ...
        NotImplementedError: ...
        """
        raise NotImplementedError(
            "dt.to_period is not supported (there is no period dtype); use dt.floor(freq) for fixed "
            "frequencies, dt.to_period-like labels with dt.strftime('%Y-%m'), or dt.year/dt.month"
        )
