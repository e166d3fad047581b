"""Passes over the rows of a matrix in blocks: cache-sized and threaded on the host, large on a GPU.

On the host (a backend with ``host_fast_paths``) a pass such as "distances of these
rows to the centres, then their argmin" runs on blocks small enough that the block
and its temporaries stay in cache (about 2**20 multiply-adds per product), BLAS is
held to the calling thread, and the blocks are shared out over the backend's worker
threads (NumPy and OpenBLAS release the GIL). Measured on a loaded 2-core machine: a
Lloyd pass over 300,000 x 32 rows in 1,024-row blocks took 0.18-0.24 s, as one
whole-matrix product 0.85-1.0 s, and in 4,096-row blocks with OpenBLAS threading
them 2-3.5 s; on the idle machine, 4,096-row blocks on one BLAS thread each were the
fastest (see ``_HOST_WORK``). On a GPU (and in the
strict mode) the same code runs few large blocks, one after another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from headwater.tensor.backend.base import Backend
from headwater.tensor.backend.threads import map_ranges

__all__ = ["block_rows", "map_block_ranges", "map_blocks", "sum_blocks", "squared_norms"]

# multiply-adds per host product; BLAS runs on the calling thread inside map_blocks.
# Measured on an idle 2-core machine (benchmarks/ml.py, 300,000 x 32): 2**20 against
# the 2**18 chosen under load gave KMeans 832 -> 596 ms and PCA 83 -> 54 ms; 2**22
# was no faster.
_HOST_WORK = 1 << 20
_HOST_MIN_ROWS, _HOST_MAX_ROWS = 256, 1 << 14
_DEVICE_ELEMENTS = 1 << 23  # elements of a device block's largest temporary
_THREAD_ROWS = 1 << 14  # fewer rows than this per extra thread run on the calling thread


def block_rows(backend: Backend, work_per_row: int, elements_per_row: int | None = None) -> int:
    """Rows per block for a pass that costs ``work_per_row`` multiply-adds a row.

    ``elements_per_row`` bounds a device block's temporaries (default: the work).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.ml.row_blocks import block_rows
    >>> block_rows(hw.get_backend("cpu"), 32 * 8) if hw.get_backend("cpu").host_fast_paths else 4096
    4096
    """
    if backend.host_fast_paths:
        return int(min(_HOST_MAX_ROWS, max(_HOST_MIN_ROWS, _HOST_WORK // max(work_per_row, 1))))
    per_row = work_per_row if elements_per_row is None else elements_per_row
    return max(1, _DEVICE_ELEMENTS // max(per_row, 1))


_controller: list[Any] = []


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """OpenBLAS on the calling thread while Headwater's threads share out the blocks.

    As scikit-learn limits BLAS inside its own parallel loops: two thread pools on
    one machine oversubscribe it (measured on the loaded 2-core machine: a
    (256, 32) @ (32, 2048) float32 product at 3.7-4.4 GFLOP/s on one BLAS thread,
    0.7-0.8 on two). Without ``threadpoolctl`` installed BLAS keeps its setting.
    """
    if not _controller:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _controller.append(None)
        else:
            _controller.append(ThreadpoolController())  # scans the loaded libraries once
    if _controller[0] is None:
        yield
        return
    with _controller[0].limit(limits=1, user_api="blas"):
        yield


def map_block_ranges(backend: Backend, n: int, rows: int, fn: Callable[[int, int], Any]) -> list[Any]:
    """``fn(start, stop)`` over contiguous ranges covering ``range(n)``, one per worker thread.

    For passes that walk their range in blocks of ``rows`` themselves (a compiled
    loop per block, with buffers kept for the whole range). On the host, with more
    than two blocks of rows, the ranges go to worker threads with BLAS held to the
    calling thread; elsewhere one range covers everything.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.ml.row_blocks import map_block_ranges
    >>> map_block_ranges(hw.get_backend("cpu"), 10, 4, lambda a, b: (a, b))
    [(0, 10)]
    """
    if backend.host_fast_paths and n > 2 * rows:
        with _one_blas_thread():
            return map_ranges(fn, n, max(_THREAD_ROWS, rows))
    return [fn(0, n)]


def map_blocks(backend: Backend, n: int, rows: int, fn: Callable[[int, int], Any]) -> list[Any]:
    """``fn(start, stop)`` over consecutive blocks of at most ``rows`` rows covering ``range(n)``.

    Returns the results in block order. On the host, runs of blocks go to worker
    threads (``headwater.tensor.backend.threads``); elsewhere they run in turn.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.ml.row_blocks import map_blocks
    >>> map_blocks(hw.get_backend("cpu"), 10, 4, lambda a, b: (a, b))
    [(0, 4), (4, 8), (8, 10)]
    """

    def run(start: int, stop: int) -> list[Any]:
        return [fn(lo, min(lo + rows, stop)) for lo in range(start, stop, rows)]

    return [result for part in map_block_ranges(backend, n, rows, run) for result in part]


def sum_blocks(results: list[Any]) -> Any:
    """The sum of per-block results (arrays, or tuples of arrays added item by item).

    Examples
    --------
    >>> from headwater.ml.row_blocks import sum_blocks
    >>> sum_blocks([(1, 2), (3, 4)])
    (4, 6)
    """
    total = results[0]
    for item in results[1:]:
        total = tuple(a + b for a, b in zip(total, item)) if isinstance(total, tuple) else total + item
    return total


def squared_norms(X: Any) -> Any:
    """``(X * X).sum(axis=1)`` by blocks (no ``n x p`` temporary).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.ml.row_blocks import squared_norms
    >>> squared_norms(np.array([[3.0, 4.0], [1.0, 0.0]])).tolist()
    [25.0, 1.0]
    """
    from headwater.tensor.devices import backend_of

    backend = backend_of(X)
    out = backend.xp.empty(X.shape[0], dtype=X.dtype)

    def block(lo: int, hi: int) -> None:
        rows = X[lo:hi]
        out[lo:hi] = (rows * rows).sum(axis=1)

    map_blocks(backend, X.shape[0], block_rows(backend, 4 * X.shape[1], X.shape[1]), block)
    return out
