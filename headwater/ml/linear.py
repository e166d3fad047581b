"""Least squares and ridge regression, solved in closed form on the device."""

from __future__ import annotations

from typing import Any

from headwater.ml.base import BaseEstimator
from headwater.ml.linear_base import LinearModel
from headwater.ml.mixins import RegressorMixin

__all__ = ["LinearRegression", "Ridge"]


def _weighted(xp: Any, X: Any, y: Any, w: Any) -> tuple[Any, Any]:
    if w is None:
        return X, y
    root = xp.sqrt(w)
    return X * root[:, None], (y * root if y.ndim == 1 else y * root[:, None])


class LinearRegression(LinearModel, RegressorMixin, BaseEstimator):
    """Ordinary least squares, as ``sklearn.linear_model.LinearRegression``.

    Solved by ``xp.linalg.lstsq`` (the minimum-norm solution when X is rank
    deficient); no iteration, no host read. ``y`` may be 2-d (several targets).

    Parameters
    ----------
    fit_intercept : bool
    copy_X : bool
        X is never modified (the centred copy is new), so either value is safe.
    output_type : str, optional
        The type of ``predict``'s answer (see :mod:`headwater.ml.output`).

    Attributes
    ----------
    coef_, intercept_, n_features_in_, feature_names_in_ (frames), rank_, singular_

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.ml.LinearRegression().fit([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]], [1.0, 2.0, 5.0])
    >>> m.coef_.round(6).tolist(), round(float(m.intercept_), 6)
    ([1.666667, 0.666667], 0.333333)
    """

    def __init__(self, *, fit_intercept: bool = True, copy_X: bool = True, output_type: str | None = None) -> None:
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.output_type = output_type

    def _solve(self, xp: Any, X: Any, y: Any, w: Any) -> Any:
        Xw, yw = _weighted(xp, X, y, w)
        coef, _, rank, singular = xp.linalg.lstsq(Xw, yw, rcond=None)
        self.rank_, self.singular_ = rank, singular
        return coef.T


class Ridge(LinearModel, RegressorMixin, BaseEstimator):
    """Least squares with an L2 penalty ``alpha * ||w||^2``, as ``sklearn.linear_model.Ridge``.

    Closed form: ``(X^T X + alpha I) w = X^T y`` by Cholesky when there are more
    rows than features, its dual ``w = X^T (X X^T + alpha I)^-1 y`` otherwise, or
    through the SVD of X (``solver="svd"``). ``alpha`` may hold one value per target.

    Parameters
    ----------
    alpha : float or array
    fit_intercept : bool
    copy_X : bool
        X is never modified.
    solver : {"auto", "cholesky", "svd"}
        Both are exact; the iterative solvers of scikit-learn are not offered.
    output_type : str, optional

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.ml.Ridge(alpha=1.0).fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0])
    >>> round(float(m.coef_[0]), 6)
    0.666667
    """

    _SOLVERS = ("auto", "cholesky", "svd")

    def __init__(self, alpha: Any = 1.0, *, fit_intercept: bool = True, copy_X: bool = True,
                 solver: str = "auto", output_type: str | None = None) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.solver = solver
        self.output_type = output_type

    def _check_params(self) -> None:
        if self.solver not in self._SOLVERS:
            raise NotImplementedError(
                f"Ridge: solver={self.solver!r} is not supported; use one of {list(self._SOLVERS)} "
                f"(both exact: the iterative solvers would give the same coefficients)"
            )

    def _solve(self, xp: Any, X: Any, y: Any, w: Any) -> Any:
        import numpy as np

        alpha = np.asarray(self.alpha, dtype=np.float64)
        if (alpha < 0).any():
            raise ValueError(f"Ridge: alpha={self.alpha!r} must be >= 0")
        Xw, yw = _weighted(xp, X, y, w)
        y2 = yw[:, None] if yw.ndim == 1 else yw
        n, p = Xw.shape
        alphas = [float(a) for a in np.broadcast_to(alpha.reshape(-1), (y2.shape[1],))]
        if alpha.size not in (1, y2.shape[1]):
            raise ValueError(f"Ridge: alpha has {alpha.size} values for {y2.shape[1]} targets; give one or one per target")
        coefs = []
        if self.solver == "svd":
            u, s, vt = xp.linalg.svd(Xw, full_matrices=False)
            uty = u.T @ y2
            for j, a in enumerate(alphas):
                coefs.append(vt.T @ (s / (s * s + a) * uty[:, j]))
        elif n >= p:
            gram, xty = Xw.T @ Xw, Xw.T @ y2
            eye = xp.eye(p, dtype=Xw.dtype)
            for j, a in enumerate(alphas):
                coefs.append(xp.linalg.solve(gram + a * eye, xty[:, j]))
        else:
            kernel = Xw @ Xw.T
            eye = xp.eye(n, dtype=Xw.dtype)
            for j, a in enumerate(alphas):
                coefs.append(Xw.T @ xp.linalg.solve(kernel + a * eye, y2[:, j]))
        coef = xp.stack(coefs)
        return coef[0] if yw.ndim == 1 else coef
