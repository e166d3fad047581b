"""Partition sizes for Dask's memory management (spilling, worker memory limits, work stealing).

Without this Dask would measure a Headwater frame with ``sys.getsizeof`` (a few
hundred bytes, whatever its length), so a worker would never spill or pause.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe import frame as frame_module
from headwater.dataframe import series as series_module

__all__ = ["nbytes", "register"]


def nbytes(obj: Any) -> int:
    """The bytes of a Headwater frame's or Series' buffers (on whatever device they live).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dask.sizing import nbytes
    >>> nbytes(hw.DataFrame({"a": [1, 2, 3]}))
    24
    """
    usage = obj.memory_usage(deep=True)
    return int(usage.sum()) if hasattr(usage, "sum") else int(usage)


def register() -> None:
    """Teach ``dask.sizeof`` the size of Headwater partitions."""
    from dask.sizeof import sizeof

    sizeof.register(frame_module.DataFrame)(nbytes)
    sizeof.register(series_module.Series)(nbytes)
