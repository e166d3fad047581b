"""Worker threads for host (NumPy) kernels that release the GIL.

NumPy drops the GIL inside most loops, so a long pass over rows can be split into
contiguous ranges run on several cores. ``HEADWATER_NUM_THREADS`` sets how many
(default: the CPU count, at most 8); ``1`` runs everything on the calling thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["num_threads", "map_ranges", "run_tasks", "submit"]

_pool: ThreadPoolExecutor | None = None


def _forget_pool() -> None:
    # A forked child (a DataLoader worker) inherits the pool object but not its
    # threads: work submitted there would wait forever, so it starts a pool of its own.
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_pool)


def num_threads() -> int:
    """Threads host kernels may use (``HEADWATER_NUM_THREADS``, else the CPU count, at most 8)."""
    text = os.environ.get("HEADWATER_NUM_THREADS", "")
    if text.strip():
        try:
            return max(1, int(text))
        except ValueError:
            raise ValueError(
                f"HEADWATER_NUM_THREADS must be a whole number such as 2, got {text!r}"
            ) from None
    return max(1, min(os.cpu_count() or 1, 8))


def _executor(workers: int) -> ThreadPoolExecutor:
    global _pool
    if _pool is None or _pool._max_workers < workers:  # grows when the setting grows
        _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="headwater")
    return _pool


def map_ranges(fn: Callable[[int, int], Any], n: int, min_rows: int = 1 << 20) -> list[Any]:
    """``fn(start, stop)`` over contiguous ranges covering ``range(n)``, one per thread.

    Runs on the calling thread alone when ``n`` is below ``min_rows`` per extra
    thread or only one thread is allowed.

    Examples
    --------
    >>> map_ranges(lambda a, b: b - a, 10)
    [10]
    """
    workers = min(num_threads(), max(1, n // max(min_rows, 1)))
    if workers <= 1:
        return [fn(0, n)]
    bounds = [n * i // workers for i in range(workers + 1)]
    futures = [_executor(workers).submit(fn, bounds[i], bounds[i + 1]) for i in range(1, workers)]
    first = fn(bounds[0], bounds[1])  # the calling thread takes the first range
    return [first] + [f.result() for f in futures]


def run_tasks(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Call every task, on up to ``num_threads()`` threads; results in task order.

    Examples
    --------
    >>> run_tasks([lambda: 1, lambda: 2])
    [1, 2]
    """
    workers = min(num_threads(), len(tasks))
    if workers <= 1:
        return [task() for task in tasks]
    futures = [_executor(workers).submit(task) for task in tasks[1:]]
    first = tasks[0]()
    return [first] + [f.result() for f in futures]


def submit(fn: Callable[..., Any], *args: Any) -> Any:
    """Start ``fn(*args)`` on the shared pool of ``num_threads()`` workers; a Future.

    For callers that consume results as they finish (a reader building each column while
    the next ones decode).

    Examples
    --------
    >>> submit(sum, [1, 2]).result()
    3
    """
    return _executor(num_threads()).submit(fn, *args)
