"""The steps of k-means on the device: k-means++ seeding, assignment, centre update.

Distances are ``|x|^2 - 2 x.c + |c|^2``, computed per block of rows (one matrix
product) with the argmin taken on the block while it is in cache; a block's centre
sums are the one-hot matrix of its labels times the block (another product, which
on a cache-sized block beat ``bincount`` per feature 2-3x and a scatter-add more on
the host). Blocks are sized and threaded by :mod:`headwater.ml.row_blocks`: small
and spread over threads on the host, large on a GPU. On the host with numba, the
argmin and the centre sums of a block are one compiled loop after its distance
product (:func:`headwater.ml.host_loops.lloyd_block`); these NumPy steps are its
reference and run everywhere else.
"""

from __future__ import annotations

import math
from typing import Any

from headwater.ml.host_loops import host_loop, loops_apply
from headwater.ml.row_blocks import block_rows, map_block_ranges, map_blocks, sum_blocks
from headwater.tensor.devices import backend_of

__all__ = ["kmeans_plusplus", "assign", "centre_sums", "lloyd_step", "lloyd"]


def _block_distances(block: Any, scaled: Any, c_sq: Any) -> Any:
    """``-2 x.c + |c|^2`` of a block of rows to every centre (``|x|^2`` left out: the same argmin)."""
    d = block @ scaled
    d += c_sq
    return d


def _block_sums(xp: Any, block: Any, lab: Any, ks: Any, w: Any) -> tuple[Any, Any]:
    """Weighted sums ``(k, p)`` and weights ``(k,)`` of a block's rows by label."""
    onehot = (lab[:, None] == ks[None, :]).astype(block.dtype)
    if w is not None:
        onehot *= w[:, None]
    return onehot.T @ block, xp.bincount(lab, weights=w, minlength=ks.shape[0]).astype(block.dtype)


def _scaled_centres(centers: Any, dtype: Any) -> tuple[Any, Any]:
    return (centers.T * -2.0).astype(dtype), (centers * centers).sum(axis=1).astype(dtype)


def assign(xp: Any, X: Any, x_sq: Any, centers: Any) -> tuple[Any, Any]:
    """Nearest centre of each row and the squared distance to it."""
    n, k = X.shape[0], centers.shape[0]
    backend = backend_of(X)
    scaled, c_sq = _scaled_centres(centers, X.dtype)
    if loops_apply(backend, X, x_sq):
        labels, dist, _, _ = _host_pass(backend, X, scaled, c_sq, None, x_sq, False)
        return labels, dist
    labels = xp.empty(n, dtype=xp.int64)
    dist = xp.empty(n, dtype=X.dtype)

    def block(lo: int, hi: int) -> None:
        d = _block_distances(X[lo:hi], scaled, c_sq)
        lab = xp.argmin(d, axis=1)
        labels[lo:hi] = lab
        dist[lo:hi] = xp.take_along_axis(d, lab[:, None], axis=1)[:, 0] + x_sq[lo:hi]

    map_blocks(backend, n, block_rows(backend, X.shape[1] * k, k), block)
    return labels, xp.maximum(dist, 0.0)


def centre_sums(xp: Any, X: Any, labels: Any, k: int, w: Any) -> tuple[Any, Any]:
    """Weighted sums of the rows of each cluster ``(k, p)`` and the clusters' weights ``(k,)``."""
    backend = backend_of(X)
    ks = xp.arange(k)

    def block(lo: int, hi: int) -> tuple[Any, Any]:
        return _block_sums(xp, X[lo:hi], labels[lo:hi], ks, None if w is None else w[lo:hi])

    return sum_blocks(map_blocks(backend, X.shape[0], block_rows(backend, X.shape[1] * k, k), block))


def _host_pass(backend: Any, X: Any, scaled: Any, c_sq: Any, w: Any, x_sq: Any,
               with_sums: bool) -> tuple[Any, Any, Any, Any]:
    """Labels (and squared distances where ``x_sq`` is given, centre sums and weights
    where ``with_sums``) by the compiled loop: per block of rows one distance product
    into a buffer kept for the thread's range, then one loop for argmin and sums."""
    import numpy as np

    loop = host_loop("lloyd_block")
    (n, p), k = X.shape, c_sq.shape[0]
    rows = block_rows(backend, p * k, k)
    scaled = np.ascontiguousarray(scaled)
    labels = np.empty(n, dtype=np.int64)
    dist = np.empty(0 if x_sq is None else n, dtype=X.dtype)
    none = np.empty(0, dtype=X.dtype)

    def run(start: int, stop: int) -> tuple[Any, Any]:
        sums = np.zeros((k if with_sums else 0, p))
        counts = np.zeros(k)
        D = np.empty((min(rows, stop - start), k), dtype=X.dtype)
        acc = np.empty((k, p), dtype=X.dtype)
        for lo in range(start, stop, rows):
            d = D[:min(rows, stop - lo)]
            np.matmul(X[lo:lo + d.shape[0]], scaled, out=d)
            loop(X, d, c_sq, lo, none if w is None else w, labels, dist, none if x_sq is None else x_sq, sums, counts,
                 acc)
        return sums, counts

    sums, counts = sum_blocks(map_block_ranges(backend, n, rows, run))
    return labels, dist, sums.astype(X.dtype), counts.astype(X.dtype)


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
    """One Lloyd pass: labels, centre sums and centre weights.

    Each block of rows gets its distances ``X_b @ (-2 C^T) + |c|^2`` (``|x|^2`` does
    not change the argmin), their argmin, and its one-hot sums, all while in cache;
    the per-block sums are added at the end.
    """
    n, k = X.shape[0], centers.shape[0]
    backend = backend_of(X)
    scaled, c_sq = _scaled_centres(centers, X.dtype)
    if loops_apply(backend, X) and (w is None or loops_apply(backend, X, w)):
        labels, _, sums, weights = _host_pass(backend, X, scaled, c_sq, w, None, True)
        return labels, sums, weights
    ks = xp.arange(k)
    labels = xp.empty(n, dtype=xp.int64)

    def block(lo: int, hi: int) -> tuple[Any, Any]:
        rows = X[lo:hi]
        lab = xp.argmin(_block_distances(rows, scaled, c_sq), axis=1)
        labels[lo:hi] = lab
        return _block_sums(xp, rows, lab, ks, None if w is None else w[lo:hi])

    sums, weights = sum_blocks(map_blocks(backend, n, block_rows(backend, X.shape[1] * k, k), block))
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
