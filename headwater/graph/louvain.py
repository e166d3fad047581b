"""Louvain community detection with synchronous, vectorized local moves.

Each sweep computes, for every vertex at once, the weight it has into each
neighbouring community (one factorize of (vertex, community) pairs and a segment
sum), the modularity gain of moving there, and the best target. A random half of
the vertices that gain then move together (moving all at once lets neighbours swap
places forever); sweeps repeat while modularity grows by more than ``threshold``.
Communities are then collapsed into vertices (edge weights summed per community
pair) and the next level starts, as in Blondel et al.'s method.

Self loops are stored with twice their weight, so that a collapsed community's loop
carries all its internal edge weight and a vertex's degree is its row sum.
"""

from __future__ import annotations

import warnings
from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.graph.errors import undirected_only
from headwater.graph.graph import Graph
from headwater.tensor.transfer import to_host

__all__ = ["louvain", "modularity_of"]

_MAX_SWEEPS = 200
_SEED = 0


def louvain(G: Graph, max_level: int | None = None, max_iter: int | None = None, resolution: float = 1.0,
            threshold: float = 1e-7) -> tuple[DataFrame, float]:
    """Communities of high modularity, cuGraph's ``louvain``: ``(parts, modularity)``.

    Parameters
    ----------
    G : Graph
        Undirected; edge weights are used when present.
    max_level : int, optional
        At most this many levels (default 100; above 500 it is set to 500 with a
        warning, as cuGraph does).
    max_iter : int, optional
        cuGraph's deprecated name of ``max_level`` (a ``FutureWarning``).
    resolution : float, default 1.0
        The modularity's gamma: higher gives more, smaller communities.
    threshold : float, default 1e-7
        Least modularity gain for another sweep or level.

    Returns
    -------
    (DataFrame, float)
        ``vertex`` and ``partition`` (community ids ``0..k-1``), and the partition's
        modularity.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"source": [0, 1, 2, 3, 4, 5, 2], "destination": [1, 2, 0, 4, 5, 3, 3]})
    >>> parts, q = hw.graph.louvain(hw.graph.Graph().from_edgelist(df))
    >>> parts["partition"].to_list(), round(q, 4)
    ([0, 0, 0, 1, 1, 1], 0.3571)
    """
    undirected_only(G, "louvain")
    if max_iter is not None:
        warnings.warn("louvain: max_iter is deprecated in cuGraph in favour of max_level; using it as max_level",
                      FutureWarning, stacklevel=2)
        max_level = max_iter if max_level is None else max_level
    max_level = 100 if max_level is None else int(max_level)
    if max_level > 500:
        warnings.warn("louvain: max_level above 500 is set to 500", UserWarning, stacklevel=2)
        max_level = 500
    if max_level < 0:
        raise ValueError(f"louvain: max_level must be non-negative, got {max_level}")
    xp = G.xp
    backend = G._vertices.backend
    adj = G.out_adjacency()
    u, v = adj.rows, adj.indices
    w = xp.where(u == v, 2.0, 1.0) * adj.weights()
    n = G.number_of_vertices()
    total = float(to_host(xp.sum(w)))
    membership = xp.arange(n, dtype=xp.int64)
    if total <= 0:
        return G.result({"partition": membership}), 0.0
    rng = backend.random_state(_SEED)
    quality = modularity_of(xp, u, v, w, xp.arange(n, dtype=xp.int64), n, total, resolution)
    for _ in range(max_level):
        comm = _local_moves(backend, u, v, w, n, total, resolution, threshold, rng)
        ids, uniques = backend.factorize(comm, sort=True)
        k = int(uniques.shape[0])
        if k == n:
            break
        membership = xp.take(ids, membership)
        u, v, w = _collapse(backend, xp.take(ids, u), xp.take(ids, v), w, k)
        n = k
        new_quality = modularity_of(xp, u, v, w, xp.arange(n, dtype=xp.int64), n, total, resolution)
        gained = new_quality - quality
        quality = new_quality
        if gained <= threshold:
            break
    return G.result({"partition": membership}), float(quality)


def modularity_of(xp: Any, u: Any, v: Any, w: Any, comm: Any, n: int, total: float, resolution: float) -> float:
    """Modularity of ``comm`` on the (symmetric, loops doubled) weighted edges ``u, v, w``."""
    inside = xp.sum(w[xp.take(comm, u) == xp.take(comm, v)])
    tot = xp.bincount(comm, weights=xp.bincount(u, weights=w, minlength=n), minlength=n)
    return float(to_host(inside / total - resolution * xp.sum(tot * tot) / (total * total)))


def _local_moves(backend: Any, u: Any, v: Any, w: Any, n: int, total: float, resolution: float,
                 threshold: float, rng: Any) -> Any:
    xp = backend.xp
    degree = xp.bincount(u, weights=w, minlength=n)
    off = u != v
    uo, vo, wo = u[off], v[off], w[off]
    comm = xp.arange(n, dtype=xp.int64)
    quality = modularity_of(xp, u, v, w, comm, n, total, resolution)
    best_comm, stale = comm, 0
    for _ in range(_MAX_SWEEPS):
        tot = xp.bincount(comm, weights=degree, minlength=n)
        pair, keys = backend.factorize(uo * n + xp.take(comm, vo), sort=False)
        into = xp.bincount(pair, weights=wo, minlength=int(keys.shape[0]))
        pu, pc = keys // n, keys % n
        own = pc == xp.take(comm, pu)
        into_own = xp.zeros(n, dtype=xp.float64)
        into_own[pu[own]] = into[own]
        ku = xp.take(degree, pu)
        stay = into_own - resolution * degree * (xp.take(tot, comm) - degree) / total
        gain = xp.where(own, -xp.inf, into - resolution * ku * xp.take(tot, pc) / total - xp.take(stay, pu))
        best = xp.full(n, -xp.inf, dtype=xp.float64)
        xp.maximum.at(best, pu, gain)
        top = (gain == xp.take(best, pu)) & (gain > 0)
        target = xp.full(n, n, dtype=xp.int64)
        xp.minimum.at(target, pu[top], pc[top])  # ties go to the smallest community id
        wants = target < n
        if not bool(to_host(xp.any(wants))):
            break
        # only an independent set moves: a vertex waits when a neighbour that also wants to move drew a
        # higher priority, so the gains computed for the movers stay (nearly) exact
        priority = rng.random(n)
        rivals = xp.take(wants, uo) & xp.take(wants, vo) & (xp.take(priority, vo) > xp.take(priority, uo))
        waits = xp.zeros(n, dtype=bool)
        waits[uo[rivals]] = True
        comm = xp.where(wants & ~waits, target, comm)
        new_quality = modularity_of(xp, u, v, w, comm, n, total, resolution)
        if new_quality > quality + threshold:
            quality, best_comm, stale = new_quality, comm, 0
        else:
            stale += 1
            if stale >= 3:
                break
    return best_comm


def _collapse(backend: Any, cu: Any, cv: Any, w: Any, k: int) -> tuple[Any, Any, Any]:
    """Edges between communities: one per (community, community) pair, weights summed."""
    xp = backend.xp
    pair, keys = backend.factorize(cu * k + cv, sort=True)
    weights = xp.bincount(pair, weights=w, minlength=int(keys.shape[0]))
    return keys // k, keys % k, weights
