"""hwd.from_headwater: an in-memory Headwater frame cut into partitions."""

from __future__ import annotations

from typing import Any

from headwater.dask import collection
from headwater.dataframe import frame as frame_module
from headwater.dataframe import series as series_module

__all__ = ["from_headwater"]


def from_headwater(data: Any, npartitions: int | None = None, chunksize: int | None = None) -> Any:
    """Cut a Headwater DataFrame (or Series) into contiguous partitions of near-equal length.

    Parameters
    ----------
    data : hw.DataFrame or hw.Series
    npartitions : int, optional
        How many partitions (default 1 unless ``chunksize`` is given).
    chunksize : int, optional
        Rows per partition instead of ``npartitions``.

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> d = hwd.from_headwater(hw.DataFrame({"a": [1, 2, 3, 4, 5]}), npartitions=2)
    >>> d.npartitions, len(d), d.compute()["a"].tolist()
    (2, 5, [1, 2, 3, 4, 5])
    """
    if not isinstance(data, (frame_module.DataFrame, series_module.Series)):
        raise TypeError(f"from_headwater takes a Headwater DataFrame or Series, got {type(data).__name__}; "
                        "convert with hw.DataFrame(...) or hw.from_pandas(...) first")
    if npartitions is not None and chunksize is not None:
        raise ValueError("from_headwater takes npartitions or chunksize, not both")
    n = len(data)
    if chunksize is not None:
        if chunksize < 1:
            raise ValueError(f"chunksize must be a positive int, got {chunksize!r}")
        npartitions = max(1, -(-n // chunksize))
    npartitions = 1 if npartitions is None else npartitions
    if isinstance(npartitions, bool) or not isinstance(npartitions, int) or npartitions < 1:
        raise ValueError(f"npartitions must be a positive int, got {npartitions!r}")
    npartitions = max(1, min(npartitions, n)) if n else 1
    bounds = [n * i // npartitions for i in range(npartitions + 1)]
    name = collection.fresh_name("from-headwater")
    dsk = {(name, i): data.iloc[bounds[i]:bounds[i + 1]] for i in range(npartitions)}
    return collection.new_collection(name, dsk, [], npartitions, data.iloc[0:0])
