"""Factorize keys into dense int64 ids, on any backend.

Strategy, cheapest first: small integer ranges become ``value - min`` compacted
through a presence table (no hashing, no sorting); everything else goes to the
backend's general method (hash tables on the CPU, a sort on the GPU). Null rows,
and NaN in float keys, get id -1.

These functions take the backend so that they share its ``xp`` and its counted
``to_host``; the backend methods of the same names are the public entry points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.tensor.backend.segments import first_rows_prefix

if TYPE_CHECKING:
    from headwater.tensor.backend.base import Backend

__all__ = [
    "factorize",
    "factorize_by_sort",
    "factorize_range",
    "combine_ids",
    "valid_rows",
    "key_bounds",
]

# A dense range is used when it is at most this many times the row count (plus a
# floor so that small inputs with sparse codes still avoid hashing).
_RANGE_FACTOR = 2
_RANGE_FLOOR = 1 << 16
_INT64_MAX = (1 << 63) - 1


def valid_rows(xp: Any, values: Any, mask: Any | None) -> Any | None:
    """The rows that carry a key: ``mask`` and, for floats, not NaN (None = all)."""
    if values.dtype.kind == "f":
        not_nan = ~xp.isnan(values)
        return not_nan if mask is None else mask & not_nan
    return mask


def factorize(backend: Backend, values: Any, mask: Any | None = None, sort: bool = True) -> tuple[Any, Any]:
    """Dense ids and uniques for ``values``; see :meth:`Backend.factorize`."""
    xp = backend.xp
    if values.ndim != 1:
        raise ValueError(f"factorize expects a 1-d array, got shape {values.shape}; flatten it first")
    if values.dtype.kind == "b":
        values = values.view(xp.uint8)
        ids, uniques = factorize(backend, values, mask, sort)
        return ids, uniques.astype(xp.bool_)
    valid = valid_rows(xp, values, mask)
    if len(values) == 0:
        return xp.zeros(0, dtype=xp.int64), values[:0].copy()
    if values.dtype.kind in "iu":
        bounds = key_bounds(backend, values, valid)
        if bounds is None:  # every row is null
            return xp.full(len(values), -1, dtype=xp.int64), values[:0].copy()
        low, high = bounds
        if high - low < max(_RANGE_FACTOR * len(values), _RANGE_FLOOR):
            return factorize_range(backend, values, valid, low, high, sort)
    return backend._factorize_general(values, valid, sort)


def key_bounds(backend: Backend, values: Any, valid: Any | None) -> tuple[int, int] | None:
    """Min and max of the valid values as Python ints (one small host sync)."""
    xp = backend.xp
    if valid is None:
        both = xp.stack([values.min(), values.max()])
    else:
        info = xp.iinfo(values.dtype)
        low = xp.where(valid, values, values.dtype.type(info.max)).min()
        high = xp.where(valid, values, values.dtype.type(info.min)).max()
        any_valid = valid.any()
        both = xp.stack([low, high, any_valid.astype(values.dtype)])
    host = backend.to_host(both)
    if valid is not None and not host[2]:
        return None
    return int(host[0]), int(host[1])


def factorize_range(
    backend: Backend, values: Any, valid: Any | None, low: int, high: int, sort: bool
) -> tuple[Any, Any]:
    """Factorize integers in ``[low, high]`` through a presence table of that size."""
    xp = backend.xp
    span = high - low + 1
    if values.dtype.kind == "u":
        offset = (values - values.dtype.type(low)).astype(xp.int64)
    elif low == 0 and values.dtype == xp.int64:
        offset = values
    else:
        offset = xp.subtract(values, low, dtype=xp.int64)  # one pass, no int64 copy first
    if valid is not None:
        offset = xp.where(valid, offset, span)  # null rows land in an extra slot
    present = xp.bincount(offset, minlength=span + 1)[:span] > 0
    if sort:
        dense = xp.cumsum(present) - 1
        remap = xp.concatenate([dense, xp.asarray([-1], dtype=dense.dtype)])
        ids = remap[offset].astype(xp.int64, copy=False)
        slots = xp.flatnonzero(present)
    else:
        slots = xp.flatnonzero(present)
        # null rows sit in slot ``span``, which the prefix scan ignores
        first = first_rows_prefix(xp, offset, span, int(len(slots)), backend.to_host, ids_checked=True)
        slots = slots[xp.argsort(first[slots])]  # in order of first appearance
        remap = xp.full(span + 1, -1, dtype=xp.int64)
        remap[slots] = xp.arange(len(slots), dtype=xp.int64)
        ids = remap[offset]
    if values.dtype.kind == "u":
        uniques = slots.astype(values.dtype) + values.dtype.type(low)
    else:
        uniques = (slots + low).astype(values.dtype)
    return ids, uniques


def factorize_by_sort(xp: Any, values: Any, valid: Any | None, sort: bool) -> tuple[Any, Any]:
    """Factorize by sorting (the GPU's general method; any sortable dtype)."""
    n_rows = len(values)
    if valid is not None:
        rows = xp.flatnonzero(valid)
        sub_ids, uniques = factorize_by_sort(xp, values[rows], None, sort)
        ids = xp.full(n_rows, -1, dtype=xp.int64)
        ids[rows] = sub_ids
        return ids, uniques
    if n_rows == 0:
        return xp.zeros(0, dtype=xp.int64), values[:0].copy()
    order = xp.argsort(values)
    ordered = values[order]
    starts = xp.concatenate([xp.ones(1, dtype=xp.bool_), ordered[1:] != ordered[:-1]])
    rank = xp.cumsum(starts) - 1
    ids = xp.empty(n_rows, dtype=xp.int64)
    ids[order] = rank
    uniques = ordered[starts]
    if sort:
        return ids, uniques
    first = xp.full(len(uniques), n_rows, dtype=xp.int64)
    xp.minimum.at(first, ids, xp.arange(n_rows, dtype=xp.int64))
    appearance = xp.argsort(first)
    remap = xp.empty(len(uniques), dtype=xp.int64)
    remap[appearance] = xp.arange(len(uniques), dtype=xp.int64)
    return remap[ids], uniques[appearance]


def combine_ids(
    backend: Backend, ids_list: list[Any], sizes: list[int], sort: bool = True
) -> tuple[Any, int]:
    """One dense id for several keys; see :meth:`Backend.combine_ids`."""
    xp = backend.xp
    if len(ids_list) != len(sizes):
        raise ValueError(
            f"combine_ids got {len(ids_list)} id arrays but {len(sizes)} sizes; pass one size per key"
        )
    if not ids_list:
        raise ValueError("combine_ids needs at least one id array; pass a list such as [ids]")
    combined = ids_list[0].astype(xp.int64, copy=False)
    if len(ids_list) == 1:
        return combined, int(sizes[0])
    null = combined < 0
    total = int(sizes[0])
    for ids, size in zip(ids_list[1:], sizes[1:]):
        size = max(int(size), 1)
        if total * size > _INT64_MAX:  # re-factorize before the product overflows
            combined, uniques = backend.factorize(combined, ~null, sort)
            total = max(int(len(uniques)), 1)
        null = null | (ids < 0)
        combined = combined * size + ids
        total *= size
    if len(combined) == 0:
        return combined, 0
    valid = ~null if bool(backend.to_host(null.any())) else None  # no pass for keys without nulls
    if total <= max(_RANGE_FACTOR * len(combined), _RANGE_FLOOR):
        combined, uniques = factorize_range(backend, combined, valid, 0, total - 1, sort)
    else:
        combined, uniques = backend._factorize_general(combined, valid, sort)
    return combined, int(len(uniques))
