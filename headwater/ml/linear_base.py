"""What the linear models share: centring for the intercept, weights, ``predict``.

With ``fit_intercept`` the columns of X and y are centred on their (weighted)
means, the coefficients are solved without an intercept, and the intercept is
``y_mean - x_mean @ coef``, as scikit-learn does.
"""

from __future__ import annotations

from typing import Any

from headwater.ml.base import check_is_fitted
from headwater.ml.errors import InputError
from headwater.ml.output import wrap
from headwater.ml.targets import regression_target, resolve_y
from headwater.ml.validation import Input, as_vector, check_lengths, check_X

__all__ = ["LinearModel", "centre", "check_sample_weight"]


def check_sample_weight(est: Any, sample_weight: Any, inp: Input, method: str = "fit") -> Any:
    """``sample_weight`` as a float device vector of X's rows (None stays None)."""
    if sample_weight is None:
        return None
    xp = inp.backend.xp
    n = inp.array.shape[0]
    if isinstance(sample_weight, (int, float)):
        return xp.full(n, float(sample_weight), dtype=inp.array.dtype)
    w = as_vector(est, sample_weight, inp.backend, method, "sample_weight")
    check_lengths(est, n, w, method, "sample_weight")
    if w.ndim != 1 or w.dtype.kind not in "biuf":
        raise InputError(f"{type(est).__name__}.{method}: sample_weight must be a 1-d array of numbers, "
                         f"got shape {tuple(w.shape)} and dtype {w.dtype}")
    w = w.astype(inp.array.dtype)
    negative, total = (float(v) for v in inp.backend.to_host(xp.stack([
        xp.count_nonzero(w < 0).astype(xp.float64), w.sum(dtype=xp.float64)])))
    if negative:
        raise InputError(f"{type(est).__name__}.{method}: sample_weight has negative values; weights must be >= 0")
    if total <= 0:
        raise InputError(f"{type(est).__name__}.{method}: sample_weight sums to zero (all weights are 0); give "
                         f"some rows a positive weight")
    return w


def centre(xp: Any, X: Any, y: Any, fit_intercept: bool, w: Any) -> tuple[Any, Any, Any, Any]:
    """``(X - x_mean, y - y_mean, x_mean, y_mean)`` (means weighted by ``w``; zeros without intercept)."""
    if not fit_intercept:
        zx = xp.zeros(X.shape[1], dtype=X.dtype)
        zy = xp.zeros(y.shape[1:], dtype=X.dtype)
        return X, y, zx, zy
    if w is None:
        x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
    else:
        total = w.sum()
        x_mean = (w @ X) / total
        y_mean = (w @ y) / total if y.ndim == 1 else (w[:, None] * y).sum(axis=0) / total
    return X - x_mean, y - y_mean, x_mean, y_mean


class LinearModel:
    """``fit`` plumbing and ``predict`` for models with ``coef_`` and ``intercept_``.

    A subclass implements ``_solve(X, y, w)`` on centred data and returns ``coef``
    (``(n_features,)`` or ``(n_targets, n_features)``).
    """

    _multi_output = True

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, *, features: Any = None) -> Any:
        """Fit the model on X and y (``y`` may name a column of a frame X).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"x": [0.0, 1.0, 2.0], "y": [1.0, 3.0, 5.0]})
        >>> m = hw.ml.LinearRegression().fit(df, "y")
        >>> round(float(m.coef_[0]), 6), round(float(m.intercept_), 6)
        (2.0, 1.0)
        """
        self._check_params()
        y, exclude = resolve_y(X, y)
        inp = check_X(self, X, "fit", features=features, exclude=exclude)
        target = regression_target(self, y, inp, "fit", multi_output=self._multi_output)
        w = check_sample_weight(self, sample_weight, inp)
        xp = inp.backend.xp
        Xc, yc, x_mean, y_mean = centre(xp, inp.array, target, self.fit_intercept, w)
        coef = self._solve(xp, Xc, yc, w)
        self.coef_ = coef
        if self.fit_intercept:
            self.intercept_ = y_mean - (x_mean @ coef.T)
        else:
            self.intercept_ = xp.zeros(target.shape[1:], dtype=inp.array.dtype) if target.ndim == 2 else 0.0
        return self

    def _check_params(self) -> None:
        pass

    def _predict_array(self, X: Any) -> Any:
        check_is_fitted(self, "predict")
        inp = check_X(self, X, "predict")
        return inp.array @ self.coef_.T + self.intercept_

    def predict(self, X: Any) -> Any:
        """Predicted values ``X @ coef_.T + intercept_``, in the type of X.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.ml.Ridge(alpha=0.0).fit([[0.0], [1.0]], [1.0, 3.0])
        >>> m.predict([[2.0]]).round(6).tolist()
        [5.0]
        """
        return wrap(self, self._predict_array(X), X)
