"""Vertex degrees: ``degree``, ``in_degree``, ``out_degree`` and ``degrees``.

An undirected edge counts once at each of its ends and a self loop twice, as
NetworkX counts; a directed graph's ``degree`` is in-degree plus out-degree.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.graph import Graph

__all__ = ["degree", "in_degree", "out_degree", "degrees", "degree_array"]


def degree_array(G: Graph, kind: str = "degree") -> Any:
    """int64 degrees of every vertex; ``kind`` is ``"degree"``, ``"in"`` or ``"out"``."""
    xp = G.xp
    n = G.number_of_vertices()
    if not G.directed:
        loops = xp.bincount(G._src[G._self_loops], minlength=n)
        return (G.out_adjacency().row_counts() + loops).astype(xp.int64)
    out = xp.bincount(G._src, minlength=n).astype(xp.int64)
    inn = xp.bincount(G._dst, minlength=n).astype(xp.int64)
    return {"degree": out + inn, "in": inn, "out": out}[kind]


def _frame(G: Graph, columns: dict[str, Any], vertex_subset: Any, algorithm: str) -> DataFrame:
    if vertex_subset is None:
        return G.result(columns)
    ids = G.lookup(vertex_subset, algorithm, "vertex_subset")
    xp = G.xp
    return G.result({name: xp.take(values, ids) for name, values in columns.items()}, ids)


def degree(G: Graph, vertex_subset: Any = None) -> DataFrame:
    """Edges at each vertex: a frame of ``vertex`` and ``degree``.

    Parameters
    ----------
    G : Graph
    vertex_subset : scalar, list or Series, optional
        Only these vertices, in this order.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": ["a", "a", "b"], "destination": ["b", "c", "c"]})
    >>> G = hw.graph.Graph().from_edgelist(df)
    >>> hw.graph.degree(G)["degree"].to_list()
    [2, 2, 2]
    """
    return _frame(G, {"degree": degree_array(G)}, vertex_subset, "degree")


def in_degree(G: Graph, vertex_subset: Any = None) -> DataFrame:
    """Edges into each vertex: ``vertex`` and ``degree`` (the degree when undirected).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 0, 1], "destination": [1, 2, 2]})
    >>> G = hw.graph.Graph(directed=True).from_edgelist(df)
    >>> hw.graph.in_degree(G)["degree"].to_list()
    [0, 1, 2]
    """
    return _frame(G, {"degree": degree_array(G, "in")}, vertex_subset, "in_degree")


def out_degree(G: Graph, vertex_subset: Any = None) -> DataFrame:
    """Edges out of each vertex: ``vertex`` and ``degree`` (the degree when undirected).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 0, 1], "destination": [1, 2, 2]})
    >>> G = hw.graph.Graph(directed=True).from_edgelist(df)
    >>> hw.graph.out_degree(G)["degree"].to_list()
    [2, 1, 0]
    """
    return _frame(G, {"degree": degree_array(G, "out")}, vertex_subset, "out_degree")


def degrees(G: Graph, vertex_subset: Any = None) -> DataFrame:
    """``vertex``, ``in_degree`` and ``out_degree`` in one frame.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 0], "destination": [1, 2]})
    >>> hw.graph.degrees(hw.graph.Graph(directed=True).from_edgelist(df)).columns
    ['vertex', 'in_degree', 'out_degree']
    """
    return _frame(G, {"in_degree": degree_array(G, "in"), "out_degree": degree_array(G, "out")},
                  vertex_subset, "degrees")
