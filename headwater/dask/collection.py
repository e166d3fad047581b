"""The Dask collection protocol for partitions of Headwater objects.

A collection is a HighLevelGraph, the name of its output layer, its partition count
and ``meta``: an empty Headwater DataFrame or Series with the partitions' columns and
dtypes, obtained by running each operation on the parent's meta. Dask's own
``compute``/``persist``/``visualize`` work on it because it implements
``__dask_graph__``, ``__dask_keys__``, ``__dask_layers__``, ``__dask_postcompute__``,
``__dask_postpersist__`` and ``__dask_tokenize__``; any Dask scheduler runs it.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import dask
import dask.threaded
from dask.base import DaskMethodsMixin, tokenize
from dask.core import flatten, get_dependencies
from dask.highlevelgraph import HighLevelGraph
from dask.optimization import fuse

from headwater.dask import partition as part
from headwater.dataframe import series as series_module

__all__ = ["Collection", "Scalar", "new_collection", "partitionwise", "fresh_name", "check_aligned"]

_KINDS: dict[str, type] = {}
_FUSE_WIDTH = 8  # dask.optimization.fuse's ave_width: a partition's chain of steps may branch this wide


def fresh_name(prefix: str, *args: Any) -> str:
    """A layer name: ``prefix-<token of args>``, or a random token without args."""
    return f"{prefix}-{tokenize(*args) if args else uuid.uuid4().hex}"


def _optimize(dsk: Any, keys: Any, **kwargs: Any) -> Any:
    """The graph Dask runs: culled to ``keys``, then with each partition's chain of
    partition-wise steps fused into as few tasks as ``dask.optimization.fuse`` can (a
    step read by several others stays its own task): one task per partition instead of
    one per step, so no step's output waits in worker memory or crosses to the other
    worker between steps (db-benchmark q9 at 1e8 rows: 8.3 -> 4.7 s). Fusion stays
    inside a partition: the inputs of a task that reads several partitions (a tree
    reduction's combine, a shuffle's gather) are never fused into it, which would run
    those partitions one after the other on one worker. ``HEADWATER_DASK_FUSE=0``
    turns the fusion off."""
    if isinstance(dsk, HighLevelGraph):
        dsk = dsk.cull(set(flatten(keys)))
    if os.environ.get("HEADWATER_DASK_FUSE", "1") == "0":
        return dsk
    dsk = dict(dsk)
    deps = {k: get_dependencies(dsk, k) for k in dsk}
    keep = set(flatten(keys))
    for k, ds in deps.items():
        if any(_partition(d) != _partition(k) for d in ds):  # reads another partition
            keep.update(ds)
    fused, _ = fuse(dsk, keys=list(keep), dependencies=deps, ave_width=_FUSE_WIDTH)
    return fused


def _partition(key: Any) -> Any:
    """The partition index of a ``(layer, i)`` key, else None."""
    return key[-1] if isinstance(key, tuple) and len(key) >= 2 else None


class _Protocol(DaskMethodsMixin):
    """What every Headwater Dask object shares: a graph, a name and Dask's hooks."""

    _graph: HighLevelGraph
    _name: str

    def __dask_graph__(self) -> HighLevelGraph:
        return self._graph

    def __dask_layers__(self) -> tuple[str, ...]:
        return (self._name,)

    def __dask_tokenize__(self) -> str:
        return self._name

    __dask_optimize__ = staticmethod(_optimize)
    __dask_scheduler__ = staticmethod(dask.threaded.get)


