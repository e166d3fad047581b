"""Weakly connected components by hooking and pointer jumping; the components dispatcher.

Every vertex points at a parent with a smaller id. Each round hooks, for every edge
whose ends have different roots, the larger root under the smaller one (a
``minimum.at`` scatter), then jumps pointers until every vertex points at its root.
Edges whose ends share a root are dropped for good, so rounds get cheaper; a few
rounds (about ``log V``) settle a graph.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.graph import Graph
from headwater.tensor.transfer import to_host

__all__ = ["connected_components", "weakly_connected_components", "weak_roots", "edge_roots", "dense_labels"]


def weak_roots(G: Graph) -> Any:
    """int64 root (the smallest internal id) of each vertex's weak component."""
    return edge_roots(G.xp, G.number_of_vertices(), G._src, G._dst)


def edge_roots(xp: Any, n: int, src: Any, dst: Any) -> Any:
    """int64 root (the smallest id) of each of ``n`` vertices' component under the edges ``src -- dst``.

    Min-label hooking with pointer jumping, on the device (``hw.ml.DBSCAN`` links
    its core samples with it).

    Examples
    --------
    >>> import headwater as hw
    >>> xp = hw.get_backend().xp  # device arrays in, as on a GPU
    >>> edge_roots(xp, 5, xp.asarray([3, 4]), xp.asarray([1, 3])).tolist()
    [0, 1, 2, 1, 1]
    """
    parent = xp.arange(n, dtype=xp.int64)
    while src.shape[0]:
        a, b = xp.take(parent, src), xp.take(parent, dst)
        differ = a != b
        src, dst, a, b = src[differ], dst[differ], a[differ], b[differ]
        if not src.shape[0]:
            break
        xp.minimum.at(parent, xp.maximum(a, b), xp.minimum(a, b))
        parent = _jump(xp, parent)
    return parent


def _jump(xp: Any, parent: Any) -> Any:
    while True:
        grand = xp.take(parent, parent)
        if bool(to_host(xp.all(grand == parent))):
            return parent
        parent = grand


def dense_labels(G: Graph, roots: Any) -> Any:
    """Component labels ``0..k-1`` numbered by each component's smallest vertex."""
    ids, _ = G._vertices.backend.factorize(roots, sort=True)
    return ids


def weakly_connected_components(G: Graph, directed: Any = None, connection: Any = None,
                                return_labels: Any = None) -> DataFrame:
    """Weak components (edge directions ignored): a frame of ``vertex`` and ``labels``.

    Labels are ``0..k-1``, numbered in the order of each component's smallest vertex
    id (cuGraph's labels are arbitrary ints; only the partition is defined).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": ["a", "c", "e"], "destination": ["b", "d", "d"]})
    >>> r = hw.graph.weakly_connected_components(hw.graph.Graph(directed=True).from_edgelist(df))
    >>> r["labels"].to_list()
    [0, 0, 1, 1, 1]
    """
    _refuse_matrix_options("weakly_connected_components", directed, connection, return_labels)
    return G.result({"labels": dense_labels(G, weak_roots(G))})


def connected_components(G: Graph, directed: Any = None, connection: str = "weak",
                         return_labels: Any = None) -> DataFrame:
    """Connected components, cuGraph's ``connected_components``: ``vertex`` and ``labels``.

    Parameters
    ----------
    G : Graph
    directed, return_labels : None
        cuGraph reads them for matrix inputs only.
    connection : ``"weak"`` (default) or ``"strong"``
        Strong components follow edge directions (see
        :func:`strongly_connected_components`).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 1, 2], "destination": [1, 0, 3]})
    >>> G = hw.graph.Graph(directed=True).from_edgelist(df)
    >>> hw.graph.connected_components(G)["labels"].to_list()
    [0, 0, 1, 1]
    >>> hw.graph.connected_components(G, connection="strong")["labels"].to_list()
    [0, 0, 1, 2]
    """
    _refuse_matrix_options("connected_components", directed, None, return_labels)
    if connection == "weak":
        return weakly_connected_components(G)
    if connection == "strong":
        from headwater.graph.scc import strongly_connected_components

        return strongly_connected_components(G)
    raise ValueError(f"connected_components: connection must be 'weak' or 'strong', got {connection!r}")


def _refuse_matrix_options(algorithm: str, directed: Any, connection: Any, return_labels: Any) -> None:
    for name, value in (("directed", directed), ("connection", connection), ("return_labels", return_labels)):
        if value is not None:
            raise TypeError(f"{algorithm}: {name}= applies to matrix inputs in cuGraph; a Graph carries its "
                            f"direction: leave {name} unset")
