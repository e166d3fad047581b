"""``date_range`` and ``timedelta_range``: regular sequences of times as a Series.

pandas computes the calendar (month ends, business days, DST) on the host; the values
then move to the device in one copy. pandas returns an index; Headwater has none, so
these return a Series.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["bdate_range", "date_range", "timedelta_range"]


def _series(values: Any, name: Any) -> Any:
    from headwater.dataframe.series import Series

    return Series(pd.Series(values.as_unit("ns"), name=name))  # nanoseconds, Headwater's unit


def date_range(start: Any = None, end: Any = None, periods: int | None = None, freq: Any = None,
               tz: Any = None, normalize: bool = False, name: str | None = None,
               inclusive: str = "both", **kwargs: Any) -> Any:
    """Evenly spaced timestamps, as ``pandas.date_range`` (every pandas frequency).

    Returns a datetime Series (pandas gives a ``DatetimeIndex``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.date_range("2024-01-30", periods=3, freq="D").dt.day.to_list()
    [30, 31, 1]
    >>> hw.date_range("2024-01-01", "2024-04-01", freq="MS").dt.month.to_list()
    [1, 2, 3, 4]
    """
    values = pd.date_range(start=start, end=end, periods=periods, freq=freq, tz=tz,
                           normalize=normalize, inclusive=inclusive, **kwargs)
    return _series(values, name)


def bdate_range(start: Any = None, end: Any = None, periods: int | None = None, freq: Any = "B",
                tz: Any = None, normalize: bool = True, name: str | None = None, weekmask: Any = None,
                holidays: Any = None, inclusive: str = "both", **kwargs: Any) -> Any:
    """Business days (or another business frequency), as ``pandas.bdate_range``; a
    datetime Series.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.bdate_range("2024-01-05", periods=3).dt.day_name().to_list()
    ['Friday', 'Monday', 'Tuesday']
    """
    values = pd.bdate_range(start=start, end=end, periods=periods, freq=freq, tz=tz, normalize=normalize,
                            weekmask=weekmask, holidays=holidays, inclusive=inclusive, **kwargs)
    return _series(values, name)


def timedelta_range(start: Any = None, end: Any = None, periods: int | None = None,
                    freq: Any = None, name: str | None = None, closed: str | None = None,
                    **kwargs: Any) -> Any:
    """Evenly spaced durations, as ``pandas.timedelta_range``; a timedelta Series.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.timedelta_range("1h", periods=3, freq="30min").dt.total_seconds().to_list()
    [3600.0, 5400.0, 7200.0]
    """
    values = pd.timedelta_range(start=start, end=end, periods=periods, freq=freq,
                                closed=closed, **kwargs)
    return _series(values, name)
