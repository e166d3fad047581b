"""Tree reduction: partitions combined ``split_every`` at a time, in order, until one is left."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from headwater.dask import collection, partition

__all__ = ["tree_reduce"]


def _concat_then(func: Callable[[Any], Any], meta: Any, *parts: Any) -> Any:
    return func(partition.concat_partitions(list(parts), meta))


def _concat_combine_finish(combine: Callable[[Any], Any], finish: Callable[[Any], Any], meta: Any,
                           *parts: Any) -> Any:
    return finish(combine(partition.concat_partitions(list(parts), meta)))


def tree_reduce(frame: Any, combine: Callable[[Any], Any], finish: Callable[[Any], Any], meta: Any,
                split_every: int = 8, prefix: str = "tree") -> Any:
    """One partition: ``finish(combine(concat(...combine(concat(parts))...)))``.

    ``combine`` must be associative over concatenations of its own outputs and of the
    input partitions; children are concatenated in partition order, so order-sensitive
    combines (first, last) see rows in global order.

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> from headwater.dask.tree import tree_reduce
    >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3, 4, 5]}), npartitions=5)
    >>> top = tree_reduce(d, lambda f: f.nlargest(2, "a"), lambda f: f, d._meta, split_every=2)
    >>> top.compute()["a"].tolist()
    [5, 4]
    """
    if split_every < 2:
        raise ValueError(f"split_every must be at least 2, got {split_every!r}")
    name = collection.fresh_name(prefix, frame._name, combine, finish, split_every)
    dsk: dict[Any, Any] = {}
    level_keys = frame.__dask_keys__()
    step = functools.partial(_concat_then, combine, None)  # every node has children: no meta to ship
    depth = 0
    while len(level_keys) > split_every:
        layer = f"{name}-level{depth}"
        next_keys = []
        for j, start in enumerate(range(0, len(level_keys), split_every)):
            dsk[(layer, j)] = (step, *level_keys[start:start + split_every])
            next_keys.append((layer, j))
        level_keys, depth = next_keys, depth + 1
    last = functools.partial(_concat_combine_finish, combine, finish, None)
    dsk[(name, 0)] = (last, *level_keys)
    return collection.new_collection(name, dsk, [frame], 1, meta)
