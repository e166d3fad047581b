"""Row labels without an index: the keys a frame or Series carries, and its row order.

Rows are positional. Two attributes of every DataFrame and Series stand in for
pandas' index (see docs/internals.md, "Keys and row order"):

``_keys``
    ``dict[name, Column]``, in order, each as long as the rows; empty for most frames.
    groupby (``as_index=True``), ``value_counts``, ``set_index``, ``pivot_table`` and
    ``crosstab`` produce keys; they follow the rows through filters, sorts and takes,
    exactly as pandas' labels do, and ``reset_index`` turns them into columns.
``_rows``
    Where the rows stand relative to the labels pandas would give them: ``ORIGINAL``
    (rows in their original order, so pandas' labels are the positions 0..n-1), a
    token object made by the filter, sort, sample or take that reordered them (shared
    by everything derived from that result, so two Series with the same token have
    the same labels), or ``FREE`` (built internally from columns: positional, no claim
    about labels; used as positions).

Nothing here runs on the hot paths: a row operation makes one token.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from headwater.dataframe.column import Column, build_column

__all__ = [
    "keys_from_index",
    "FREE", "ORIGINAL", "NoRowLabelsError", "Index", "reordered", "labels_known", "require_labels",
    "check_same_rows", "keys_equal", "key_positions", "keys_take",
]

ORIGINAL = None


class _Free:
    def __repr__(self) -> str:
        return "FREE"


FREE = _Free()


class NoRowLabelsError(ValueError):
    """A label was asked of rows that a filter, sort, sample or take reordered."""


def reordered() -> object:
    """A new token for rows that an operation reordered or filtered."""
    return object()


def labels_known(obj: Any) -> bool:
    """True when pandas' row labels of ``obj`` are known: keys, or rows in original order."""
    return bool(obj._keys) or obj._rows is ORIGINAL or obj._rows is FREE


def require_labels(obj: Any, what: str, instead: str) -> None:
    """Raise unless ``obj``'s row labels are known (see :func:`labels_known`)."""
    if not labels_known(obj):
        raise NoRowLabelsError(
            f"{what} reads pandas' row labels, and this object's rows were reordered or filtered "
            f"(by a filter, sort, sample or take), so its labels are not kept (rows are positional); "
            f"use {instead} instead"
        )


def keys_equal(a: dict[str, Column], b: dict[str, Column]) -> bool:
    """True when two key sets hold the same values in the same order (same names too)."""
    if list(a) != list(b):
        return False
    for name in a:
        x, y = a[name], b[name]
        if x is y:
            continue
        if len(x) != len(y) or not x.to_arrow().equals(y.to_arrow()):
            return False
    return True


def check_same_rows(left: Any, right: Any, what: str) -> str:
    """How to combine two row-aligned objects as pandas would: ``"positional"`` when their
    labels are the same row for row, ``"align"`` when both are keyed with different keys
    (the caller aligns on the keys); raises where pandas would align on labels that
    are not kept here.
    """
    lk, rk = left._keys, right._keys
    if lk or rk:
        if lk and rk:
            if all(lk.get(n) is c for n, c in rk.items()) and len(lk) == len(rk):
                return "positional"
            return "positional" if keys_equal(lk, rk) else "align"
        free = left._rows is FREE if not lk else right._rows is FREE
        if free:
            return "positional"
        raise NoRowLabelsError(
            f"{what}: one side is keyed by {list(lk or rk)} and the other is not, so pandas would "
            f"align keys with row numbers; use reset_index() on the keyed side, or .to_numpy() "
            f"for positional values"
        )
    lr, rr = left._rows, right._rows
    if lr is rr or lr is FREE or rr is FREE:
        return "positional"
    raise NoRowLabelsError(
        f"{what}: the two sides come from differently filtered or ordered rows, so pandas would "
        f"align them on row labels, which are not kept (rows are positional); select both from "
        f"the same frame, or call reset_index(drop=True) on both to combine them by position"
    )


def keys_take(keys: dict[str, Column], select: Any) -> dict[str, Column]:
    """The keys after a row selection (a function over columns)."""
    return {name: select(col) for name, col in keys.items()}


def _as_tuple(key: Any, n_keys: int) -> tuple:
    if n_keys == 1:
        return (key[0],) if isinstance(key, tuple) and len(key) == 1 else (key,)
    if not isinstance(key, tuple) or len(key) != n_keys:
        raise KeyError(f"a key of this object is a tuple of {n_keys} values, got {key!r}")
    return key


