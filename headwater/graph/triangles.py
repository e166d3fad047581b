"""Triangles at each vertex from one sparse product: ``diag(A^3) / 2`` as ``((A @ A) * A) @ 1 / 2``."""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.adjacency import Adjacency
from headwater.graph.errors import undirected_only
from headwater.graph.graph import Graph

__all__ = ["triangle_count", "simple_adjacency"]


def simple_adjacency(G: Graph) -> Adjacency:
    """The 0/1 adjacency of an undirected graph without its self loops."""
    adj = G.out_adjacency()
    keep = adj.rows != adj.indices
    return Adjacency(adj.backend, adj.rows[keep], adj.indices[keep], None, adj.n)


def triangle_count(G: Graph, start: Any = None) -> DataFrame:
    """Triangles through each vertex, cuGraph's ``triangle_count``: ``vertex`` and ``counts``.

    Parameters
    ----------
    G : Graph
        Undirected; self loops and edge weights are ignored.
    start : vertex id or list of ids, optional
        Only these vertices, in this order.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 1, 2, 2], "destination": [1, 2, 0, 3]})
    >>> hw.graph.triangle_count(hw.graph.Graph().from_edgelist(df))["counts"].to_list()
    [1, 1, 1, 0]
    """
    undirected_only(G, "triangle_count")
    xp = G.xp
    a = simple_adjacency(G).matrix()
    closed = (a @ a).multiply(a).tocsr()
    counts = xp.rint(closed @ xp.ones(G.number_of_vertices(), dtype=xp.float64) / 2).astype(xp.int64)
    if start is None:
        return G.result({"counts": counts})
    ids = G.lookup(start, "triangle_count", "start")
    return G.result({"counts": xp.take(counts, ids)}, ids)
