"""Breadth-first search from one or several start vertices, level by level.

Each level gathers the out-edges of the frontier from the CSR arrays (work
proportional to those edges), keeps the edges that reach unvisited vertices, and
writes their distance and one predecessor with a scatter. The loop runs once per
level, never once per vertex.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.adjacency import distinct_ids
from headwater.graph.graph import Graph

__all__ = ["bfs", "bfs_arrays"]


def bfs(G: Graph, start: Any = None, depth_limit: int | None = None, i_start: Any = None,
        directed: bool | None = None, return_predecessors: bool = True) -> DataFrame:
    """Hop distances and predecessors of a breadth-first search, cuGraph's ``bfs``.

    Parameters
    ----------
    G : Graph
    start : vertex id or list of ids
        Where the search starts (several starts search from all of them at once).
    depth_limit : int, optional
        Stop after this many levels; vertices further away are unreachable.
    i_start : vertex id, optional
        cuGraph's alias of ``start`` (give one of the two).
    directed : None
        cuGraph reads it for matrix inputs only; a Graph knows its direction.
    return_predecessors : bool, default True
        With False the ``predecessor`` column is all null.

    Returns
    -------
    DataFrame
        ``vertex``, ``distance`` (int64) and ``predecessor`` (a vertex id). A vertex
        the search cannot reach has a null distance and predecessor (cuGraph writes
        the largest integer and -1); the start's predecessor is null.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": ["a", "b", "c"], "destination": ["b", "c", "d"]})
    >>> G = hw.graph.Graph(directed=True).from_edgelist(df)
    >>> r = hw.graph.bfs(G, start="b")
    >>> r["distance"].to_list(), r["predecessor"].to_list()
    ([None, 0, 1, 2], [None, None, 'b', 'c'])
    """
    if directed is not None:
        raise TypeError("bfs: directed= applies to matrix inputs in cuGraph; a Graph already knows its "
                        "direction: build it with hw.graph.Graph(directed=...)")
    if start is not None and i_start is not None:
        raise TypeError("bfs: pass start= or its alias i_start=, not both")
    start = start if start is not None else i_start
    if start is None:
        raise TypeError("bfs: start= is required: pass the vertex id (or a list of ids) to search from")
    if depth_limit is not None and (not isinstance(depth_limit, int) or depth_limit < 0):
        raise ValueError(f"bfs: depth_limit must be a non-negative int or None, got {depth_limit!r}")
    sources = G.lookup(start, "bfs", "start")
    dist, pred = bfs_arrays(G, sources, depth_limit)
    reached = dist >= 0
    if not return_predecessors:
        pred = G.xp.full_like(pred, -1)
    return G.result({"distance": (dist, reached), "predecessor": G.vertex_column(pred)})


def bfs_arrays(G: Graph, sources: Any, depth_limit: int | None = None) -> tuple[Any, Any]:
    """(distance, predecessor) int64 arrays over internal ids; -1 where unreachable."""
    xp = G.xp
    adj = G.out_adjacency()
    n = G.number_of_vertices()
    dist = xp.full(n, -1, dtype=xp.int64)
    pred = xp.full(n, -1, dtype=xp.int64)
    frontier = distinct_ids(xp, sources, n)
    dist[frontier] = 0
    level = 0
    while frontier.shape[0] and (depth_limit is None or level < depth_limit):
        src, dst, _ = adj.expand(frontier)
        fresh = xp.take(dist, dst) < 0
        src, dst = src[fresh], dst[fresh]
        level += 1
        pred[dst] = src  # several frontier vertices may reach one vertex: any of them is a predecessor
        dist[dst] = level
        frontier = distinct_ids(xp, dst, n)
    return dist, pred
