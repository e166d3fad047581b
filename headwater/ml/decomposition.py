"""Linear dimensionality reduction: ``PCA`` (centred) and ``TruncatedSVD`` (not centred).

With many more rows than features (the usual frame) the decomposition is the
eigendecomposition of the ``p x p`` covariance, formed by one matrix product on
the device; otherwise a thin SVD of the data, or a randomized range finder
(Halko et al.) for a few components of a large matrix. Signs follow scikit-learn:
the largest entry (in absolute value) of each component is positive.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.ml.base import BaseEstimator, check_is_fitted
from headwater.ml.mixins import TransformerMixin
from headwater.ml.output import wrap
from headwater.ml.random import rng_for
from headwater.ml.row_blocks import block_rows, map_block_ranges, map_blocks, sum_blocks
from headwater.tensor.devices import backend_of
from headwater.ml.validation import check_finite, check_X
from headwater.tensor.transfer import to_host

__all__ = ["PCA", "TruncatedSVD"]


def flip_signs(xp: Any, U: Any, Vt: Any) -> tuple[Any, Any]:
    """Make the largest-magnitude entry of each row of ``Vt`` positive (and ``U``'s columns to match)."""
    big = xp.argmax(xp.abs(Vt), axis=1)
    signs = xp.sign(xp.take_along_axis(Vt, big[:, None], axis=1)[:, 0])
    signs = xp.where(signs == 0, 1.0, signs).astype(Vt.dtype)
    return (None if U is None else U * signs[None, :]), Vt * signs[:, None]


def randomized_svd(xp: Any, A: Any, k: int, n_oversamples: int, n_iter: int, rng: Any) -> tuple[Any, Any, Any]:
    """Top ``k`` singular triplets of ``A`` by a randomized range finder with QR-normalised power steps."""
    size = min(k + n_oversamples, min(A.shape))
    Q = A @ rng.standard_normal((A.shape[1], size)).astype(A.dtype)
    Q, _ = xp.linalg.qr(Q)
    for _ in range(n_iter):
        Q, _ = xp.linalg.qr(A.T @ Q)
        Q, _ = xp.linalg.qr(A @ Q)
    U_small, S, Vt = xp.linalg.svd(Q.T @ A, full_matrices=False)
    return (Q @ U_small)[:, :k], S[:k], Vt[:k]


def gram(A: Any, shift: Any = None, with_sums: bool = False) -> Any:
    """``(A - shift)^T (A - shift)`` in float64, by blocks of rows (no shifted copy of ``A``).

    Each block is shifted while in cache and multiplied in ``A``'s dtype; the
    products are added in float64, so float32 data loses no more than one block's
    rounding. With ``with_sums``, also the column sums of ``A - shift`` (float64;
    a product with ones per block, in the same pass). On the host the blocks are
    cache-sized and threaded (:mod:`headwater.ml.row_blocks`).

    Examples
    --------
    >>> import headwater as hw
    >>> xp = hw.get_backend().xp  # device arrays in, as on a GPU
    >>> g, sums = gram(xp.asarray([[1.0, 2.0], [3.0, 2.0]]), xp.asarray([2.0, 2.0]), with_sums=True)
    >>> g.tolist(), sums.tolist()
    ([[2.0, 0.0], [0.0, 0.0]], [0.0, 0.0])
    """
    backend = backend_of(A)
    xp = backend.xp
    p = A.shape[1]
    m = None if shift is None else shift.astype(A.dtype)
    rows = block_rows(backend, p * p // _GRAM_BLOCK_SCALE, p)

    def run(start: int, stop: int) -> tuple[Any, Any]:
        g = xp.zeros((p, p), dtype=xp.float64)
        sums = xp.zeros(p, dtype=xp.float64)
        ones = xp.ones(min(rows, stop - start), dtype=A.dtype) if with_sums else None
        buf = None if m is None else xp.empty((min(rows, stop - start), p), dtype=A.dtype)
        with np.errstate(invalid="ignore", over="ignore"):  # non-finite input shows in the result
            for lo in range(start, stop, rows):
                hi = min(lo + rows, stop)
                c = A[lo:hi] if m is None else xp.subtract(A[lo:hi], m, out=buf[:hi - lo])
                g += c.T @ c
                if with_sums:
                    sums += ones[:hi - lo] @ c
        return g, sums

    g, sums = sum_blocks(map_block_ranges(backend, A.shape[0], rows, run))
    return (g, sums) if with_sums else g


# the Gram pass's blocks hold 4x the rows of the default work per block: measured on the
# 2-core machine (300,000 x 32 float32, one thread), 4,096-8,192-row blocks took 24 ms,
# 1,024-row blocks 37 ms (per-block call costs)
_GRAM_BLOCK_SCALE = 4
_PILOT_ROWS = 4096


def centred_gram(A: Any) -> tuple[Any, Any]:
    """The column means (float64) and the centred Gram matrix ``(A - mean)^T (A - mean)`` in one pass.

    The rows are shifted by a pilot mean (of at most 4,096 rows spread over ``A``)
    while in cache; the exact mean is the pilot plus the mean of the shifted rows,
    and the Gram matrix is corrected by ``n d d^T`` for that difference ``d``. The
    pilot is near the mean, so the correction is small and float32 data keeps
    float64 accuracy without a separate pass for the mean.

    Examples
    --------
    >>> import headwater as hw
    >>> mean, g = centred_gram(hw.get_backend().xp.asarray([[1.0, 0.0], [3.0, 0.0], [5.0, 3.0]]))
    >>> mean.tolist(), g.round(12).tolist()
    ([3.0, 1.0], [[8.0, 6.0], [6.0, 6.0]])
    """
    xp = backend_of(A).xp
    n = A.shape[0]
    # the shift as the blocks subtract it (rounded to A's dtype), so that the mean adds up exactly
    pilot = A[::max(1, n // _PILOT_ROWS)].mean(axis=0, dtype=xp.float64).astype(A.dtype)
    g, sums = gram(A, pilot, with_sums=True)
    d = sums / max(n, 1)
    return pilot.astype(xp.float64) + d, g - n * (d[:, None] * d[None, :])


def project(A: Any, shift: Any, components: Any, spread: float | None = None) -> Any:
    """``(A - shift) @ components.T`` by blocks of rows (no shifted copy of ``A``).

    With ``spread`` (the data's total variance), on the host, where ``|shift|^2`` is
    at most the spread the rows are multiplied as they are and ``shift @
    components.T`` is subtracted from the product (as scikit-learn does): rounding
    then grows with ``|x|`` instead of ``|x - shift|``, at most twice as large
    there, and the pass skips a subtraction over every value (one 300,000 x 32
    projection: 17 ms centred, 12 ms not, on one thread). Otherwise each block is
    centred in cache first.

    Examples
    --------
    >>> import headwater as hw
    >>> xp = hw.get_backend().xp
    >>> project(xp.asarray([[1.0, 2.0], [3.0, 4.0]]), xp.asarray([2.0, 3.0]), xp.asarray([[1.0, 0.0]])).tolist()
    [[-1.0], [1.0]]
    """
    backend = backend_of(A)
    xp = backend.xp
    k, p = components.shape
    dtype = xp.result_type(A.dtype, components.dtype)
    out = xp.empty((A.shape[0], k), dtype=dtype)
    right = components.T.astype(dtype)
    m = None if shift is None else shift.astype(dtype)
    after = None
    if m is not None and spread is not None and backend.host_fast_paths \
            and float(to_host((m.astype(xp.float64) ** 2).sum())) <= spread:
        after, m = m @ right, None

    def block(lo: int, hi: int) -> None:
        rows = A[lo:hi].astype(dtype, copy=False)
        with np.errstate(invalid="ignore", over="ignore"):  # non-finite input shows in the result
            xp.matmul(rows if m is None else rows - m, right, out=out[lo:hi])
            if after is not None:
                out[lo:hi] -= after

    map_blocks(backend, A.shape[0], block_rows(backend, p * max(k, 1), p + k), block)
    return out


def _eigh_svd(xp: Any, G: Any, dtype: Any) -> tuple[Any, Any]:
    """Singular values and right vectors of a matrix from the eigendecomposition of its Gram matrix ``G``."""
    values, vectors = xp.linalg.eigh(G)
    values, vectors = values[::-1].astype(dtype), vectors[:, ::-1].astype(dtype)
    return xp.sqrt(xp.maximum(values, 0.0)), vectors.T


def _check_projected(est: Any, method: str, inp: Any, out: Any) -> None:
    """The finite check of ``X`` from its projection ``out`` (one scalar read).

    NaN times anything is NaN and infinity times a non-zero weight is infinite (times
    zero, NaN), so a finite sum of the projections proves the input finite; otherwise
    the exact count is taken. With no component kept, the input itself is checked.
    """
    xp = inp.backend.xp
    with np.errstate(invalid="ignore", over="ignore"):
        finite = out.shape[1] > 0 and bool(to_host(xp.isfinite(out.sum())))
    if not finite:
        check_finite(est, method, xp, inp.array)


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis, as ``sklearn.decomposition.PCA``.

    Parameters
    ----------
    n_components : int, float in (0, 1), or None
        Components to keep; a float keeps enough to explain that share of the variance.
    copy : bool
        X is never modified.
    whiten : bool
        Scale the projections to unit variance.
    svd_solver : {"auto", "full", "covariance_eigh", "randomized", "arpack"}
        "auto" picks the covariance route when ``n_samples >= 10 n_features`` and
        ``n_features <= 1000``, else "full". "arpack" is computed exactly by the
        dense SVD (the same components).
    iterated_power : int or "auto"
    n_oversamples : int
    random_state : int, optional
        Seeds the randomized solver.
    output_type : str, optional

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_, mean_,
    n_components_, n_samples_, noise_variance_, n_features_in_

    Examples
    --------
    >>> import headwater as hw
    >>> pca = hw.ml.PCA(n_components=1).fit([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    >>> pca.components_.round(4).tolist(), pca.explained_variance_ratio_.round(4).tolist()
    ([[0.7071, 0.7071]], [1.0])
    """

    _SOLVERS = ("auto", "full", "covariance_eigh", "randomized", "arpack")

    def __init__(self, n_components: Any = None, *, copy: bool = True, whiten: bool = False, svd_solver: str = "auto",
                 iterated_power: Any = "auto", n_oversamples: int = 10, random_state: Any = None,
                 output_type: str | None = None) -> None:
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.random_state = random_state
        self.output_type = output_type

    def _n_keep(self, ratio: Any, limit: int) -> int:
        nc = self.n_components
        if nc is None:
            return limit
        if nc == "mle":
            raise NotImplementedError("PCA: n_components='mle' is not supported; pass an int or a variance share")
        if isinstance(nc, float) and 0 < nc < 1:
            cum = to_host(ratio.cumsum())
            return int(min(limit, int((cum < nc).sum()) + 1))
        nc = int(nc)
        if not 0 <= nc <= limit:
            raise ValueError(f"PCA: n_components={nc} must be between 0 and min(n_samples, n_features)={limit}")
        return nc

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> PCA:
        """Find the principal axes of X.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.PCA(n_components=1).fit([[0.0, 1.0], [2.0, 1.0]]).mean_.tolist()
        [1.0, 1.0]
        """
        self._fit(X, features)
        return self

    def _fit(self, X: Any, features: Any) -> tuple[Any, Any]:
        if self.svd_solver not in self._SOLVERS:
            raise ValueError(f"PCA: svd_solver={self.svd_solver!r} must be one of {list(self._SOLVERS)}")
        inp = check_X(self, X, "fit", features=features, finite=False)
        xp = inp.backend.xp
        A = inp.array
        n, p = A.shape
        limit = min(n, p)
        solver = self.svd_solver
        if solver == "auto":
            solver = "covariance_eigh" if n >= 10 * p and p <= 1000 else "full"
        U = None
        total_var = None
        Xc = None
        if solver == "covariance_eigh":  # the mean and the centred Gram matrix in one pass: no centred copy of X
            mean, G = centred_gram(A)
            # a NaN or infinity anywhere makes the mean or the Gram diagonal non-finite: the
            # pass itself is the finite check (one scalar read), the exact count only then
            with np.errstate(invalid="ignore", over="ignore"):
                finite = bool(to_host(xp.isfinite(xp.stack([mean.sum(), xp.trace(G)])).all()))
            if not finite:
                check_finite(self, "fit", xp, A)
            self.mean_ = mean.astype(A.dtype)
            S, Vt = _eigh_svd(xp, G, A.dtype)
        else:
            check_finite(self, "fit", xp, A)
            self.mean_ = A.mean(axis=0, dtype=xp.float64).astype(A.dtype)
            Xc = A - self.mean_
        if solver == "randomized":
            k = self._n_keep(None, limit) if not isinstance(self.n_components, float) else limit
            power = self.iterated_power
            power = (7 if k < 0.1 * limit else 4) if power == "auto" else int(power)
            U, S, Vt = randomized_svd(xp, Xc, k, int(self.n_oversamples), power, rng_for(inp.backend, self.random_state))
            total_var = (Xc * Xc).sum() / max(n - 1, 1)  # the spectrum is partial: sum the data
        elif solver != "covariance_eigh":
            U, S, Vt = xp.linalg.svd(Xc, full_matrices=False)
        U, Vt = flip_signs(xp, U, Vt)
        variance = S * S / max(n - 1, 1)
        total_var = variance.sum() if total_var is None else total_var  # the whole spectrum's sum
        ratio = variance / total_var
        k = self._n_keep(ratio, limit) if solver != "randomized" else min(self._n_keep(ratio, limit), len(S))
        self.components_ = Vt[:k]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = ratio[:k]
        self.singular_values_ = S[:k]
        self.n_components_, self.n_samples_ = k, n
        if k < limit:
            rest = total_var - variance[:k].sum() if solver == "randomized" else variance[k:limit].sum()
            self.noise_variance_ = rest / (limit - k) if solver != "randomized" else rest / (p - k)
        else:
            self.noise_variance_ = xp.zeros((), dtype=A.dtype)
        return inp, Xc

    def _spread(self) -> float | None:
        """The total variance of the training data on the host (None on a device or with nothing kept)."""
        if not backend_of(self.mean_).host_fast_paths or self.n_components_ == 0:
            return None
        ratio = float(to_host(self.explained_variance_ratio_[:1])[0])
        return float(to_host(self.explained_variance_[:1])[0]) / ratio if ratio > 0 else None

    def fit_transform(self, X: Any, y: Any = None, *, features: Any = None) -> Any:
        """Fit and project the training rows (from the centred data already at hand).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.PCA(n_components=1).fit_transform([[0.0, 0.0], [2.0, 2.0]]).round(4).tolist()
        [[-1.4142], [1.4142]]
        """
        inp, Xc = self._fit(X, features)
        out = project(inp.array, self.mean_, self.components_, self._spread()) if Xc is None \
            else Xc @ self.components_.T
        if self.whiten:
            out = out / inp.backend.xp.sqrt(self.explained_variance_)
        return wrap(self, out, X, prefix="pca")

    def transform(self, X: Any) -> Any:
        """Project X on the principal axes: ``(X - mean_) @ components_.T`` (whitened if asked).

        Examples
        --------
        >>> import headwater as hw
        >>> pca = hw.ml.PCA(n_components=1).fit([[0.0, 0.0], [2.0, 2.0]])
        >>> pca.transform([[1.0, 1.0]]).round(6).tolist()
        [[0.0]]
        """
        check_is_fitted(self, "transform")
        inp = check_X(self, X, "transform", finite=False)
        out = project(inp.array, self.mean_, self.components_, self._spread())
        _check_projected(self, "transform", inp, out)
        if self.whiten:
            out = out / inp.backend.xp.sqrt(self.explained_variance_)
        return wrap(self, out, X, prefix="pca")

    def inverse_transform(self, X: Any) -> Any:
        """Map projections back to the original space.

        Examples
        --------
        >>> import headwater as hw
        >>> pca = hw.ml.PCA(n_components=1).fit([[0.0, 0.0], [2.0, 2.0]])
        >>> pca.inverse_transform(pca.transform([[2.0, 2.0]])).round(6).tolist()
        [[2.0, 2.0]]
        """
        check_is_fitted(self, "inverse_transform")
        saved = self.n_features_in_, getattr(self, "feature_names_in_", None)
        self.n_features_in_ = self.n_components_
        try:
            inp = check_X(self, X, "inverse_transform", fit=False)
        finally:
            self.n_features_in_ = saved[0]
        Z = inp.array
        if self.whiten:
            Z = Z * inp.backend.xp.sqrt(self.explained_variance_)
        names = None if saved[1] is None else [str(v) for v in saved[1]]
        return wrap(self, Z @ self.components_ + self.mean_, X, names=names)


class TruncatedSVD(TransformerMixin, BaseEstimator):
    """Top singular vectors of X without centring, as ``sklearn.decomposition.TruncatedSVD``.

    Parameters
    ----------
    n_components : int
    algorithm : {"randomized", "arpack"}
        "arpack" is computed exactly (eigendecomposition of ``X^T X``).
    n_iter : int
        Power iterations of the randomized solver.
    n_oversamples : int
    random_state : int, optional
    output_type : str, optional

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_

    Examples
    --------
    >>> import headwater as hw
    >>> svd = hw.ml.TruncatedSVD(n_components=1, random_state=0).fit([[3.0, 0.0], [0.0, 1.0]])
    >>> svd.singular_values_.round(6).tolist()
    [3.0]
    """

    def __init__(self, n_components: int = 2, *, algorithm: str = "randomized", n_iter: int = 5,
                 n_oversamples: int = 10, random_state: Any = None, output_type: str | None = None) -> None:
        self.n_components = n_components
        self.algorithm = algorithm
        self.n_iter = n_iter
        self.n_oversamples = n_oversamples
        self.random_state = random_state
        self.output_type = output_type

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> TruncatedSVD:
        """Find the top singular vectors of X.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.TruncatedSVD(n_components=1).fit([[1.0, 0.0], [0.0, 2.0]]).components_.round(6).tolist()
        [[0.0, 1.0]]
        """
        self._fit(X, features)
        return self

    def _fit(self, X: Any, features: Any) -> Any:
        if self.algorithm not in ("randomized", "arpack"):
            raise ValueError(f"TruncatedSVD: algorithm={self.algorithm!r} must be 'randomized' or 'arpack'")
        inp = check_X(self, X, "fit", features=features)
        xp = inp.backend.xp
        A = inp.array
        k = int(self.n_components)
        if not 1 <= k <= A.shape[1]:
            raise ValueError(f"TruncatedSVD: n_components={k} must be between 1 and n_features={A.shape[1]}")
        if self.algorithm == "arpack":
            if k >= A.shape[1]:
                raise ValueError(f"TruncatedSVD: n_components={k} must be < n_features={A.shape[1]} with "
                                 f"algorithm='arpack'")
            S, Vt = _eigh_svd(xp, gram(A), A.dtype)
            S, Vt = S[:k], Vt[:k]
        else:
            _, S, Vt = randomized_svd(xp, A, k, int(self.n_oversamples), int(self.n_iter),
                                      rng_for(inp.backend, self.random_state))
        _, Vt = flip_signs(xp, None, Vt)
        self.components_ = Vt
        self.singular_values_ = S
        Z = A @ Vt.T
        self.explained_variance_ = Z.var(axis=0)
        self.explained_variance_ratio_ = self.explained_variance_ / A.var(axis=0).sum()
        return Z

    def transform(self, X: Any) -> Any:
        """``X @ components_.T``.

        Examples
        --------
        >>> import headwater as hw
        >>> svd = hw.ml.TruncatedSVD(n_components=1).fit([[1.0, 0.0], [0.0, 2.0]])
        >>> svd.transform([[0.0, 1.0]]).round(6).tolist()
        [[1.0]]
        """
        check_is_fitted(self, "transform")
        inp = check_X(self, X, "transform")
        return wrap(self, inp.array @ self.components_.T, X, prefix="truncatedsvd")

    def fit_transform(self, X: Any, y: Any = None, *, features: Any = None) -> Any:
        """Fit and return the projections of the training rows.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.TruncatedSVD(n_components=1).fit_transform([[1.0, 0.0], [0.0, 2.0]]).round(6).tolist()
        [[0.0], [2.0]]
        """
        return wrap(self, self._fit(X, features), X, prefix="truncatedsvd")

    def inverse_transform(self, X: Any) -> Any:
        """Map projections back: ``X @ components_``.

        Examples
        --------
        >>> import headwater as hw
        >>> svd = hw.ml.TruncatedSVD(n_components=1).fit([[1.0, 0.0], [0.0, 2.0]])
        >>> svd.inverse_transform([[1.0]]).round(6).tolist()
        [[0.0, 1.0]]
        """
        check_is_fitted(self, "inverse_transform")
        saved = self.n_features_in_
        self.n_features_in_ = int(self.n_components)
        try:
            inp = check_X(self, X, "inverse_transform", fit=False)
        finally:
            self.n_features_in_ = saved
        return wrap(self, inp.array @ self.components_, X)
