"""Deferred gathers: a column that holds its source column and row numbers until it is read.

A join, filter or sort gathers every column of a frame at the same row numbers, and a
query often reads only a few of them again (a merge of ``lineitem`` carries its free-text
``l_comment`` along, never to be read). A gather with row numbers the caller computed
(``take(..., checked=True)``) therefore returns a *pending* column: an object of the
source's own class whose buffers (``data``, ``mask`` and the family's ``offsets``,
``chars``, ``dictionary``, ...) are not set yet. The first read of any of them runs the
one gather from the source (:func:`materialize`) and fills them in; ``len`` and
``dtype`` need no gather. A gather of a pending column composes the row numbers instead
(``rows[indices]``) and stays pending, so a chain of joins and filters costs one gather
per column that is read, and none for the others.

The columns of one frame share their row numbers, so the composition is shared too:
:class:`Rows` remembers its last composition and :func:`rows_for` hands every column of
one gather the same :class:`Rows`, and each composition runs once per frame, not once
per column.

A pending column keeps its source alive. So that a small result never pins a large
source, a gather whose result is more than ``RETAIN`` (64) times shorter than the source it
would hold runs at once (it is cheap then anyway). At 64 a query that joins a few
hundred thousand rows of a 6M-row table and reads four of its sixteen columns gathers
four (TPC-H q9: 316 -> 216 ms); the price is that such a result, while its columns
stay unread, keeps the source's columns alive after the source frame is dropped.

:func:`enabled` / :func:`deferring` switch the mechanism (the tests compare both ways);
every operation gives identical results either way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = ["Rows", "rows_for", "take", "filter_rows", "slice_rows", "materialize", "enabled", "deferring",
           "is_pending", "on_source", "source_of", "RETAIN"]

RETAIN = 64  # a pending column may hold a source at most this many times longer than itself
_state = {"enabled": True}


def enabled() -> bool:
    """Whether checked gathers are deferred (on by default)."""
    return _state["enabled"]


@contextlib.contextmanager
def deferring(on: bool) -> Iterator[None]:
    """Run a block with deferred gathers switched on or off (restored afterwards)."""
    before = _state["enabled"]
    _state["enabled"] = bool(on)
    try:
        yield
    finally:
        _state["enabled"] = before


class Rows:
    """Row numbers into a source column (``-1`` = a null row when ``may_miss``).

    Shared by every column gathered at the same rows; remembers its last composition so
    that the frame's next gather composes once for all of its columns.
    """

    __slots__ = ("indices", "may_miss", "_next")

    def __init__(self, indices: Any, may_miss: bool) -> None:
        self.indices = indices
        self.may_miss = may_miss
        self._next: tuple[Any, Any, Rows] | None = None

    def __len__(self) -> int:
        return int(self.indices.shape[0])

    def then(self, backend: Any, indices: Any, allow_missing: bool) -> Rows:
        """These rows gathered at ``indices`` (valid rows of ``self``, or -1 with ``allow_missing``)."""
        memo = self._next
        if memo is not None and memo[0] is indices and memo[1] == allow_missing:
            return memo[2]
        xp = backend.xp
        if allow_missing and len(self) == 0:  # no rows to point at: every row is a null
            composed = xp.full(int(indices.shape[0]), -1, dtype=np.int64)
        elif allow_missing:
            hit = indices >= 0
            composed = backend.take(self.indices, xp.where(hit, indices, 0), checked=True)
            composed = xp.where(hit, composed, -1)
        else:
            composed = backend.take(self.indices, indices, checked=True)
        out = Rows(composed, self.may_miss or allow_missing)
        self._next = (indices, allow_missing, out)
        return out


_last: list[Any] = [None, None, None]  # the indices, allow_missing, and their Rows


def rows_for(indices: Any, allow_missing: bool) -> Rows:
    """The :class:`Rows` of ``indices``: the same object for the columns of one gather
    (the last call's, while ``indices`` is the same array)."""
    if _last[0] is indices and _last[1] == allow_missing:
        return _last[2]
    rows = Rows(indices.astype(np.int64, copy=False), allow_missing)
    _last[:] = [indices, allow_missing, rows]
    return rows


def is_pending(col: Any) -> bool:
    """True while ``col``'s buffers wait for their gather."""
    return col._pending is not None


def _root(col: Any) -> tuple[Any, Rows | None]:
    pending = col._pending
    return (col, None) if pending is None else pending


def _pending_column(root: Any, rows: Rows) -> Any:
    obj = object.__new__(type(root))
    obj.dtype = root.dtype
    obj._backend = root._backend
    obj._pending = (root, rows)
    return obj


def _defer(root: Any, rows: Rows) -> Any:
    if len(rows) * RETAIN < len(root):
        return _gather_now(root, rows)  # a short result: gather now rather than pin the source
    return _pending_column(root, rows)


def take(col: Any, indices: Any, allow_missing: bool) -> Any:
    """``col.take(indices, allow_missing, checked=True)``, deferred (see the module)."""
    root, rows = _root(col)
    if rows is None:
        return _defer(root, rows_for(indices, allow_missing))
    return _defer(root, rows.then(col._backend, indices, allow_missing))


_last_keep: list[Any] = [None, None]  # a boolean filter and its row numbers


def filter_rows(col: Any, keep: Any) -> Any:
    """``col.filter(keep)`` of a pending column: the kept rows composed (found once per filter)."""
    if _last_keep[0] is not keep:
        _last_keep[:] = [keep, col.xp.flatnonzero(keep)]
    return take(col, _last_keep[1], False)


def slice_rows(col: Any, start: int, stop: int | None, step: int) -> Any:
    """``col.slice(start, stop, step)`` of a pending column: a slice of its row numbers."""
    root, rows = col._pending
    return _defer(root, Rows(rows.indices[slice(start, stop, step)], rows.may_miss))


def source_of(col: Any) -> Any:
    """The source column of a pending gather that has no missing rows to make (its rows'
    nulls, NaN-freeness and dtype are the source's facts), else None."""
    pending = col._pending
    if pending is None or pending[1].may_miss:
        return None
    return pending[0]


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, bytes)) or not (hasattr(value, "__len__") or hasattr(value, "__array__")
                                                   or hasattr(value, "_pending"))


