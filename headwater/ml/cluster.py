"""k-means clustering: ``KMeans`` (Lloyd, k-means++ seeding, ``n_init`` restarts) and ``MiniBatchKMeans``."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.ml.base import BaseEstimator, check_is_fitted
from headwater.ml.errors import InputError
from headwater.ml.kmeans_core import assign, centre_sums, kmeans_plusplus, lloyd
from headwater.ml.linear_base import check_sample_weight
from headwater.ml.mixins import ClusterMixin, TransformerMixin
from headwater.ml.output import wrap
from headwater.ml.random import rng_for
from headwater.ml.row_blocks import squared_norms
from headwater.ml.validation import Input, check_X, on_device
from headwater.tensor.devices import array_device
from headwater.tensor.transfer import to_host

__all__ = ["KMeans", "MiniBatchKMeans"]


class _KMeansBase(ClusterMixin, TransformerMixin, BaseEstimator):
    _estimator_type = "clusterer"

    def _check_common(self, inp: Input) -> None:
        name = type(self).__name__
        k = int(self.n_clusters)
        if k < 1:
            raise ValueError(f"{name}: n_clusters={self.n_clusters!r} must be >= 1")
        if inp.array.shape[0] < k:
            raise InputError(f"{name}.fit: n_samples={inp.array.shape[0]} should be >= n_clusters={k}; "
                             f"pass more rows or ask for fewer clusters")
        init = self.init
        if isinstance(init, str):
            if init not in ("k-means++", "random"):
                raise ValueError(f"{name}: init={init!r} must be 'k-means++', 'random' or an array of centres")
        elif callable(init):
            raise NotImplementedError(f"{name}: a callable init is not supported; pass the centres as an array")

    def _n_init(self, default_random: int) -> int:
        if self.n_init == "auto":
            return 1 if (not isinstance(self.init, str) or self.init == "k-means++") else default_random
        n = int(self.n_init)
        if n < 1:
            raise ValueError(f"{type(self).__name__}: n_init={self.n_init!r} must be >= 1 or 'auto'")
        return n

    def _initial(self, xp: Any, X: Any, x_sq: Any, rng: Any, w: Any, backend: Any) -> Any:
        k = int(self.n_clusters)
        if isinstance(self.init, str):
            if self.init == "k-means++":
                return kmeans_plusplus(xp, X, x_sq, k, rng, w)
            rows = xp.argsort(rng.random(X.shape[0]))[:k]
            return X[rows]
        centers = self.init
        if hasattr(centers, "array"):
            centers = centers.array
        if not backend.owns(centers):  # a list or host array (uploaded), or another device's array
            centers = on_device(backend, np.asarray(centers) if array_device(centers) is None else to_host(centers))
        centers = centers.astype(X.dtype)
        if centers.shape != (k, X.shape[1]):
            raise ValueError(f"{type(self).__name__}: init has shape {tuple(centers.shape)}; expected "
                             f"(n_clusters, n_features) = {(k, X.shape[1])}")
        return centers

    def _scaled_tol(self, xp: Any, X: Any) -> float:
        if float(self.tol) == 0:
            return 0.0
        return float(to_host(X.var(axis=0).mean())) * float(self.tol)

    def _labels_inertia(self, X: Any, method: str) -> tuple[Any, Any, Input]:
        check_is_fitted(self, method)
        inp = check_X(self, X, method)
        xp = inp.backend.xp
        x_sq = squared_norms(inp.array)
        labels, dist = assign(xp, inp.array, x_sq, self.cluster_centers_.astype(inp.array.dtype))
        return labels, dist, inp

    def predict(self, X: Any) -> Any:
        """The nearest centre of each row (its cluster label).

        Examples
        --------
        >>> import headwater as hw
        >>> km = hw.ml.KMeans(n_clusters=2, random_state=0).fit([[0.0], [0.2], [9.0], [9.2]])
        >>> bool(km.predict([[0.1]])[0] == km.labels_[0])
        True
        """
        labels, _, _ = self._labels_inertia(X, "predict")
        return wrap(self, labels, X)

    def _predict_array(self, X: Any) -> Any:
        return self._labels_inertia(X, "predict")[0]

    def transform(self, X: Any) -> Any:
        """Euclidean distance of each row to each centre, ``(n, n_clusters)``.

        Examples
        --------
        >>> import headwater as hw
        >>> km = hw.ml.KMeans(n_clusters=1, n_init=1).fit([[0.0], [2.0]])
        >>> km.transform([[1.0], [4.0]]).tolist()
        [[0.0], [3.0]]
        """
        check_is_fitted(self, "transform")
        inp = check_X(self, X, "transform")
        xp = inp.backend.xp
        C = self.cluster_centers_.astype(inp.array.dtype)
        d2 = (inp.array * inp.array).sum(axis=1)[:, None] - 2.0 * inp.array @ C.T + (C * C).sum(axis=1)[None, :]
        return wrap(self, xp.sqrt(xp.maximum(d2, 0.0)), X, prefix=type(self).__name__.lower())

    def fit_transform(self, X: Any, y: Any = None, sample_weight: Any = None) -> Any:
        """Fit, then the distances of the training rows to the centres.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.KMeans(n_clusters=1, n_init=1).fit_transform([[0.0], [2.0]]).tolist()
        [[1.0], [1.0]]
        """
        return self.fit(X, y, sample_weight=sample_weight).transform(X)

    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:
        """Minus the inertia of X against the fitted centres (greater is better).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.KMeans(n_clusters=1, n_init=1).fit([[0.0], [2.0]]).score([[0.0], [2.0]])
        -2.0
        """
        _, dist, inp = self._labels_inertia(X, "score")
        w = check_sample_weight(self, sample_weight, inp, "score")
        return -float(to_host((dist if w is None else dist * w).sum(dtype=inp.backend.xp.float64)))


class KMeans(_KMeansBase):
    """k-means clustering by Lloyd's algorithm, as ``sklearn.cluster.KMeans``.

    Parameters
    ----------
    n_clusters : int
    init : {"k-means++", "random"} or array (n_clusters, n_features)
    n_init : int or "auto"
        Runs from different seeds; the one with the lowest inertia is kept
        ("auto": 1 for k-means++ or given centres, 10 for "random").
    max_iter : int
    tol : float
        Relative to the mean variance of the features, on the squared centre shift.
    random_state : int, optional
    copy_x : bool
        X is never modified.
    algorithm : {"lloyd"}
    output_type : str, optional

    Attributes
    ----------
    cluster_centers_, labels_, inertia_, n_iter_, n_features_in_

    Examples
    --------
    >>> import headwater as hw
    >>> km = hw.ml.KMeans(n_clusters=2, random_state=0).fit([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    >>> sorted(km.cluster_centers_[:, 0].round(2).tolist())
    [0.05, 5.05]
    """

    def __init__(self, n_clusters: int = 8, *, init: Any = "k-means++", n_init: Any = "auto", max_iter: int = 300,
                 tol: float = 1e-4, random_state: Any = None, copy_x: bool = True, algorithm: str = "lloyd",
                 output_type: str | None = None) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm
        self.output_type = output_type

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, *, features: Any = None) -> KMeans:
        """Cluster the rows of X (``y`` is ignored, as in scikit-learn).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.KMeans(n_clusters=2, random_state=0).fit([[0.0], [1.0], [10.0]]).inertia_
        0.5
        """
        if self.algorithm != "lloyd":
            raise NotImplementedError(f"KMeans: algorithm={self.algorithm!r} is not supported; use 'lloyd' "
                                      f"(Elkan's variant gives the same clusters)")
        inp = check_X(self, X, "fit", features=features)
        self._check_common(inp)
        xp = inp.backend.xp
        A = inp.array
        w = check_sample_weight(self, sample_weight, inp)
        rng = rng_for(inp.backend, self.random_state)
        x_sq = squared_norms(A)
        tol = self._scaled_tol(xp, A)
        best = None
        for _ in range(self._n_init(10)):
            centers = self._initial(xp, A, x_sq, rng, w, inp.backend)
            result = lloyd(xp, A, x_sq, centers, w, int(self.max_iter), tol)
            inertia = float(to_host(result[2]))
            if best is None or inertia < best[0]:
                best = (inertia, result)
        _, (centers, labels, _, n_iter) = best
        self.cluster_centers_, self.labels_, self.inertia_, self.n_iter_ = centers, labels, best[0], n_iter
        return self


class MiniBatchKMeans(_KMeansBase):
    """k-means on random mini-batches (running-mean centre updates), as scikit-learn's.

    Each step draws ``batch_size`` rows, assigns them, and moves each centre
    towards the mean of its rows with a step of ``batch count / total count``.
    It stops after ``max_iter`` passes over the data, when the centres move less
    than ``tol`` (if > 0), or when the smoothed batch inertia has not improved for
    ``max_no_improvement`` steps (one scalar read per step: the convergence check).

    Parameters
    ----------
    n_clusters, init, max_iter, batch_size, tol, max_no_improvement, init_size, n_init, random_state, output_type

    Notes
    -----
    Centres of clusters that stay nearly empty are not reassigned (scikit-learn's
    ``reassignment_ratio``); there is no such parameter.

    Examples
    --------
    >>> import headwater as hw
    >>> X = [[0.0], [0.1], [0.2], [9.0], [9.1], [9.2]]
    >>> mb = hw.ml.MiniBatchKMeans(n_clusters=2, batch_size=4, random_state=0).fit(X)
    >>> sorted(mb.cluster_centers_[:, 0].round(0).tolist())
    [0.0, 9.0]
    """

    def __init__(self, n_clusters: int = 8, *, init: Any = "k-means++", max_iter: int = 100, batch_size: int = 1024,
                 tol: float = 0.0, max_no_improvement: int | None = 10, init_size: int | None = None,
                 n_init: Any = "auto", random_state: Any = None, output_type: str | None = None) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.tol = tol
        self.max_no_improvement = max_no_improvement
        self.init_size = init_size
        self.n_init = n_init
        self.random_state = random_state
        self.output_type = output_type

    def _init_centres(self, xp: Any, A: Any, x_sq: Any, rng: Any, w: Any, backend: Any) -> Any:
        n, k = A.shape[0], int(self.n_clusters)
        size = int(self.init_size) if self.init_size is not None else 3 * max(int(self.batch_size), k)
        size = min(max(size, k), n)
        best = None
        for _ in range(self._n_init(3)):
            rows = xp.argsort(rng.random(n))[:size]
            sub, sub_sq = A[rows], x_sq[rows]
            sw = None if w is None else w[rows]
            centers = self._initial(xp, sub, sub_sq, rng, sw, backend)
            _, dist = assign(xp, sub, sub_sq, centers)
            inertia = float(to_host(dist.sum()))
            if best is None or inertia < best[0]:
                best = (inertia, centers)
        return best[1]

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, *, features: Any = None) -> MiniBatchKMeans:
        """Cluster the rows of X by mini-batch steps.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.MiniBatchKMeans(n_clusters=2, random_state=0).fit([[0.0], [1.0], [10.0]]).labels_.shape
        (3,)
        """
        inp = check_X(self, X, "fit", features=features)
        self._check_common(inp)
        xp = inp.backend.xp
        A = inp.array
        n, k = A.shape[0], int(self.n_clusters)
        w = check_sample_weight(self, sample_weight, inp)
        rng = rng_for(inp.backend, self.random_state)
        x_sq = squared_norms(A)
        centers = self._init_centres(xp, A, x_sq, rng, w, inp.backend)
        counts = xp.zeros(k, dtype=A.dtype)
        batch = min(int(self.batch_size), n)
        n_steps = int(self.max_iter) * max(1, n // batch)
        tol = self._scaled_tol(xp, A)
        ewa, best, stall, step = None, np.inf, 0, 0
        for step in range(1, n_steps + 1):
            rows = xp.minimum((rng.random(batch) * n).astype(xp.int64), n - 1)
            xb, sb = A[rows], x_sq[rows]
            wb = None if w is None else w[rows]
            labels, dist = assign(xp, xb, sb, centers)
            sums, weights = centre_sums(xp, xb, labels, k, wb)
            counts = counts + weights
            moved = xp.where((weights > 0)[:, None],
                             centers + (sums - weights[:, None] * centers) / xp.maximum(counts, 1e-30)[:, None],
                             centers)
            shift = ((moved - centers) ** 2).sum()
            centers = moved
            inertia, shift_h = (float(v) for v in to_host(xp.stack([
                (dist if wb is None else dist * wb).sum().astype(xp.float64) / batch, shift.astype(xp.float64)])))
            if tol > 0 and shift_h <= tol:
                break
            alpha = min(1.0, batch * 2.0 / (n + 1))
            ewa = inertia if ewa is None else ewa * (1 - alpha) + inertia * alpha
            if self.max_no_improvement is not None:
                if ewa < best:
                    best, stall = ewa, 0
                else:
                    stall += 1
                    if stall >= int(self.max_no_improvement):
                        break
        labels, dist = assign(xp, A, x_sq, centers)
        self.cluster_centers_, self.labels_ = centers, labels
        self.inertia_ = float(to_host((dist if w is None else dist * w).sum(dtype=xp.float64)))
        self.n_steps_, self.n_iter_ = step, -(-step * batch // n)
        return self
