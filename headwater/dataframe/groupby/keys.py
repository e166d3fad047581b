"""Group keys: the key columns of a frame turned into one group slot per row.

Each key column becomes small integer codes: dictionary codes as they are, bools
as 0/1, integers in a small range as ``value - min``, anything else through the
backend's hash (CPU) or sort (GPU) factorization. Several keys pack into one int64
(``code1 * span2 + code2 ...``). When the packed range is at most about twice the
row count it is used directly as the *slot* of a row: no hashing, no sorting, and
no gather to renumber the rows; the reductions run over every slot and keep the
slots that hold rows (``GroupKeys.pick``). A wider range is hashed into dense ids.

Group order is decided on the slots, never on the rows: ascending key order with
``sort=True`` (string keys by their dictionary ranks, null keys last), else the
order of first appearance, read from the first row of each slot (which is found
in a prefix of the rows, see ``first_rows_prefix``). Null keys get -1 and are
skipped by every reduction (``dropna=True``) or form their own group
(``dropna=False``), as in pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from headwater.dataframe.column.base import Column
from headwater.tensor.backend.factorize import key_bounds
from headwater.tensor.backend.segments import first_rows_prefix

__all__ = ["GroupKeys", "factorize_keys"]

# Slots are used directly when their range is at most this many times the row count
# (plus a floor, so that small frames with sparse keys avoid hashing too).
_SLOT_FACTOR = 2
_SLOT_FLOOR = 1 << 16
_INT64_MAX = (1 << 63) - 1


@dataclass(frozen=True)
class GroupKeys:
    """Group slot of every row, and what the reductions need to use it.

    Reductions run over ``m`` slots (``ids`` in ``[0, m)``, -1 for a dropped row)
    and :meth:`pick` keeps one value per group, in group order.

    Attributes
    ----------
    ids : xp int64 array
        Slot of each row, or -1 for a row whose key is null (dropped).
    m : int
        Number of slots; some may hold no row when ``groups`` is not None.
    n : int
        Number of groups.
    groups : xp int64 array or None
        The slot of each group, in output order (None: slot ``g`` is group ``g``).
    has_dropped : bool
        Whether any row has id -1 (when False, reductions may skip a routing pass).
    first_rows : xp int64 array
        First row of each group (in group order), used to gather the key values.
    sizes : xp int64 array
        Rows per slot (dropped rows not counted).
    """

    ids: Any
    m: int
    n: int
    groups: Any
    has_dropped: bool
    first_rows: Any
    sizes: Any

    def pick(self, per_slot: Any) -> Any:
        """One value per group (group order) from an array with one value per slot."""
        return per_slot if self.groups is None else per_slot[self.groups]

    def group_ids(self) -> Any:
        """Dense group number of every row (``-1`` for a dropped row)."""
        if self.groups is None:
            return self.ids
        xp = _namespace(self.ids)
        number = xp.full(self.m + 1, -1, dtype=xp.int64)
        number[self.groups] = xp.arange(self.n, dtype=xp.int64)
        return number[self.ids]  # -1 reads the last entry, which stays -1

    def key_columns(self, columns: dict[str, Column]) -> dict[str, Column]:
        """The key values of each group, gathered from the groups' first rows."""
        return {name: col.take(self.first_rows, checked=True) for name, col in columns.items()}


def _namespace(array: Any) -> Any:
    from headwater.tensor.devices import backend_of

    return backend_of(array).xp


@dataclass
class _Codes:
    """One key as integer codes: valid rows hold ``codes - low`` in ``[0, span)``."""

    codes: Any
    low: int
    span: int
    valid: Any  # rows that have a key (None: every row)
    rank: Any  # sort position of each code (None: code order is key order)


def _codes(col: Column, sort: bool, dropna: bool) -> _Codes:
    backend = col.backend
    xp = backend.xp
    if col.kind in ("string", "categorical"):  # either string layout: codes(sort)
        codes, span, rank = col.codes(sort)
        key = _Codes(codes, 0, span, col.mask, rank)
    elif col.kind == "bool":
        key = _Codes(col.data.view(xp.uint8), 0, 2, col.mask, None)
    else:
        values, valid = col.factorize_key()
        key = None
        if values.dtype.kind in "iu":
            bounds = key_bounds(backend, values, valid)
            if bounds is None:  # every key is null
                key = _Codes(xp.zeros(len(values), dtype=xp.int64), 0, 1, valid, None)
            elif bounds[1] - bounds[0] < max(_SLOT_FACTOR * len(values), _SLOT_FLOOR):
                key = _Codes(values, bounds[0], bounds[1] - bounds[0] + 1, valid, None)
        if key is None:  # hashed in order of appearance; sorted by ranking the distinct values
            ids, uniques = backend.factorize(values, valid, sort=False)
            has_null = len(values) and bool(backend.to_host((ids < 0).any()))
            rank = None
            if sort and len(uniques):
                rank = xp.empty(len(uniques), dtype=xp.int64)
                rank[backend.stable_argsort(uniques)] = xp.arange(len(uniques), dtype=xp.int64)
            key = _Codes(ids, 0, max(int(len(uniques)), 1), ids >= 0 if has_null else None, rank)
    if key.valid is not None and not dropna:  # the null key is one more code, sorted last
        offset = _offset(xp, key.codes, key.low)
        key = _Codes(xp.where(key.valid, offset, key.span), 0, key.span + 1, None,
                     None if key.rank is None else xp.concatenate(
                         [key.rank.astype(xp.int64), xp.asarray([key.span], dtype=xp.int64)]))
    return key


