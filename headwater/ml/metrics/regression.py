"""Regression metrics: mean squared and absolute error, R^2 (multi-output aware)."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.ml.metrics.inputs import as_arrays, check_same_length, to_float
from headwater.tensor.transfer import to_host

__all__ = ["mean_squared_error", "mean_absolute_error", "root_mean_squared_error", "r2_score"]


def _prepare(y_true: Any, y_pred: Any, sample_weight: Any, who: str) -> tuple[Any, Any, Any, Any]:
    backend, (t, p, w) = as_arrays(y_true, y_pred, sample_weight, who=who)
    check_same_length(who, y_true=t, y_pred=p, sample_weight=w)
    xp = backend.xp
    for name, a in (("y_true", t), ("y_pred", p)):
        if a.dtype.kind not in "biuf":
            raise ValueError(f"{who}: {name} has dtype {a.dtype}; regression metrics need numbers")
    t = t.astype(xp.float64).reshape(len(t), -1)
    p = p.astype(xp.float64).reshape(len(p), -1)
    if t.shape[1] != p.shape[1]:
        raise ValueError(f"{who}: y_true and y_pred have different number of output ({t.shape[1]}!={p.shape[1]})")
    w = None if w is None else w.astype(xp.float64)
    return xp, t, p, w


def _average(xp: Any, values: Any, multioutput: Any, who: str) -> Any:
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return values
        if multioutput != "uniform_average":
            raise ValueError(f"{who}: multioutput={multioutput!r} must be 'raw_values', 'uniform_average' "
                             f"or an array of weights")
        return to_float(values.mean())
    weights = np.asarray(multioutput, dtype=np.float64)
    return float((to_host(values) * weights).sum() / weights.sum())


def _mean(xp: Any, values: Any, w: Any) -> Any:
    if w is None:
        return values.mean(axis=0)
    return (values * w[:, None]).sum(axis=0) / w.sum()


def mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                       multioutput: Any = "uniform_average") -> Any:
    """Mean of ``(y_true - y_pred) ** 2``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.mean_squared_error([3.0, 0.5, 2.0], [2.5, 0.0, 2.0])
    0.16666666666666666
    """
    xp, t, p, w = _prepare(y_true, y_pred, sample_weight, "mean_squared_error")
    return _average(xp, _mean(xp, (t - p) ** 2, w), multioutput, "mean_squared_error")


def root_mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                            multioutput: Any = "uniform_average") -> Any:
    """Square root of the mean squared error (per output, then averaged).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.root_mean_squared_error([0.0, 0.0], [3.0, 4.0]) ** 2
    12.5
    """
    xp, t, p, w = _prepare(y_true, y_pred, sample_weight, "root_mean_squared_error")
    return _average(xp, xp.sqrt(_mean(xp, (t - p) ** 2, w)), multioutput, "root_mean_squared_error")


def mean_absolute_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                        multioutput: Any = "uniform_average") -> Any:
    """Mean of ``|y_true - y_pred|``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.mean_absolute_error([3.0, 0.5, 2.0], [2.5, 0.0, 2.0])
    0.3333333333333333
    """
    xp, t, p, w = _prepare(y_true, y_pred, sample_weight, "mean_absolute_error")
    return _average(xp, _mean(xp, xp.abs(t - p), w), multioutput, "mean_absolute_error")


def r2_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None, multioutput: Any = "uniform_average",
             force_finite: bool = True) -> Any:
    """Coefficient of determination ``1 - SS_res / SS_tot``.

    A constant ``y_true`` gives 1.0 for a perfect prediction and 0.0 otherwise
    (``force_finite=True``, as scikit-learn), NaN / -inf with ``force_finite=False``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.ml.metrics.r2_score([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]), 4)
    0.9486
    """
    xp, t, p, w = _prepare(y_true, y_pred, sample_weight, "r2_score")
    if len(t) < 2:
        import warnings
        warnings.warn("R^2 score is not well-defined with less than two samples.", UserWarning, stacklevel=2)
        return float("nan")
    ww = xp.ones(len(t), dtype=xp.float64) if w is None else w
    res = (ww[:, None] * (t - p) ** 2).sum(axis=0)
    centre = (ww[:, None] * t).sum(axis=0) / ww.sum()
    tot = (ww[:, None] * (t - centre) ** 2).sum(axis=0)
    with np.errstate(all="ignore"):
        score = 1 - res / tot
    if force_finite:
        score = xp.where(tot == 0, xp.where(res == 0, 1.0, 0.0), score)
    return _average(xp, score, multioutput, "r2_score")
