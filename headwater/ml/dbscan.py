"""Density-based clustering: ``DBSCAN``, as ``sklearn.cluster.DBSCAN``, on the device.

The ``eps``-neighbourhoods come from brute-force distance tiles (blocks of rows
against every row: ``|a|^2 - 2 a.b + |b|^2`` as one product, in float64); the pairs
within a slightly widened radius are measured again as ``|a - b|`` in float64 and
kept where it is at most ``eps``, as scikit-learn's trees measure them. A row is a
core sample where its neighbourhood (itself included) holds at least
``min_samples`` rows (or that much ``sample_weight``). Clusters are the connected
components of the core samples under the neighbour relation
(:func:`headwater.graph.components.edge_roots`), numbered by their smallest core
row, and a border row joins the lowest-numbered cluster among its core neighbours:
the labels scikit-learn's expansion in row order gives, exactly.
"""

from __future__ import annotations

from typing import Any

from headwater.graph.components import edge_roots
from headwater.ml.base import BaseEstimator
from headwater.ml.linear_base import check_sample_weight
from headwater.ml.mixins import ClusterMixin
from headwater.ml.row_blocks import map_blocks, squared_norms
from headwater.ml.validation import check_X
from headwater.tensor.devices import backend_of

__all__ = ["DBSCAN", "eps_pairs"]

_TILE = 1 << 22  # elements of a distance tile


