"""Direct lookup: a table over one side's keys gives each row of the other side its match.

A join against a table whose keys are unique (a dimension table: every db-benchmark
join) needs no sort, no key ids for both sides and no repeat: a table indexed by
key holds the build side's row of each key, and one gather of it at the probe
side's keys gives every probe row its match (-1 for none). Two kinds of single keys
index a table directly:

- integers in a small range: the value (minus the low end when it is not small);
- strings and categoricals: codes of the smaller dictionary, the other dictionary
  mapped into it once on the host.

Anything else (floats, several keys, a wide integer range) returns None and the
caller factorizes both sides (:mod:`.keys`, :mod:`.match`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow.compute as pc

from headwater.dataframe.column.base import Column
from headwater.dataframe.join.keys import int_bounds
from headwater.tensor.backend.threads import map_ranges

__all__ = ["lookup_rows", "lookup_rows_unique"]

_INTS = {"int", "uint"}
_DICTIONARY = {"string", "categorical"}
_PARALLEL_PLACE = 1 << 20  # scatters at least this long are split over host threads


def lookup_rows(probe: list[Column], build: list[Column], unique: bool,
                nulls_equal: bool = False) -> Any | None:
    """The ``build`` row matching each ``probe`` row (-1 for none), as an xp int64 array.

    With ``nulls_equal`` (pandas' merge) a null probe key matches a null build key.

    With ``unique=True`` the answer is None when a key repeats on the build side
    (each probe row would need several rows); otherwise a repeated key gives one of
    its rows, enough to tell which probe rows match. None also when the keys suit no
    direct table.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.column import build_column
    >>> xp = hw.get_backend().xp
    >>> rows = lookup_rows([build_column(xp.asarray([7, 5, 9]))], [build_column(xp.asarray([5, 7]))], True)
    >>> rows.tolist()
    [1, 0, -1]
    """
    found = _lookup(probe, build, nulls_equal, check_unique=unique, need_unique=unique)
    return None if found is None else found[0]


def lookup_rows_unique(probe: list[Column], build: list[Column], nulls_equal: bool = False
                       ) -> tuple[Any, bool] | None:
    """``(rows, unique)``: :func:`lookup_rows` with ``unique=False`` and whether every key
    of ``build`` is unique (then ``rows`` is *the* build row of each probe row), from one
    table; None when the keys suit no direct table."""
    return _lookup(probe, build, nulls_equal, check_unique=True, need_unique=False)


def _lookup(probe: list[Column], build: list[Column], nulls_equal: bool, check_unique: bool,
            need_unique: bool) -> tuple[Any, bool] | None:
    if len(probe) != 1:
        return None
    keys = _table_keys(probe[0], build[0])
    if keys is None:
        return None
    probe_keys, build_keys, size = keys
    backend = probe[0].backend
    xp = backend.xp
    if nulls_equal:  # slot ``size + 1``: null keys, apart from the absent ones
        probe_keys, build_keys = (k if c.mask is None else xp.where(c.mask, k, xp.int64(size + 1))
                                  for k, c in ((probe_keys, probe[0]), (build_keys, build[0])))
    table = xp.full(size + 2, -1, dtype=xp.int64)  # slot ``size``: absent (and null) keys
    _place_rows(backend, table, build_keys)
    table[size] = -1
    unique = False
    if check_unique:  # every placed key kept its row only if no two rows share a slot
        placed = xp.stack([xp.count_nonzero(table >= 0), xp.count_nonzero(build_keys != size)])
        counts = backend.to_host(placed)
        unique = int(counts[0]) == int(counts[1])
        if need_unique and not unique:
            return None
    return backend.take(table, probe_keys, checked=True), unique


def _place_rows(backend: Any, table: Any, slots: Any) -> None:
    """``table[slots] = row number``; long ones in ranges on host threads.

    NumPy drops the GIL in the scatter. When a slot repeats, which of its rows stays
    depends on the threads; callers only use such a table to test presence.
    """
    xp = backend.xp
    n = len(slots)
    if not backend.host_fast_paths or n < _PARALLEL_PLACE:
        table[slots] = xp.arange(n, dtype=table.dtype)
        return

    def part(start: int, stop: int) -> None:
        table[slots[start:stop]] = xp.arange(start, stop, dtype=table.dtype)

    map_ranges(part, n, _PARALLEL_PLACE // 2)


def _table_keys(probe: Column, build: Column) -> tuple[Any, Any, int] | None:
    """(probe slots, build slots, table size): slots in ``[0, size]``, ``size`` = no key."""
    if probe.kind in _INTS and build.kind in _INTS:
        return _int_slots(probe, build)
    if probe.kind in _DICTIONARY and build.kind in _DICTIONARY:
        if "plain" in (probe.layout, build.layout):
            return _plain_slots(probe, build)
        return _dictionary_slots(probe, build)
    return None


def _plain_slots(probe: Column, build: Column) -> tuple[Any, Any, int]:
    """Both sides' strings coded together (plain layout); the codes are the slots."""
    from headwater.dataframe.column.plain_string import concat_plain

    codes, size, _ = concat_plain([probe.as_plain(), build.as_plain()]).codes(False)
    xp = probe.xp
    n = len(probe)
    out = []
    for col, part in ((probe, codes[:n]), (build, codes[n:])):
        out.append(part if col.mask is None else xp.where(col.mask, part, size))
    return out[0], out[1], size


def _int_slots(probe: Column, build: Column) -> tuple[Any, Any, int] | None:
    bounds = int_bounds(probe, build)
    if bounds is None:
        return None
    low, high = bounds
    base = 0 if 0 <= low <= max(high - low, 1024) else low  # slots are the values: no subtraction
    size = high - base + 1

    def slots(col: Column) -> Any:
        xp = col.xp
        data = col.data
        if base == 0 and data.dtype.kind == "i":
            out = data
        else:
            out = xp.subtract(data, base, dtype=xp.int64) if base else data.astype(xp.int64)
        # NOTE: an int64 ``size``: a Python int would wrap in narrow keys (127 + 1 in int8)
        return out if col.mask is None else xp.where(col.mask, out, xp.int64(size))

    return slots(probe), slots(build), size


def _dictionary_slots(probe: Column, build: Column) -> tuple[Any, Any, int]:
    """Codes of the smaller dictionary as slots; the other side's codes mapped into it."""
    if probe.dictionary.equals(build.dictionary):
        size = len(probe.dictionary)
        return _codes(probe, None, size), _codes(build, None, size), size
    if len(probe.dictionary) <= len(build.dictionary):
        size = len(probe.dictionary)
        return _codes(probe, None, size), _codes(build, _positions(build, probe), size), size
    size = len(build.dictionary)
    return _codes(probe, _positions(probe, build), size), _codes(build, None, size), size


def _positions(col: Column, into: Column) -> Any:
    """xp int32: the code in ``into``'s dictionary of each value of ``col``'s (absent: its length)."""
    size = len(into.dictionary)
    position = pc.index_in(col.dictionary, value_set=into.dictionary)
    remap = position.fill_null(size).to_numpy(zero_copy_only=False).astype(np.int32)
    if len(remap) == 0:  # no values: every row is null, yet codes index the remap
        remap = np.full(1, size, dtype=np.int32)
    return col.backend.to_device(remap)


def _codes(col: Column, remap: Any, size: int) -> Any:
    xp = col.xp
    codes = col.data if remap is None else xp.take(remap, col.data)
    return codes if col.mask is None else xp.where(col.mask, codes, size)
