"""Logistic regression, binary and multinomial, with an L2 penalty, on the device.

The objective is scikit-learn's, divided by the total sample weight ``S``::

    1/S sum_i s_i loss_i + 1 / (2 C S) ||W||^2        (intercepts not penalised)

with the log-loss of a sigmoid for two classes and of a softmax for more. It is
minimised by L-BFGS (``solver="lbfgs"``) or by Newton steps with the exact
Hessian (``solver="newton-cholesky"``); both stop when the largest gradient entry
is at most ``tol``, reading that scalar once per iteration (see
:mod:`headwater.ml.optimize`).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from headwater.ml.base import BaseEstimator, check_is_fitted
from headwater.ml.coordinate_descent import ConvergenceWarning
from headwater.ml.linear_base import check_sample_weight
from headwater.ml.mixins import ClassifierMixin
from headwater.ml.optimize import lbfgs, newton
from headwater.ml.output import wrap
from headwater.ml.targets import decode, encode_classes, resolve_y
from headwater.ml.validation import check_X, on_device
from headwater.tensor.devices import backend_of

__all__ = ["LogisticRegression"]

_SOLVERS = ("lbfgs", "newton-cholesky")


def _softplus(xp: Any, z: Any) -> Any:
    return xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z)))


def _sigmoid(xp: Any, z: Any) -> Any:
    ez = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1 / (1 + ez), ez / (1 + ez))


def _softmax(xp: Any, z: Any) -> Any:
    e = xp.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class _Problem:
    """The penalised log-loss of one fit: ``value_and_grad`` and ``hessian`` of flat ``theta``."""

    def __init__(self, xp: Any, X: Any, ids: Any, n_classes: int, sw: Any, lam: float, fit_intercept: bool) -> None:
        self.xp, self.X, self.lam, self.fit_intercept = xp, X, lam, fit_intercept
        self.n, self.p = X.shape
        self.k = 1 if n_classes == 2 else n_classes
        self.sw = sw / sw.sum()
        if self.k == 1:
            self.y = ids.astype(X.dtype)
        else:
            self.y = (ids[:, None] == xp.arange(self.k)[None, :]).astype(X.dtype)
        self.width = self.p + (1 if fit_intercept else 0)

    def split(self, theta: Any) -> tuple[Any, Any]:
        W = theta.reshape(self.k, self.width)
        return W[:, : self.p], (W[:, self.p] if self.fit_intercept else None)

    def scores(self, theta: Any) -> Any:
        W, b = self.split(theta)
        z = self.X @ W.T
        return z if b is None else z + b

    def value_and_grad(self, theta: Any) -> tuple[Any, Any]:
        xp = self.xp
        W, _ = self.split(theta)
        z = self.scores(theta)
        if self.k == 1:
            z = z[:, 0]
            loss = (self.sw * (_softplus(xp, z) - self.y * z)).sum(dtype=xp.float64)
            resid = (_sigmoid(xp, z) - self.y) * self.sw
            resid = resid[:, None]
        else:
            top = z.max(axis=1, keepdims=True)
            lse = top[:, 0] + xp.log(xp.exp(z - top).sum(axis=1))
            loss = (self.sw * (lse - (z * self.y).sum(axis=1))).sum(dtype=xp.float64)
            resid = (_softmax(xp, z) - self.y) * self.sw[:, None]
        grad_w = (self.X.T @ resid).T + self.lam * W
        loss = loss + 0.5 * self.lam * (W * W).sum(dtype=xp.float64)
        if self.fit_intercept:
            grad = xp.concatenate([grad_w, resid.sum(axis=0)[:, None]], axis=1)
        else:
            grad = grad_w
        return loss, grad.reshape(-1)

    def hessian(self, theta: Any) -> Any:
        xp = self.xp
        Xa = xp.concatenate([self.X, xp.ones((self.n, 1), dtype=self.X.dtype)], axis=1) \
            if self.fit_intercept else self.X
        z = self.scores(theta)
        reg = xp.full(self.width, self.lam, dtype=self.X.dtype)
        if self.fit_intercept:
            reg[-1] = 0.0
        if self.k == 1:
            s = _sigmoid(xp, z[:, 0])
            h = Xa.T @ (Xa * (self.sw * s * (1 - s))[:, None])
            return h + xp.diag(reg)
        P = _softmax(xp, z)
        d = self.width
        h = xp.zeros((self.k * d, self.k * d), dtype=self.X.dtype)
        for a in range(self.k):
            for c in range(a, self.k):
                weight = self.sw * P[:, a] * ((1.0 if a == c else 0.0) - P[:, c])
                block = Xa.T @ (Xa * weight[:, None])
                h[a * d:(a + 1) * d, c * d:(c + 1) * d] = block
                if c != a:
                    h[c * d:(c + 1) * d, a * d:(a + 1) * d] = block.T
        return h + xp.diag(xp.concatenate([reg] * self.k))


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression (sigmoid for two classes, softmax for more), as scikit-learn's.

    Parameters
    ----------
    penalty : {"l2", None}
    tol : float
        Stop when the largest entry of the gradient is at most ``tol``.
    C : float
        Inverse of the penalty's strength.
    fit_intercept : bool
    class_weight : dict, "balanced" or None
        Weights of the classes, multiplied into ``sample_weight``.
    solver : {"lbfgs", "newton-cholesky"}
    max_iter : int
    warm_start : bool
        Start from the previous ``coef_`` and ``intercept_``.
    output_type : str, optional

    Attributes
    ----------
    classes_, coef_ ``(1, p)`` or ``(n_classes, p)``, intercept_, n_iter_, n_features_in_

    Examples
    --------
    >>> import headwater as hw
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], ["no", "no", "yes", "yes"]
    >>> m = hw.ml.LogisticRegression().fit(X, y)
    >>> m.predict([[0.2], [2.8]]).tolist(), m.classes_.tolist()
    (['no', 'yes'], ['no', 'yes'])
    """

    def __init__(self, penalty: str | None = "l2", *, tol: float = 1e-4, C: float = 1.0, fit_intercept: bool = True,
                 class_weight: Any = None, solver: str = "lbfgs", max_iter: int = 100, warm_start: bool = False,
                 output_type: str | None = None) -> None:
        self.penalty = penalty
        self.tol = tol
        self.C = C
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.solver = solver
        self.max_iter = max_iter
        self.warm_start = warm_start
        self.output_type = output_type

    def _check_params(self) -> None:
        if self.penalty not in ("l2", None):
            raise NotImplementedError(f"LogisticRegression: penalty={self.penalty!r} is not supported; use 'l2' "
                                      f"or None (for an L1 penalty on a linear model see hw.ml.Lasso)")
        if self.solver not in _SOLVERS:
            raise NotImplementedError(f"LogisticRegression: solver={self.solver!r} is not supported; use one of "
                                      f"{list(_SOLVERS)}")
        if not float(self.C) > 0:
            raise ValueError(f"LogisticRegression: C={self.C!r} must be > 0")
        if int(self.max_iter) < 1:
            raise ValueError(f"LogisticRegression: max_iter={self.max_iter!r} must be >= 1")

    def _class_weights(self, xp: Any, ids: Any, sw: Any, backend: Any) -> Any:
        cw = self.class_weight
        if cw is None:
            return sw
        n_classes = len(self.classes_)
        if cw == "balanced":
            counts = xp.bincount(ids, minlength=n_classes).astype(sw.dtype)
            per = len(ids) / (n_classes * xp.maximum(counts, 1))
        elif isinstance(cw, dict):
            host = [float(cw.get(c, 1.0)) for c in np.asarray(backend.to_host(self.classes_)
                                                                if not isinstance(self.classes_, np.ndarray)
                                                                else self.classes_).tolist()]
            per = on_device(backend, np.asarray(host, dtype=sw.dtype))
        else:
            raise ValueError(f"LogisticRegression: class_weight={cw!r} must be None, 'balanced' or a dict")
        return sw * per[ids]

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, *, features: Any = None) -> LogisticRegression:
        """Fit on X and the class labels y (``y`` may name a column of a frame X).

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.ml.LogisticRegression(C=10.0).fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
        >>> m.coef_.shape, m.intercept_.shape
        ((1, 1), (1,))
        """
        self._check_params()
        y, exclude = resolve_y(X, y)
        inp = check_X(self, X, "fit", features=features, exclude=exclude)
        ids = encode_classes(self, y, inp)
        xp = inp.backend.xp
        Xa = inp.array
        sw = check_sample_weight(self, sample_weight, inp)
        sw = xp.ones(Xa.shape[0], dtype=Xa.dtype) if sw is None else sw
        sw = self._class_weights(xp, ids, sw, inp.backend)
        total = float(inp.backend.to_host(sw.sum()))
        lam = 0.0 if self.penalty is None else 1.0 / (float(self.C) * total)
        prob = _Problem(xp, Xa, ids, len(self.classes_), sw, lam, bool(self.fit_intercept))
        theta0 = xp.zeros(prob.k * prob.width, dtype=Xa.dtype)
        if self.warm_start and getattr(self, "coef_", None) is not None and self.coef_.shape == (prob.k, prob.p):
            start = [self.coef_] + ([self.intercept_[:, None]] if self.fit_intercept else [])
            theta0 = xp.concatenate(start, axis=1).reshape(-1).astype(Xa.dtype)
        if self.solver == "lbfgs":
            theta, n_iter, ok = lbfgs(prob.value_and_grad, theta0, xp=xp, tol=float(self.tol),
                                      max_iter=int(self.max_iter))
        else:
            theta, n_iter, ok = newton(prob.value_and_grad, prob.hessian, theta0, xp=xp, tol=float(self.tol),
                                       max_iter=int(self.max_iter))
        if not ok and n_iter >= int(self.max_iter):
            warnings.warn(f"LogisticRegression: {self.solver} failed to converge after {n_iter} iteration(s); "
                          f"increase max_iter or scale the data (hw.ml.StandardScaler)", ConvergenceWarning,
                          stacklevel=2)
        W, b = prob.split(theta)
        self.coef_ = W.copy()
        self.intercept_ = b.copy() if b is not None else xp.zeros(prob.k, dtype=Xa.dtype)
        self.n_iter_ = np.asarray([n_iter], dtype=np.int32)
        return self

    def _decision(self, X: Any) -> tuple[Any, Any]:
        check_is_fitted(self, "decision_function")
        inp = check_X(self, X, "predict")
        z = inp.array @ self.coef_.T + self.intercept_
        return (z[:, 0] if z.shape[1] == 1 else z), inp

    def decision_function(self, X: Any) -> Any:
        """Scores ``X @ coef_.T + intercept_``: ``(n,)`` for two classes, ``(n, n_classes)`` otherwise.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.ml.LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
        >>> m.decision_function([[1.5]]).round(6).tolist()
        [0.0]
        """
        z, _ = self._decision(X)
        return wrap(self, z, X)

    def _predict_proba_array(self, X: Any) -> Any:
        z, inp = self._decision(X)
        xp = inp.backend.xp
        if z.ndim == 1:
            p1 = _sigmoid(xp, z)
            return xp.stack([1 - p1, p1], axis=1)
        return _softmax(xp, z)

    def predict_proba(self, X: Any) -> Any:
        """Class probabilities ``(n, n_classes)``, columns in the order of ``classes_``.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.ml.LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
        >>> m.predict_proba([[1.5]]).round(3).tolist()
        [[0.5, 0.5]]
        """
        return wrap(self, self._predict_proba_array(X), X, names=[str(c) for c in _host_classes(self)])

    def predict_log_proba(self, X: Any) -> Any:
        """Logarithm of :meth:`predict_proba`.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.ml.LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
        >>> m.predict_log_proba([[1.5]]).round(3).tolist()
        [[-0.693, -0.693]]
        """
        proba = self._predict_proba_array(X)
        return wrap(self, backend_of(proba).xp.log(proba), X, names=[str(c) for c in _host_classes(self)])

    def _predict_array(self, X: Any) -> Any:
        z, inp = self._decision(X)
        xp = inp.backend.xp
        ids = (z > 0).astype(xp.int64) if z.ndim == 1 else xp.argmax(z, axis=1)
        return decode(self, ids)

    def predict(self, X: Any) -> Any:
        """The most probable class of each row, as labels of ``classes_``.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.ml.LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
        >>> m.predict([[0.0], [3.0]]).tolist()
        [0, 1]
        """
        return wrap(self, self._predict_array(X), X)


def _host_classes(est: Any) -> np.ndarray:
    from headwater.tensor.transfer import to_host

    classes = est.classes_
    return classes if isinstance(classes, np.ndarray) else to_host(classes)
