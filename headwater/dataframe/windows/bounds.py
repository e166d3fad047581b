"""Where each row's window starts and ends, in window order (groups as runs).

``WindowOrder`` puts the rows of a grouped object in group order (pandas' order for
``groupby(...).rolling``: groups in key order, rows in their original order inside,
rows with a dropped null key left out) and records each row's group bounds. Fixed
windows are position arithmetic; time windows (``"3D"`` with ``on=``) binary-search
the times, which must be increasing inside each group, as pandas requires.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from headwater.tensor.transfer import to_host

__all__ = ["WindowOrder", "fixed_bounds", "time_bounds", "expanding_bounds", "CLOSED"]

CLOSED = ("right", "left", "both", "neither")


class WindowOrder:
    """Rows in window order: ``order`` (None: the rows as they are), and the first and
    one-past-last position of each row's group."""

    def __init__(self, backend: Any, n_rows: int, groups: Any = None) -> None:
        xp = backend.xp
        self.backend = backend
        if groups is None:
            self.order = None
            self.n = n_rows
            self.group_start = xp.zeros(n_rows, dtype=xp.int64)
            self.group_end = xp.full(n_rows, n_rows, dtype=xp.int64)
            self.group = xp.zeros(n_rows, dtype=xp.int64)
            self.n_groups = 1
            return
        ids = groups.group_ids()
        n_groups = groups.n
        routed = xp.where(ids >= 0, ids, n_groups)
        order = backend.stable_argsort(routed, n_groups + 1)
        sizes = xp.bincount(routed, minlength=n_groups + 1)[:n_groups]
        kept = int(to_host(xp.sum(sizes))) if n_groups else 0
        self.order = order[:kept]
        self.n = kept
        self.group = xp.take(routed, self.order)
        starts = xp.cumsum(sizes) - sizes
        self.group_start = xp.take(starts, self.group) if kept else xp.zeros(0, dtype=xp.int64)
        self.group_end = self.group_start + (xp.take(sizes, self.group) if kept else 0)
        self.n_groups = n_groups

    def gather(self, array: Any) -> Any:
        """``array`` (one value per frame row) in window order."""
        return array if self.order is None else self.backend.take(array, self.order, checked=True)

    def positions(self) -> Any:
        return self.backend.xp.arange(self.n, dtype=self.backend.xp.int64)


def _clip(xp: Any, order: WindowOrder, start: Any, end: Any) -> tuple[Any, Any]:
    start = xp.minimum(xp.maximum(start, order.group_start), order.group_end)
    end = xp.minimum(xp.maximum(end, order.group_start), order.group_end)
    return start, xp.maximum(start, end)


def fixed_bounds(order: WindowOrder, window: int, center: bool, closed: str) -> tuple[Any, Any]:
    """Bounds of ``window``-row windows, each ending at its row (centred with ``center``)."""
    xp = order.backend.xp
    p = order.positions() - order.group_start
    offset = (window - 1) // 2 if center else 0
    end = p + 1 + offset
    start = end - window
    if closed in ("left", "both"):
        start = start - 1
    if closed in ("left", "neither"):
        end = end - 1
    return _clip(xp, order, start + order.group_start, end + order.group_start)


def expanding_bounds(order: WindowOrder) -> tuple[Any, Any]:
    """Every row's window: the start of its group up to itself."""
    return order.group_start, order.positions() + 1


def time_bounds(order: WindowOrder, times: Any, width: str | Any, closed: str, what: str) -> tuple[Any, Any]:
    """Bounds of time windows ``width`` long (a pandas offset or Timedelta) over int64
    nanosecond ``times`` in window order."""
    backend = order.backend
    xp = backend.xp
    try:
        span = int(pd.Timedelta(pd.tseries.frequencies.to_offset(width)).value)
    except (ValueError, TypeError):
        raise ValueError(f"{what}: a time window needs a fixed length such as '3D' or '2h', got {width!r}") from None
    n = order.n
    if n == 0:
        empty = xp.zeros(0, dtype=xp.int64)
        return empty, empty
    same_group = order.group[1:] == order.group[:-1]
    if bool(to_host(xp.any(same_group & (times[1:] < times[:-1])))):
        raise ValueError(f"{what}: the 'on' times must be increasing (within each group); sort by them first")
    low, high = (int(to_host(f(times))) for f in (xp.min, xp.max))
    stride = high - low + span + 2
    if order.n_groups * stride >= 2**62:
        raise NotImplementedError(f"{what}: the time range times the number of groups is too large "
                                  f"for one search key; window fewer groups at a time")
    key = order.group * stride + (times - low)
    left_edge = key - span
    side_start = "left" if closed in ("left", "both") else "right"
    start = xp.searchsorted(key, left_edge, side=side_start).astype(xp.int64)
    if closed in ("left", "neither"):
        end = xp.searchsorted(key, key, side="left").astype(xp.int64)
    else:
        end = order.positions() + 1
    return _clip(xp, order, start, end)


def check_closed(closed: Any) -> str:
    if closed is None:
        return "right"
    if closed not in CLOSED:
        raise ValueError(f"closed must be one of {CLOSED}, got {closed!r}")
    return closed

