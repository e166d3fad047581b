"""Civil (proleptic Gregorian) dates from and to days since the epoch, in integer xp
arithmetic (H. Hinnant's algorithms), so that NumPy and CuPy compute the same dates.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NS_PER_DAY", "civil_fields", "days_from_civil", "days_in_month"]

NS_PER_DAY = 86_400 * 10**9


def civil_fields(xp: Any, ns: Any) -> dict[str, Any]:
    """year, month, day, days since epoch and nanoseconds of the day, as int64 xp arrays.

    Examples
    --------
    >>> import numpy as np
    >>> f = civil_fields(np, np.array([951_782_400 * 10**9]))  # 2000-02-29
    >>> int(f["year"][0]), int(f["month"][0]), int(f["day"][0])
    (2000, 2, 29)
    """
    days = xp.floor_divide(ns, NS_PER_DAY)
    of_day = ns - days * NS_PER_DAY
    z = days + 719468
    era = xp.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = xp.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return {"year": year, "month": month, "day": day, "days": days, "of_day": of_day}


def days_from_civil(xp: Any, year: Any, month: Any, day: Any) -> Any:
    """Days since 1970-01-01 of a civil date (int64 xp arrays; month 1-12).

    Examples
    --------
    >>> import numpy as np
    >>> days_from_civil(np, np.array([1970, 2000]), np.array([1, 3]), np.array([1, 1])).tolist()
    [0, 11017]
    """
    y = year - (month <= 2)
    era = xp.floor_divide(y, 400)
    yoe = y - era * 400
    mp = xp.where(month > 2, month - 3, month + 9)
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def days_in_month(xp: Any, year: Any, month: Any) -> Any:
    """Number of days of each (year, month).

    Examples
    --------
    >>> import numpy as np
    >>> days_in_month(np, np.array([2023, 2024, 2100]), np.array([2, 2, 2])).tolist()
    [28, 29, 28]
    """
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    table = xp.asarray([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=xp.int64)
    return table[month - 1] + (leap & (month == 2))
