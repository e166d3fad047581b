"""Calendar offsets (``pd.DateOffset``, ``pd.offsets.*``) added to datetime columns.

Fixed-length offsets (``Day``, ``Hour``... and ``DateOffset(days=, hours=...)``) are
nanosecond shifts on the device; ``DateOffset(years=, months=)`` moves the civil date
on the device and clamps the day to the new month's length, as pandas (``relativedelta``)
does, before the fixed part is added. Every other offset (month ends, business days,
absolute fields, time-zone-aware columns) is applied by pandas on a host copy (counted).
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from headwater.dataframe.column.base import Column
from headwater.dataframe.column.calendar import (
    NS_PER_DAY,
    civil_fields,
    days_from_civil,
    days_in_month,
)

__all__ = ["is_offset", "add_offset"]

_FIXED_NS = {
    "weeks": 7 * NS_PER_DAY, "days": NS_PER_DAY, "hours": 3600 * 10**9, "minutes": 60 * 10**9,
    "seconds": 10**9, "milliseconds": 10**6, "microseconds": 10**3, "nanoseconds": 1,
}
_RELATIVE = frozenset({"years", "months", *_FIXED_NS})


def is_offset(value: Any) -> bool:
    """True for a pandas calendar offset (``pd.DateOffset``, ``pd.offsets.MonthEnd()``...)."""
    return isinstance(value, pd.offsets.BaseOffset)


def _shift_months(xp: Any, ns: Any, months: int) -> Any:
    f = civil_fields(xp, ns)
    total = f["year"] * 12 + (f["month"] - 1) + months
    year = xp.floor_divide(total, 12)
    month = total - year * 12 + 1
    day = xp.minimum(f["day"], days_in_month(xp, year, month))
    return days_from_civil(xp, year, month, day) * NS_PER_DAY + f["of_day"]


def add_offset(col: Column, offset: Any, sign: int = 1) -> Column:
    """``col + offset`` (``sign=-1``: ``col - offset``) for a datetime column."""
    if isinstance(offset, pd.offsets.Tick):
        return col._with(col.data + sign * int(pd.Timedelta(offset).value), col.mask)
    kwds = dict(getattr(offset, "kwds", {}) or {})
    plain = type(offset) is pd.DateOffset and not offset.normalize and set(kwds) <= _RELATIVE
    if plain and getattr(col, "tz", None) is None:
        n = sign * int(offset.n)
        data = col.data
        months = n * (12 * int(kwds.get("years", 0)) + int(kwds.get("months", 0)))
        if months:
            data = _shift_months(col.xp, data, months)
        fixed = sum(int(round(float(kwds.get(k, 0)) * f)) for k, f in _FIXED_NS.items())
        return col._with(data + n * fixed, col.mask)
    return _host_offset(col, offset, sign)


def _host_offset(col: Column, offset: Any, sign: int) -> Column:
    import pyarrow as pa

    from headwater.dataframe.column.dispatch import column_from_arrow

    values = pd.Series(col.to_arrow().to_pandas())
    with warnings.catch_warnings():  # pandas warns that such offsets loop in Python
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        shifted = values + offset if sign > 0 else values - offset
    out = column_from_arrow(pa.array(shifted, from_pandas=True), device=col.device)
    return out.with_mask(col.mask) if col.mask is not None else out
