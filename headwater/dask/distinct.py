"""hwd drop_duplicates: winners found by key in a hash shuffle, rows kept in global order.

Each partition sends its local candidates (the key columns and the row's position:
partition number and row number) to the bucket of their key; a bucket sees every
occurrence of its keys in global order and picks the winners (``keep``); the winning
positions go back to their partitions, which keep those rows. Only key columns and
positions move, and the output has the input's partitions, in order.
"""

from __future__ import annotations

import functools
from typing import Any

from headwater.dask import collection, partition, shuffle
from headwater.dataframe.series import Series

__all__ = ["drop_duplicates"]

_PART, _ROW, _MANY = "__hwd_partition", "__hwd_row", "__hwd_repeated"


def _candidates(frame: Any, i: int, subset: list[str], keep: str | bool) -> Any:
    """The rows of partition ``i`` that may win: its local firsts (or lasts), tagged with positions."""
    keys = partition.positional(frame)[subset]
    tagged = keys.assign(**{_PART: i, _ROW: Series(range(len(keys)), dtype="int64")})
    if keep is False:
        repeated = keys.duplicated(subset, keep=False)
        return tagged.assign(**{_MANY: repeated}).drop_duplicates(subset, keep="first")
    return tagged.drop_duplicates(subset, keep=keep)


def _winners(frame: Any, subset: list[str], keep: str | bool) -> Any:
    """Positions of the rows that survive, among candidates of one bucket in global order."""
    if keep is False:
        alone = ~frame.duplicated(subset, keep=False) & ~frame[_MANY]
        return frame[alone][[_PART, _ROW]]
    return frame.drop_duplicates(subset, keep=keep)[[_PART, _ROW]]


def _by_partition(frame: Any, n: int) -> Any:
    column = frame._get_column(_PART)
    return column.data.astype(column.xp.int64) % n


def _keep_rows(frame: Any, winners: Any) -> Any:
    rows = winners[_ROW].sort_values()
    return partition.positional(frame).iloc[rows._column.data]


def drop_duplicates(frame: Any, subset: str | list[str] | None = None, keep: str | bool = "first",
                    split_out: int | None = None, **kwargs: Any) -> Any:
    """Rows whose ``subset`` values did not appear before (``keep="first"``), later
    (``"last"``) or elsewhere at all (``False``), in global partition order, as pandas.

    ``split_out`` sets the number of buckets the keys are hashed into (default: the
    partition count). The output keeps the input's partitions and row order.

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> d = hwd.from_headwater(hw.DataFrame({"k": [1, 2, 1, 3, 2], "v": [10, 20, 30, 40, 50]}), npartitions=2)
    >>> d.drop_duplicates("k").compute()["v"].tolist()
    [10, 20, 40]
    >>> d.drop_duplicates("k", keep="last").compute()["v"].tolist()
    [30, 40, 50]
    >>> d.drop_duplicates("k", keep=False).compute()["v"].tolist()
    [40]
    """
    for name in kwargs:
        raise NotImplementedError(f"hwd drop_duplicates does not support {name}=; it takes subset, keep and "
                                  "split_out (the output keeps the input's order and partitions)")
    if keep not in ("first", "last", False):
        raise ValueError(f"keep must be 'first', 'last' or False, got {keep!r}")
    keys = frame.columns if subset is None else ([subset] if isinstance(subset, str) else list(subset))
    frame._check_columns(keys)
    n = frame.npartitions
    name = collection.fresh_name("distinct-candidates", frame._name, keys, keep)
    dsk = {(name, i): (functools.partial(_candidates, i=i, subset=keys, keep=keep), (frame._name, i))
           for i in range(n)}
    cand_meta = _candidates(frame._meta, 0, keys, keep)
    candidates = collection.new_collection(name, dsk, [frame], n, cand_meta)
    buckets = shuffle.hash_shuffle(candidates, keys, split_out or n)
    winners = buckets.map_partitions(_winners, keys, keep, meta=_winners(cand_meta, keys, keep))
    homes = shuffle.shuffle(winners, _by_partition, n, n, prefix="distinct-home")
    return collection.partitionwise(_keep_rows, frame, homes, meta=frame._meta, prefix="drop-duplicates")
