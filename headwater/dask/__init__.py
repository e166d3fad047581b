"""headwater.dask: partitioned Headwater frames on Dask (``import headwater.dask as hwd``).

A Dask collection whose partitions are Headwater DataFrames, built on Dask's
collection protocol and HighLevelGraph, so that any Dask scheduler runs it:
synchronous, threads, processes, a dask.distributed cluster (``LocalCluster``, or
``dask_cuda.LocalCUDACluster`` with one worker per GPU). Partitions travel between
processes as Arrow IPC. See docs/scale-out.md.
"""

from __future__ import annotations

from headwater.dask.deps import require_dask

require_dask()

from headwater.dask import ipc as _ipc  # noqa: E402
from headwater.dask import sizing as _sizing  # noqa: E402

_ipc.register()
_sizing.register()

from headwater.dask.collection import Collection, Scalar  # noqa: E402
from headwater.dask.construct import from_headwater  # noqa: E402
from headwater.dask.csv import read_csv  # noqa: E402
from headwater.dask.frame import DataFrame  # noqa: E402
from headwater.dask.groupby import GroupBy  # noqa: E402
from headwater.dask.merge import merge  # noqa: E402
from headwater.dask.parquet import read_parquet, to_parquet  # noqa: E402
from headwater.dask.schema import SchemaMismatchError  # noqa: E402
from headwater.dask.series import Series  # noqa: E402

__all__ = ["Collection", "DataFrame", "GroupBy", "Scalar", "SchemaMismatchError", "Series", "from_headwater",
           "merge", "read_csv", "read_parquet", "to_parquet"]