def _offset(xp: Any, codes: Any, low: int) -> Any:
    """``codes - low`` as int64 in one pass (no copy for int64 codes starting at 0)."""
    if low == 0:
        return codes.astype(xp.int64, copy=False)
    if codes.dtype.kind == "u":
        return (codes - codes.dtype.type(low)).astype(xp.int64)
    return xp.subtract(codes, low, dtype=xp.int64)


def _pack(backend: Any, keys: list[_Codes], sort: bool) -> tuple[Any, int, Any, list[int] | None]:
    """(packed int64 code per row, its range, dropped rows or None, strides or None).

    Strides are None when the keys were re-factorized on the way (more than 63 bits).
    """
    xp = backend.xp
    packed, total, dropped, strides = None, 1, None, []
    for key in keys:
        offset = _offset(xp, key.codes, key.low)
        if total * key.span > _INT64_MAX:  # re-factorize before the product overflows
            packed, uniques = backend.factorize(packed, None if dropped is None else ~dropped, sort)
            total, strides = max(int(len(uniques)), 1), None
        if packed is None:
            packed = offset
        else:
            if packed is keys[0].codes:  # never write into a column's buffer
                packed = packed.copy()
            packed *= key.span
            packed += offset
            if strides is not None:
                strides = [s * key.span for s in strides]
        if strides is not None:
            strides.append(1)
        total *= key.span
        if key.valid is not None:
            dropped = ~key.valid if dropped is None else dropped | ~key.valid
    return packed, total, dropped, strides