class Collection(_Protocol):
    """Partitions of Headwater frames or Series (the base of hwd.DataFrame and hwd.Series)."""

    def __init__(self, graph: HighLevelGraph, name: str, npartitions: int, meta: Any) -> None:
        self._graph = graph
        self._name = name
        self._npartitions = int(npartitions)
        self._meta = meta

    def __init_subclass__(cls, kind: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind is not None:
            _KINDS[kind] = cls

    # --- the protocol -----------------------------------------------------------------
    def __dask_keys__(self) -> list[tuple[str, int]]:
        return [(self._name, i) for i in range(self._npartitions)]

    def __dask_postcompute__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return part.concat_partitions, (self._meta,)

    def __dask_postpersist__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return self._rebuild, ()

    def _rebuild(self, dsk: Mapping[Any, Any], *, rename: Mapping[str, str] | None = None) -> Collection:
        name = rename.get(self._name, self._name) if rename else self._name
        graph = dsk if isinstance(dsk, HighLevelGraph) else HighLevelGraph.from_collections(name, dict(dsk))
        return type(self)(graph, name, self._npartitions, self._meta)

    # --- shared surface ---------------------------------------------------------------
    @property
    def npartitions(self) -> int:
        """The number of partitions.

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3]}), npartitions=2).npartitions
        2
        """
        return self._npartitions

    def partition_keys(self) -> list[tuple[str, int]]:
        """The graph keys of the partitions, in order."""
        return self.__dask_keys__()

    def get_partition(self, i: int) -> Collection:
        """Partition ``i`` alone, as a one-partition collection (lazy).

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3]}), npartitions=2)
        >>> d.get_partition(1).compute()["a"].tolist()
        [2, 3]
        """
        if not -self._npartitions <= i < self._npartitions:
            raise IndexError(f"partition {i} out of range: the collection has {self._npartitions} partitions")
        i %= self._npartitions
        name = fresh_name("get-partition", self._name, i)
        return new_collection(name, {(name, 0): (part.identity, (self._name, i))}, [self], 1, self._meta)

    def map_partitions(self, func: Callable[..., Any], *args: Any, meta: Any = None, **kwargs: Any) -> Collection:
        """Apply ``func(partition, *args, **kwargs)`` to every partition.

        ``args`` may hold other collections with as many partitions (partition ``i``
        is passed). The output's columns and dtypes come from running ``func`` on the
        empty ``meta`` of the inputs; pass ``meta=`` (an empty Headwater frame or
        Series of the output's schema) when ``func`` cannot run on empty input.

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3]}), npartitions=2)
        >>> d.map_partitions(lambda p: p.assign(b=p["a"] * 10)).compute()["b"].tolist()
        [10, 20, 30]
        """
        return partitionwise(func, self, *args, meta=meta, prefix=getattr(func, "__name__", "map-partitions"),
                             **kwargs)

    def __len__(self) -> int:
        name = fresh_name("len", self._name)
        dsk = {(name, 0): (sum, [(len, key) for key in self.__dask_keys__()])}
        return int(Scalar(HighLevelGraph.from_collections(name, dsk, dependencies=[self]), name).compute())

    def head(self, n: int = 5, npartitions: int = -1, compute: bool = True) -> Any:
        """The first ``n`` rows in partition order, as a Headwater object.

        Reads partitions from the first on until it has ``n`` rows (``npartitions``
        limits how many it reads; ``-1``, the default, reads as many as needed, which
        differs from dask.dataframe's default of one partition so that the answer is
        pandas' ``head(n)``).

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3, 4]}), npartitions=4)
        >>> d.head(3)["a"].tolist()
        [1, 2, 3]
        """
        if not compute:
            raise NotImplementedError("head(compute=False) is not supported; call head() for the rows, "
                                      "or map_partitions(lambda p: p.head(n)) for a lazy per-partition head")
        limit = self._npartitions if npartitions == -1 else min(int(npartitions), self._npartitions)
        taken: list[Any] = []
        have, start, step = 0, 0, 1
        while have < n and start < limit:
            stop = min(start + step, limit)
            name = fresh_name("head", self._name, n, start, stop)
            dsk = {(name, 0): (part.concat_partitions,
                               [(part.head, (self._name, i), n) for i in range(start, stop)], self._meta)}
            chunk = Scalar(HighLevelGraph.from_collections(name, dsk, dependencies=[self]), name).compute()
            taken.append(chunk)
            have += len(chunk)
            start, step = stop, step * 2
        return part.head(part.concat_partitions(taken, self._meta), n)

    def __repr__(self) -> str:
        return f"<{type(self).__module__.split('.')[0]}.dask.{type(self).__name__} npartitions={self._npartitions}>"


class Scalar(_Protocol):
    """A lazy single value computed from collections (a length, a write's completion)."""

    def __init__(self, graph: HighLevelGraph, name: str) -> None:
        self._graph = graph
        self._name = name

    def __dask_keys__(self) -> list[tuple[str, int]]:
        return [(self._name, 0)]

    def __dask_postcompute__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return part.first, ()

    def __dask_postpersist__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return self._rebuild, ()

    def _rebuild(self, dsk: Mapping[Any, Any], *, rename: Mapping[str, str] | None = None) -> Scalar:
        name = rename.get(self._name, self._name) if rename else self._name
        graph = dsk if isinstance(dsk, HighLevelGraph) else HighLevelGraph.from_collections(name, dict(dsk))
        return Scalar(graph, name)

    def __repr__(self) -> str:
        return f"<headwater.dask.Scalar {self._name}>"


def new_collection(name: str, dsk: dict[Any, Any], dependencies: Sequence[Any], npartitions: int,
                   meta: Any) -> Collection:
    """A collection of layer ``name`` (tasks ``dsk``) over ``dependencies``; its class follows ``meta``."""
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=list(dependencies))
    kind = "series" if isinstance(meta, series_module.Series) else "frame"
    return _KINDS[kind](graph, name, npartitions, meta)


def check_aligned(collections: Sequence[Collection], what: str) -> int:
    """The common partition count of ``collections``, or ValueError naming ``what``."""
    counts = {c.npartitions for c in collections}
    if len(counts) > 1:
        raise ValueError(f"{what}: the operands have {sorted(counts)} partitions; partition-wise operations "
                         "need operands derived from the same collection (same partitions)")
    return counts.pop()


def partitionwise(func: Callable[..., Any], *args: Any, meta: Any = None, prefix: str = "partitionwise",
                  **kwargs: Any) -> Collection:
    """Apply ``func`` partition by partition; collections in ``args``/``kwargs`` pass partition ``i``."""
    colls = [a for a in (*args, *kwargs.values()) if isinstance(a, Collection)]
    n = check_aligned(colls, prefix)
    if meta is None:
        meta_args = [a._meta if isinstance(a, Collection) else a for a in args]
        meta_kwargs = {k: v._meta if isinstance(v, Collection) else v for k, v in kwargs.items()}
        try:
            meta = func(*meta_args, **meta_kwargs)
        except Exception as exc:
            raise ValueError(f"{prefix}: could not infer the output schema by running it on empty partitions "
                             f"({type(exc).__name__}: {exc}); pass meta= (an empty Headwater DataFrame or "
                             "Series with the output's columns and dtypes)") from exc
    name = fresh_name(prefix, func, *args, kwargs)
    # Literal arguments ride inside the partial, so the scheduler never reads a tuple
    # or a dict among them as a task or a key.
    spec = [None if isinstance(a, Collection) else ("value", a) for a in (*args, *kwargs.values())]
    call = functools.partial(part.apply, func, spec, len(args), list(kwargs))
    dsk = {(name, i): (call, *[(c._name, i) for c in (*args, *kwargs.values()) if isinstance(c, Collection)])
           for i in range(n)}
    return new_collection(name, dsk, colls, n, meta)
