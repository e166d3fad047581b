"""Smooth convex minimisation on the device: L-BFGS and damped Newton.

Both work on a flat parameter vector ``theta`` (an ``xp`` array) and a callable
that returns the objective (a 0-d device array) and its gradient. The iterates,
gradients and curvature pairs stay on the device; each iteration reads back two
or three scalars (the objective for the Armijo line search and the gradient's
largest entry for the stopping test ``max|g| <= tol``, scikit-learn's ``gtol``):
the documented convergence checks of ``fit``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.tensor.transfer import to_host

__all__ = ["lbfgs", "newton"]

_ARMIJO = 1e-4


def _read(xp: Any, *scalars: Any) -> list[float]:
    """Several device scalars in one host read."""
    return [float(v) for v in to_host(xp.stack([xp.asarray(v) for v in scalars]))]


def _line_search(fun: Callable[[Any], tuple[Any, Any]], theta: Any, f: float, g: Any, d: Any, step: float,
                 xp: Any) -> tuple[Any, float, Any, float]:
    slope = float(to_host(g @ d))
    if slope >= 0:  # not a descent direction: fall back to steepest descent
        d = -g
        slope = float(to_host(g @ d))
    for _ in range(50):
        trial = theta + step * d
        f_new, g_new = fun(trial)
        f_trial = float(to_host(f_new))
        if f_trial <= f + _ARMIJO * step * slope:
            return trial, f_trial, g_new, step
        step *= 0.5
    return theta, f, g, 0.0


def lbfgs(fun: Callable[[Any], tuple[Any, Any]], theta: Any, *, xp: Any, tol: float, max_iter: int,
          memory: int = 10) -> tuple[Any, int, bool]:
    """Minimise ``fun`` from ``theta`` by L-BFGS; returns ``(theta, n_iter, converged)``.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.ml.optimize import lbfgs
    >>> fun = lambda t: (((t - 3.0) ** 2).sum(), 2.0 * (t - 3.0))
    >>> theta, n_iter, ok = lbfgs(fun, np.zeros(2), xp=np, tol=1e-8, max_iter=50)
    >>> theta.round(6).tolist(), ok
    ([3.0, 3.0], True)
    """
    f_dev, g = fun(theta)
    f, gmax = _read(xp, f_dev, xp.max(xp.abs(g)))
    pairs: list[tuple[Any, Any, Any]] = []
    for it in range(1, max_iter + 1):
        if gmax <= tol:
            return theta, it - 1, True
        q = -g
        alphas = []
        for s, y, rho in reversed(pairs):
            a = rho * (s @ q)
            alphas.append(a)
            q = q - a * y
        if pairs:
            s, y, _ = pairs[-1]
            q = q * ((s @ y) / (y @ y))
        for (s, y, rho), a in zip(pairs, reversed(alphas)):
            b = rho * (y @ q)
            q = q + (a - b) * s
        first = 1.0 if pairs else min(1.0, 1.0 / max(gmax, 1e-12))
        new, f_new, g_new, step = _line_search(fun, theta, f, g, q, first, xp)
        if step == 0.0:
            return theta, it, False
        s, y = new - theta, g_new - g
        sy = float(to_host(s @ y))
        if sy > 1e-12:
            pairs.append((s, y, 1.0 / sy))
            if len(pairs) > memory:
                pairs.pop(0)
        decrease = f - f_new
        theta, g, f = new, g_new, f_new
        gmax = float(to_host(xp.max(xp.abs(g))))
        if decrease <= 64 * 2.2e-16 * max(abs(f), abs(f_new), 1.0) and gmax > tol:
            return theta, it, gmax <= tol
    return theta, max_iter, gmax <= tol


def newton(fun: Callable[[Any], tuple[Any, Any]], hess: Callable[[Any], Any], theta: Any, *, xp: Any,
           tol: float, max_iter: int) -> tuple[Any, int, bool]:
    """Minimise ``fun`` by Newton steps (``hess(theta)`` a dense matrix) with a backtracking line search.

    The system is solved with a tiny ridge (``1e-10`` of the diagonal's mean), so a
    direction the objective is flat along (the common shift of softmax intercepts)
    gets no step instead of a singular matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.ml.optimize import newton
    >>> fun = lambda t: (((t - 3.0) ** 2).sum(), 2.0 * (t - 3.0))
    >>> theta, n_iter, ok = newton(fun, lambda t: 2.0 * np.eye(2), np.zeros(2), xp=np, tol=1e-8, max_iter=10)
    >>> theta.round(6).tolist(), n_iter
    ([3.0, 3.0], 1)
    """
    f_dev, g = fun(theta)
    f, gmax = _read(xp, f_dev, xp.max(xp.abs(g)))
    for it in range(1, max_iter + 1):
        if gmax <= tol:
            return theta, it - 1, True
        h = hess(theta)
        ridge = 1e-10 * xp.trace(h) / h.shape[0] + 1e-12
        d = xp.linalg.solve(h + ridge * xp.eye(h.shape[0], dtype=h.dtype), -g)
        new, f_new, g_new, step = _line_search(fun, theta, f, g, d, 1.0, xp)
        if step == 0.0:
            return theta, it, False
        theta, g, f = new, g_new, f_new
        gmax = float(to_host(xp.max(xp.abs(g))))
    return theta, max_iter, gmax <= tol