def _ranked(xp: Any, slot_values: Any, keys: list[_Codes], strides: list[int]) -> Any:
    """The packed value of each slot with every code replaced by its sort rank."""
    out = xp.zeros(len(slot_values), dtype=xp.int64)
    for key, stride in zip(keys, strides):
        code = (slot_values // stride) % key.span
        out += (code if key.rank is None else key.rank[code].astype(xp.int64)) * stride
    return out


def factorize_keys(columns: list[Column], sort: bool = True, dropna: bool = True) -> GroupKeys:
    """Group slots for rows keyed by ``columns`` (all of one length and device).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.column import build_column
    >>> keys = factorize_keys([build_column(hw.get_backend().xp.asarray([7, 3, 7]))])
    >>> keys.group_ids().tolist(), keys.n
    ([1, 0, 1], 2)
    """
    if not columns:
        raise ValueError("groupby needs at least one key column")
    backend = columns[0].backend
    xp = backend.xp
    n_rows = len(columns[0])
    if n_rows == 0:
        empty = xp.zeros(0, dtype=xp.int64)
        return GroupKeys(ids=empty, m=0, n=0, groups=None, has_dropped=False, first_rows=empty,
                         sizes=empty)
    keys = [_codes(col, sort, dropna) for col in columns]
    if sort and any(k.rank is not None for k in keys) and \
            _product([k.span for k in keys]) > _INT64_MAX:  # ranks cannot be recovered later
        keys = [k if k.rank is None else _Codes(k.rank[_offset(xp, k.codes, k.low)], 0, k.span, k.valid, None)
                for k in keys]
    packed, total, dropped, strides = _pack(backend, keys, sort)
    if dropped is not None and not bool(backend.to_host(dropped.any())):
        dropped = None
    if dropped is None and not (sort and any(k.rank is not None for k in keys)):
        runs = _sorted_runs(backend, packed)
        if runs is not None:
            return runs
    slot_values = None  # the packed value of each slot when slots are hashed ids
    if total <= max(_SLOT_FACTOR * n_rows, _SLOT_FLOOR):
        ids, m = packed, total
        if dropped is not None:
            ids = xp.where(dropped, -1, ids)
    else:
        # hashed in order of first appearance (the fast path); sorting, when asked,
        # is done on the distinct values, not on the rows
        ids, slot_values = backend.factorize(packed, None if dropped is None else ~dropped, sort=False)
        m = int(len(slot_values))
    has_dropped = dropped is not None
    routed = xp.where(ids >= 0, ids, m) if has_dropped else ids
    sizes = xp.bincount(routed, minlength=m + 1)[:m].astype(xp.int64, copy=False)
    present = sizes > 0
    n = int(backend.to_host(xp.count_nonzero(present)))
    if slot_values is not None and backend.host_fast_paths:
        first = _appearance_first_rows(xp, ids)
    else:
        first = first_rows_prefix(xp, ids, m, n, backend.to_host, ids_checked=not has_dropped)
    groups = _group_order(backend, keys, strides, sort, present, n, m, first, slot_values, n_rows)
    first_rows = first if groups is None else first[groups]
    return GroupKeys(ids=ids, m=m, n=n, groups=groups, has_dropped=has_dropped,
                     first_rows=first_rows, sizes=sizes)


_PROBE = 1024  # rows checked for order before the whole column is


def _sorted_runs(backend: Any, packed: Any) -> GroupKeys | None:
    """The groups of rows whose packed keys never decrease (a table stored sorted by its
    key, as TPC-H's lineitem by ``l_orderkey``), as runs: dense ids in key order (which
    is also the order of first appearance), each group's first row where the key
    changes and its size from the next start, so no table over the key's range is
    built and no row is hashed; None for rows out of order (found in the first
    ``_PROBE`` rows for most such columns, so they cost almost nothing here)."""
    xp = backend.xp
    n_rows = len(packed)
    if n_rows < 2:
        return None
    head = packed[:_PROBE]
    if not bool(backend.to_host((head[1:] >= head[:-1]).all())):
        return None
    later, earlier = packed[1:], packed[:-1]
    if not bool(backend.to_host((later >= earlier).all())):
        return None
    start = xp.empty(n_rows, dtype=bool)
    start[0] = True
    xp.not_equal(later, earlier, out=start[1:])
    first = xp.flatnonzero(start).astype(xp.int64, copy=False)
    n = int(len(first))
    sizes = xp.empty(n, dtype=xp.int64)
    xp.subtract(first[1:], first[:-1], out=sizes[:-1])
    sizes[-1] = n_rows - first[-1]
    ids = xp.repeat(xp.arange(n, dtype=xp.int64), sizes)  # a fill per run, not a running sum
    return GroupKeys(ids=ids, m=n, n=n, groups=None, has_dropped=False, first_rows=first, sizes=sizes)


def _group_order(backend: Any, keys: list[_Codes], strides: list[int] | None, sort: bool, present: Any,
                 n: int, m: int, first: Any, slot_values: Any, n_rows: int) -> Any:
    """The slot of each group in output order (None when that is every slot in order)."""
    xp = backend.xp
    hashed = slot_values is not None
    if not sort:
        if hashed:  # dense ids in order of first appearance already
            return None
        slots = xp.flatnonzero(present)
        return slots[_order_of_rows(xp, first[slots], n_rows)]
    ranked = any(k.rank is not None for k in keys)
    if hashed:  # every hashed id is a group: order them by their packed value
        return backend.stable_argsort(_ranked(xp, slot_values, keys, strides) if ranked else slot_values)
    if not ranked:  # slots are in key order
        return None if n == m else xp.flatnonzero(present)
    # ranked slots are distinct and below m: place each at its rank instead of sorting
    slots = xp.flatnonzero(present)
    table = xp.full(m, -1, dtype=xp.int64)
    table[_ranked(xp, slots, keys, strides)] = slots
    return table[table >= 0]


def _appearance_first_rows(xp: Any, ids: Any) -> Any:
    """First row of each id when ids are numbered in order of first appearance.

    Such an id first appears exactly where it exceeds every id before it: one
    running maximum instead of a scatter over all rows.
    """
    running = xp.maximum.accumulate(ids)
    new = xp.empty(len(ids), dtype=bool)
    new[0] = ids[0] >= 0
    xp.greater(running[1:], running[:-1], out=new[1:])
    return xp.flatnonzero(new)


def _order_of_rows(xp: Any, rows: Any, n_rows: int) -> Any:
    """argsort of distinct row numbers; a presence table instead of a sort when many."""
    if len(rows) * 16 < n_rows:
        return xp.argsort(rows)
    seen = xp.zeros(n_rows + 1, dtype=xp.int64)
    seen[rows] = 1
    position = xp.cumsum(seen) - 1
    order = xp.empty(len(rows), dtype=xp.int64)
    order[position[rows]] = xp.arange(len(rows), dtype=xp.int64)
    return order


def _product(values: list[int]) -> int:
    out = 1
    for v in values:
        out *= v
    return out
