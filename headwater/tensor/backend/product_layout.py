"""``x @ w.T`` for a short ``x``, computed the faster of two equal ways on this machine.

A linear layer's product ``x @ w.T`` with few rows (a batch of 8 to 64) is, for the
BLAS, a product whose right operand is transposed. Some BLAS kernels are much slower
at that layout than at the mirrored one, ``(w @ x.T).T``, which makes the same dot
products: measured with NumPy 2.4's OpenBLAS 0.3.31 on an AVX-512 Intel Xeon
(SkylakeX kernels), float32 ``(32, 256) @ (256, 256).T`` takes 66 us one way and 47 us
the other (transposed copy included), ``(16, 1024) @ (1024, 1024).T`` 850 us against
465 us, while with the Haswell or Zen kernels of the same library the first way is as
fast or faster. So the choice is measured, not assumed: the first product of each
shape (dtype, rows, inner and outer size, operand layouts) computes both, keeps the
mirrored way only when its result is the same bits as ``x @ w.T`` and it ran clearly
faster (below ``MARGIN`` of the time, the best of a few timed runs each), and every
later product of that shape takes the way chosen. Results therefore never depend on
the timing: the two ways agree bit for bit where the mirrored one is used.

Only NumPy float32/float64 products of at most ``MAX_ROWS`` rows and ``MAX_WORK``
multiply-adds are considered (beyond that, ``x @ w.T`` is the BLAS's well-trodden
path and measuring would cost more than it could save); everything else is
``x @ w.T``. ``HEADWATER_PRODUCT_LAYOUT=0`` turns the measurement off for shapes not
yet measured (``reset()`` forgets the ones that were).
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

__all__ = ["MARGIN", "MAX_ROWS", "MAX_WORK", "linear_product", "reset"]

MAX_ROWS = 64
MAX_WORK = 1 << 26  # rows * inner * outer multiply-adds: about a millisecond per product
MARGIN = 0.85  # the mirrored way must take under this fraction of the plain way's time
_RUNS = 5
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_mirrored: dict[tuple, bool] = {}  # shape key -> True where (w @ x.T).T is used (False: x @ w.T)


def reset() -> None:
    """Forget the choices made (tests; a changed BLAS thread count)."""
    _mirrored.clear()


def _enabled() -> bool:
    return os.environ.get("HEADWATER_PRODUCT_LAYOUT", "1") != "0"


def _mirror(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray((w @ x.T).T)


def _best(fn: Any, x: np.ndarray, w: np.ndarray) -> float:
    best = float("inf")
    for _ in range(_RUNS):
        t = time.perf_counter()
        fn(x, w)
        best = min(best, time.perf_counter() - t)
    return best


def _plain(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return x @ w.T


def _choose(key: tuple, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Both ways on the first product of a shape; returns ``x @ w.T``."""
    out = x @ w.T
    alt = _mirror(x, w)
    same = out.tobytes() == alt.tobytes()
    _remember(key, same and _best(_mirror, x, w) < MARGIN * _best(_plain, x, w))
    return out


_MAX_KEYS = 4096  # shapes remembered (ever-changing shapes start over past this)


def _remember(key: tuple, mirrored: bool) -> None:
    if len(_mirrored) >= _MAX_KEYS:
        _mirrored.clear()
    _mirrored[key] = mirrored


def linear_product(x: Any, w: Any) -> Any:
    """``x @ w.T`` (``x`` of shape ``(..., k)``, ``w`` of shape ``(n, k)``), C-contiguous.

    Examples
    --------
    >>> x, w = np.arange(6.0).reshape(2, 3), np.ones((4, 3))
    >>> linear_product(x, w).tolist()
    [[3.0, 3.0, 3.0, 3.0], [12.0, 12.0, 12.0, 12.0]]
    """
    if type(x) is not np.ndarray or type(w) is not np.ndarray or x.ndim != 2 or w.ndim != 2:
        return x @ w.T
    key = (x.dtype, w.dtype, x.shape, w.shape, x.strides, w.strides)
    mirrored = _mirrored.get(key)
    if mirrored is None:
        rows, inner = x.shape
        if rows < 2 or rows > MAX_ROWS or rows * inner * w.shape[0] > MAX_WORK or x.dtype != w.dtype \
                or x.dtype not in _FLOATS:
            _remember(key, False)  # not considered: x @ w.T
            return x @ w.T
        return _choose(key, x, w) if _enabled() else x @ w.T
    return _mirror(x, w) if mirrored else x @ w.T
