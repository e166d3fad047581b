"""hwd.Series: a partitioned column (each partition a Headwater Series)."""

from __future__ import annotations

from typing import Any

from headwater.dask import collection, reductions
from headwater.dask.operators import Operators

__all__ = ["Series"]


def _astype(s: Any, dtype: Any) -> Any:
    return s.astype(dtype)


def _fillna(s: Any, value: Any) -> Any:
    return s.fillna(value)


def _method(s: Any, name: str) -> Any:
    return getattr(s, name)()


class Series(Operators, collection.Collection, kind="series"):
    """A Dask collection whose partitions are Headwater Series.

    Made by selecting one column of an hwd.DataFrame; ``compute()`` returns a
    Headwater Series (the partitions stacked in order).

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3]}), npartitions=2)
    >>> (d["a"] * 2 + 1).compute().tolist()
    [3, 5, 7]
    """

    @property
    def name(self) -> str | None:
        """The column name."""
        return self._meta.name

    @property
    def dtype(self) -> Any:
        """The dtype of every partition."""
        return self._meta.dtype

    def astype(self, dtype: Any) -> Series:
        """Cast every partition (Headwater's ``Series.astype``).

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2]}), npartitions=2)
        >>> d["a"].astype("float64").compute().tolist()
        [1.0, 2.0]
        """
        return collection.partitionwise(_astype, self, dtype, prefix="astype")

    def fillna(self, value: Any) -> Series:
        """Replace missing values by the scalar ``value`` in every partition.

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, None]}), npartitions=2)
        >>> d["a"].fillna(0).compute().tolist()
        [1.0, 0.0]
        """
        if isinstance(value, collection.Collection):
            raise NotImplementedError("fillna with a partitioned value is not supported; pass a scalar, or use "
                                      "map_partitions(lambda p, v: p.fillna(v), other)")
        return collection.partitionwise(_fillna, self, value, prefix="fillna")

    def isna(self) -> Series:
        """True where the value is missing."""
        return collection.partitionwise(_method, self, "isna", prefix="isna")

    def notna(self) -> Series:
        """True where the value is present."""
        return collection.partitionwise(_method, self, "notna", prefix="notna")

    def sum(self) -> Any:
        """The sum of the non-missing values (lazy: call ``.compute()``).

        Examples
        --------
        >>> import headwater as hw, headwater.dask as hwd
        >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, None, 3]}), npartitions=2)
        >>> int(d["a"].sum().compute())
        4
        """
        return reductions.reduce_series(self, "sum")

    def count(self) -> Any:
        """The number of non-missing values (lazy)."""
        return reductions.reduce_series(self, "count")

    def min(self) -> Any:
        """The smallest non-missing value (lazy)."""
        return reductions.reduce_series(self, "min")

    def max(self) -> Any:
        """The largest non-missing value (lazy)."""
        return reductions.reduce_series(self, "max")

    def mean(self) -> Any:
        """The mean of the non-missing values (lazy)."""
        return reductions.reduce_series(self, "mean")
