"""Lasso and ElasticNet by cyclic coordinate descent on the Gram matrix.

The objective is scikit-learn's::

    1 / (2 n) ||y - X w||^2 + alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio) / 2 ||w||^2

``X^T X`` and ``X^T y`` are formed once on the device (one matrix product over the
rows); each sweep then updates one coefficient at a time from a column of the
Gram matrix, so a sweep costs ``O(p^2)`` whatever the number of rows. Convergence
is checked as scikit-learn does (the largest coefficient change, then the duality
gap against ``tol * ||y||^2``): one scalar read per sweep, the only host crossing
of ``fit``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from headwater.ml.base import BaseEstimator, keep_params
from headwater.ml.linear_base import LinearModel
from headwater.ml.mixins import RegressorMixin
from headwater.tensor.transfer import to_host

__all__ = ["ElasticNet", "Lasso", "ConvergenceWarning"]


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped at ``max_iter`` before meeting ``tol``."""


def _gap(xp: Any, w: Any, gram: Any, xty: Any, yy: Any, l1: float, l2: float, positive: bool) -> Any:
    gw = gram @ w
    xta = xty - gw - l2 * w
    dual = xp.max(xta) if positive else xp.max(xp.abs(xta))
    r2 = yy - 2.0 * (w @ xty) + w @ gw
    const = xp.where(dual > l1, l1 / xp.maximum(dual, 1e-300), 1.0)
    gap = xp.where(dual > l1, 0.5 * (r2 + r2 * const * const), r2)
    return gap + l1 * xp.abs(w).sum() - const * (yy - w @ xty) + 0.5 * l2 * (1 + const * const) * (w @ w)


def enet_gram(xp: Any, gram: Any, xty: Any, yy: Any, n: int, alpha: float, l1_ratio: float, *, w0: Any,
              max_iter: int, tol: float, positive: bool, order: Any) -> tuple[Any, Any, int]:
    """Coordinate descent from ``w0``; returns ``(w, gap, n_iter)``.

    ``order`` yields the coordinate order of each sweep (host ints: control flow,
    not data).
    """
    p = gram.shape[0]
    l1, l2 = alpha * l1_ratio * n, alpha * (1.0 - l1_ratio) * n
    w = w0.copy()
    q = gram @ w
    diag = xp.diagonal(gram).copy()
    scaled_tol = tol * float(to_host(yy))
    gap = xp.zeros(())
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        delta = xp.zeros(p, dtype=w.dtype)
        for j in order(p):
            old = w[j]
            rho = xty[j] - q[j] + diag[j] * old
            shrunk = xp.sign(rho) * xp.maximum(xp.abs(rho) - l1, 0.0)
            if positive:
                shrunk = xp.maximum(rho - l1, 0.0)
            new = xp.where(diag[j] > 0, shrunk / xp.maximum(diag[j] + l2, 1e-300), 0.0)
            w[j] = new
            change = new - old
            q += gram[:, j] * change
            delta[j] = xp.abs(change)
        # one read per sweep: the documented convergence check
        w_max, d_max = (float(v) for v in to_host(xp.stack([xp.max(xp.abs(w)), xp.max(delta)])))
        if w_max == 0.0 or d_max / w_max < tol or n_iter == max_iter:
            gap = _gap(xp, w, gram, xty, yy, l1, l2, positive)
            if float(to_host(gap)) < scaled_tol:
                return w, gap, n_iter
    warnings.warn(
        f"Objective did not converge in {max_iter} iterations (duality gap {float(to_host(gap)):.3g}, tolerance "
        f"{scaled_tol:.3g}); increase max_iter, or scale the features (StandardScaler)",
        ConvergenceWarning, stacklevel=4,
    )
    return w, gap, n_iter


