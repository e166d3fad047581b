"""Core numbers by parallel peeling, and the k-core subgraph.

At level ``k`` every remaining vertex with at most ``k`` remaining neighbours is
peeled at once (core number ``k``) and its neighbours' degrees drop by a scatter;
the peel repeats on the vertices whose degree dropped, and ``k`` jumps to the
smallest remaining degree when none is left to peel.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.degree import degree_array
from headwater.graph.errors import GraphError, undirected_only
from headwater.graph.adjacency import distinct_ids
from headwater.graph.graph import Graph
from headwater.graph.vertex_values import vertex_values
from headwater.tensor.transfer import to_host

__all__ = ["core_number", "k_core", "core_numbers"]

_DEGREE_TYPES = ("incoming", "outgoing", "bidirectional")


def _check(G: Graph, algorithm: str, degree_type: str) -> None:
    undirected_only(G, algorithm)
    if degree_type not in _DEGREE_TYPES:
        raise ValueError(f"{algorithm}: degree_type must be one of {_DEGREE_TYPES}, got {degree_type!r}")
    if bool(to_host(G.xp.any(G._self_loops))):
        raise GraphError(f"{algorithm}: the graph has self loops, which core numbers do not define; drop the "
                         f"rows whose source equals destination (df[df['src'] != df['dst']]) first")


def core_numbers(G: Graph) -> Any:
    """int64 core number of every vertex (internal ids)."""
    xp = G.xp
    n = G.number_of_vertices()
    adj = G.out_adjacency()
    deg = degree_array(G).copy()
    core = xp.zeros(n, dtype=xp.int64)
    alive = xp.ones(n, dtype=bool)
    left = n
    k = 0
    peel = xp.flatnonzero(deg <= k)
    while left:
        if not peel.shape[0]:
            k = int(to_host(xp.min(deg[alive])))
            peel = xp.flatnonzero(alive & (deg <= k))
        core[peel] = k
        alive[peel] = False
        left -= int(peel.shape[0])
        _, d, _ = adj.expand(peel)
        d = d[xp.take(alive, d)]
        xp.subtract.at(deg, d, 1)
        touched = distinct_ids(xp, d, n)
        peel = touched[xp.take(deg, touched) <= k]
    return core


def core_number(G: Graph, degree_type: str = "bidirectional") -> DataFrame:
    """The core number of every vertex, cuGraph's ``core_number``: ``vertex``, ``core_number``.

    A vertex has core number ``k`` when it is in the k-core (the largest subgraph in
    which every vertex has at least ``k`` neighbours) but not in the (k+1)-core.

    Parameters
    ----------
    G : Graph
        Undirected, without self loops.
    degree_type : str, default ``"bidirectional"``
        cuGraph's option; an undirected graph has one degree, so all three values
        agree.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 1, 2, 2], "destination": [1, 2, 0, 3]})
    >>> hw.graph.core_number(hw.graph.Graph().from_edgelist(df))["core_number"].to_list()
    [2, 2, 2, 1]
    """
    _check(G, "core_number", degree_type)
    return G.result({"core_number": core_numbers(G)})


def k_core(G: Graph, k: int | None = None, core_number: DataFrame | None = None,
           degree_type: str = "bidirectional") -> Graph:
    """The k-core of ``G`` as a new Graph (its vertices of core number >= ``k``).

    Parameters
    ----------
    G : Graph
        Undirected, without self loops.
    k : int, optional
        The order of the core; the largest core (the main core) when None.
    core_number : DataFrame, optional
        Precomputed ``vertex`` and ``core_number`` (or cuGraph's ``values``) columns.
    degree_type : str, default ``"bidirectional"``

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 1, 2, 2], "destination": [1, 2, 0, 3]})
    >>> core = hw.graph.k_core(hw.graph.Graph().from_edgelist(df))
    >>> core.nodes().to_list(), core.number_of_edges()
    ([0, 1, 2], 3)
    """
    _check(G, "k_core", degree_type)
    xp = G.xp
    if core_number is None:
        cores = core_numbers(G)
    else:
        cores = vertex_values(G, core_number, "k_core", "core_number", ("core_number", "values"), fill=-1.0)
    if k is None:
        k = int(to_host(cores.max())) if cores.shape[0] else 0
    if not isinstance(k, (int,)) or k < 0:
        raise ValueError(f"k_core: k must be a non-negative int or None, got {k!r}")
    inside = cores >= k
    keep = xp.take(inside, G._src) & xp.take(inside, G._dst)
    edges = G.view_edge_list()._filter_rows(keep)
    source, destination, weight = G._names
    return Graph(directed=G.directed).from_edgelist(edges, source=source, destination=destination, weight=weight)