def key_positions(keys: dict[str, Column], wanted: Any, n: int) -> tuple[Any, bool]:
    """Positions of the rows whose keys equal ``wanted``.

    ``wanted`` is one key (a scalar, or a tuple for several key columns), or a list of
    keys; returns ``(xp int64 positions, scalar)`` where ``scalar`` says one key was
    asked. A key that no row has raises KeyError naming it. Without keys (``keys``
    empty) integer labels are the positions.
    """
    if not keys:
        raise TypeError("key_positions needs keys")
    cols = list(keys.values())
    xp = cols[0].xp
    many = isinstance(wanted, (list, np.ndarray)) or hasattr(wanted, "_column")
    items = list(wanted.to_list() if hasattr(wanted, "_column") else wanted) if many else [wanted]
    parts = []
    for item in items:
        key = _as_tuple(item, len(cols))
        hit = None
        for col, value in zip(cols, key):
            eq = col.binary_op("eq", value)
            m = eq.data if eq.mask is None else eq.data & eq.mask
            hit = m if hit is None else hit & m
        pos = xp.flatnonzero(hit).astype(np.int64)
        if int(pos.shape[0]) == 0:
            names = list(keys)
            raise KeyError(f"key {item!r} not found in the keys {names if len(names) > 1 else names[0]!r}")
        parts.append(pos)
    positions = parts[0] if len(parts) == 1 else xp.concatenate(parts) if parts else xp.zeros(0, dtype=np.int64)
    return positions, not many


class Index:
    """The row labels of a frame or Series, as pandas' ``Index``: its keys, or positions.

    ``len``, iteration, ``tolist()``, ``values`` / ``to_numpy()`` (host NumPy, counted),
    ``name`` / ``names`` and ``nlevels``. Several keys behave as a MultiIndex: labels are
    tuples. The positions of rows that a filter or sort reordered are not labels;
    reading them raises and names the positional alternative.

    Examples
    --------
    >>> import headwater as hw
    >>> s = hw.DataFrame({"k": ["b", "a", "b"], "v": [1, 2, 3]}).groupby("k")["v"].sum()
    >>> s.index.name, s.index.tolist(), len(s.index)
    ('k', ['a', 'b'], 2)
    >>> hw.DataFrame({"v": [5, 6]}).index.tolist()
    [0, 1]
    """

    def __init__(self, keys: dict[str, Column], n: int, rows: Any = ORIGINAL) -> None:
        self._keys, self._n, self._rows = dict(keys), int(n), rows

    @property
    def names(self) -> list[str | None]:
        """The key names (``[None]`` for positions)."""
        return list(self._keys) if self._keys else [None]

    @property
    def name(self) -> str | None:
        """The name of a single key (None for positions or several keys)."""
        return self.names[0] if len(self.names) == 1 else None

    @property
    def nlevels(self) -> int:
        """Number of key columns (1 for positions)."""
        return max(len(self._keys), 1)

    def _columns(self) -> list[Column]:
        if self._keys:
            return list(self._keys.values())
        require_labels(self, "the index", "reset_index(drop=True) (rows numbered 0..n-1) or positions (iloc)")
        from headwater.tensor.devices import get_backend

        return [build_column(get_backend().xp.arange(self._n, dtype=np.int64))]

    def tolist(self) -> list[Any]:
        """The labels as host Python values (tuples for several keys)."""
        lists = [c.to_arrow().to_pylist() for c in self._columns()]
        return lists[0] if len(lists) == 1 else list(zip(*lists))

    to_list = tolist

    def to_numpy(self) -> np.ndarray:
        """The labels as a host NumPy array (an object array of tuples for several keys)."""
        cols = self._columns()
        if len(cols) == 1:
            return cols[0].to_numpy()
        out = np.empty(self._n, dtype=object)
        out[:] = self.tolist()
        return out

    @property
    def values(self) -> np.ndarray:
        """Same as :meth:`to_numpy`."""
        return self.to_numpy()

    @property
    def is_unique(self) -> bool:
        """True when no label repeats."""
        from headwater.dataframe.unique import duplicated_rows

        return not bool(duplicated_rows(self._columns(), "first").any())

    def get_level_values(self, level: int | str) -> Index:
        """The labels of one key column."""
        names = list(self._keys)
        name = names[level] if isinstance(level, int) else level
        if name not in self._keys:
            raise KeyError(f"no key {level!r}; keys are {names}")
        return Index({name: self._keys[name]}, self._n)

    def to_series(self) -> Any:
        """The labels of a single key as a Series."""
        from headwater.dataframe.series import Series

        return Series._from_column(self._columns()[0], self.name)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())

    def __getitem__(self, i: Any) -> Any:
        return self.tolist()[i]

    def __contains__(self, label: object) -> bool:
        return label in self.tolist()

    def equals(self, other: Any) -> bool:
        """True when ``other`` (an Index or a list) holds the same labels in order."""
        return self.tolist() == (other.tolist() if hasattr(other, "tolist") else list(other))

    def __repr__(self) -> str:
        if not self._keys and self._rows is ORIGINAL:
            return f"RangeIndex(start=0, stop={self._n}, step=1)"
        if not labels_known(self):
            return f"Index(<{self._n} rows reordered: labels not kept>)"
        names = self.names
        return f"Index({self.tolist()!r}, name{'s' if len(names) > 1 else ''}={names if len(names) > 1 else names[0]!r})"


