"""Scorers by name for ``cross_val_score`` and ``GridSearchCV`` (greater is better).

``scoring=None`` uses the estimator's own ``score``; a string picks one of
:func:`get_scorer_names`; a callable ``scorer(estimator, X, y)`` is used as given.
Errors become negatives (``"neg_mean_squared_error"``), as scikit-learn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.ml.metrics import classification as _cls
from headwater.ml.metrics import ranking as _rank
from headwater.ml.metrics import regression as _reg

__all__ = ["get_scorer", "get_scorer_names", "check_scoring"]


def _labels(est: Any, X: Any) -> Any:
    return est._predict_array(X) if hasattr(est, "_predict_array") else est.predict(X)


def _proba(est: Any, X: Any) -> Any:
    raw = getattr(est, "_predict_proba_array", None)
    return raw(X) if raw is not None else est.predict_proba(X)


def _prediction(metric: Callable[..., float], sign: float = 1.0, **kw: Any) -> Callable[..., float]:
    def scorer(est: Any, X: Any, y: Any) -> float:
        return sign * metric(y, _labels(est, X), **kw)
    return scorer


def _probability(metric: Callable[..., float], sign: float = 1.0, **kw: Any) -> Callable[..., float]:
    def scorer(est: Any, X: Any, y: Any) -> float:
        proba = _proba(est, X)
        return sign * metric(y, proba, labels=est.classes_, **kw)
    return scorer


def _auc(est: Any, X: Any, y: Any) -> float:
    proba = _proba(est, X)
    if proba.shape[1] == 2:
        return _rank.roc_auc_score(y, proba[:, 1])
    return _rank.roc_auc_score(y, proba, multi_class="ovr", labels=est.classes_)


_SCORERS: dict[str, Callable[..., float]] = {
    "accuracy": _prediction(_cls.accuracy_score),
    "f1": _prediction(_cls.f1_score),
    "f1_macro": _prediction(_cls.f1_score, average="macro"),
    "f1_weighted": _prediction(_cls.f1_score, average="weighted"),
    "precision": _prediction(_cls.precision_score),
    "recall": _prediction(_cls.recall_score),
    "roc_auc": _auc,
    "neg_log_loss": _probability(_rank.log_loss, -1.0),
    "r2": _prediction(_reg.r2_score),
    "neg_mean_squared_error": _prediction(_reg.mean_squared_error, -1.0),
    "neg_root_mean_squared_error": _prediction(_reg.root_mean_squared_error, -1.0),
    "neg_mean_absolute_error": _prediction(_reg.mean_absolute_error, -1.0),
}


def get_scorer_names() -> list[str]:
    """The scorer names :func:`get_scorer` knows.

    Examples
    --------
    >>> import headwater as hw
    >>> "accuracy" in hw.ml.metrics.get_scorer_names()
    True
    """
    return sorted(_SCORERS)


def get_scorer(scoring: str | Callable[..., float]) -> Callable[..., float]:
    """The scorer ``f(estimator, X, y) -> float`` named ``scoring``.

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.ml.LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    >>> hw.ml.metrics.get_scorer("neg_mean_squared_error")(m, [[2.0]], [2.0])
    -0.0
    """
    if callable(scoring):
        return scoring
    if scoring not in _SCORERS:
        from difflib import get_close_matches

        close = get_close_matches(str(scoring), list(_SCORERS), n=3)
        hint = f"; did you mean {close}?" if close else ""
        raise ValueError(f"{scoring!r} is not a valid scoring value{hint} Valid names: {get_scorer_names()}")
    return _SCORERS[scoring]


def check_scoring(estimator: Any, scoring: Any = None) -> Callable[..., float]:
    """The scorer to use for ``estimator``: ``scoring``, or the estimator's ``score``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.check_scoring(hw.ml.Ridge()).__name__
    'score'
    """
    if scoring is not None:
        return get_scorer(scoring)
    if not hasattr(estimator, "score"):
        raise TypeError(f"If no scoring is specified, the estimator passed should have a 'score' method. "
                        f"The estimator {estimator!r} does not; pass scoring=...")

    def score(est: Any, X: Any, y: Any) -> float:
        return est.score(X, y)
    return score
