"""Compiled host loops of the row passes (numba): Lloyd's assignment and centre sums, and a running k smallest.

On NumPy memory the per-block steps after a distance product are several array
passes each: for k-means the ``argmin`` over the centres, the one-hot matrix and its
product; for nearest neighbours the ``+ |x|^2``, the comparison with each query's
current ``k``-th distance, ``nonzero`` and a sort. Where `numba
<https://numba.pydata.org>`_ is installed (``pip install "headwater[jit]"``) each is
one loop over the block while it is in cache; the distance product itself stays a
BLAS call. The NumPy steps (:mod:`headwater.ml.kmeans_core`,
:mod:`headwater.ml.neighbors`) remain the reference and the path on a GPU, in the
strict mode, without numba or with ``HEADWATER_JIT_NUMBA=0`` (the switch the jit's
loops share). The loops compute the same quantities in the same precision (the
distances are the product's, so labels and neighbours are the same; a block's centre
sums are added in its dtype, as the NumPy path's one-hot product, and the blocks' sums
in float64), so the sums agree to rounding; tests compare the two. The first use compiles a loop (a few
seconds; numba caches it on disk next to this file when it can).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd.optim.adam_kernel import numba_enabled
from headwater.tensor.backend.base import Backend

__all__ = ["host_loop", "loops_apply", "lloyd_block", "smallest_k_block"]

_compiled: dict[str, Any] = {}


def lloyd_block(X, D, c_sq, lo, w, labels, dist, x_sq, sums, counts, acc):  # pragma: no cover - compiled
    """Rows ``lo .. lo + len(D)`` of ``X``: nearest centre from ``D`` (``-2 x.c``) plus ``c_sq``.

    Writes ``labels``; where ``dist`` has rows, the squared distance (``+ x_sq``,
    at least 0); where ``sums`` has rows, adds each row (times ``w`` where ``w`` has
    rows) to its centre's sum in ``acc`` (the block's sums in X's dtype, as the
    NumPy path's one-hot product), then ``acc`` to ``sums`` (float64), and each
    weight to ``counts`` (float64). The argmin is branch-free (labels are hard to
    predict); ties go to the lower centre, as ``argmin``.
    """
    m, k = D.shape
    p = X.shape[1]
    with_dist = dist.shape[0] > 0
    with_sums = sums.shape[0] > 0
    weighted = w.shape[0] > 0
    if with_sums:
        acc[:] = 0
    for r in range(m):
        best = 0
        bd = D[r, 0] + c_sq[0]
        for c in range(1, k):
            v = D[r, c] + c_sq[c]
            best = c if v < bd else best
            bd = v if v < bd else bd
        i = lo + r
        labels[i] = best
        if with_dist:
            v = bd + x_sq[i]
            dist[i] = v if v > 0 else 0.0
        if with_sums:
            row = acc[best]
            if weighted:
                wi = w[i]
                for j in range(p):
                    row[j] += X[i, j] * wi
                counts[best] += wi
            else:
                for j in range(p):
                    row[j] += X[i, j]
                counts[best] += 1.0
    if with_sums:
        for c in range(k):
            for j in range(p):
                sums[c, j] += acc[c, j]


def smallest_k_block(tile, sq, offset, best_d, best_i):  # pragma: no cover - compiled
    """Merge a tile of distances (``-2 q.x``, ``+ sq`` added here) into each query's k smallest.

    ``best_d``/``best_i`` hold each query's current ``k`` smallest distances (ascending,
    ``inf`` where not yet filled) and their column indices; a tile entry enters where
    it is below the ``k``-th, after the entries equal to it (so ties keep the lower
    index, as the columns come in order); ``offset`` is the tile's first column index.
    """
    m, n = tile.shape
    k = best_d.shape[1]
    for r in range(m):
        worst = best_d[r, k - 1]
        for c in range(n):
            v = tile[r, c] + sq[c]
            if v < worst:
                pos = k - 1
                while pos > 0 and best_d[r, pos - 1] > v:
                    best_d[r, pos] = best_d[r, pos - 1]
                    best_i[r, pos] = best_i[r, pos - 1]
                    pos -= 1
                best_d[r, pos] = v
                best_i[r, pos] = offset + c
                worst = best_d[r, k - 1]


_LOOPS = {"lloyd_block": lloyd_block, "smallest_k_block": smallest_k_block}


def host_loop(name: str) -> Any:
    """The compiled loop ``name`` (``"lloyd_block"`` or ``"smallest_k_block"``), or None where numba is off.

    Examples
    --------
    >>> from headwater.autograd.optim.adam_kernel import numba_enabled
    >>> (host_loop("lloyd_block") is not None) == numba_enabled()
    True
    """
    if not numba_enabled():
        return None
    fn = _compiled.get(name)
    if fn is None:
        import numba

        fn = _compiled[name] = numba.njit(cache=True, nogil=True)(_LOOPS[name])
    return fn


def loops_apply(backend: Backend, *arrays: Any) -> bool:
    """Whether the compiled loops run for these arrays: numba on, a host backend with its
    fast paths, and every array a C-contiguous NumPy array of one float dtype.

    Examples
    --------
    >>> import numpy as np
    >>> import headwater as hw
    >>> from headwater.autograd.optim.adam_kernel import numba_enabled
    >>> ok = loops_apply(hw.get_backend("cpu"), np.zeros((2, 2), np.float32))
    >>> ok == (numba_enabled() and hw.get_backend("cpu").host_fast_paths)
    True
    """
    if not backend.host_fast_paths or not numba_enabled():
        return False
    dtype = arrays[0].dtype
    return dtype in (np.float32, np.float64) and all(
        type(a) is np.ndarray and a.dtype == dtype and a.flags.c_contiguous for a in arrays)
