"""HITS hubs and authorities by power iteration with two sparse products per step."""

from __future__ import annotations

from headwater.dataframe.frame import DataFrame
from headwater.graph.errors import ConvergenceError
from headwater.graph.graph import Graph
from headwater.graph.vertex_values import vertex_values
from headwater.tensor.transfer import to_host

__all__ = ["hits"]


def hits(G: Graph, max_iter: int = 100, tol: float = 1.0e-5, nstart: DataFrame | None = None,
         normalized: bool = True) -> DataFrame:
    """Hub and authority scores, cuGraph's ``hits``: ``vertex``, ``hubs``, ``authorities``.

    Authorities are ``A.T @ hubs`` and hubs ``A @ authorities`` (``A`` the weighted
    adjacency), each scaled to a maximum of 1 per step; the iteration stops when the
    hubs change by less than ``tol`` in L1.

    Parameters
    ----------
    G : Graph
    max_iter : int, default 100
    tol : float, default 1e-5
    nstart : DataFrame, optional
        Columns ``vertex`` and ``values``: starting hub scores.
    normalized : bool, default True
        Scale each score vector to sum 1 (else to a maximum of 1).

    Raises
    ------
    ConvergenceError
        ``max_iter`` iterations did not reach ``tol``.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 0, 1], "destination": [1, 2, 2]})
    >>> r = hw.graph.hits(hw.graph.Graph(directed=True).from_edgelist(df))
    >>> [round(v, 3) for v in r["authorities"].to_list()]
    [0.0, 0.382, 0.618]
    """
    if not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"hits: max_iter must be a positive int, got {max_iter!r}")
    xp = G.xp
    n = G.number_of_vertices()
    out_matrix = G.out_adjacency().matrix()
    in_matrix = G.in_adjacency().matrix()
    hubs = (xp.full(n, 1.0 / n, dtype=xp.float64) if nstart is None
            else vertex_values(G, nstart, "hits", "nstart"))
    auth = hubs
    for _ in range(max_iter):
        last = hubs
        auth = _scaled(xp, in_matrix @ hubs)
        hubs = _scaled(xp, out_matrix @ auth)
        if float(to_host(xp.sum(xp.abs(hubs - last)))) < tol:
            break
    else:
        raise ConvergenceError(f"hits: the power iteration did not converge in max_iter={max_iter} iterations "
                               f"to tol={tol}; raise max_iter or tol")
    if normalized:
        hubs, auth = hubs / _positive(xp, xp.sum(hubs)), auth / _positive(xp, xp.sum(auth))
    return G.result({"hubs": hubs, "authorities": auth})


def _scaled(xp, v):
    return v / _positive(xp, xp.max(v) if v.shape[0] else xp.float64(1.0))


def _positive(xp, s):
    return xp.where(s > 0, s, 1.0)
