"""Segment reductions: one value per dense id, written once against ``xp``.

Every reduction routes the rows it must skip (id -1, a False in ``mask``, NaN in a
float column) into one extra segment ``n`` and drops that segment at the end, so no
row is copied or filtered. Sums and counts are ``bincount`` (float weights, exact
for integers while every partial sum stays below 2**53, else an integer
scatter-add); on the host, long inputs with few segments are counted in
cache-sized chunks spread over threads (``bincount`` below); min, max, first and last are ``minimum.at`` /
``maximum.at`` scatters, which both NumPy (2.x) and CuPy run in one pass.

A segment with no valid value holds a fill value (NaN for float results, 0 for
sums and counts, an unspecified value otherwise); callers mask it with
``segment_count(...) == 0``, as the groupby layer does.
"""

from __future__ import annotations

from typing import Any

from headwater.tensor.backend.threads import map_ranges
from headwater.tensor.transfer import to_host

__all__ = [
    "bincount",
    "route",
    "segment_sum",
    "segment_count",
    "segment_mean",
    "segment_var",
    "segment_min",
    "segment_max",
    "segment_first",
    "segment_last",
    "segment_any",
    "segment_all",
    "first_rows",
    "first_rows_prefix",
]


_CHUNK = 1 << 18  # rows per host bincount call: the weights' float copy stays in cache


def bincount(xp: Any, r: Any, weights: Any = None, minlength: int = 0) -> Any:
    """``xp.bincount(r, weights, minlength)`` with every id below ``minlength``.

    On the host, when the rows outnumber the bins 16 to 1, the rows are counted in
    chunks (int weights are converted to float a chunk at a time, in cache) on
    several threads, and the partial counts added.
    """
    n_rows = len(r)
    if xp.__name__ != "numpy" or n_rows < (1 << 20) or minlength * 16 > n_rows:
        return xp.bincount(r, weights=weights, minlength=minlength)
    chunk = max(_CHUNK, 4 * minlength)

    def part(start: int, stop: int) -> Any:
        out = None
        for lo in range(start, stop, chunk):
            hi = min(lo + chunk, stop)
            piece = xp.bincount(r[lo:hi], None if weights is None else weights[lo:hi], minlength=minlength)
            if out is None:
                out = piece
            else:
                out += piece
        return out

    parts = map_ranges(part, n_rows)
    total = parts[0]
    for piece in parts[1:]:
        total += piece
    return total


def route(xp: Any, ids: Any, n: int, valid: Any | None, ids_checked: bool = False) -> Any:
    """Ids with every skipped row sent to the extra segment ``n``.

    ``ids_checked=True`` says every id is already in ``[0, n)``, which saves a pass.
    """
    if ids_checked and valid is None:
        return ids
    keep = ids >= 0 if not ids_checked else None
    if valid is not None:
        keep = valid if keep is None else keep & valid
    return xp.where(keep, ids, n)


def _valid(xp: Any, values: Any, mask: Any | None, skipna: bool) -> Any | None:
    if skipna and values.dtype.kind in "fc":
        not_nan = ~xp.isnan(values)
        return not_nan if mask is None else mask & not_nan
    return mask


def _routed(xp: Any, values: Any, ids: Any, n: int, mask: Any | None, skipna: bool, ids_checked: bool) -> Any:
    if len(values) != len(ids):
        raise ValueError(
            f"values has {len(values)} rows but ids has {len(ids)}; pass one id per row"
        )
    return route(xp, ids, n, _valid(xp, values, mask, skipna), ids_checked)


def segment_count(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                  skipna: bool = True, ids_checked: bool = False) -> Any:
    """Number of valid values per segment (int64)."""
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    return bincount(xp, r, minlength=n + 1)[:n].astype(xp.int64, copy=False)


def segment_sum(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                skipna: bool = True, ids_checked: bool = False) -> Any:
    """Sum per segment: int64 / uint64 for integers and bools, float64 for floats."""
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    kind = values.dtype.kind
    if kind == "b":
        return bincount(xp, xp.where(values, r, n), minlength=n + 1)[:n].astype(xp.int64)
    if kind in "iu":
        return _int_sum(xp, values, r, n)
    if kind == "f":
        return bincount(xp, r, weights=values, minlength=n + 1)[:n]
    raise TypeError(f"segment_sum does not support dtype {values.dtype}; cast to a number first")


