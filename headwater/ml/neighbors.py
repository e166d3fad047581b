"""Exact nearest neighbours by brute force on the device: ``NearestNeighbors`` and the kNN models.

Queries go in blocks, training rows in chunks: the squared distances of a block to
a chunk are ``|q|^2 - 2 q.x + |x|^2`` (one matrix product), ``argpartition`` keeps
the ``k`` smallest of the first chunk, and each later chunk only contributes the
entries below a query's current ``k``-th distance (a comparison pass, then a sort
of those few). On the host the tiles are cache-sized and the query blocks run on
several threads, and with numba each tile's ``+ |x|^2``, comparison and insertion
are one compiled loop (:func:`headwater.ml.host_loops.smallest_k_block`; the NumPy
steps are its reference); on a GPU a chunk is every training row. The answers are exact;
scikit-learn's tree algorithms give the same neighbours, so ``algorithm`` accepts
their names and always searches by brute force.
"""

from __future__ import annotations

from typing import Any

from headwater.ml.base import BaseEstimator, check_is_fitted
from headwater.ml.errors import InputError
from headwater.ml.host_loops import host_loop, loops_apply
from headwater.ml.mixins import ClassifierMixin, RegressorMixin
from headwater.ml.output import wrap
from headwater.ml.row_blocks import map_blocks, squared_norms
from headwater.ml.targets import decode, encode_classes, regression_target, resolve_y
from headwater.ml.validation import check_X
from headwater.tensor.devices import backend_of

__all__ = ["NearestNeighbors", "KNeighborsClassifier", "KNeighborsRegressor", "kneighbors_brute"]

_BUDGET = 1 << 24  # elements of a device tile
_HOST_QUERIES, _HOST_CHUNK = 256, 4096  # a host tile: 256 queries x 4,096 training rows (4 MiB in float32)
_ALGORITHMS = ("auto", "brute", "ball_tree", "kd_tree")


def _merge(xp: Any, best_d: Any, best_i: Any, tile: Any, offset: int, k: int) -> tuple[Any, Any]:
    """The ``k`` nearest of each query among its current ``best`` and a new tile of distances.

    Only the tile's entries below the query's current ``k``-th distance are taken
    (one comparison pass; few pass once the first chunk has been seen), then the
    candidates are ordered by (query, distance, index) and the first ``k`` of each
    query kept. Returns the ``(q, k)`` distances and indices, ordered.
    """
    q = best_d.shape[0]
    rows, cols = xp.nonzero(tile < best_d[:, k - 1:k])
    if rows.shape[0] == 0:
        return best_d, best_i
    cand_r = xp.concatenate([xp.repeat(xp.arange(q), k), rows])
    cand_d = xp.concatenate([best_d.reshape(-1), tile[rows, cols]])
    cand_i = xp.concatenate([best_i.reshape(-1), cols + offset])
    keys = xp.stack([cand_i.astype(xp.float64), cand_d.astype(xp.float64), cand_r.astype(xp.float64)])
    order = xp.lexsort(keys)  # by query, then distance, then index (exact in float64)
    counts = xp.bincount(cand_r, minlength=q)
    starts = xp.cumsum(counts) - counts
    ordered_r = cand_r[order]
    keep = order[(xp.arange(order.shape[0]) - starts[ordered_r]) < k]
    return cand_d[keep].reshape(q, k), cand_i[keep].reshape(q, k)


def _first(xp: Any, tile: Any, k: int) -> tuple[Any, Any]:
    """The ``k`` smallest of each row of the first tile, ordered (with their column indices)."""
    if k < tile.shape[1]:
        part = xp.argpartition(tile, k - 1, axis=1)[:, :k]
    else:
        part = xp.broadcast_to(xp.arange(tile.shape[1])[None, :], tile.shape)
    near = xp.take_along_axis(tile, part, axis=1)
    order = xp.argsort(near, axis=1)
    return xp.take_along_axis(near, order, axis=1), xp.take_along_axis(part, order, axis=1)