def keys_from_index(index: Any, n: int, device: Any = None) -> dict[str | None, Column]:
    """Keys for pandas' ``index=`` argument of ``Series``/``DataFrame``: none for the
    positions ``range(n)`` (a default RangeIndex), else the labels as key columns (one
    per level of a MultiIndex, named by its names).

    Examples
    --------
    >>> from headwater.dataframe.keys import keys_from_index
    >>> keys_from_index(range(3), 3), list(keys_from_index(["a", "b"], 2))
    ({}, [None])
    """
    from headwater.dataframe.column import column_from_host

    if isinstance(index, Index):
        if len(index) != n:
            raise ValueError(f"index has {len(index)} labels for {n} rows")
        return dict(index._keys)
    if isinstance(index, range) and index == range(n):
        return {}
    if type(index).__name__ == "RangeIndex" and list(index) == list(range(n)) and index.name is None:
        return {}
    levels = getattr(index, "levels", None)
    if levels is not None and getattr(index, "nlevels", 1) > 1:  # a pandas MultiIndex
        arrays = [index.get_level_values(i) for i in range(index.nlevels)]
        names = list(index.names)
    else:
        arrays, names = [index], [getattr(index, "name", None)]
    keys: dict[str | None, Column] = {}
    for name, values in zip(names, arrays):
        values = values.tolist() if hasattr(values, "tolist") else list(values)
        if len(values) != n:
            raise ValueError(f"index has {len(values)} labels for {n} rows; give one label per row")
        keys[None if name is None else str(name)] = column_from_host(values, device=device)
    return keys


class lineage:
    """A classmethod that also receives the instance it was called on (or None).

    ``frame._from_columns(cols)`` called on a frame keeps that frame's keys and row
    order when the new columns are as long (the same rows); called on the class it
    builds a frame of its own.
    """

    def __init__(self, fn: Any) -> None:
        self._fn = fn
        self.__doc__ = fn.__doc__

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        fn, owner = self._fn, cls if cls is not None else type(obj)

        def bound(*args: Any, **kw: Any) -> Any:
            return fn(owner, obj, *args, **kw)

        return bound


def _unique_keys(keys: dict[str, Column], what: str) -> None:
    from headwater.dataframe.unique import duplicated_rows

    if keys and bool(duplicated_rows(list(keys.values()), "first").any()):
        raise ValueError(
            f"{what}: the keys {list(keys)} repeat, so aligning on them is ambiguous; "
            f"use reset_index() and merge(...) on the key columns instead"
        )


def _keys_frame(keys: dict[str, Column], values: dict[str, Column]) -> Any:
    from headwater.dataframe.frame import DataFrame

    return DataFrame._from_columns({**keys, **values})


def align_to(target: dict[str, Column], keys: dict[str, Column], column: Column, what: str) -> Column:
    """``column`` (rows keyed by ``keys``) reordered to the rows keyed by ``target``;
    null where a target key is missing, as pandas' reindexing gives NaN."""
    from headwater.dataframe.join import merge

    if list(target) != list(keys):
        raise ValueError(f"{what}: keys {list(keys)} cannot align with keys {list(target)}")
    _unique_keys(keys, what)
    left = _keys_frame(target, {})
    right = _keys_frame(keys, {"__value__": column})
    return merge(left, right, how="left", on=list(target))._columns["__value__"]


def align_pair(lkeys: dict[str, Column], lcols: dict[str, Column], rkeys: dict[str, Column],
               rcols: dict[str, Column], what: str) -> tuple[dict[str, Column], dict, dict]:
    """Both sides on the union of their keys, in key order (pandas' alignment of two
    keyed objects whose keys differ); missing rows are null."""
    from headwater.dataframe.join import merge

    if list(lkeys) != list(rkeys):
        raise ValueError(f"{what}: keys {list(lkeys)} and {list(rkeys)} differ; align them with merge(...)")
    _unique_keys(lkeys, what)
    _unique_keys(rkeys, what)
    lnames = {f"__l{i}__": c for i, c in enumerate(lcols.values())}
    rnames = {f"__r{i}__": c for i, c in enumerate(rcols.values())}
    both = merge(_keys_frame(lkeys, lnames), _keys_frame(rkeys, rnames), how="outer", on=list(lkeys))
    cols = both._columns
    keys = {name: cols[name] for name in lkeys}
    left = {name: cols[f"__l{i}__"] for i, name in enumerate(lcols)}
    right = {name: cols[f"__r{i}__"] for i, name in enumerate(rcols)}
    return keys, left, right
