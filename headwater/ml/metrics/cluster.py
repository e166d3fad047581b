"""Clustering metrics: ``adjusted_rand_score`` (labels vs labels) and ``silhouette_score``."""

from __future__ import annotations

from typing import Any

from headwater.ml.metrics.inputs import as_arrays, check_same_length, to_float

__all__ = ["adjusted_rand_score", "silhouette_score", "silhouette_samples"]


def _ids(backend: Any, labels: Any) -> tuple[Any, int]:
    if labels.dtype.kind in "OUS":
        import numpy as np

        uniques, ids = np.unique(labels.astype(str), return_inverse=True)
        return ids.astype(np.int64), len(uniques)
    ids, uniques = backend.factorize(labels, None, sort=True)
    return ids, int(uniques.shape[0])


def adjusted_rand_score(labels_true: Any, labels_pred: Any) -> float:
    """Rand index of two partitions, adjusted for chance (1.0: identical up to renaming).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.adjusted_rand_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    backend, (t, p) = as_arrays(labels_true, labels_pred, who="adjusted_rand_score")
    check_same_length("adjusted_rand_score", labels_true=t, labels_pred=p)
    xp = backend.xp
    ti, nt = _ids(backend, t)
    pi, npred = _ids(backend, p)
    n = len(ti)
    if n == 0 or (nt == npred == 1) or (nt == npred == n):
        return 1.0
    table = xp.bincount(ti * npred + pi, minlength=nt * npred).astype(xp.float64).reshape(nt, npred)

    def pairs(v: Any) -> Any:
        return (v * (v - 1) / 2).sum()

    index = pairs(table)
    rows = pairs(table.sum(axis=1))
    cols = pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    top = (rows + cols) / 2
    return to_float((index - expected) / (top - expected))


def silhouette_samples(X: Any, labels: Any, *, metric: str = "euclidean", chunk_size: int = 2048) -> Any:
    """Silhouette of each row: ``(b - a) / max(a, b)`` with mean intra (a) and nearest-cluster (b) distances.

    Distances are computed ``chunk_size`` rows at a time against all rows, and
    summed per cluster by one matrix product with the cluster indicators.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.silhouette_samples([[0.0], [0.1], [5.0], [5.2]], [0, 0, 1, 1]).round(3).tolist()
    [0.98, 0.98, 0.96, 0.961]
    """
    if metric != "euclidean":
        raise NotImplementedError(f"silhouette: metric={metric!r} is not supported; use metric='euclidean'")
    backend, (x, lab) = as_arrays(X, labels, who="silhouette_score")
    check_same_length("silhouette_score", X=x, labels=lab)
    xp = backend.xp
    x = x.astype(xp.float64)
    ids, k = _ids(backend, lab)
    n = len(ids)
    if not 2 <= k <= n - 1:
        raise ValueError(f"silhouette_score: Number of labels is {k}. Valid values are 2 to n_samples - 1 "
                         f"(inclusive); pass a clustering with at least two clusters and fewer than {n}")
    onehot = (ids[:, None] == xp.arange(k)[None, :]).astype(xp.float64)
    sizes = onehot.sum(axis=0)
    sq = (x * x).sum(axis=1)
    out = []
    for start in range(0, n, chunk_size):
        block = x[start:start + chunk_size]
        d2 = sq[start:start + chunk_size, None] - 2.0 * block @ x.T + sq[None, :]
        d = xp.sqrt(xp.maximum(d2, 0.0))
        sums = d @ onehot
        own = ids[start:start + chunk_size]
        own_size = sizes[own]
        a = xp.take_along_axis(sums, own[:, None], axis=1)[:, 0] / xp.maximum(own_size - 1, 1)
        means = sums / sizes[None, :]
        means = xp.where(xp.arange(k)[None, :] == own[:, None], xp.inf, means)
        b = means.min(axis=1)
        s = (b - a) / xp.maximum(a, b)
        out.append(xp.where(own_size > 1, xp.nan_to_num(s), 0.0))
    return xp.concatenate(out)


def silhouette_score(X: Any, labels: Any, *, metric: str = "euclidean", sample_size: int | None = None,
                     random_state: Any = None) -> float:
    """Mean silhouette over all rows (or a random ``sample_size`` of them).

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.ml.metrics.silhouette_score([[0.0], [0.1], [5.0], [5.2]], [0, 0, 1, 1]), 4)
    0.9703
    """
    if sample_size is not None:
        from headwater.ml.model_selection.split import take_rows
        from headwater.ml.random import rng_for

        backend, (x, lab) = as_arrays(X, labels, who="silhouette_score")
        rows = rng_for(backend, random_state).permutation(len(x))[:sample_size]
        X, labels = take_rows(x, rows), take_rows(lab, rows)
    return to_float(silhouette_samples(X, labels, metric=metric).mean())