def eps_pairs(A: Any, eps: float) -> tuple[Any, Any]:
    """Row and column indices of every pair of rows of ``A`` at most ``eps`` apart (each row with itself too).

    Examples
    --------
    >>> import headwater as hw
    >>> rows, cols = eps_pairs(hw.get_backend().xp.asarray([[0.0], [1.0], [3.0]]), 1.0)
    >>> sorted(zip(rows.tolist(), cols.tolist()))
    [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)]
    """
    backend = backend_of(A)
    xp = backend.xp
    A = A.astype(xp.float64)
    n = A.shape[0]
    sq = squared_norms(A)
    r2 = float(eps) ** 2

    def block(lo: int, hi: int) -> tuple[Any, Any]:
        tile = sq[lo:hi, None] - 2.0 * (A[lo:hi] @ A.T) + sq[None, :]
        # widened by the expanded form's rounding; the candidates are measured again below
        slack = 1e-12 * (sq[lo:hi, None] + sq[None, :]) + 1e-12 * r2
        rows, cols = xp.nonzero(tile <= r2 + slack)
        rows = rows + lo
        diff = A[rows] - A[cols]
        near = (diff * diff).sum(axis=1) <= r2
        return rows[near], cols[near]

    parts = map_blocks(backend, n, max(1, _TILE // max(n, 1)), block)
    return xp.concatenate([r for r, _ in parts]), xp.concatenate([c for _, c in parts])


class DBSCAN(ClusterMixin, BaseEstimator):
    """Density-based spatial clustering (DBSCAN), as ``sklearn.cluster.DBSCAN``.

    Parameters
    ----------
    eps : float
        The neighbourhood radius (a row's neighbours are at most ``eps`` away).
    min_samples : int
        Rows (or total ``sample_weight``) in a neighbourhood, the row itself
        included, that make it a core sample.
    metric : {"euclidean", "minkowski"}
        Euclidean only ("minkowski" with ``p`` None or 2).
    metric_params : None
    algorithm : {"auto", "brute", "ball_tree", "kd_tree"}
        Always exact brute force on the device (the same neighbourhoods).
    leaf_size : int
        Accepted for scikit-learn's API; unused by the brute-force search.
    p : float, optional
    n_jobs : int, optional
        Accepted for scikit-learn's API (the device decides the parallelism).
    output_type : str, optional

    Attributes
    ----------
    labels_ : cluster of each row, -1 for noise
    core_sample_indices_ : indices of the core samples, ascending
    components_ : the core samples' rows
    n_features_in_

    Examples
    --------
    >>> import headwater as hw
    >>> db = hw.ml.DBSCAN(eps=1.5, min_samples=2).fit([[0.0], [1.0], [8.0], [9.0], [20.0]])
    >>> db.labels_.tolist(), db.core_sample_indices_.tolist()
    ([0, 0, 1, 1, -1], [0, 1, 2, 3])
    """

    _estimator_type = "clusterer"
    _ALGORITHMS = ("auto", "brute", "ball_tree", "kd_tree")

    def __init__(self, eps: float = 0.5, *, min_samples: int = 5, metric: str = "euclidean",
                 metric_params: Any = None, algorithm: str = "auto", leaf_size: int = 30, p: float | None = None,
                 n_jobs: int | None = None, output_type: str | None = None) -> None:
        self.eps = eps
        self.min_samples = min_samples
        self.metric = metric
        self.metric_params = metric_params
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.n_jobs = n_jobs
        self.output_type = output_type

    def _check_params(self) -> None:
        if not float(self.eps) > 0:
            raise ValueError(f"DBSCAN: eps={self.eps!r} must be > 0")
        if int(self.min_samples) < 1:
            raise ValueError(f"DBSCAN: min_samples={self.min_samples!r} must be >= 1")
        if self.algorithm not in self._ALGORITHMS:
            raise ValueError(f"DBSCAN: algorithm={self.algorithm!r} must be one of {list(self._ALGORITHMS)}")
        euclid = self.metric == "euclidean" or (self.metric == "minkowski" and self.p in (None, 2, 2.0))
        if not euclid:
            raise NotImplementedError(f"DBSCAN: metric={self.metric!r} with p={self.p!r} is not supported; use "
                                      f"metric='euclidean' (or 'minkowski' with p=2)")
        if self.metric_params is not None:
            raise NotImplementedError("DBSCAN: metric_params is not supported (the metric is Euclidean); pass None")

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, *, features: Any = None) -> DBSCAN:
        """Cluster the rows of X (``y`` is ignored, as in scikit-learn).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.DBSCAN(eps=0.5, min_samples=1).fit([[0.0], [0.2], [5.0]]).labels_.tolist()
        [0, 0, 1]
        """
        self._check_params()
        inp = check_X(self, X, "fit", features=features)
        xp = inp.backend.xp
        A = inp.array
        n = A.shape[0]
        w = check_sample_weight(self, sample_weight, inp)
        rows, cols = eps_pairs(A, self.eps)
        weight = None if w is None else w[cols].astype(xp.float64)
        size = xp.bincount(rows, weights=weight, minlength=n)
        core = size >= int(self.min_samples)
        linked = core[rows] & core[cols]
        roots = edge_roots(xp, n, rows[linked], cols[linked])
        # clusters numbered by their smallest core row: rank the roots of the core rows
        is_root = core & (roots == xp.arange(n))
        cluster_of_root = xp.cumsum(is_root) - 1
        labels = xp.where(core, cluster_of_root[roots], -1)
        # a border row joins the lowest-numbered cluster among its core neighbours
        border = ~core[rows] & core[cols]
        if n:
            best = inp.backend.segment_min(labels[cols[border]], rows[border], n)
            has = xp.bincount(rows[border], minlength=n) > 0
            labels = xp.where(~core & has, best, labels)
        self.labels_ = labels.astype(xp.int64)
        self.core_sample_indices_ = xp.nonzero(core)[0].astype(xp.int64)
        self.components_ = A[self.core_sample_indices_]
        return self

    def fit_predict(self, X: Any, y: Any = None, sample_weight: Any = None, *, features: Any = None) -> Any:
        """Fit and return each row's cluster (-1 for noise).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.DBSCAN(eps=1.0, min_samples=2).fit_predict([[0.0], [0.5], [9.0]]).tolist()
        [0, 0, -1]
        """
        from headwater.ml.output import wrap

        return wrap(self, self.fit(X, sample_weight=sample_weight, features=features).labels_, X)
