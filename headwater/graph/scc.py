"""Strongly connected components by forward coloring and backward search.

Each round gives every remaining vertex the largest id that reaches it (a
frontier-driven ``maximum.at`` propagation). A vertex that keeps its own id is a
root; its strong component is what reaches it backward through vertices of its
color. Those components leave and the next round colors the rest. Every round
removes at least the component of the largest remaining id; on ordinary graphs a
handful of rounds suffice (a long directed path is the worst case: about one round
per vertex).
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.components import _refuse_matrix_options, dense_labels
from headwater.graph.adjacency import distinct_ids
from headwater.graph.graph import Graph

__all__ = ["strongly_connected_components", "strong_roots"]


def strong_roots(G: Graph) -> Any:
    """int64 root (the largest internal id) of each vertex's strong component."""
    xp = G.xp
    n = G.number_of_vertices()
    out, into = G.out_adjacency(), G.in_adjacency()
    ids = xp.arange(n, dtype=xp.int64)
    label = xp.full(n, -1, dtype=xp.int64)
    remaining = xp.ones(n, dtype=bool)
    rest = ids
    while rest.shape[0]:
        color = xp.where(remaining, ids, -1)
        frontier = rest
        while frontier.shape[0]:
            s, d, _ = out.expand(frontier)
            cs = xp.take(color, s)
            grow = xp.take(remaining, d) & (cs > xp.take(color, d))
            d, cs = d[grow], cs[grow]
            xp.maximum.at(color, d, cs)
            frontier = distinct_ids(xp, d, n)
        found = remaining & (color == ids)
        frontier = xp.flatnonzero(found)
        while frontier.shape[0]:
            v, u, _ = into.expand(frontier)  # edges u -> v
            grow = xp.take(remaining, u) & ~xp.take(found, u) & (xp.take(color, u) == xp.take(color, v))
            u = u[grow]
            found[u] = True
            frontier = distinct_ids(xp, u, n)
        label[found] = color[found]
        remaining &= ~found
        rest = xp.flatnonzero(remaining)
    return label


def strongly_connected_components(G: Graph, directed: Any = None, connection: Any = None,
                                  return_labels: Any = None) -> DataFrame:
    """Strong components (following edge directions): ``vertex`` and ``labels``.

    Labels are ``0..k-1`` in the order of each component's largest vertex id; an
    undirected graph's strong components are its weak ones.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": ["a", "b", "b"], "destination": ["b", "a", "c"]})
    >>> r = hw.graph.strongly_connected_components(hw.graph.Graph(directed=True).from_edgelist(df))
    >>> r["labels"].to_list()
    [0, 0, 1]
    """
    _refuse_matrix_options("strongly_connected_components", directed, connection, return_labels)
    return G.result({"labels": dense_labels(G, strong_roots(G))})