def _as_weights(xp: Any, values: Any) -> Any:
    """Weights for bincount: floats and 32-bit-or-narrower ints as they are (converted
    chunk by chunk on the host), wider ints as float64."""
    if values.dtype.kind == "f" or (values.dtype.kind in "iu" and values.dtype.itemsize <= 4):
        return values
    return values.astype(xp.float64)


def _int_sum(xp: Any, values: Any, r: Any, n: int) -> Any:
    dtype = xp.uint64 if values.dtype.kind == "u" else xp.int64
    if len(values) and values.dtype.itemsize <= 4:
        low, high = (int(v) for v in to_host(xp.stack([values.min(), values.max()])))
        if max(abs(low), abs(high)) * len(values) < (1 << 53):  # float sums are exact
            sums = bincount(xp, r, weights=values, minlength=n + 1)[:n]
            return sums.astype(dtype)
    out = xp.zeros(n + 1, dtype=dtype)
    xp.add.at(out, r, values.astype(dtype, copy=False))
    return out[:n]


def segment_mean(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                 skipna: bool = True, ids_checked: bool = False, counts: Any = None) -> Any:
    """Mean per segment (float64; NaN where a segment has no valid value).

    ``counts``, when the caller knows them, are the valid values per segment.
    """
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    return _mean(xp, values, r, n, counts)


def _mean(xp: Any, values: Any, r: Any, n: int, counts: Any = None) -> Any:
    if counts is None:
        counts = bincount(xp, r, minlength=n + 1)[:n]
    sums = bincount(xp, r, weights=_as_weights(xp, values), minlength=n + 1)[:n]
    with_values = counts > 0
    return xp.where(with_values, sums / xp.where(with_values, counts, 1), xp.nan)


def segment_var(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                ddof: int = 1, skipna: bool = True, ids_checked: bool = False,
                counts: Any = None) -> Any:
    """Variance per segment, two-pass for accuracy (float64; NaN when count <= ddof).

    Each segment is first shifted by one of its own values (whichever the scatter
    keeps; variance does not depend on the shift), so a segment of equal values has
    a variance of exactly 0, as pandas' running algorithm gives, and large offsets
    do not cost precision. ``counts``, when the caller knows them, are the valid
    values per segment.
    """
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    x = values.astype(xp.float64)  # a copy: shifted in place below
    if counts is None:
        counts = bincount(xp, r, minlength=n + 1)[:n]
    shift = xp.zeros(n + 1, dtype=xp.float64)
    shift[r] = x
    x -= shift[r]
    means = bincount(xp, r, weights=x, minlength=n + 1).astype(xp.float64, copy=False)  # int when empty
    means[:n] /= xp.maximum(counts, 1)
    centred = x - means[r]
    centred *= centred
    squares = bincount(xp, r, weights=centred, minlength=n + 1)[:n]
    enough = counts > ddof
    return xp.where(enough, squares / xp.where(enough, counts - ddof, 1), xp.nan)


def _extreme(xp: Any, values: Any, r: Any, n: int, ufunc: Any, fill: Any) -> Any:
    # CuPy's scatter min/max needs 32- or 64-bit values: widen bools and small ints
    work = values
    if values.dtype.kind == "b":
        work = values.astype(xp.int32)
    elif values.dtype.itemsize < 4:
        work = values.astype(xp.int32 if values.dtype.kind == "i" else xp.uint32)
    out = xp.full(n + 1, fill, dtype=work.dtype)
    ufunc.at(out, r, work)
    out = out[:n]
    return out != 0 if values.dtype.kind == "b" else out.astype(values.dtype, copy=False)


def _fill(xp: Any, dtype: Any, largest: bool) -> Any:
    if dtype.kind == "f":
        return -xp.inf if largest else xp.inf
    if dtype.kind == "b":
        return 0 if largest else 1
    info = xp.iinfo(dtype)
    return info.min if largest else info.max


