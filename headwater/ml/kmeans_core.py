"""The steps of k-means on the device: k-means++ seeding, assignment, centre update.

Distances are ``|x|^2 - 2 x.c + |c|^2`` (one matrix product per block of rows);
centre sums are ``X^T`` times the one-hot matrix of the labels (another matrix
product, which beats a scatter-add on both devices). Blocks of rows bound the
``(rows, k)`` temporaries.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["kmeans_plusplus", "assign", "centre_sums", "lloyd_step", "lloyd"]

_BLOCK_ELEMENTS = 1 << 23


def _step(n: int, k: int) -> int:
    return max(1, _BLOCK_ELEMENTS // max(k, 1))


def assign(xp: Any, X: Any, x_sq: Any, centers: Any) -> tuple[Any, Any]:
    """Nearest centre of each row and the squared distance to it."""
    n, k = X.shape[0], centers.shape[0]
    c_sq = (centers * centers).sum(axis=1)
    labels, dist = [], []
    step = _step(n, k)
    for start in range(0, n, step):
        d = (X[start:start + step] @ centers.T) * -2.0 + c_sq[None, :]
        lab = xp.argmin(d, axis=1)
        labels.append(lab)
        dist.append(xp.take_along_axis(d, lab[:, None], axis=1)[:, 0] + x_sq[start:start + step])
    labels_all = labels[0] if len(labels) == 1 else xp.concatenate(labels)
    dist_all = dist[0] if len(dist) == 1 else xp.concatenate(dist)
    return labels_all, xp.maximum(dist_all, 0.0)


def centre_sums(xp: Any, X: Any, labels: Any, k: int, w: Any) -> tuple[Any, Any]:
    """Weighted sums of the rows of each cluster ``(k, p)`` and the clusters' weights ``(k,)``."""
    n = X.shape[0]
    sums = xp.zeros((k, X.shape[1]), dtype=X.dtype)
    weights = xp.zeros(k, dtype=X.dtype)
    ks = xp.arange(k)
    step = _step(n, k)
    for start in range(0, n, step):
        onehot = (labels[start:start + step, None] == ks[None, :]).astype(X.dtype)
        if w is not None:
            onehot = onehot * w[start:start + step, None]
        sums += (X[start:start + step].T @ onehot).T
        weights += onehot.sum(axis=0)
    return sums, weights


def kmeans_plusplus(xp: Any, X: Any, x_sq: Any, k: int, rng: Any, w: Any = None,
                    n_local_trials: int | None = None) -> Any:
    """Greedy k-means++ seeding (scikit-learn's): the best of ``2 + log k`` draws per centre.

    Candidates are drawn with probability proportional to ``w * D(x)^2`` by a
    ``searchsorted`` into the running sum; nothing is read back to the host.
    """
    n = X.shape[0]
    trials = n_local_trials if n_local_trials is not None else 2 + int(math.log(k))
    weights = xp.ones(n, dtype=X.dtype) if w is None else w
    cum_w = xp.cumsum(weights)
    first = xp.minimum(xp.searchsorted(cum_w, rng.random(1) * cum_w[-1]), n - 1)
    centers = xp.empty((k, X.shape[1]), dtype=X.dtype)
    centers[0] = X[first[0]]

    def sq_dist(points: Any) -> Any:
        return xp.maximum(x_sq[None, :] - 2.0 * (points @ X.T) + (points * points).sum(axis=1)[:, None], 0.0)

    closest = sq_dist(centers[0:1])[0]
    for c in range(1, k):
        cum = xp.cumsum(closest * weights)
        draws = rng.random(trials) * cum[-1]
        cand = xp.minimum(xp.searchsorted(cum, draws), n - 1)
        cand_dist = xp.minimum(closest[None, :], sq_dist(X[cand]))
        potentials = (cand_dist * weights[None, :]).sum(axis=1)
        best = xp.argmin(potentials)
        closest = cand_dist[best]
        centers[c] = X[cand[best]]
    return centers


def lloyd_step(xp: Any, X: Any, centers: Any, w: Any) -> tuple[Any, Any, Any]:
    """One Lloyd pass over row blocks: labels, centre sums and centre weights.

    The distance block is ``X_b @ (-2 C^T) + |c|^2`` (``|x|^2`` does not change the
    argmin); its argmin gives the labels, and the one-hot matrix of the labels times
    the block gives the sums.
    """
    n, k = X.shape[0], centers.shape[0]
    scaled = (centers.T * -2.0).astype(X.dtype)
    c_sq = (centers * centers).sum(axis=1).astype(X.dtype)
    ks = xp.arange(k)
    labels = xp.empty(n, dtype=xp.int64)
    sums = xp.zeros((k, X.shape[1]), dtype=X.dtype)
    weights = xp.zeros(k, dtype=X.dtype)
    step = _step(n, k)
    for start in range(0, n, step):
        block = X[start:start + step]
        d = block @ scaled
        d += c_sq
        lab = xp.argmin(d, axis=1)
        labels[start:start + step] = lab
        onehot = (lab[:, None] == ks[None, :]).astype(X.dtype)
        if w is not None:
            onehot *= w[start:start + step, None]
        sums += (block.T @ onehot).T
        weights += onehot.sum(axis=0)
    return labels, sums, weights


def lloyd(xp: Any, X: Any, x_sq: Any, centers: Any, w: Any, max_iter: int, tol: float) -> tuple[Any, Any, Any, int]:
    """Lloyd iterations from ``centers``; returns ``(centers, labels, inertia, n_iter)``.

    Stops when the squared centre shift is at most ``tol`` (already scaled by the
    data's variance) or the labels stop changing: one read of two scalars per
    iteration, the documented convergence check. An empty cluster is moved to the
    row farthest from its centre, as scikit-learn does.
    """
    from headwater.tensor.transfer import to_host

    k = centers.shape[0]
    labels = None
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        new_labels, sums, weights = lloyd_step(xp, X, centers, w)
        empty = weights == 0
        new_centers = xp.where(empty[:, None], centers, sums / xp.maximum(weights, 1e-30)[:, None])
        shift = ((new_centers - centers) ** 2).sum()
        changed = xp.asarray(1.0) if labels is None else xp.count_nonzero(new_labels != labels)
        shift_h, changed_h, n_empty = (float(v) for v in to_host(xp.stack(
            [shift.astype(xp.float64), changed.astype(xp.float64), xp.count_nonzero(empty).astype(xp.float64)])))
        centers, labels = new_centers, new_labels
        if n_empty:  # move each empty cluster onto one of the rows farthest from their centres
            _, dist = assign(xp, X, x_sq, centers)
            far = xp.argsort(-dist)[:k]
            slot = xp.maximum(xp.cumsum(empty) - 1, 0)
            centers = xp.where(empty[:, None], X[far[slot]], centers)
            continue
        if changed_h == 0 or shift_h <= tol:
            break
    labels, dist = assign(xp, X, x_sq, centers)
    inertia = (dist if w is None else dist * w).sum(dtype=xp.float64)
    return centers, labels, inertia, n_iter
