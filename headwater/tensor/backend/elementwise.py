"""Binary ufuncs over long host arrays, in row ranges on the worker threads.

A column operation such as ``price * (1 - discount)`` is a pass over millions of rows
that NumPy runs on one core with the GIL released. Here an operation of two long 1-d
operands (or one and a scalar) on the host writes into one output, each worker thread
computing its own contiguous range (:func:`~headwater.tensor.backend.threads.map_ranges`),
so the page faults of the fresh output and the arithmetic are shared between the cores.
The result is the one ufunc call's, element for element (an elementwise ufunc's value
at a row does not depend on the other rows), with the same dtype and under the caller's
floating-point error settings. On a GPU, for short operands, or with one thread, it is
the plain call.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.backend.threads import map_ranges, num_threads

__all__ = ["binary", "PARALLEL_ROWS"]

PARALLEL_ROWS = 1 << 21  # operands shorter than this run in one call on the calling thread


def _length(x: Any) -> int | None:
    """Rows of a 1-d NumPy operand, -1 for a scalar, None for anything else."""
    if isinstance(x, np.ndarray):
        if x.ndim == 1:
            return len(x)
        return -1 if x.ndim == 0 else None
    if isinstance(x, (int, float, bool, complex, np.generic)):
        return -1
    return None


def binary(xp: Any, name: str, a: Any, b: Any) -> Any:
    """``getattr(xp, name)(a, b)`` for the ufunc ``name`` (``"multiply"``, ``"greater"``, ...).

    Examples
    --------
    >>> binary(np, "add", np.arange(3), 1).tolist()
    [1, 2, 3]
    """
    func = getattr(xp, name)
    if xp is not np or not isinstance(func, np.ufunc) or num_threads() <= 1:
        return func(a, b)
    la, lb = _length(a), _length(b)
    if la is None or lb is None or max(la, lb) < PARALLEL_ROWS or (la >= 0 and lb >= 0 and la != lb):
        return func(a, b)
    n = max(la, lb)
    head = func(a[:1] if la >= 0 else a, b[:1] if lb >= 0 else b)  # the dtype of the whole call
    out = np.empty(n, dtype=head.dtype)
    errors = np.geterr()  # worker threads have their own error state: give them the caller's

    def part(start: int, stop: int) -> None:
        with np.errstate(**errors):
            func(a[start:stop] if la >= 0 else a, b[start:stop] if lb >= 0 else b, out=out[start:stop])

    map_ranges(part, n)
    return out
