"""Segment reductions that need the values in order: median, quantile, nunique, prod.

Each sorts the valid rows by (segment, value) once and then reads positions out of
the sorted run of every segment. The sort goes through the backend's
``stable_argsort`` (NumPy's radix sort on narrow ids, CuPy's stable radix sort).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.tensor.backend.segments import _routed, route

if TYPE_CHECKING:
    from headwater.tensor.backend.base import Backend

__all__ = ["segment_argsort", "sort_within_segments", "segment_quantile", "segment_nunique", "segment_prod_by_scan"]


def sort_within_segments(backend: Backend, values: Any, r: Any, n: int) -> tuple[Any, Any, Any]:
    """Values ordered by (segment, value), with each segment's count and start.

    ``r`` holds routed ids (skipped rows in segment ``n``, which sorts last and is
    left out of the counts).
    """
    xp = backend.xp
    by_value = xp.argsort(values)
    by_segment = backend.stable_argsort(r[by_value], n + 1)
    ordered = values[by_value[by_segment]]
    counts = xp.bincount(r, minlength=n + 1)[:n]
    starts = xp.cumsum(counts) - counts
    return ordered, counts, starts


def segment_argsort(backend: Backend, ids: Any, n: int, values: Any = None, mask: Any = None) -> Any:
    """Rows ordered by (segment, value, row); skipped rows last."""
    xp = backend.xp
    valid = mask
    if values is not None and values.dtype.kind == "f":
        not_nan = ~xp.isnan(values)
        valid = not_nan if valid is None else valid & not_nan
    r = route(xp, ids, n, valid)
    if values is None:
        return backend.stable_argsort(r, n + 1)
    by_value = backend.stable_argsort(values)
    return by_value[backend.stable_argsort(r[by_value], n + 1)]


def segment_quantile(backend: Backend, values: Any, ids: Any, n: int, mask: Any | None = None,
                     q: float = 0.5, *, skipna: bool = True, ids_checked: bool = False) -> Any:
    """Quantile ``q`` per segment with linear interpolation (pandas' default)."""
    xp = backend.xp
    if not 0.0 <= float(q) <= 1.0:
        raise ValueError(f"quantile q must be between 0 and 1, got {q!r}")
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    ordered, counts, starts = sort_within_segments(backend, values, r, n)
    if len(ordered) == 0:
        return xp.full(n, xp.nan, dtype=xp.float64)
    position = (counts - 1).astype(xp.float64) * float(q)
    below = xp.floor(position).astype(xp.int64)
    above = xp.minimum(below + 1, xp.maximum(counts - 1, 0))
    weight = position - below
    top = len(ordered) - 1
    low = ordered[xp.clip(starts + below, 0, top)].astype(xp.float64)
    high = ordered[xp.clip(starts + above, 0, top)].astype(xp.float64)
    result = low + (high - low) * weight
    return xp.where(counts > 0, result, xp.nan)


def segment_nunique(backend: Backend, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                    skipna: bool = True, ids_checked: bool = False) -> Any:
    """Number of distinct valid values per segment (int64)."""
    xp = backend.xp
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    value_ids, width = _value_codes(backend, values, mask)
    keep = (r < n) & (value_ids >= 0)
    # one int64 per (segment, value) pair; the distinct pairs are counted per segment
    pairs = r * width + value_ids
    if not bool(backend.to_host(keep.all())):
        pairs = pairs[keep]
    if n * width <= max(4 * int(pairs.shape[0]), 1 << 16):  # few possible pairs: a presence table
        seen = xp.zeros(n * width, dtype=bool)
        seen[pairs] = True
        return xp.count_nonzero(seen.reshape(n, width), axis=1).astype(xp.int64)
    # sorted, equal pairs are neighbours: each run is one distinct value of its segment (a
    # sort beats a hash table of the pairs 10x on the CPU, whose probes miss the caches)
    ordered = xp.sort(pairs)
    first = xp.ones(int(ordered.shape[0]), dtype=bool)
    xp.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return xp.bincount(ordered[first] // width, minlength=n)[:n].astype(xp.int64)


def _value_codes(backend: Backend, values: Any, mask: Any) -> tuple[Any, int]:
    """(int64 code per row, number of codes), -1 for null and NaN rows: integers in a small
    range as ``value - min`` (no hashing), anything else factorized."""
    from headwater.tensor.backend.factorize import key_bounds

    xp = backend.xp
    if values.dtype.kind in "iu" and len(values):
        bounds = key_bounds(backend, values, mask)
        if bounds is None:  # every value is null
            return xp.full(len(values), -1, dtype=xp.int64), 1
        low, high = bounds
        if high - low < 2 * len(values) + 1024:
            codes = xp.subtract(values, low, dtype=xp.int64)
            return (codes if mask is None else xp.where(mask, codes, -1)), high - low + 1
    value_ids, uniques = backend.factorize(values, mask, sort=False)
    return value_ids, max(int(len(uniques)), 1)


def segment_prod_by_scan(backend: Backend, values: Any, ids: Any, n: int, mask: Any | None = None, *,
                         skipna: bool = True, ids_checked: bool = False) -> Any:
    """Product per segment by a segmented doubling scan over rows grouped by segment.

    Works with any ``xp`` (CuPy has no ``multiply.at``): log2(longest segment)
    vectorised passes.
    """
    xp = backend.xp
    r = _routed(xp, values, ids, n, mask, skipna, ids_checked)
    out_dtype = _prod_dtype(xp, values.dtype)
    order = backend.stable_argsort(r, n + 1)
    seg = r[order]
    run = values[order].astype(out_dtype)
    step = 1
    while step < len(run):
        same = seg[step:] == seg[:-step]
        if not bool(backend.to_host(same.any())):
            break
        run[step:] = xp.where(same, run[step:] * run[:-step], run[step:])
        step *= 2
    counts = xp.bincount(r, minlength=n + 1)[:n]
    ends = xp.cumsum(counts) - 1
    result = run[xp.maximum(ends, 0)] if len(run) else xp.ones(n, dtype=out_dtype)
    return xp.where(counts > 0, result, out_dtype.type(1))


def _prod_dtype(xp: Any, dtype: Any) -> Any:
    if dtype.kind == "f":
        return xp.dtype(xp.float64)
    if dtype.kind == "u":
        return xp.dtype(xp.uint64)
    return xp.dtype(xp.int64)
