"""``cross_val_score``: fit a clone per fold, score it on the held-out rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.ml.base import clone
from headwater.ml.metrics.scorer import check_scoring
from headwater.ml.model_selection.split import KFold, StratifiedKFold, take_rows
from headwater.ml.targets import split_target

__all__ = ["cross_val_score", "check_cv", "fit_and_score"]


def check_cv(cv: Any = None, y: Any = None, *, classifier: bool = False) -> Any:
    """A splitter for ``cv``: an int (or None: 5) gives StratifiedKFold for classifiers, KFold otherwise.

    Examples
    --------
    >>> from headwater.ml.model_selection.validation import check_cv
    >>> check_cv(3, [0, 1, 0], classifier=True)
    StratifiedKFold(n_splits=3, random_state=None, shuffle=False)
    """
    if cv is None:
        cv = 5
    if isinstance(cv, (int, np.integer)):
        return StratifiedKFold(int(cv)) if classifier and y is not None else KFold(int(cv))
    if hasattr(cv, "split"):
        return cv
    if isinstance(cv, (list, tuple)):
        return _Given(list(cv))
    raise ValueError(f"cv={cv!r} must be an int, a splitter with split(X, y), or a list of (train, test) pairs")


class _Given:
    def __init__(self, pairs: list[Any]) -> None:
        self.pairs = pairs

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
        return iter(self.pairs)

    def get_n_splits(self, *args: Any) -> int:
        return len(self.pairs)


def fit_and_score(estimator: Any, X: Any, y: Any, train: Any, test: Any, scorer: Any,
                  params: dict[str, Any] | None = None, train_score: bool = False) -> tuple[float, float | None]:
    """Fit a clone of ``estimator`` (with ``params``) on ``train`` rows; its score on ``test`` (and train)."""
    est = clone(estimator)
    if params:
        est.set_params(**params)
    X_train, X_test = take_rows(X, train), take_rows(X, test)
    if y is None:
        est.fit(X_train)
        return scorer(est, X_test, None), (scorer(est, X_train, None) if train_score else None)
    y_train, y_test = take_rows(y, train), take_rows(y, test)
    est.fit(X_train, y_train)
    return scorer(est, X_test, y_test), (scorer(est, X_train, y_train) if train_score else None)


def cross_val_score(estimator: Any, X: Any, y: Any = None, *, scoring: Any = None, cv: Any = None) -> np.ndarray:
    """The score of ``estimator`` on each fold of ``cv`` (a host NumPy array of floats).

    ``y`` may name a column of a frame X. ``scoring`` is a name of
    :func:`hw.ml.metrics.get_scorer_names`, a callable, or None (the estimator's ``score``).

    Examples
    --------
    >>> import headwater as hw
    >>> X, y = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    >>> hw.ml.cross_val_score(hw.ml.LinearRegression(), X, y, cv=3).round(6).tolist()
    [1.0, 1.0, 1.0]
    """
    X, y = split_target(X, y)
    scorer = check_scoring(estimator, scoring)
    splitter = check_cv(cv, y, classifier=getattr(estimator, "_estimator_type", None) == "classifier")
    scores = [fit_and_score(estimator, X, y, train, test, scorer)[0] for train, test in splitter.split(X, y)]
    return np.asarray(scores, dtype=np.float64)
