"""Join keys: both sides' key columns factorized into one shared id space.

String and categorical keys are matched on codes after their dictionaries are
unified (once, on the host); numeric keys are cast to a common dtype. The values of
both sides are factorized together, so equal keys get equal ids; null keys (and NaN)
get -1 and never match, or one id of their own with ``nulls_equal`` (pandas' merge).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow.compute as pc

from headwater.dataframe.column.base import Column
from headwater.dataframe.column.dictionary import unify_dictionaries

__all__ = ["MergeKeyError", "int_bounds", "join_ids"]

_NUMBERS = {"int", "uint", "float", "bool"}
_DICTIONARY = {"string", "categorical"}


class MergeKeyError(TypeError):
    """Two key columns that cannot be compared (for example a string and an integer)."""


def _validity(xp: Any, mask: Any, n: int) -> Any:
    return xp.ones(n, dtype=bool) if mask is None else mask


def _pair_values(left: Column, right: Column, names: tuple[str, str], sort: bool) -> tuple[Any, Any]:
    """(values of both sides concatenated, validity or None), comparable as numbers."""
    xp = left.xp
    lk, rk = left.kind, right.kind
    if lk in _DICTIONARY and rk in _DICTIONARY and "plain" in (left.layout, right.layout):
        from headwater.dataframe.column.plain_string import concat_plain

        # a mix of layouts is matched in the plain one: both sides' strings coded together
        values, _, _ = concat_plain([left.as_plain(), right.as_plain()]).codes(sort)
        lmask, rmask = left.mask, right.mask
    elif lk in _DICTIONARY and rk in _DICTIONARY:
        (lcodes, rcodes), dictionary = unify_dictionaries([left, right])
        values = xp.concatenate([lcodes, rcodes])
        if sort and len(dictionary):  # order the codes as the strings sort
            order = pc.sort_indices(dictionary).to_numpy()
            rank = np.empty(len(dictionary), dtype=np.int32)
            rank[order] = np.arange(len(dictionary), dtype=np.int32)
            values = xp.take(left.backend.to_device(rank), values)
        lmask, rmask = left.mask, right.mask
    elif (lk in _NUMBERS and rk in _NUMBERS) or lk == rk:
        common = xp.result_type(left.data.dtype, right.data.dtype)
        values = xp.concatenate([left.data.astype(common, copy=False), right.data.astype(common, copy=False)])
        lmask, rmask = left.missing_mask(), right.missing_mask()
    else:
        raise MergeKeyError(
            f"cannot join key {names[0]!r} ({left.dtype}) with {names[1]!r} ({right.dtype}); "
            f"cast one side with .astype(...) so both keys have the same kind"
        )
    if lmask is None and rmask is None:
        return values, None
    return values, xp.concatenate([_validity(xp, lmask, len(left)), _validity(xp, rmask, len(right))])


# Dense integer keys need no hashing: a span up to _RANGE_FACTOR times the rows always, and up
# to _WIDE_FACTOR times while the tables stay under _WIDE_SPAN entries (a table slot costs a
# memset byte or eight, a hashed row tens of nanoseconds: sparse keys such as TPC-H's order
# keys, 1.5 million over 1..6 million, are still far cheaper to index than to hash)
_RANGE_FACTOR = 2
_WIDE_FACTOR = 16
_WIDE_SPAN = 1 << 26


def int_bounds(left: Column, right: Column) -> tuple[int, int] | None:
    """Lowest and highest valid key of two integer columns, when they span a small range.

    None when there is no valid key, the span is wider than ``_RANGE_FACTOR`` times the
    rows (``_WIDE_FACTOR`` times below ``_WIDE_SPAN``), or the keys are not integers of one signedness (or are uint64, whose top
    half int64 arithmetic cannot hold).
    """
    ints = {"int", "uint"}
    if left.kind not in ints or right.kind not in ints or left.data.dtype.kind != right.data.dtype.kind:
        return None
    if left.data.dtype == "uint64" or right.data.dtype == "uint64":
        return None
    xp = left.xp
    parts = []
    for col in (left, right):
        if len(col) == 0:
            continue
        if col.mask is None:
            parts += [col.data.min(), col.data.max()]
        else:
            info = xp.iinfo(col.data.dtype)
            parts += [xp.where(col.mask, col.data, info.max).min(), xp.where(col.mask, col.data, info.min).max()]
    if not parts:
        return None
    host = left.backend.to_host(xp.stack([p.astype(xp.int64) for p in parts]))
    low, high = int(host[0::2].min()), int(host[1::2].max())
    rows = len(left) + len(right)
    span = high - low + 1
    if high < low or (span > _RANGE_FACTOR * rows + 1024 and
                      (span > _WIDE_SPAN or span > _WIDE_FACTOR * rows)):
        return None
    return low, high


def _int_offsets(left: Column, right: Column) -> tuple[Any, Any, int] | None:
    """``value - min`` as ids of both sides when integer keys span a small range."""
    bounds = int_bounds(left, right)
    if bounds is None:
        return None
    low, high = bounds
    xp = left.xp

    def offsets(col: Column) -> Any:
        ids = xp.subtract(col.data, low, dtype=xp.int64)
        return ids if col.mask is None else xp.where(col.mask, ids, -1)

    return offsets(left), offsets(right), high - low + 1


def _pair_ids(left: Column, right: Column, pair: tuple[str, str], sort: bool) -> tuple[Any, Any, int]:
    """Ids of both sides in one space (order-preserving when ``sort``), and its size."""
    backend = left.backend
    dense = _int_offsets(left, right)
    if dense is not None:
        return dense
    values, valid = _pair_values(left, right, pair, sort)
    n_left = len(left)
    if left.kind in _DICTIONARY and right.kind in _DICTIONARY:
        # codes into the shared dictionary (or their ranks) already are ids: no factorize
        xp = backend.xp
        ids = values.astype(xp.int64)
        if valid is not None:
            ids = xp.where(valid, ids, -1)
        size = int(backend.to_host(ids.max())) + 1 if len(ids) else 0
        return ids[:n_left], ids[n_left:], max(size, 0)
    ids, uniques = backend.factorize(values, valid, sort=sort)
    return ids[:n_left], ids[n_left:], int(len(uniques))


_NULL_FIRST = {"datetime", "timedelta"}  # pandas sorts NaT keys first (its int64 minimum), NaN last


def _null_id(xp: Any, part: tuple[Any, Any, int], first: bool) -> tuple[Any, Any, int]:
    """Null keys (-1) given one id of their own: ``n`` (last), or 0 with the others moved up."""
    lid, rid, n = part
    if first:
        return xp.where(lid >= 0, lid + 1, 0), xp.where(rid >= 0, rid + 1, 0), n + 1
    return xp.where(lid >= 0, lid, n), xp.where(rid >= 0, rid, n), n + 1


def join_ids(left: list[Column], right: list[Column], names: list[tuple[str, str]],
             sort: bool = False, nulls_equal: bool = False) -> tuple[Any, Any, int]:
    """Shared ids of the left and right rows (-1 for a null in any key) and their count.

    With ``nulls_equal`` (pandas' merge) a null key is one more value, so null keys
    match each other; in sort order it is last (first for datetimes and timedeltas,
    as pandas sorts NaT keys).

    Ids need not be dense: integer keys in a small range use ``value - min`` as they
    are. With ``sort=True`` the ids follow the order of the key values (used by outer
    joins, whose result pandas sorts by key).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.column import build_column
    >>> xp = hw.get_backend().xp
    >>> l, r, n = join_ids([build_column(xp.asarray([5, 7]))], [build_column(xp.asarray([7, 9]))],
    ...                    [("k", "k")], sort=True)
    >>> l.tolist(), r.tolist(), n
    ([0, 2], [2, 4], 5)
    """
    backend = left[0].backend
    xp = backend.xp
    parts = [_pair_ids(lc, rc, pair, sort) for lc, rc, pair in zip(left, right, names)]
    if nulls_equal:
        parts = [_null_id(xp, part, sort and lc.kind in _NULL_FIRST) for part, lc in zip(parts, left)]
    if len(parts) == 1:
        return parts[0]
    n_left = len(left[0])
    if not sort:
        reduced = _combine_matchable(backend, parts, n_left, len(right[0]))
        if reduced is not None:
            return reduced
    ids, n = backend.combine_ids([xp.concatenate([p[0], p[1]]) for p in parts], [p[2] for p in parts],
                                 sort=sort)
    return ids[:n_left], ids[n_left:], n


_REDUCE_FROM = 4  # the long side is at least this many times the short one


def _combine_matchable(backend: Any, parts: list[tuple[Any, Any, int]], n_left: int, n_right: int
                       ) -> tuple[Any, Any, int] | None:
    """Ids of several keys combined over the rows that can match only (None: not worth it).

    A long side's row whose key part occurs nowhere on the short side matches nothing:
    it gets id -1 (no match, like a null key), and only the rows left, with the short
    side's, are combined (hashed), often a small fraction of the long side.
    """
    xp = backend.xp
    if min(n_left, n_right) * _REDUCE_FROM > max(n_left, n_right):
        return None
    short = 0 if n_left <= n_right else 1
    keep = None
    for part in parts:
        size = part[2]
        present = xp.zeros(size + 1, dtype=bool)
        present[xp.where(part[short] >= 0, part[short], size)] = True
        present[size] = False
        hit = present[xp.where(part[1 - short] >= 0, part[1 - short], size)]
        keep = hit if keep is None else keep & hit
    rows = xp.flatnonzero(keep)
    n_short = len(parts[0][short])
    ids, n = backend.combine_ids([xp.concatenate([p[short], p[1 - short][rows]]) for p in parts],
                                 [p[2] for p in parts], sort=False)
    long_ids = xp.full(len(keep), -1, dtype=xp.int64)
    long_ids[rows] = ids[n_short:]
    pair = (ids[:n_short], long_ids)
    return (pair[0], pair[1], n) if short == 0 else (pair[1], pair[0], n)