class ElasticNet(LinearModel, RegressorMixin, BaseEstimator):
    """Linear regression with combined L1 and L2 penalties, as ``sklearn.linear_model.ElasticNet``.

    Parameters
    ----------
    alpha : float
    l1_ratio : float in [0, 1]
    fit_intercept : bool
    max_iter : int
        Sweeps over the coefficients at most.
    copy_X : bool
        X is never modified.
    tol : float
    warm_start : bool
        Start from the previous ``coef_``.
    positive : bool
        Keep the coefficients >= 0.
    random_state : int, optional
        Seeds the coordinate order of ``selection="random"``.
    selection : {"cyclic", "random"}
    output_type : str, optional

    Attributes
    ----------
    coef_, intercept_, n_iter_, dual_gap_

    Notes
    -----
    The Gram matrix is always precomputed (scikit-learn's ``precompute=True``),
    which is what keeps the sweeps on the device cheap; there is no ``precompute``
    parameter. ``y`` is one target.

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.ml.ElasticNet(alpha=0.1, l1_ratio=0.5).fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0])
    >>> round(float(m.coef_[0]), 4)
    0.8605
    """

    _multi_output = False

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 max_iter: int = 1000, copy_X: bool = True, tol: float = 1e-4, warm_start: bool = False,
                 positive: bool = False, random_state: Any = None, selection: str = "cyclic",
                 output_type: str | None = None) -> None:
        keep_params(self, locals())

    def _l1_ratio(self) -> float:
        return float(self.l1_ratio)

    def _check_params(self) -> None:
        name = type(self).__name__
        if self.selection not in ("cyclic", "random"):
            raise ValueError(f"{name}: selection={self.selection!r} must be 'cyclic' or 'random'")
        if not 0.0 <= float(self._l1_ratio()) <= 1.0:
            raise ValueError(f"{name}: l1_ratio={self._l1_ratio()!r} must be in [0, 1]")
        if float(self.alpha) < 0:
            raise ValueError(f"{name}: alpha={self.alpha!r} must be >= 0")
        if int(self.max_iter) < 1:
            raise ValueError(f"{name}: max_iter={self.max_iter!r} must be >= 1")

    def _solve(self, xp: Any, X: Any, y: Any, w: Any) -> Any:
        n = X.shape[0]
        if w is not None:  # rescaled to sum to n, as scikit-learn
            w = w * (n / w.sum())
            Xw = X * w[:, None]
            gram, xty, yy = X.T @ Xw, Xw.T @ y, (w * y) @ y
        else:
            gram, xty, yy = X.T @ X, X.T @ y, y @ y
        p = X.shape[1]
        previous = getattr(self, "coef_", None) if self.warm_start else None
        w0 = previous.astype(X.dtype) if previous is not None and previous.shape == (p,) else xp.zeros(p, X.dtype)
        if self.selection == "random":
            host_rng = np.random.default_rng(self.random_state)

            def order(k: int) -> Any:
                return host_rng.integers(0, k, size=k).tolist()
        else:
            def order(k: int) -> Any:
                return range(k)
        coef, gap, self.n_iter_ = enet_gram(xp, gram, xty, yy, n, float(self.alpha), float(self._l1_ratio()), w0=w0,
                                            max_iter=int(self.max_iter), tol=float(self.tol),
                                            positive=bool(self.positive), order=order)
        self.dual_gap_ = gap / n
        return coef


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty (sparse coefficients), as ``sklearn.linear_model.Lasso``.

    ``ElasticNet`` with ``l1_ratio=1``; the same parameters otherwise.

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.ml.Lasso(alpha=0.1).fit([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]], [0.0, 1.0, 2.0])
    >>> m.coef_.round(4).tolist()
    [0.85, 0.0]
    """

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True, max_iter: int = 1000,
                 copy_X: bool = True, tol: float = 1e-4, warm_start: bool = False, positive: bool = False,
                 random_state: Any = None, selection: str = "cyclic", output_type: str | None = None) -> None:
        keep_params(self, locals())

    def _l1_ratio(self) -> float:
        return 1.0
