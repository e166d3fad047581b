"""Single-source shortest paths by frontier Bellman-Ford.

Each round relaxes the out-edges of the vertices whose distance fell in the round
before: candidate distances are scattered with ``minimum.at``, and an edge that
achieves a vertex's new minimum writes its source as the predecessor. Only strict
improvements write, so predecessors always form a tree. With non-negative weights
this ends after at most ``V - 1`` rounds, usually after about as many rounds as the
deepest shortest path has edges.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.errors import NegativeWeightError
from headwater.graph.adjacency import distinct_ids
from headwater.graph.graph import Graph
from headwater.tensor.transfer import to_host

__all__ = ["sssp", "shortest_path", "sssp_arrays"]

_METHODS = (None, "bellman-ford", "bellman_ford")


def sssp(G: Graph, source: Any = None, method: str | None = None, directed: bool | None = None,
         return_predecessors: bool | None = None, unweighted: bool | None = None, overwrite: bool | None = None,
         indices: Any = None, cutoff: float | None = None) -> DataFrame:
    """Weighted shortest-path distances and predecessors from ``source``, cuGraph's ``sssp``.

    Parameters
    ----------
    G : Graph
        Weights must be non-negative. An unweighted graph has weight 1 per edge
        (cuGraph refuses unweighted graphs and points to ``bfs``; the distances are
        the same, as floats).
    source : vertex id
        Where the paths start.
    method : None or ``"bellman-ford"``
        The algorithm (frontier Bellman-Ford, the only one here).
    directed, unweighted, overwrite : None
        cuGraph reads these for matrix inputs only; a Graph carries them.
    return_predecessors : bool, optional
        False gives an all-null ``predecessor`` column (default: computed).
    indices : vertex id, optional
        SciPy's name for ``source``.
    cutoff : float, optional
        Paths longer than this are not followed; their ends are unreachable.

    Returns
    -------
    DataFrame
        ``vertex``, ``distance`` (float64) and ``predecessor``. An unreachable vertex
        has a null distance and predecessor (cuGraph writes the largest float and
        -1); the source's predecessor is null.

    Raises
    ------
    NegativeWeightError
        An edge weight is negative.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 0, 1], "destination": [1, 2, 2], "w": [1.0, 5.0, 1.5]})
    >>> G = hw.graph.Graph(directed=True).from_edgelist(df, weight="w")
    >>> r = hw.graph.sssp(G, 0)
    >>> r["distance"].to_list(), r["predecessor"].to_list()
    ([0.0, 1.0, 2.5], [None, 0, 1])
    """
    for name, value in (("directed", directed), ("unweighted", unweighted), ("overwrite", overwrite)):
        if value is not None:
            raise TypeError(f"sssp: {name}= applies to matrix inputs in cuGraph; a Graph carries it already: "
                            f"leave {name} unset")
    if method not in _METHODS:
        raise NotImplementedError(f"sssp: method={method!r} is not available; the shortest paths are computed by "
                                  f"frontier Bellman-Ford: pass method=None or 'bellman-ford'")
    if source is not None and indices is not None:
        raise TypeError("sssp: pass source= or its alias indices=, not both")
    source = source if source is not None else indices
    if source is None:
        raise TypeError("sssp: source= is required: pass the vertex id the paths start from")
    if isinstance(source, (list, tuple)) and len(source) != 1:
        raise ValueError(f"sssp: source must be one vertex, got {len(source)}: call sssp once per source")
    start = G.lookup(source, "sssp", "source")
    dist, pred = sssp_arrays(G, start, cutoff)
    xp = G.xp
    reached = xp.isfinite(dist)
    if return_predecessors is False:
        pred = xp.full_like(pred, -1)
    return G.result({"distance": (xp.where(reached, dist, 0.0), reached), "predecessor": G.vertex_column(pred)})


shortest_path = sssp


def sssp_arrays(G: Graph, sources: Any, cutoff: float | None = None) -> tuple[Any, Any]:
    """(float64 distance, int64 predecessor) over internal ids; inf and -1 where unreachable."""
    xp = G.xp
    adj = G.out_adjacency()
    weights = adj.weights()
    if adj.nnz and bool(to_host(xp.any(weights < 0))):
        worst = float(to_host(weights.min()))
        raise NegativeWeightError(
            f"sssp: the graph has a negative edge weight ({worst}); shortest paths here need weights >= 0: "
            f"shift or clip the weight column (for example df['w'].clip(lower=0)) before building the graph"
        )
    n = G.number_of_vertices()
    dist = xp.full(n, xp.inf, dtype=xp.float64)
    pred = xp.full(n, -1, dtype=xp.int64)
    active = distinct_ids(xp, sources, n)
    dist[active] = 0.0
    limit = xp.inf if cutoff is None else float(cutoff)
    for _ in range(max(n, 1)):
        if not active.shape[0]:
            break
        src, dst, pos = adj.expand(active)
        cand = xp.take(dist, src) + xp.take(weights, pos)
        better = (cand < xp.take(dist, dst)) & (cand <= limit)
        src, dst, cand = src[better], dst[better], cand[better]
        xp.minimum.at(dist, dst, cand)
        wins = cand == xp.take(dist, dst)
        pred[dst[wins]] = src[wins]
        active = distinct_ids(xp, dst, n)
    return dist, pred