def on_source(col: Any, op: Any, *scalars: Any) -> Any:
    """``op(col, *scalars)`` for a row-wise ``op`` (one output row per input row, reading
    nothing but that row and the ``scalars``), run on a pending column's source and
    gathered at its rows, or None where that does not apply (``col`` not pending, a
    missing row to gather, a source longer than the rows, or an argument that is neither
    a scalar nor a column pending at the very same rows from a source of the same
    length, whose source then takes its place).

    A comparison of a joined dimension column with a literal
    (``x["n_name"] == "FRANCE"`` after a merge of 6M rows against 25 nations) then
    compares the 25 names and gathers booleans, instead of gathering 6M strings to
    compare them, and ``&`` of two such results combines the 25 booleans; the result
    equals ``op`` of the gathered columns, row for row.
    """
    pending = col._pending
    if pending is None:
        return None
    root, rows = pending
    if rows.may_miss or len(root) > len(rows):
        return None
    sources = []
    for value in scalars:
        other = getattr(value, "_pending", None) if not isinstance(value, (str, bytes)) else None
        if other is not None and other[1] is rows and len(other[0]) == len(root):
            sources.append(other[0])  # gathered at the same rows from a source as long: pair the sources
        elif _is_scalar(value):
            sources.append(value)
        else:
            return None
    return op(root, *sources).take(rows.indices, checked=True)


def _gather_now(root: Any, rows: Rows) -> Any:
    return root._take_now(rows.indices, allow_missing=rows.may_miss, checked=True)


_SLOTS: dict[type, tuple[str, ...]] = {}


def _slots(cls: type) -> tuple[str, ...]:
    names = _SLOTS.get(cls)
    if names is None:
        names = tuple(name for klass in cls.__mro__ for name in klass.__dict__.get("__slots__", ())
                      if name != "_pending")
        _SLOTS[cls] = names
    return names


def materialize(col: Any) -> None:
    """Run a pending column's gather and fill in its buffers (it is then an ordinary column)."""
    root, rows = col._pending
    eager = _gather_now(root, rows)
    if type(eager) is not type(col):
        raise TypeError(f"a gather of a {type(root).__name__} gave a {type(eager).__name__}")
    for name in _slots(type(col)):
        try:
            value = object.__getattribute__(eager, name)
        except AttributeError:  # a lazily found attribute the gather left unset
            continue
        object.__setattr__(col, name, value)
    col._pending = None
