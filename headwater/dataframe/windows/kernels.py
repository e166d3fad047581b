"""Window aggregations on the device: every row ``p`` aggregates ``values[start[p]:end[p]]``.

Rows are first put in group order (one run per group, original order inside), so a
window never crosses a group and the bounds are plain positions. Each aggregation is
whole-array ``xp`` work:

- ``count sum mean var std`` with short windows (at most ``DIRECT_MAX`` rows) add the
  window's rows one offset at a time (exact sums, as pandas' running sums); longer
  windows use prefix sums (values shifted by their mean first, so variances keep
  their digits); a window whose values are all equal has variance exactly 0.
- ``min max`` read a sparse table: level ``j`` holds the minimum of ``2**j`` rows, and
  two overlapping blocks cover any window.
- ``median quantile`` gather windows into a matrix (in chunks of rows), sort each row
  and interpolate between the order statistics.

Missing values (null or NaN) are skipped; a window with fewer than ``min_periods``
values gives null.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.transfer import to_host

__all__ = ["DIRECT_MAX", "WindowData", "window_reduce", "QUANTILE_METHODS"]

DIRECT_MAX = 64  # windows up to this many rows are summed offset by offset
_MATRIX_CELLS = 1 << 22  # cells of one chunk of the median/quantile matrix
QUANTILE_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


class WindowData:
    """One column's values in window order: float64 ``values`` with 0 where ``ok`` is
    False, and the window bounds of each row."""

    def __init__(self, xp: Any, values: Any, ok: Any, start: Any, end: Any) -> None:
        self.xp = xp
        self.values = values
        self.ok = ok
        self.start = start
        self.end = end
        self.length = end - start
        self.longest = int(to_host(xp.max(self.length))) if len(start) else 0
        self._count: Any = None

    def count(self) -> Any:
        if self._count is None:
            xp = self.xp
            if self.longest <= DIRECT_MAX:
                total = xp.zeros(len(self.start), dtype=xp.int64)
                for k, use in self._offsets():
                    total += use & xp.take(self.ok, k)
                self._count = total
            else:
                prefix = _prefix(xp, self.ok.astype(xp.int64))
                self._count = prefix[self.end] - prefix[self.start]
        return self._count

    def _offsets(self) -> Any:
        """(row index, inside the window) for each offset of the longest window."""
        xp = self.xp
        last = max(len(self.values) - 1, 0)
        for k in range(self.longest):
            idx = self.start + k
            yield xp.minimum(idx, last), idx < self.end

    def total(self, values: Any | None = None) -> Any:
        xp = self.xp
        v = self.values if values is None else values
        if self.longest <= DIRECT_MAX:
            out = xp.zeros(len(self.start), dtype=xp.float64)
            for k, use in self._offsets():
                out += xp.where(use & xp.take(self.ok, k), xp.take(v, k), 0.0)
            return out
        prefix = _prefix(xp, xp.where(self.ok, v, 0.0))
        return prefix[self.end] - prefix[self.start]

    def var(self, ddof: int) -> Any:
        xp = self.xp
        n = self.count().astype(xp.float64)
        if self.longest <= DIRECT_MAX:
            mean = self.total() / xp.maximum(n, 1.0)
            squares = xp.zeros(len(self.start), dtype=xp.float64)
            for k, use in self._offsets():
                d = xp.take(self.values, k) - mean
                squares += xp.where(use & xp.take(self.ok, k), d * d, 0.0)
        else:
            valid = self.values[self.ok]
            shift = float(to_host(xp.mean(valid))) if valid.shape[0] else 0.0
            shifted = xp.where(self.ok, self.values - shift, 0.0)
            s = self.total(shifted)
            squares = xp.maximum(self.total(shifted * shifted) - s * s / xp.maximum(n, 1.0), 0.0)
        with np.errstate(all="ignore"):
            out = squares / (n - ddof)
        same = self.extreme("min") == self.extreme("max")
        out = xp.where(same & (n > ddof), 0.0, out)
        return xp.where(n > ddof, out, xp.nan)

    def extreme(self, which: str) -> Any:
        xp = self.xp
        pick = xp.minimum if which == "min" else xp.maximum
        fill = xp.inf if which == "min" else -xp.inf
        level = xp.where(self.ok, self.values, fill)
        n = len(level)
        if n == 0:
            return level
        levels = [level]
        width = 1
        while width * 2 <= max(self.longest, 1):
            shifted = xp.concatenate([level[width:], xp.full(width, fill)])[:n]
            level = pick(level, shifted)
            levels.append(level)
            width *= 2
        table = xp.stack(levels)
        length = xp.maximum(self.length, 1)
        k = xp.floor(xp.log2(length.astype(xp.float64))).astype(xp.int64)
        k = xp.minimum(k, len(levels) - 1)
        second = xp.clip(self.end - xp.left_shift(xp.ones_like(k), k), 0, n - 1)
        first = xp.clip(self.start, 0, n - 1)
        return pick(table[k, first], table[k, second])

    def quantile(self, q: float, interpolation: str) -> Any:
        xp = self.xp
        rows = len(self.start)
        out = xp.full(rows, xp.nan, dtype=xp.float64)
        width = max(self.longest, 1)
        chunk = max(1, _MATRIX_CELLS // width)
        offsets = xp.arange(width, dtype=xp.int64)
        last = max(len(self.values) - 1, 0)
        for lo in range(0, rows, chunk):
            hi = min(rows, lo + chunk)
            idx = self.start[lo:hi, None] + offsets[None, :]
            inside = idx < self.end[lo:hi, None]
            idx = xp.minimum(idx, last)
            use = inside & xp.take(self.ok, idx)
            matrix = xp.sort(xp.where(use, xp.take(self.values, idx), xp.inf), axis=1)
            count = use.sum(axis=1)
            out[lo:hi] = _interpolate(xp, matrix, count, q, interpolation)
        return out


def _prefix(xp: Any, values: Any) -> Any:
    out = xp.zeros(len(values) + 1, dtype=values.dtype)
    out[1:] = xp.cumsum(values)
    return out


def _interpolate(xp: Any, matrix: Any, count: Any, q: float, interpolation: str) -> Any:
    pos = q * xp.maximum(count - 1, 0).astype(xp.float64)
    lo = xp.floor(pos).astype(xp.int64)
    hi = xp.minimum(lo + 1, xp.maximum(count - 1, 0))
    a = xp.take_along_axis(matrix, lo[:, None], axis=1)[:, 0]
    b = xp.take_along_axis(matrix, hi[:, None], axis=1)[:, 0]
    frac = pos - lo
    with np.errstate(invalid="ignore"):  # rows past the count hold inf; their answer is dropped
        return _pick(xp, a, b, frac, lo, count, interpolation)


def _pick(xp: Any, a: Any, b: Any, frac: Any, lo: Any, count: Any, interpolation: str) -> Any:
    if interpolation == "linear":
        out = xp.where(frac > 0, a + (b - a) * frac, a)
    elif interpolation == "lower":
        out = a
    elif interpolation == "higher":
        out = xp.where(frac > 0, b, a)
    elif interpolation == "midpoint":
        out = xp.where(frac > 0, (a + b) / 2, a)
    else:  # nearest: halves go to the even position, as NumPy
        up = (frac > 0.5) | ((frac == 0.5) & (lo % 2 == 1))
        out = xp.where(up, b, a)
    return xp.where(count > 0, out, xp.nan)


def window_reduce(data: WindowData, how: str, min_periods: int, ddof: int = 1, q: float = 0.5,
                  interpolation: str = "linear") -> tuple[Any, Any]:
    """(float64 values, validity) of aggregation ``how`` over every row's window."""
    xp = data.xp
    count = data.count()
    if how == "count":
        out = count.astype(xp.float64)
    elif how == "sum":
        out = data.total()
    elif how == "mean":
        with np.errstate(all="ignore"):
            out = data.total() / count
    elif how in ("var", "std"):
        out = data.var(ddof)
        if how == "std":
            out = xp.sqrt(out)
    elif how in ("min", "max"):
        out = data.extreme(how)
    elif how == "median":
        out = data.quantile(0.5, "linear")
    elif how == "quantile":
        out = data.quantile(q, interpolation)
    else:
        raise ValueError(f"unknown window aggregation {how!r}")
    # count's min_periods counts the window's rows, missing or not, as pandas does
    enough = (data.length if how == "count" else count) >= max(min_periods, 0)
    if how not in ("count", "sum"):
        enough = enough & (count > 0)
    valid = enough & ~xp.isnan(out)
    return xp.where(valid, out, 0.0), valid
