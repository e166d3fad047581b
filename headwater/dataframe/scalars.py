"""pandas' scalar types, re-exported, and the missing-value tests of the top level.

``hw.Timestamp``, ``hw.Timedelta``, ``hw.NaT``, ``hw.NA``, ``hw.DateOffset`` and the
calendar offsets of ``hw.offsets`` (``MonthBegin``, ``MonthEnd``, ``Day``, ...) *are*
pandas' own scalar types, not look-alikes: a value made with either library works in
the other, and every column operation that takes a scalar accepts them (as it accepts
``datetime``, ``numpy.datetime64`` and date strings). Columns store int64 nanoseconds
on the device; the scalars are host values.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["DateOffset", "NA", "NaT", "Timedelta", "Timestamp", "isna", "isnull", "notna", "notnull", "offsets"]

Timestamp = pd.Timestamp
Timedelta = pd.Timedelta
DateOffset = pd.DateOffset
offsets = pd.offsets  # the module of calendar offsets: hw.offsets.MonthEnd(1)
NaT = pd.NaT
NA = pd.NA


def isna(obj: Any) -> Any:
    """Missing-value test: ``Series``/``DataFrame`` give their :meth:`isna`, anything else
    pandas' answer (a bool for a scalar, a NumPy array for an array).

    Parameters
    ----------
    obj : Series, DataFrame, scalar or array-like

    Examples
    --------
    >>> import headwater as hw
    >>> hw.isna(hw.Series([1.0, None])).to_list()
    [False, True]
    >>> hw.isna(hw.NaT), hw.isna(3)
    (True, False)
    """
    method = getattr(obj, "isna", None)
    if callable(method) and type(obj).__module__.startswith("headwater."):
        return method()
    return pd.isna(obj)


def notna(obj: Any) -> Any:
    """The opposite of :func:`isna`.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.notna(hw.Series(["a", None])).to_list()
    [True, False]
    >>> hw.notna(None)
    False
    """
    method = getattr(obj, "notna", None)
    if callable(method) and type(obj).__module__.startswith("headwater."):
        return method()
    return pd.notna(obj)


isnull = isna
notnull = notna
