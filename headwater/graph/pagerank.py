"""PageRank by the power method on the in-edge CSR matrix, cuGraph's ``pagerank``.

Each iteration is one sparse matrix-vector product. Dangling vertices (no out-edge
weight) spread their rank by the personalization vector (uniform by default), and
the iteration stops when the L1 change falls below ``V * tol``, as NetworkX's does.
That test reads one number per iteration on the host (the documented convergence
check).
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.errors import ConvergenceError
from headwater.graph.graph import Graph
from headwater.graph.vertex_values import vertex_values
from headwater.tensor.transfer import to_host

__all__ = ["pagerank", "out_weights"]


def out_weights(G: Graph) -> Any:
    """Sum of out-edge weights per vertex (float64; each undirected edge leaves both ends)."""
    xp = G.xp
    adj = G.out_adjacency()
    return xp.bincount(adj.rows, weights=adj.weights(), minlength=G.number_of_vertices())


def pagerank(G: Graph, alpha: float = 0.85, personalization: DataFrame | None = None,
             precomputed_vertex_out_weight: DataFrame | None = None, max_iter: int = 100, tol: float = 1e-05,
             nstart: DataFrame | None = None, weight: Any = None, dangling: Any = None,
             fail_on_nonconvergence: bool = True) -> DataFrame | tuple[DataFrame, bool]:
    """The PageRank of every vertex: a frame of ``vertex`` and ``pagerank``.

    Parameters
    ----------
    G : Graph
        Edge weights, when the graph has them, weigh the out-links.
    alpha : float, default 0.85
        Damping factor, in ``(0, 1)``.
    personalization : DataFrame, optional
        Columns ``vertex`` and ``values``: the teleport distribution (normalized;
        vertices not listed get 0).
    precomputed_vertex_out_weight : DataFrame, optional
        Columns ``vertex`` and ``sums``: out-weight sums to use instead of the graph's.
    max_iter : int, default 100
    tol : float, default 1e-5
        Stop when the L1 change of the ranks is below ``V * tol``.
    nstart : DataFrame, optional
        Columns ``vertex`` and ``values``: the starting ranks (normalized).
    weight, dangling : None
        cuGraph's deprecated weight name, and a dangling distribution (dangling
        vertices follow ``personalization`` here).
    fail_on_nonconvergence : bool, default True
        Raise :class:`ConvergenceError` when ``max_iter`` is reached; with False,
        return ``(frame, converged)``.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 1, 2], "destination": [1, 2, 0]})
    >>> r = hw.graph.pagerank(hw.graph.Graph(directed=True).from_edgelist(df))
    >>> [round(v, 4) for v in r["pagerank"].to_list()]
    [0.3333, 0.3333, 0.3333]
    """
    if weight is not None:
        raise TypeError("pagerank: weight= is deprecated in cuGraph and not read here; the graph's own weight "
                        "column is used: build the graph with from_edgelist(..., weight=name)")
    if dangling is not None:
        raise NotImplementedError("pagerank: dangling= is not supported; dangling vertices spread their rank by "
                                  "personalization (uniform by default): pass personalization= instead")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"pagerank: alpha must be in (0, 1), got {alpha!r}")
    if not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"pagerank: max_iter must be a positive int, got {max_iter!r}")
    xp = G.xp
    n = G.number_of_vertices()
    outw = (out_weights(G) if precomputed_vertex_out_weight is None else
            vertex_values(G, precomputed_vertex_out_weight, "pagerank", "precomputed_vertex_out_weight", ("sums",)))
    p = _distribution(G, personalization, "personalization", xp.full(n, 1.0 / n, dtype=xp.float64))
    x = _distribution(G, nstart, "nstart", xp.full(n, 1.0 / n, dtype=xp.float64))
    dangling_mask = outw == 0
    scale = xp.where(dangling_mask, 0.0, 1.0 / xp.where(dangling_mask, 1.0, outw))
    matrix = G.in_adjacency().matrix()
    converged = False
    for _ in range(max_iter):
        last = x
        spread = xp.sum(x[dangling_mask])
        x = alpha * (matrix @ (last * scale) + spread * p) + (1.0 - alpha) * p
        if float(to_host(xp.sum(xp.abs(x - last)))) < n * tol:
            converged = True
            break
    if not converged and fail_on_nonconvergence:
        raise ConvergenceError(f"pagerank: the power iteration did not converge in max_iter={max_iter} "
                               f"iterations to tol={tol}; raise max_iter or tol, or pass "
                               f"fail_on_nonconvergence=False to get the last iterate")
    result = G.result({"pagerank": x})
    return result if fail_on_nonconvergence else (result, converged)


def _distribution(G: Graph, frame: DataFrame | None, argument: str, default: Any) -> Any:
    if frame is None:
        return default
    values = vertex_values(G, frame, "pagerank", argument)
    xp = G.xp
    total = float(to_host(xp.sum(values)))
    if not total > 0 or bool(to_host(xp.any(values < 0))):
        raise ValueError(f"pagerank: {argument}['values'] must be non-negative with a positive sum, got sum {total}")
    return values / total
