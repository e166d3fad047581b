"""Compressed sparse rows of a graph, and the frontier expansion that traversals share.

``indptr``/``indices``/``data`` are plain ``xp`` arrays (int64 ids), so the
traversals gather out-edges of a frontier with a few vectorized ops; ``matrix()``
wraps the same arrays as a ``scipy.sparse`` / ``cupyx.scipy.sparse`` CSR matrix
for products.
"""

from __future__ import annotations

from typing import Any

from headwater.tensor.backend.base import Backend

__all__ = ["Adjacency", "distinct_ids"]


class Adjacency:
    """Edges ``rows[i] -> cols[i]`` (weight ``vals[i]``) grouped by row, on one device.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.graph.adjacency import Adjacency
    >>> be = hw.get_backend()
    >>> adj = Adjacency(be, be.xp.asarray([1, 0, 1]), be.xp.asarray([2, 1, 0]), None, 3)
    >>> adj.indptr.tolist(), adj.indices.tolist()
    ([0, 1, 3, 3], [1, 2, 0])
    >>> src, dst, pos = adj.expand(be.xp.asarray([1]))
    >>> src.tolist(), dst.tolist()
    ([1, 1], [2, 0])
    """

    def __init__(self, backend: Backend, rows: Any, cols: Any, vals: Any, n: int) -> None:
        xp = backend.xp
        self.backend = backend
        self.n = n
        order = backend.stable_argsort(rows, bound=n)
        self.rows = xp.take(rows, order)
        self.indices = xp.take(cols, order)
        self.data = None if vals is None else xp.take(vals, order)
        counts = xp.bincount(self.rows, minlength=n) if len(rows) else xp.zeros(n, dtype=xp.int64)
        self.indptr = xp.concatenate([xp.zeros(1, dtype=xp.int64), xp.cumsum(counts).astype(xp.int64)])
        self._matrix: Any = None

    @property
    def nnz(self) -> int:
        """Number of stored edges."""
        return int(self.indices.shape[0])

    def row_counts(self) -> Any:
        """Stored edges per row (int64)."""
        return self.indptr[1:] - self.indptr[:-1]

    def weights(self) -> Any:
        """Edge weights as float64 (1.0 for an unweighted graph)."""
        xp = self.backend.xp
        if self.data is None:
            return xp.ones(self.nnz, dtype=xp.float64)
        return self.data

    def matrix(self) -> Any:
        """The CSR matrix (``n x n``, float64 weights) of the device's sparse module."""
        if self._matrix is None:
            xp = self.backend.xp
            small = self.n < 2**31 and self.nnz < 2**31  # CuPy's CSR wants int32 indices
            index = xp.int32 if small else xp.int64
            self._matrix = self.backend.sparse.csr_matrix(
                (self.weights(), self.indices.astype(index), self.indptr.astype(index)), shape=(self.n, self.n)
            )
        return self._matrix

    def expand(self, frontier: Any) -> tuple[Any, Any, Any]:
        """(src, dst, edge position) of every stored edge leaving a vertex of ``frontier``.

        ``frontier`` is an int64 array of row ids; the work is proportional to the
        edges found, not to the graph.
        """
        xp = self.backend.xp
        starts = xp.take(self.indptr, frontier)
        counts = xp.take(self.indptr, frontier + 1) - starts
        owner = self.backend.repeat(xp.arange(frontier.shape[0], dtype=xp.int64), counts)
        first = xp.cumsum(counts) - counts
        pos = xp.take(starts, owner) + (xp.arange(owner.shape[0], dtype=xp.int64) - xp.take(first, owner))
        return xp.take(frontier, owner), xp.take(self.indices, pos), pos


def distinct_ids(xp: Any, ids: Any, n: int) -> Any:
    """The distinct values of ``ids`` (ints in ``[0, n)``), ascending.

    A frontier that is a fair share of the graph is marked in a bool array of ``n``
    (linear, no sort); a small one is sorted, so deep narrow searches stay cheap.
    """
    if ids.shape[0] * 16 < n:
        return xp.unique(ids)
    seen = xp.zeros(n, dtype=bool)
    seen[ids] = True
    return xp.flatnonzero(seen)
