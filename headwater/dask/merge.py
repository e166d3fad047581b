"""hwd merge: a broadcast join when one side is small, else a hash shuffle of both sides."""

from __future__ import annotations

import functools
from typing import Any

from headwater.dask import collection, construct, shuffle, tree
from headwater.dask.partition import identity
from headwater.dataframe import frame as frame_module
from headwater.dataframe.join.merge import merge as frame_merge

__all__ = ["merge"]

_REFUSED = ("left_index", "right_index", "validate", "indicator", "copy")


def _merge_parts(left: Any, right: Any, **options: Any) -> Any:
    return frame_merge(left, right, **options)


def _keys(value: Any) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def merge(left: Any, right: Any, how: str = "inner", on: Any = None, left_on: Any = None, right_on: Any = None,
          suffixes: tuple[str | None, str | None] = ("_x", "_y"), *, sort: bool = False,
          broadcast: bool | None = None, npartitions: int | None = None, **kwargs: Any) -> Any:
    """Join two partitioned frames as Headwater's ``merge`` does (how: inner, left, right, outer).

    When one side has a single partition (or is an in-memory Headwater DataFrame) and
    the join keeps the other side's rows (``inner``, or ``left`` with a small right),
    the small side is broadcast: every partition of the large side is joined with all
    of it, and no rows move. Otherwise both sides are hash-partitioned on their keys
    into ``npartitions`` (default: the larger partition count) and joined partition by
    partition. ``broadcast=False`` forces the shuffle; ``broadcast=True`` asks for the
    broadcast and raises where ``how`` does not allow it.

    Row order: after a broadcast, the large side's partition order; after a shuffle
    it is unspecified unless ``sort=True`` (a global sort by the join keys).

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> a = hwd.from_headwater(hw.DataFrame({"k": [1, 2, 3, 1], "x": [1.0, 2.0, 3.0, 4.0]}), npartitions=2)
    >>> b = hw.DataFrame({"k": [1, 3], "y": ["p", "q"]})
    >>> a.merge(b, on="k").compute().to_dict()
    {'k': [1, 3, 1], 'x': [1.0, 3.0, 4.0], 'y': ['p', 'q', 'p']}
    >>> a.merge(hwd.from_headwater(b, npartitions=2), on="k", broadcast=False, sort=True).compute().to_dict()
    {'k': [1, 1, 3], 'x': [1.0, 4.0, 3.0], 'y': ['p', 'p', 'q']}
    """
    for name in kwargs:
        raise NotImplementedError(f"hwd merge does not support {name}=; join on columns (on=, left_on=, "
                                  "right_on=), and check keys with drop_duplicates beforehand")
    if how not in ("inner", "left", "right", "outer"):
        raise ValueError(f"hwd merge supports how='inner', 'left', 'right' or 'outer', got {how!r}")
    if isinstance(right, frame_module.DataFrame):
        right = construct.from_headwater(right, npartitions=1)
    if not isinstance(right, collection.Collection):
        raise TypeError(f"hwd merge joins with an hwd.DataFrame or a Headwater DataFrame, got {type(right).__name__}")
    if on is not None and (left_on is not None or right_on is not None):
        raise ValueError("pass on= or left_on=/right_on=, not both")
    if on is None and left_on is None and right_on is None:
        on = [c for c in left.columns if c in right.columns]
        if not on:
            raise ValueError("no common columns to join on; pass on= or left_on=/right_on=")
    lkeys, rkeys = (_keys(on), _keys(on)) if on is not None else (_keys(left_on), _keys(right_on))
    if lkeys is None or rkeys is None or len(lkeys) != len(rkeys):
        raise ValueError(f"left_on and right_on must name as many columns; got {left_on!r} and {right_on!r}")
    left._check_columns(lkeys)
    right._check_columns(rkeys)
    options = dict(how=how, suffixes=suffixes)
    options.update({"on": _keys(on)} if on is not None else {"left_on": lkeys, "right_on": rkeys})
    meta = frame_merge(left._meta, right._meta, **options)
    if broadcast is None:
        bcast_right = right.npartitions == 1 and how in ("inner", "left")
        bcast_left = not bcast_right and left.npartitions == 1 and how in ("inner", "right")
    elif broadcast:
        bcast_right, bcast_left = how in ("inner", "left"), how == "right"
        if how == "outer":
            raise ValueError("broadcast=True cannot serve how='outer' (both sides' unmatched rows are kept); "
                             "leave broadcast unset for a shuffle join")
    else:
        bcast_right = bcast_left = False
    call = functools.partial(_merge_parts, **options)
    if bcast_right:
        joined = collection.partitionwise(call, left, _repeated(_whole(right), left.npartitions), meta=meta,
                                          prefix="broadcast-merge")
        return _sorted(joined, lkeys, sort)
    if bcast_left:
        joined = collection.partitionwise(call, _repeated(_whole(left), right.npartitions), right, meta=meta,
                                          prefix="broadcast-merge")
        return _sorted(joined, rkeys, sort)
    n = npartitions or max(left.npartitions, right.npartitions)
    lparts = shuffle.hash_shuffle(left, lkeys, n)
    rparts = shuffle.hash_shuffle(right, rkeys, n)
    joined = collection.partitionwise(functools.partial(_merge_parts, **options), lparts, rparts, meta=meta,
                                      prefix="hash-merge")
    return _sorted(joined, lkeys if how != "right" else rkeys, sort)


def _whole(frame: Any) -> Any:
    """``frame`` as one partition (its partitions concatenated in order)."""
    if frame.npartitions == 1:
        return frame
    return tree.tree_reduce(frame, identity, identity, frame._meta, split_every=frame.npartitions, prefix="whole")


def _repeated(whole: Any, n: int) -> Any:
    """A collection of ``n`` partitions that are all the one partition of ``whole`` (computed once)."""
    name = collection.fresh_name("broadcast", whole._name, n)
    dsk = {(name, i): (identity, (whole._name, 0)) for i in range(n)}
    return collection.new_collection(name, dsk, [whole], n, whole._meta)


def _sorted(frame: Any, keys: list[str], sort: bool) -> Any:
    if not sort:
        return frame
    from headwater.dask.sort import sort_values

    return sort_values(frame, [k for k in keys if k in frame.columns])
