"""hwd.DataFrame: a partitioned frame (each partition a Headwater DataFrame)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from headwater.dask import collection
from headwater.dask.operators import Operators
from headwater.dask.partition import positional

__all__ = ["DataFrame"]


def _select(frame: Any, key: Any) -> Any:
    return frame[key]


def _filter(frame: Any, mask: Any) -> Any:
    return positional(frame)[positional(mask)]


def _assign(frame: Any, **values: Any) -> Any:
    return positional(frame).assign(**{k: positional(v) if hasattr(v, "_keys") else v for k, v in values.items()})


def _call(frame: Any, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return getattr(frame, method)(*args, **kwargs)


class DataFrame(Operators, collection.Collection, kind="frame"):
    """A Dask collection whose partitions are Headwater DataFrames.

    Build one with ``hwd.read_parquet``, ``hwd.read_csv`` or ``hwd.from_headwater``.
    Operations are lazy: they add layers to a Dask graph, and ``compute()`` runs it on
    the current Dask scheduler (threads by default; a ``dask.distributed.Client``
    when one is active) and returns a Headwater DataFrame, the partitions stacked in
    order. Rows are positional, as in Headwater: there is no index and no divisions.

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3, 4], "b": [0.5, 1.5, 2.5, 3.5]}), npartitions=2)
    >>> big = d[d["a"] > 1]
    >>> big.assign(c=big["a"] * big["b"]).compute()["c"].tolist()
    [3.0, 7.5, 14.0]
    """

    @property
    def columns(self) -> list[str]:
        """The column names (of every partition)."""
        return list(self._meta.columns)

    @property
    def dtypes(self) -> Any:
        """The column dtypes (of every partition)."""
        return self._meta.dtypes

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, collection.Collection):
            return collection.partitionwise(_filter, self, key, prefix="filter")
        if isinstance(key, str):
            self._check_columns([key])
        elif isinstance(key, (list, tuple)):
            key = list(key)
            self._check_columns(key)
        else:
            raise TypeError(f"hwd.DataFrame[...] takes a column name, a list of names or a boolean hwd.Series, "
                            f"got {type(key).__name__}; use map_partitions for positional selection")
        return collection.partitionwise(_select, self, key, prefix="getitem")

    def __getattr__(self, name: str) -> Any:
        meta = self.__dict__.get("_meta")
        if meta is not None and not name.startswith("_") and name in meta.columns:
            return self[name]
        raise AttributeError(f"hwd.DataFrame has no attribute or column {name!r}")

    def _check_columns(self, names: Sequence[str]) -> None:
        missing = [n for n in names if n not in self._meta.columns and n not in self._meta._keys]
        if missing:
            raise KeyError(f"columns {missing} not found; the frame has {self.columns}")

    def assign(self, **values: Any) -> DataFrame:
        """New columns from hwd.Series of this frame, scalars, or callables of the frame.

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3]}), npartitions=2)
        >>> d.assign(b=d["a"] + 1, c=0, e=lambda f: f["a"] * 3).compute().to_dict()
        {'a': [1, 2, 3], 'b': [2, 3, 4], 'c': [0, 0, 0], 'e': [3, 6, 9]}
        """
        resolved = {k: v(self) if callable(v) and not isinstance(v, collection.Collection) else v
                    for k, v in values.items()}
        return collection.partitionwise(_assign, self, prefix="assign", **resolved)

    def _method(self, method: str, *args: Any, **kwargs: Any) -> DataFrame:
        return collection.partitionwise(_call, self, method, args, kwargs, prefix=method)

    def astype(self, dtype: Any) -> DataFrame:
        """Cast columns in every partition (a dtype, or a dict of column -> dtype).

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2]}), npartitions=2)
        >>> d.astype({"a": "float32"}).compute().dtypes["a"]
        dtype('float32')
        """
        return self._method("astype", dtype)

    def fillna(self, value: Any) -> DataFrame:
        """Replace missing values by a scalar or a dict of column -> scalar in every partition.

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, None]}), npartitions=2)
        >>> d.fillna({"a": 0}).compute()["a"].tolist()
        [1.0, 0.0]
        """
        return self._method("fillna", value)

    def rename(self, columns: dict[str, str]) -> DataFrame:
        """Rename columns (``columns={"old": "new"}``) in every partition."""
        return self._method("rename", columns=columns)

    def drop(self, columns: str | list[str]) -> DataFrame:
        """Drop columns in every partition."""
        return self._method("drop", columns=columns)

    def groupby(self, by: str | list[str], sort: bool = True, dropna: bool = True, as_index: bool = True,
                **kwargs: Any) -> Any:
        """Group by key columns; see :class:`headwater.dask.groupby.GroupBy`.

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"k": [1, 2, 1], "v": [1.0, 2.0, 3.0]}), npartitions=2)
        >>> d.groupby("k", as_index=False).agg({"v": "sum"}).compute().to_dict()
        {'k': [1, 2], 'v': [4.0, 2.0]}
        """
        from headwater.dask.groupby import GroupBy

        if kwargs:
            raise TypeError(f"hwd.DataFrame.groupby does not take {sorted(kwargs)}; it takes by, sort, dropna "
                            "and as_index")
        return GroupBy(self, by, sort=sort, dropna=dropna, as_index=as_index)

    def merge(self, right: Any, how: str = "inner", on: Any = None, left_on: Any = None, right_on: Any = None,
              suffixes: tuple[str | None, str | None] = ("_x", "_y"), *, sort: bool = False,
              broadcast: bool | None = None, npartitions: int | None = None, **kwargs: Any) -> DataFrame:
        """Join with another hwd.DataFrame or a Headwater DataFrame; see :func:`headwater.dask.merge.merge`."""
        from headwater.dask.merge import merge

        return merge(self, right, how=how, on=on, left_on=left_on, right_on=right_on, suffixes=suffixes,
                     sort=sort, broadcast=broadcast, npartitions=npartitions, **kwargs)

    def sort_values(self, by: str | list[str], ascending: bool | list[bool] = True, na_position: str = "last",
                    npartitions: int | None = None, **kwargs: Any) -> DataFrame:
        """Globally sorted rows; see :func:`headwater.dask.sort.sort_values`."""
        from headwater.dask.sort import sort_values

        return sort_values(self, by, ascending=ascending, na_position=na_position, npartitions=npartitions,
                           **kwargs)

    def drop_duplicates(self, subset: str | list[str] | None = None, keep: str | bool = "first",
                        **kwargs: Any) -> DataFrame:
        """Rows without repeats; see :func:`headwater.dask.distinct.drop_duplicates`."""
        from headwater.dask.distinct import drop_duplicates

        return drop_duplicates(self, subset=subset, keep=keep, **kwargs)

    def shuffle(self, on: str | list[str], npartitions: int | None = None) -> DataFrame:
        """Rows with equal ``on`` values moved into the same partition (a hash shuffle).

        Then a per-group operation runs with ``map_partitions`` (as dask.dataframe's
        ``shuffle``). Which partition a key lands in, and the partitions' order, are
        unspecified; within a partition rows keep their global order.

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"k": [1, 2, 1, 2], "v": [4, 3, 2, 1]}), npartitions=2)
        >>> top = d.shuffle("k").map_partitions(lambda p: p.sort_values("v").groupby("k").head(1))
        >>> sorted(top.compute()["v"].tolist())
        [1, 2]
        """
        from headwater.dask.shuffle import hash_shuffle

        keys = [on] if isinstance(on, str) else list(on)
        self._check_columns(keys)
        return hash_shuffle(self, keys, npartitions or self.npartitions)

    def to_parquet(self, path: str, partition_cols: list[str] | None = None, compute: bool = True) -> Any:
        """Write one Parquet file per partition; see :func:`headwater.dask.parquet.to_parquet`."""
        from headwater.dask.parquet import to_parquet

        return to_parquet(self, path, partition_cols=partition_cols, compute=compute)

    def map_partitions(self, func: Callable[..., Any], *args: Any, meta: Any = None, **kwargs: Any) -> Any:
        return super().map_partitions(func, *args, meta=meta, **kwargs)

    map_partitions.__doc__ = collection.Collection.map_partitions.__doc__
