"""Matching rows on shared key ids: index pairs (left row, right row) for each join.

The right rows are bucketed by id with one stable counting sort; each left row then
knows how many right rows share its id and where they start, and ``repeat`` writes
out the pairs. When every right id is unique (many-to-one, the common case) the
pairs come from one gather instead.
"""

from __future__ import annotations

from typing import Any

__all__ = ["match", "lookup_pairs", "left_unique_pairs", "semi_mask", "cross_pairs"]


def _right_buckets(backend: Any, right_ids: Any, n: int) -> tuple[Any, Any]:
    xp = backend.xp
    routed = xp.where(right_ids >= 0, right_ids, n)
    counts = xp.bincount(routed, minlength=n + 1)[:n]
    return routed, counts


def semi_mask(backend: Any, left_ids: Any, right_ids: Any, n: int) -> Any:
    """True for left rows whose key occurs on the right (never for null keys)."""
    xp = backend.xp
    _, counts = _right_buckets(backend, right_ids, n)
    present = xp.concatenate([counts > 0, xp.zeros(1, dtype=bool)])
    return present[xp.where(left_ids >= 0, left_ids, n)]


def match(backend: Any, left_ids: Any, right_ids: Any, n: int, keep_unmatched: bool) -> tuple[Any, Any]:
    """(left rows, right rows) of every matching pair, in left row order.

    Left rows are None when they are exactly ``0..n_left-1`` (many-to-one, every left row once).

    Each left row's matches follow the right row order. With ``keep_unmatched`` (a
    left join) a left row without a match appears once, paired with -1.
    """
    xp = backend.xp
    n_left = len(left_ids)
    routed, counts = _right_buckets(backend, right_ids, n)
    # tables get one extra last entry for null keys: id -1 indexes it directly
    most = int(backend.to_host(counts.max())) if n else 0
    if most <= 1:  # each key at most once on the right: one gather, no repeat
        row_of = xp.full(n + 1, -1, dtype=xp.int64)
        row_of[routed] = xp.arange(len(right_ids), dtype=xp.int64)
        row_of[n] = -1
        has_null = len(left_ids) and int(backend.to_host(left_ids.min())) < 0
        lookup = xp.where(left_ids >= 0, left_ids, n) if has_null else left_ids
        right_rows = backend.take(row_of, lookup, checked=True)  # a long gather: threads on the CPU
        return lookup_pairs(backend, right_rows, keep_unmatched)
    lsafe = xp.where(left_ids >= 0, left_ids, n)
    counts_ext = xp.concatenate([counts, xp.zeros(1, dtype=counts.dtype)])
    per_left = counts_ext[lsafe]
    if 8 * n_left < len(right_ids):
        # a few left rows against many right rows: bucket only the right rows whose key
        # occurs on the left, instead of sorting every right row
        wanted = xp.zeros(n + 1, dtype=bool)
        wanted[lsafe] = True
        wanted[n] = False
        rows = xp.flatnonzero(wanted[routed])
        order = rows[backend.stable_argsort(routed[rows], n + 1)]
        counts_ext = xp.where(wanted, counts_ext, 0)
    else:
        order = backend.stable_argsort(routed, n + 1)
    starts = xp.cumsum(counts_ext) - counts_ext
    out_counts = xp.maximum(per_left, 1) if keep_unmatched else per_left
    total = int(backend.to_host(out_counts.sum()))
    left_rows = backend.repeat(xp.arange(n_left, dtype=xp.int64), out_counts)
    first_out = xp.cumsum(out_counts) - out_counts
    offset = xp.arange(total, dtype=xp.int64) - first_out[left_rows]
    position = starts[lsafe][left_rows] + offset
    matched = (per_left > 0)[left_rows]
    right_rows = xp.where(matched, order[xp.minimum(position, max(len(order) - 1, 0))], -1) \
        if len(order) else xp.full(total, -1, dtype=xp.int64)
    return left_rows, right_rows


def left_unique_pairs(backend: Any, left_of_right: Any, n_left: int, keep_unmatched: bool) -> tuple[Any, Any]:
    """(left rows, right rows) of a join whose left keys are unique, from the left row
    (or -1) of each right row: the matched right rows ordered by their left row with one
    stable counting sort, so each left row's matches keep the right order, as
    :func:`match` gives them, without key ids or a bucket per key. With
    ``keep_unmatched`` (a left join) each left row without a match appears once, with -1.
    """
    xp = backend.xp
    right_rows = xp.flatnonzero(left_of_right >= 0)
    left_rows = left_of_right[right_rows]
    if keep_unmatched:
        has = xp.zeros(n_left, dtype=bool)
        has[left_rows] = True
        missing = xp.flatnonzero(~has)
        if len(missing):
            left_rows = xp.concatenate([left_rows, missing])
            right_rows = xp.concatenate([right_rows, xp.full(len(missing), -1, dtype=xp.int64)])
    order = backend.stable_argsort(left_rows, n_left)
    return backend.take(left_rows, order, checked=True), backend.take(right_rows, order, checked=True)


def lookup_pairs(backend: Any, right_rows: Any, keep_unmatched: bool) -> tuple[Any, Any]:
    """(left rows, right rows) from the one right row (or -1) of each left row.

    Left rows are None when they are every left row in order: a left join, or an
    inner join in which every left row matched (no gather needed on the left).
    """
    if keep_unmatched:
        return None, right_rows
    xp = backend.xp
    matched = right_rows >= 0
    # every row matched (a many-to-one join on a full dimension table): one scalar read
    # instead of writing out every row number
    if int(backend.to_host(xp.count_nonzero(matched))) == len(right_rows):
        return None, right_rows
    left_rows = xp.flatnonzero(matched)
    return left_rows, backend.take(right_rows, left_rows, checked=True)


def cross_pairs(backend: Any, n_left: int, n_right: int) -> tuple[Any, Any]:
    """Every (left, right) pair, left-major."""
    xp = backend.xp
    left_rows = xp.repeat(xp.arange(n_left, dtype=xp.int64), n_right)
    right_rows = xp.tile(xp.arange(n_right, dtype=xp.int64), n_left)
    return left_rows, right_rows
