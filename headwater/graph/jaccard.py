"""Jaccard similarity of vertex neighbourhoods from sparse products."""

from __future__ import annotations


from headwater.dataframe.column import build_column
from headwater.dataframe.frame import DataFrame
from headwater.graph.errors import undirected_only
from headwater.graph.graph import Graph
from headwater.graph.triangles import simple_adjacency

__all__ = ["jaccard", "jaccard_coefficient"]


def jaccard(input_graph: Graph, vertex_pair: DataFrame | None = None, use_weight: bool = False) -> DataFrame:
    """``|N(u) & N(v)| / |N(u) | N(v)|`` for vertex pairs, cuGraph's ``jaccard``.

    Parameters
    ----------
    input_graph : Graph
        Undirected; self loops are ignored.
    vertex_pair : DataFrame, optional
        Two columns (the first two of the frame) of vertex ids. Without it, every
        pair of vertices two hops apart, each pair once with ``first < second``
        (cuGraph's default pairs; there are many on a large graph).
    use_weight : bool, default False
        Weighted Jaccard is not supported here (must be False).

    Returns
    -------
    DataFrame
        ``first``, ``second`` and ``jaccard_coeff`` (float64).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": ["a", "a", "b"], "destination": ["b", "c", "c"]})
    >>> G = hw.graph.Graph().from_edgelist(df)
    >>> pairs = hw.DataFrame({"first": ["a"], "second": ["b"]})
    >>> hw.graph.jaccard(G, pairs)["jaccard_coeff"].to_list()
    [0.3333333333333333]
    """
    undirected_only(input_graph, "jaccard")
    if use_weight:
        raise NotImplementedError("jaccard: use_weight=True (weighted Jaccard) is not supported; "
                                  "pass use_weight=False for the neighbourhood-set coefficient")
    G = input_graph
    xp = G.xp
    adj = simple_adjacency(G)
    a = adj.matrix()
    degree = adj.row_counts().astype(xp.float64)
    if vertex_pair is None:
        two_hop = (a @ a).tocoo()
        rows, cols = two_hop.row.astype(xp.int64), two_hop.col.astype(xp.int64)
        keep = rows < cols
        first, second, shared = rows[keep], cols[keep], two_hop.data[keep]
    else:
        names = list(getattr(vertex_pair, "columns", []))
        if len(names) < 2:
            raise TypeError("jaccard: vertex_pair must be a DataFrame with two columns of vertex ids, got "
                            f"{type(vertex_pair).__name__} with columns {names}")
        first = G.lookup(vertex_pair[names[0]], "jaccard", f"vertex_pair[{names[0]!r}]")
        second = G.lookup(vertex_pair[names[1]], "jaccard", f"vertex_pair[{names[1]!r}]")
        shared = (a[first].multiply(a[second])).tocsr() @ xp.ones(G.number_of_vertices(), dtype=xp.float64)
    union = xp.take(degree, first) + xp.take(degree, second) - shared
    coeff = xp.where(union > 0, shared / xp.where(union > 0, union, 1.0), 0.0)
    return DataFrame._from_columns({"first": G.vertex_column(first), "second": G.vertex_column(second),
                                    "jaccard_coeff": build_column(coeff.astype(xp.float64))})


def jaccard_coefficient(G: Graph, ebunch: DataFrame | None = None) -> DataFrame:
    """cuGraph's NetworkX-style name for :func:`jaccard` (``ebunch`` is ``vertex_pair``).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 0, 1], "destination": [1, 2, 2]})
    >>> hw.graph.jaccard_coefficient(hw.graph.Graph().from_edgelist(df)).shape
    (3, 3)
    """
    return jaccard(G, ebunch)
