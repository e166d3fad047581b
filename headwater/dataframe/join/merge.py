"""``merge``: join two frames on key columns, as ``pandas.merge`` does.

Keys become shared dense ids (:mod:`.keys`), ids become row pairs (:mod:`.match`),
and every output column is one gather of its source column.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np

from headwater.dataframe.column import deferred
from headwater.dataframe.column.base import Column
from headwater.dataframe.errors import missing_column
from headwater.dataframe.join.keys import join_ids
from headwater.dataframe.join.lookup import lookup_rows, lookup_rows_unique
from headwater.dataframe.join.match import cross_pairs, left_unique_pairs, lookup_pairs, match, semi_mask

__all__ = ["merge", "HOWS"]

HOWS = ("inner", "left", "right", "outer", "cross", "semi", "anti")


def _names(value: str | list[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _key_names(left: Any, right: Any, how: str, on: Any, left_on: Any, right_on: Any) -> tuple[list[str], list[str]]:
    on, left_on, right_on = _names(on), _names(left_on), _names(right_on)
    if how == "cross":
        if on or left_on or right_on:
            raise ValueError("a cross join pairs every row with every row; drop on=/left_on=/right_on=")
        return [], []
    if on is not None:
        if left_on is not None or right_on is not None:
            raise ValueError("pass on= or left_on=/right_on=, not both")
        left_on = right_on = on
    elif left_on is None and right_on is None:
        left_on = right_on = [c for c in left._columns if c in right._columns]
        if not left_on:
            raise ValueError(
                "the frames share no column name to join on; pass on=, or left_on= and right_on="
            )
    elif left_on is None or right_on is None:
        raise ValueError("left_on= and right_on= go together; pass both (or on= for shared names)")
    if len(left_on) != len(right_on):
        raise ValueError(
            f"left_on has {len(left_on)} keys and right_on {len(right_on)}; pass one right key per left key"
        )
    if not left_on:
        raise ValueError("merge needs at least one key column")
    for frame, keys in ((left, left_on), (right, right_on)):
        for name in keys:
            if name not in frame._columns:
                raise missing_column(name, frame._columns)
    return left_on, right_on


def _keys_as_columns(frame: Any, on: Any, side_on: Any) -> Any:
    """The frame with its keys as columns when a join names them (pandas joins on index
    level names too); otherwise the keys are dropped, as pandas drops the index."""
    if not frame._keys:
        return frame
    wanted = set(_names(on) or []) | set(_names(side_on) or [])
    if wanted & set(frame._keys):
        return frame.reset_index()
    return frame.reset_index(drop=True) if not wanted else frame


def _check_how(how: str) -> str:
    if how in HOWS:
        return how
    close = difflib.get_close_matches(str(how), HOWS, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ValueError(f"unknown join how={how!r}; {hint}use one of {', '.join(HOWS)}")


def _output_names(left: Any, right: Any, shared: set[str], suffixes: tuple[str | None, str | None]
                  ) -> tuple[dict[str, str], dict[str, str]]:
    """Output name of each left and right column (right's shared keys are left out)."""
    lsuf, rsuf = suffixes
    overlap = (set(left._columns) & set(right._columns)) - shared
    if overlap and not lsuf and not rsuf:
        raise ValueError(
            f"columns {sorted(overlap)} are on both sides; pass suffixes=('_x', '_y') to tell them apart"
        )
    lnames = {c: (c + (lsuf or "")) if c in overlap else c for c in left._columns}
    rnames = {c: (c + (rsuf or "")) if c in overlap else c for c in right._columns if c not in shared}
    clash = set(lnames.values()) & set(rnames.values())
    if clash:
        raise ValueError(f"suffixes {suffixes} give duplicate column names {sorted(clash)}; choose others")
    return lnames, rnames


def _frame(columns: dict[str, Column]) -> Any:
    from headwater.dataframe.frame import DataFrame

    return DataFrame._from_columns(columns)


def merge(left: Any, right: Any, how: str = "inner", on: str | list[str] | None = None,
          left_on: str | list[str] | None = None, right_on: str | list[str] | None = None,
          suffixes: tuple[str | None, str | None] = ("_x", "_y"), *, indicator: bool | str = False,
          validate: str | None = None, sort: bool = False, copy: bool | None = None,
          left_index: bool = False, right_index: bool = False) -> Any:
    """Join two frames on key columns.

    Parameters
    ----------
    left, right : DataFrame
    how : {"inner", "left", "right", "outer", "cross", "semi", "anti"}
        ``inner`` and ``left`` keep the left frame's row order (each left row's
        matches in right order), ``right`` the right frame's; ``outer`` sorts by key,
        as pandas does. ``semi`` keeps the left rows that have a match, ``anti``
        those that have none (left columns only). ``cross`` pairs every row.
    on : str or list of str, optional
        Key columns present in both frames (default: all shared column names).
    left_on, right_on : str or list of str, optional
        Key columns named differently on each side; both are kept in the result.
    suffixes : (str, str)
        Appended to non-key column names present on both sides.
    indicator : bool or str
        Add a categorical column ``_merge`` (or this name) saying where each row came
        from: ``left_only``, ``right_only`` or ``both``.
    validate : {"one_to_one", "1:1", "one_to_many", "1:m", "many_to_one", "m:1", "many_to_many", "m:m"}
        Check that the keys are unique on the side(s) it names; :class:`MergeError` if not.
    sort : bool
        Sort the result by the keys (outer joins always are).
    left_index, right_index
        Join on the keys of a keyed frame: name them in ``on=`` instead (keys are
        columns by name here); ``True`` is refused with that advice.

    Returns
    -------
    DataFrame

    Notes
    -----
    As in pandas, null keys (None and NaN alike) match each other in the inner, left,
    right and outer joins; outer joins sort them last. ``semi`` and ``anti``, which
    pandas lacks, follow SQL and Polars: a null key matches nothing (an anti join
    keeps it). Keys of any dtype work; string keys are matched through one
    dictionary shared by both sides.

    Examples
    --------
    >>> import headwater as hw
    >>> a = hw.DataFrame({"k": ["x", "y", "x"], "v": [1, 2, 3]})
    >>> b = hw.DataFrame({"k": ["x", "z"], "w": [10, 20]})
    >>> hw.merge(a, b, on="k").to_pandas()
       k  v   w
    0  x  1  10
    1  x  3  10
    >>> hw.merge(a, b, on="k", how="anti").to_pandas()
       k  v
    0  y  2
    """
    how = _check_how(how)
    if left_index or right_index:
        raise NotImplementedError("merge(left_index=, right_index=): name the keys in on=... (keys join by name); "
                                  "set_index/reset_index move columns to keys and back")
    left, right = _keys_as_columns(left, on, left_on), _keys_as_columns(right, on, right_on)
    left_on, right_on = _key_names(left, right, how, on, left_on, right_on)
    if validate is not None:
        _validate(left, right, left_on, right_on, validate)
    lcols, rcols = left._columns, right._columns
    backend = next(iter(lcols.values())).backend if lcols else None
    if backend is None or not rcols:
        raise ValueError("merge needs frames with at least one column on each side")
    if how == "cross":
        return _assemble(left, right, list(cross_pairs(backend, len(left), len(right))), set(), [], [],
                         "inner", suffixes)
    names = list(zip(left_on, right_on))
    pairs = _row_pairs(backend, [lcols[c] for c in left_on], [rcols[c] for c in right_on], names, how)
    if how in ("semi", "anti"):
        return _frame({name: col.filter(pairs) for name, col in lcols.items()})
    shared = {lk for lk, rk in names if lk == rk}
    flag = _indicator(backend, pairs, len(left), len(right)) if indicator else None
    out = _assemble(left, right, pairs, shared, left_on, right_on, how, suffixes)
    if flag is not None:
        label = indicator if isinstance(indicator, str) else "_merge"
        if label in out._columns:
            raise ValueError(f"indicator column {label!r} clashes with a column; pass indicator='another_name'")
        out._columns[label] = flag
    if sort and how != "outer" and len(out):
        out = out.sort_values([lk for lk, _ in names if lk in out._columns])
        out = out.reset_index(drop=True)
    return out


class MergeError(ValueError):
    """``merge(validate=...)`` found repeated keys on a side it said were unique."""


_VALIDATE = {"one_to_one": (True, True), "1:1": (True, True), "one_to_many": (True, False),
             "1:m": (True, False), "many_to_one": (False, True), "m:1": (False, True),
             "many_to_many": (False, False), "m:m": (False, False)}


def _validate(left: Any, right: Any, left_on: list[str], right_on: list[str], validate: str) -> None:
    from headwater.dataframe.unique import duplicated_rows

    if validate not in _VALIDATE:
        raise ValueError(f"validate must be one of {sorted(_VALIDATE)}, got {validate!r}")
    for side, frame, keys, must in (("left", left, left_on, _VALIDATE[validate][0]),
                                    ("right", right, right_on, _VALIDATE[validate][1])):
        if must and len(frame) and bool(duplicated_rows([frame._columns[k] for k in keys], "first").any()):
            raise MergeError(f"merge(validate={validate!r}): the {side} keys {keys} repeat, so the merge is not "
                             f"{validate}; drop_duplicates({keys!r}) on the {side} frame, or relax validate")


def _indicator(backend: Any, pairs: list[Any], n_left: int, n_right: int) -> Column:
    """The ``_merge`` column: 0 left_only, 1 right_only, 2 both (a categorical)."""
    import pyarrow as pa

    from headwater.dataframe.column import build_column
    from headwater.dataframe.dtypes import CategoricalDtype

    xp = backend.xp
    lrows, rrows = pairs
    n = len(lrows) if lrows is not None else (len(rrows) if rrows is not None else n_left)
    has_left = xp.ones(n, dtype=bool) if lrows is None else lrows >= 0
    has_right = xp.ones(n, dtype=bool) if rrows is None else rrows >= 0
    codes = xp.where(has_left & has_right, 2, xp.where(has_left, 0, 1)).astype(np.int32)
    cats = pa.array(["left_only", "right_only", "both"])
    return build_column(codes, None, CategoricalDtype(cats, ordered=False), dictionary=cats, ordered=False)


def _row_pairs(backend: Any, lkeys: list[Column], rkeys: list[Column], names: list[tuple[str, str]],
               how: str, narrow: bool = True) -> Any:
    """``[left rows, right rows]`` of the output rows, or the left rows kept by semi/anti.

    Rows are None when they are every row of that side in order; -1 is a missing row.
    """
    xp = backend.xp
    if narrow and how in ("inner", "left") and len(rkeys[0]) > _NARROW * max(len(lkeys[0]), 1):
        narrowed = _narrowed_pairs(backend, lkeys, rkeys, names, how)
        if narrowed is not None:
            return narrowed
    if how != "outer":  # unique keys on the build side: one table lookup, no key ids
        probe, build = (rkeys, lkeys) if how == "right" else (lkeys, rkeys)
        rows = lookup_rows(probe, build, unique=how not in ("semi", "anti"), nulls_equal=how not in ("semi", "anti"))
        if rows is not None:
            if how in ("semi", "anti"):
                return rows >= 0 if how == "semi" else rows < 0
            if how == "right":
                return [rows, None]
            return list(lookup_pairs(backend, rows, keep_unmatched=how == "left"))
    if narrow and how in ("inner", "left"):  # unique keys on the left: the right rows find their left row
        found = lookup_rows_unique(rkeys, lkeys, nulls_equal=True)
        if found is not None and found[1]:
            return list(left_unique_pairs(backend, found[0], len(lkeys[0]), keep_unmatched=how == "left"))
    if narrow and how == "inner" and len(lkeys) == 1 and len(lkeys[0]) > _NARROW * max(len(rkeys[0]), 1):
        # the mirror case: many left rows, a few right rows with repeated keys
        narrowed = _narrowed_left_pairs(backend, lkeys, rkeys, names)
        if narrowed is not None:
            return narrowed
    lids, rids, n = join_ids(lkeys, rkeys, names, sort=how == "outer", nulls_equal=how not in ("semi", "anti"))
    if how in ("semi", "anti"):
        keep = semi_mask(backend, lids, rids, n)
        return keep if how == "semi" else ~keep
    if how == "right":
        rrows, lrows = match(backend, rids, lids, n, keep_unmatched=True)
        return [lrows, rrows]
    lrows, rrows = match(backend, lids, rids, n, keep_unmatched=how in ("left", "outer"))
    if how == "outer":
        if lrows is None:
            lrows = xp.arange(len(lkeys[0]), dtype=xp.int64)
        return list(_add_unmatched_right(backend, lrows, rrows, lids, rids, n))
    return [lrows, rrows]


_NARROW = 8  # the right side is at least this many times the left


def _narrowed_pairs(backend: Any, lkeys: list[Column], rkeys: list[Column], names: list[tuple[str, str]],
                    how: str) -> list[Any] | None:
    """The pairs of a few left rows against many right rows, found among the right rows
    whose key occurs on the left only (one table lookup picks them), instead of keying,
    bucketing or sorting every right row. With several keys the first picks the right
    rows, and all of them join those. None when the (first) keys suit no direct table."""
    xp = backend.xp
    looked = lookup_rows_unique(rkeys[:1], lkeys[:1], nulls_equal=True)
    if looked is None:
        return None
    found, unique = looked
    if unique and len(lkeys) == 1:  # each right row's left row is the one: no narrowed join to run
        return list(left_unique_pairs(backend, found, len(lkeys[0]), keep_unmatched=how == "left"))
    rows = xp.flatnonzero(found >= 0)
    del found
    lrows, rrows = _row_pairs(backend, lkeys, [k.take(rows, checked=True) for k in rkeys], names, how,
                              narrow=False)
    if rrows is None:  # every kept right row, in order
        rrows = rows
    elif len(rows):
        rrows = xp.where(rrows >= 0, backend.take(rows, xp.maximum(rrows, 0), checked=True), -1)
    return [lrows, rrows]


def _narrowed_left_pairs(backend: Any, lkeys: list[Column], rkeys: list[Column], names: list[tuple[str, str]]
                         ) -> list[Any] | None:
    """The inner pairs of many left rows against a few right rows: the left rows whose key
    occurs on the right are picked by one table lookup, and only they are keyed and
    matched (the left order stays). None when the keys suit no direct table."""
    found = lookup_rows(lkeys, rkeys, unique=False, nulls_equal=True)
    if found is None:
        return None
    rows = backend.xp.flatnonzero(found >= 0)
    del found
    lrows, rrows = _row_pairs(backend, [k.take(rows, checked=True) for k in lkeys], rkeys, names, "inner",
                              narrow=False)
    return [rows if lrows is None else backend.take(rows, lrows, checked=True), rrows]


def _add_unmatched_right(backend: Any, lrows: Any, rrows: Any, lids: Any, rids: Any, n: int
                         ) -> tuple[Any, Any]:
    """Append right rows without a match, then order all rows by key (nulls last)."""
    xp = backend.xp
    unmatched = xp.flatnonzero(~semi_mask(backend, rids, lids, n))
    lrows = xp.concatenate([lrows, xp.full(len(unmatched), -1, dtype=xp.int64)])
    rrows = xp.concatenate([rrows, unmatched])
    lsafe = xp.where(lrows >= 0, lrows, 0)
    rsafe = xp.where(rrows >= 0, rrows, 0)
    key = xp.where(lrows >= 0, lids[lsafe] if len(lids) else -1, rids[rsafe] if len(rids) else -1)
    order = backend.stable_argsort(xp.where(key >= 0, key, n), n + 1)
    return lrows[order], rrows[order]


def _assemble(left: Any, right: Any, pairs: list[Any], shared: set[str], left_on: list[str],
              right_on: list[str], how: str, suffixes: tuple[str | None, str | None]) -> Any:
    """Gather the output columns at ``pairs = [left rows, right rows]`` (see ``_row_pairs``).

    ``pairs`` is emptied and each side's rows are dropped once its columns are
    gathered, so that only one index array is alive when the output is complete.
    """
    lrows, rrows = pairs
    pairs.clear()
    lnames, rnames = _output_names(left, right, shared, suffixes)
    owned = how != "outer"  # only the gathers read the rows: they may reuse the buffers
    rkey_of = dict(zip(left_on, right_on))
    out: dict[str, Column] = {}
    gather = _Gather(lrows, how in ("right", "outer"), owned)
    for name, col in left._columns.items():
        if name in shared and how in ("right", "outer"):
            out[lnames[name]] = _shared_key(col, right._columns[rkey_of[name]], lrows, rrows, how)
        else:
            out[lnames[name]] = gather(col)
    del gather, lrows
    gather = _Gather(rrows, how in ("left", "outer"), owned)
    del rrows
    for name, out_name in rnames.items():
        out[out_name] = gather(right._columns[name])
    return _frame(out)


def _shared_key(col: Column, rcol: Column, lrows: Any, rrows: Any, how: str) -> Column:
    """A key column named alike on both sides: the right's in a right join, either in an outer."""
    if how == "right":
        return rcol if rrows is None else rcol.take(rrows, checked=True)
    from_left = col.take(lrows, allow_missing=True)
    from_right = rcol.take(rrows, allow_missing=True)
    return from_left.where(lrows >= 0, from_right)


class _Gather:
    """Gathers columns at ``rows`` (-1 gives null), sharing the row checks between columns.

    With ``owned`` nothing else reads ``rows``, and the -1 rows are set to 0 in place
    (no second index array).
    """

    def __init__(self, rows: Any, may_miss: bool, owned: bool = False) -> None:
        self.rows, self.hit, self.safe = rows, None, rows
        self.deferred = may_miss and deferred.enabled()
        if rows is not None and may_miss and len(rows) and not self.deferred:
            xp = _xp_of(rows)
            self.hit = rows >= 0
            self.safe = xp.maximum(rows, 0, out=rows) if owned else xp.where(self.hit, rows, 0)

    def __call__(self, col: Column) -> Column:
        if self.rows is None:
            return col
        if self.deferred:  # the column gathers (and marks -1 rows null) when it is read
            return col.take(self.rows, allow_missing=True, checked=True)
        if self.hit is None:
            return col.take(self.rows, checked=True)  # rows from match(): valid by construction
        if len(col) == 0:  # nothing to gather: every row is missing
            return col.take(_xp_of(self.hit).full(len(self.hit), -1), allow_missing=True)
        taken = col.take(self.safe, checked=True)
        return taken.with_mask(self.hit if taken.mask is None else self.hit & taken.mask)


def _xp_of(array: Any) -> Any:
    from headwater.tensor.devices import backend_of

    return backend_of(array).xp