def segment_min(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                skipna: bool = True, ids_checked: bool = False) -> Any:
    """Minimum per segment, in the values' dtype."""
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    return _extreme(xp, values, r, n, xp.minimum, _fill(xp, values.dtype, largest=False))


def segment_max(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                skipna: bool = True, ids_checked: bool = False) -> Any:
    """Maximum per segment, in the values' dtype."""
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    return _extreme(xp, values, r, n, xp.maximum, _fill(xp, values.dtype, largest=True))


def first_rows(xp: Any, r: Any, n: int, last: bool = False) -> Any:
    """Row index of the first (or last) routed row of each segment; -1 when empty."""
    rows = xp.arange(len(r), dtype=xp.int64)
    if last:
        out = xp.full(n + 1, -1, dtype=xp.int64)
        xp.maximum.at(out, r, rows)
        return out[:n]
    out = xp.full(n + 1, len(r), dtype=xp.int64)
    xp.minimum.at(out, r, rows)
    out = out[:n]
    return xp.where(out == len(r), -1, out)


def first_rows_prefix(xp: Any, ids: Any, n: int, present: int, to_host: Any,
                      ids_checked: bool = False) -> Any:
    """First row of each segment, reading only as long a prefix of ``ids`` as needed.

    ``present`` is the number of non-empty segments (ids ``-1`` are skipped). Rows of
    a segment usually start early, so a prefix that grows four-fold at a time finds
    every segment's first row long before the end: at 1e7 rows and 1e5 segments
    about a fifth of the rows is read, instead of all of them. The first prefix holds
    four rows per present segment. Absent segments hold
    ``len(ids)``. ``to_host`` brings the small found-count back to decide;
    ``ids_checked=True`` promises no id is -1.
    """
    n_rows = len(ids)
    if ids_checked and n_rows > 1 and bool(to_host((ids[1:] >= ids[:-1]).all())):
        # rows grouped by key in key order (a table stored sorted): each segment's first
        # row is where the id changes, found without scattering every row
        start = xp.ones(n_rows, dtype=bool)
        xp.not_equal(ids[1:], ids[:-1], out=start[1:])
        rows = xp.flatnonzero(start)
        out = xp.full(n + 1, n_rows, dtype=xp.int64)  # slot n: routed rows, as below
        out[ids[rows]] = rows
        return out[:n]
    # at least four rows per segment present before the first check: with many segments
    # (a quarter of the rows or more) the whole array is read once, not in growing prefixes
    size = min(n_rows, max(1 << 16, 4 * present))
    while True:
        head = ids[:size]
        out = xp.full(n + 1, n_rows, dtype=xp.int64)
        routed = head if ids_checked else xp.where(head >= 0, head, n)
        xp.minimum.at(out, routed, xp.arange(size, dtype=xp.int64))
        out = out[:n]
        if size == n_rows:
            return out
        if int(to_host(xp.count_nonzero(out < n_rows))) >= present:
            return out
        size = min(n_rows, size * 4)


def segment_first(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                  skipna: bool = True, ids_checked: bool = False) -> Any:
    """First valid value of each segment, in row order."""
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    rows = first_rows(xp, r, n)
    return values[xp.maximum(rows, 0)] if len(values) else xp.zeros(n, dtype=values.dtype)


def segment_last(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                 skipna: bool = True, ids_checked: bool = False) -> Any:
    """Last valid value of each segment, in row order."""
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    rows = first_rows(xp, r, n, last=True)
    return values[xp.maximum(rows, 0)] if len(values) else xp.zeros(n, dtype=values.dtype)


def segment_any(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                skipna: bool = True, ids_checked: bool = False) -> Any:
    """Whether any valid value of a segment is truthy (False for an empty segment)."""
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    truthy = xp.where(values != 0, r, n)
    return xp.bincount(truthy, minlength=n + 1)[:n] > 0


def segment_all(xp: Any, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                skipna: bool = True, ids_checked: bool = False) -> Any:
    """Whether every valid value of a segment is truthy (True for an empty segment)."""
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    falsy = xp.where(values == 0, r, n)
    return xp.bincount(falsy, minlength=n + 1)[:n] == 0