def _host_smallest(loop: Any, scaled: Any, train: Any, train_sq: Any, k: int, chunk: int) -> tuple[Any, Any]:
    """The ``k`` smallest ``-2 q.x + |x|^2`` of each scaled query by the compiled loop, one tile at a time."""
    import numpy as np

    n = train.shape[0]
    best_d = np.full((scaled.shape[0], k), np.inf, dtype=scaled.dtype)
    best_i = np.zeros((scaled.shape[0], k), dtype=np.int64)
    tile = np.empty((scaled.shape[0], min(n, chunk)), dtype=scaled.dtype)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        t = tile if stop - start == tile.shape[1] else np.empty((scaled.shape[0], stop - start), dtype=scaled.dtype)
        np.matmul(scaled, train[start:stop].T, out=t)
        loop(t, train_sq[start:stop], start, best_d, best_i)
    return best_d, best_i


def kneighbors_brute(xp: Any, queries: Any, train: Any, train_sq: Any, k: int) -> tuple[Any, Any]:
    """Distances ``(m, k)`` (ascending) and indices of the ``k`` nearest training rows of each query.

    Blocks of queries against chunks of training rows: each tile of squared
    distances ``-2 q.x + |x|^2`` is one matrix product; the first chunk's ``k``
    smallest come from ``argpartition``, later chunks only add the entries below a
    query's current ``k``-th distance (:func:`_merge`). On the host the tiles are
    cache-sized and the query blocks spread over threads; on a GPU one chunk holds
    every training row, so each query block is one product and one partition.
    """
    backend = backend_of(queries)
    n, p = train.shape
    if backend.host_fast_paths:
        chunk = max(_HOST_CHUNK, k)
        step = _HOST_QUERIES
    else:
        chunk = n
        step = max(1, _BUDGET // max(n, 1))

    loop = host_loop("smallest_k_block") if loops_apply(backend, queries, train, train_sq) else None

    def block(lo: int, hi: int) -> tuple[Any, Any]:
        q = queries[lo:hi]
        scaled = q * -2.0
        if loop is not None:
            best_d, best_i = _host_smallest(loop, scaled, train, train_sq, k, chunk)
        else:
            first = min(n, chunk)
            tile = scaled @ train[:first].T
            tile += train_sq[None, :first]
            best_d, best_i = _first(xp, tile, k)
            for start in range(first, n, chunk):
                tile = scaled @ train[start:start + chunk].T
                tile += train_sq[None, start:start + chunk]
                best_d, best_i = _merge(xp, best_d, best_i, tile, start, k)
        # the k found, measured again as |q - x| (exact where |q|^2 - 2 q.x + |x|^2 cancels), reordered
        diff = q[:, None, :] - train[best_i]
        exact = xp.sqrt((diff * diff).sum(axis=2))
        order = xp.argsort(exact, axis=1)
        return xp.take_along_axis(exact, order, axis=1), xp.take_along_axis(best_i, order, axis=1)

    parts = map_blocks(backend, queries.shape[0], step, block)
    if len(parts) == 1:
        return parts[0]
    return xp.concatenate([d for d, _ in parts]), xp.concatenate([i for _, i in parts])


class _NeighborsBase(BaseEstimator):
    def _check_params(self) -> None:
        name = type(self).__name__
        if self.algorithm not in _ALGORITHMS:
            raise ValueError(f"{name}: algorithm={self.algorithm!r} must be one of {list(_ALGORITHMS)}")
        if not (self.metric == "euclidean" or (self.metric == "minkowski" and float(self.p) == 2.0)):
            raise NotImplementedError(f"{name}: metric={self.metric!r} with p={self.p!r} is not supported; use "
                                      f"metric='euclidean' (or 'minkowski' with p=2)")
        if int(self.n_neighbors) < 1:
            raise ValueError(f"{name}: n_neighbors={self.n_neighbors!r} must be >= 1")
        if getattr(self, "weights", "uniform") not in ("uniform", "distance"):
            raise ValueError(f"{name}: weights={self.weights!r} must be 'uniform' or 'distance'")

    def _fit_X(self, X: Any, features: Any, exclude: tuple = ()) -> Any:
        self._check_params()
        inp = check_X(self, X, "fit", features=features, exclude=exclude)
        self._fit_X_ = inp.array
        self._fit_sq_ = squared_norms(inp.array)
        self.n_samples_fit_ = inp.array.shape[0]
        self.effective_metric_ = "euclidean"
        return inp

    def _query(self, X: Any, n_neighbors: int | None, method: str) -> tuple[Any, Any, Any]:
        check_is_fitted(self, method)
        k = int(self.n_neighbors if n_neighbors is None else n_neighbors)
        n = self.n_samples_fit_
        xp = _xp(self._fit_X_)
        if X is None:  # the training rows, each without itself
            if k + 1 > n:
                raise InputError(f"{type(self).__name__}.{method}: Expected n_neighbors < n_samples_fit={n} when "
                                 f"querying the training rows, got {k}; ask for fewer neighbours")
            d, i = kneighbors_brute(xp, self._fit_X_, self._fit_X_, self._fit_sq_, k + 1)
            rows = xp.arange(n)[:, None]
            is_self = i == rows
            drop = xp.where(is_self.any(axis=1), xp.argmax(is_self, axis=1), k)
            keep = xp.arange(k + 1)[None, :] != drop[:, None]
            return d[keep].reshape(n, k), i[keep].reshape(n, k), None
        if k > n:
            raise InputError(f"{type(self).__name__}.{method}: Expected n_neighbors <= n_samples_fit, but "
                             f"n_neighbors = {k}, n_samples_fit = {n}; ask for at most {n} neighbours")
        inp = check_X(self, X, method)
        d, i = kneighbors_brute(xp, inp.array.astype(self._fit_X_.dtype), self._fit_X_, self._fit_sq_, k)
        return d, i, inp

    def kneighbors(self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True) -> Any:
        """Distances and indices of the nearest training rows of each row of X.

        ``X=None`` queries the training rows, leaving each row out of its own answer.

        Examples
        --------
        >>> import headwater as hw
        >>> nn = hw.ml.NearestNeighbors(n_neighbors=1).fit([[0.0], [1.0], [5.0]])
        >>> d, i = nn.kneighbors([[0.9]])
        >>> d.round(6).tolist(), i.tolist()
        ([[0.1]], [[1]])
        """
        d, i, _ = self._query(X, n_neighbors, "kneighbors")
        like = X if X is not None else self._fit_X_
        return (wrap(self, d, like), wrap(self, i, like)) if return_distance else wrap(self, i, like)

    def _neighbour_weights(self, xp: Any, d: Any) -> Any:
        if self.weights == "uniform":
            return None
        zero = d == 0
        has_zero = zero.any(axis=1, keepdims=True)
        return xp.where(has_zero, zero.astype(d.dtype), 1.0 / xp.where(zero, 1.0, d))


def _xp(array: Any) -> Any:
    return backend_of(array).xp


class NearestNeighbors(_NeighborsBase):
    """Unsupervised nearest-neighbour search, as ``sklearn.neighbors.NearestNeighbors``.

    Parameters
    ----------
    n_neighbors : int
    algorithm : {"auto", "brute", "ball_tree", "kd_tree"}
        Always exact brute force (the same neighbours).
    metric : {"minkowski", "euclidean"}
    p : float
        Only 2 (Euclidean).
    output_type : str, optional

    Examples
    --------
    >>> import headwater as hw
    >>> nn = hw.ml.NearestNeighbors(n_neighbors=2).fit([[0.0], [1.0], [5.0]])
    >>> nn.kneighbors([[4.0]], return_distance=False).tolist()
    [[2, 1]]
    """

    _estimator_type = None
    _requires_y = False

    def __init__(self, *, n_neighbors: int = 5, algorithm: str = "auto", metric: str = "minkowski", p: float = 2,
                 output_type: str | None = None) -> None:
        self.n_neighbors = n_neighbors
        self.algorithm = algorithm
        self.metric = metric
        self.p = p
        self.output_type = output_type

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> NearestNeighbors:
        """Keep the training rows (on the device) for later queries.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.NearestNeighbors().fit([[0.0], [1.0]]).n_samples_fit_
        2
        """
        self._fit_X(X, features)
        return self


class _KNeighborsModel(_NeighborsBase):
    """The constructor and the fit of the supervised kNN models (a target per training row)."""

    def __init__(self, n_neighbors: int = 5, *, weights: str = "uniform", algorithm: str = "auto",
                 metric: str = "minkowski", p: float = 2, output_type: str | None = None) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.metric = metric
        self.p = p
        self.output_type = output_type

    def _fit_Xy(self, X: Any, y: Any, features: Any) -> tuple[Any, Any]:
        y, exclude = resolve_y(X, y)
        return y, self._fit_X(X, features, exclude)


class KNeighborsClassifier(ClassifierMixin, _KNeighborsModel):
    """Classification by a vote of the ``n_neighbors`` nearest training rows.

    Parameters
    ----------
    n_neighbors : int
    weights : {"uniform", "distance"}
    algorithm, metric, p, output_type
        As :class:`NearestNeighbors`.

    Examples
    --------
    >>> import headwater as hw
    >>> knn = hw.ml.KNeighborsClassifier(n_neighbors=3).fit([[0.0], [1.0], [2.0], [9.0]], ["a", "a", "a", "b"])
    >>> knn.predict([[1.5]]).tolist()
    ['a']
    """

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> KNeighborsClassifier:
        """Keep the training rows and their labels.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.KNeighborsClassifier(n_neighbors=1).fit([[0.0], [1.0]], [0, 1]).classes_.tolist()
        [0, 1]
        """
        y, inp = self._fit_Xy(X, y, features)
        self._y_ = encode_classes(self, y, inp, min_classes=1)
        return self

    def _predict_proba_array(self, X: Any) -> Any:
        d, i, _ = self._query(X, None, "predict_proba")
        xp = _xp(d)
        n_classes = len(self.classes_)
        labels = self._y_[i]
        w = self._neighbour_weights(xp, d)
        w = xp.ones(labels.shape, dtype=d.dtype) if w is None else w
        rows = xp.arange(labels.shape[0])[:, None]
        flat = (rows * n_classes + labels).reshape(-1)
        votes = xp.bincount(flat, weights=w.reshape(-1), minlength=labels.shape[0] * n_classes)
        votes = votes.reshape(labels.shape[0], n_classes)
        return votes / votes.sum(axis=1, keepdims=True)

    def predict_proba(self, X: Any) -> Any:
        """Share of the (weighted) neighbour votes for each class, columns in ``classes_`` order.

        Examples
        --------
        >>> import headwater as hw
        >>> knn = hw.ml.KNeighborsClassifier(n_neighbors=2).fit([[0.0], [1.0], [9.0]], [0, 1, 1])
        >>> knn.predict_proba([[0.4]]).tolist()
        [[0.5, 0.5]]
        """
        return wrap(self, self._predict_proba_array(X), X)

    def _predict_array(self, X: Any) -> Any:
        proba = self._predict_proba_array(X)
        return decode(self, _xp(proba).argmax(proba, axis=1))

    def predict(self, X: Any) -> Any:
        """The class with most (weighted) neighbour votes; ties go to the first class.

        Examples
        --------
        >>> import headwater as hw
        >>> knn = hw.ml.KNeighborsClassifier(n_neighbors=1).fit([[0.0], [1.0]], [10, 20])
        >>> knn.predict([[0.9]]).tolist()
        [20]
        """
        return wrap(self, self._predict_array(X), X)


class KNeighborsRegressor(RegressorMixin, _KNeighborsModel):
    """Regression by the (weighted) mean target of the ``n_neighbors`` nearest training rows.

    Parameters
    ----------
    n_neighbors, weights, algorithm, metric, p, output_type
        As :class:`KNeighborsClassifier`.

    Examples
    --------
    >>> import headwater as hw
    >>> knn = hw.ml.KNeighborsRegressor(n_neighbors=2).fit([[0.0], [1.0], [9.0]], [0.0, 2.0, 9.0])
    >>> knn.predict([[0.4]]).tolist()
    [1.0]
    """

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> KNeighborsRegressor:
        """Keep the training rows and their targets.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.KNeighborsRegressor(n_neighbors=1).fit([[0.0]], [1.0]).n_samples_fit_
        1
        """
        y, inp = self._fit_Xy(X, y, features)
        self._y_ = regression_target(self, y, inp, multi_output=True)
        return self

    def _predict_array(self, X: Any) -> Any:
        d, i, _ = self._query(X, None, "predict")
        xp = _xp(d)
        targets = self._y_[i]
        w = self._neighbour_weights(xp, d)
        if w is None:
            return targets.mean(axis=1)
        if targets.ndim == 3:
            return (targets * w[:, :, None]).sum(axis=1) / w.sum(axis=1)[:, None]
        return (targets * w).sum(axis=1) / w.sum(axis=1)

    def predict(self, X: Any) -> Any:
        """The (weighted) mean target of the nearest training rows.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.KNeighborsRegressor(n_neighbors=1).fit([[0.0], [5.0]], [1.0, 2.0]).predict([[4.0]]).tolist()
        [2.0]
        """
        return wrap(self, self._predict_array(X), X)
