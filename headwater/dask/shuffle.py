"""All-to-all repartitioning: every input partition is cut into buckets, bucket j of
every input becomes output partition j.

The graph has one split task per input, one piece per (input, bucket) and one
concatenation per output, so it grows as inputs x outputs: fine for the tens to
hundreds of partitions this layer targets. Pieces are concatenated in input order and
each keeps its rows' order, so an output partition holds its rows in global order.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from headwater.dask import collection, partition

__all__ = ["shuffle", "hash_shuffle"]


def _split(frame: Any, bucketer: Callable[..., Any], n: int, *args: Any) -> list[Any]:
    return partition.split_by_bucket(frame, bucketer(frame, *args), n)


def shuffle(frame: Any, bucketer: Callable[..., Any], npartitions: int, *args: Any, prefix: str = "shuffle",
            extra: Sequence[Any] = ()) -> Any:
    """``frame`` regrouped into ``npartitions`` partitions by ``bucketer(partition, *args)``.

    ``bucketer`` returns one bucket id in ``[0, npartitions)`` per row (an xp int array).
    ``args`` may hold graph keys of ``extra`` collections (range bounds computed in
    the graph), which become dependencies.
    """
    name = collection.fresh_name(prefix, frame._name, bucketer, npartitions, *args)
    split, piece = f"split-{name}", f"piece-{name}"
    dsk: dict[Any, Any] = {}
    for i in range(frame.npartitions):
        dsk[(split, i)] = (_split, (frame._name, i), bucketer, npartitions, *args)
        for j in range(npartitions):
            dsk[(piece, i, j)] = (operator.getitem, (split, i), j)
    for j in range(npartitions):
        # meta stays out of the tasks (each would ship it): an output has one piece per input
        dsk[(name, j)] = (partition.concat_partitions, [(piece, i, j) for i in range(frame.npartitions)], None)
    return collection.new_collection(name, dsk, [frame, *extra], npartitions, frame._meta)


def hash_shuffle(frame: Any, keys: Sequence[str], npartitions: int) -> Any:
    """``frame`` with rows of equal ``keys`` in the same partition (row order within: global order).

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> from headwater.dask.shuffle import hash_shuffle
    >>> d = hwd.from_headwater(hw.DataFrame({"k": [1, 2, 1, 2]}), npartitions=2)
    >>> s = hash_shuffle(d, ["k"], 2)
    >>> parts = [set(s.get_partition(j).compute()["k"].tolist()) for j in range(2)]
    >>> parts[0].isdisjoint(parts[1]), len(s)
    (True, 4)
    """
    return shuffle(frame, partition.hash_buckets, npartitions, list(keys), npartitions, prefix="hash-shuffle")
