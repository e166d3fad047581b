"""``GridSearchCV`` (and ``ParameterGrid``): every parameter combination, cross-validated."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from headwater.ml.base import BaseEstimator, check_is_fitted, clone
from headwater.ml.metrics.scorer import check_scoring
from headwater.ml.model_selection.validation import check_cv, fit_and_score
from headwater.ml.targets import split_target

__all__ = ["ParameterGrid", "GridSearchCV"]


class ParameterGrid:
    """The combinations of a dict (or list of dicts) of parameter lists, in sorted-key order.

    Examples
    --------
    >>> import headwater as hw
    >>> list(hw.ml.ParameterGrid({"a": [1, 2], "b": ["x"]}))
    [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'x'}]
    """

    def __init__(self, param_grid: dict[str, Any] | list[dict[str, Any]]) -> None:
        grids = [param_grid] if isinstance(param_grid, dict) else list(param_grid)
        for grid in grids:
            if not isinstance(grid, dict):
                raise TypeError(f"Parameter grid should be a dict or a list of dicts, got {grid!r}")
            for key, values in grid.items():
                if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
                    raise TypeError(f"Parameter grid for parameter {key!r} needs to be a list or a numpy array, "
                                    f"but got {values!r} (of type {type(values).__name__}) instead")
        self.grids = grids

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for grid in self.grids:
            keys = sorted(grid)
            for combo in itertools.product(*(list(grid[k]) for k in keys)):
                yield dict(zip(keys, combo))

    def __len__(self) -> int:
        return sum(int(np.prod([len(list(v)) for v in g.values()])) if g else 1 for g in self.grids)


class GridSearchCV(BaseEstimator):
    """Exhaustive search over ``param_grid``, each candidate scored by cross-validation.

    Parameters
    ----------
    estimator : estimator
    param_grid : dict or list of dicts
    scoring : str, callable or None
    refit : bool
        Refit the best candidate on all rows (``best_estimator_``), so that the
        search predicts like the estimator.
    cv : int, splitter or None
    return_train_score : bool

    Attributes
    ----------
    cv_results_, best_params_, best_score_, best_index_, best_estimator_, n_splits_

    Examples
    --------
    >>> import headwater as hw
    >>> X, y = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], [0.0, 1.1, 1.9, 3.2, 3.9, 5.1]
    >>> gs = hw.ml.GridSearchCV(hw.ml.Ridge(), {"alpha": [0.01, 100.0]}, cv=3).fit(X, y)
    >>> gs.best_params_
    {'alpha': 0.01}
    """

    def __init__(self, estimator: Any, param_grid: Any, *, scoring: Any = None, refit: bool = True, cv: Any = None,
                 return_train_score: bool = False) -> None:
        self.estimator = estimator
        self.param_grid = param_grid
        self.scoring = scoring
        self.refit = refit
        self.cv = cv
        self.return_train_score = return_train_score

    @property
    def _estimator_type(self) -> Any:
        return getattr(self.estimator, "_estimator_type", None)

    def fit(self, X: Any, y: Any = None) -> GridSearchCV:
        """Score every candidate on every fold; refit the best one.

        Examples
        --------
        >>> import headwater as hw
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> gs = hw.ml.GridSearchCV(hw.ml.KNeighborsClassifier(), {"n_neighbors": [1, 2]}, cv=2).fit(X, y)
        >>> len(gs.cv_results_["params"])
        2
        """
        X, y = split_target(X, y)
        scorer = check_scoring(self.estimator, self.scoring)
        splitter = check_cv(self.cv, y, classifier=self._estimator_type == "classifier")
        folds = list(splitter.split(X, y))
        candidates = list(ParameterGrid(self.param_grid))
        test = np.zeros((len(candidates), len(folds)))
        train = np.zeros_like(test)
        for i, params in enumerate(candidates):
            for j, (tr, te) in enumerate(folds):
                test[i, j], tr_score = fit_and_score(self.estimator, X, y, tr, te, scorer, params,
                                                     self.return_train_score)
                if self.return_train_score:
                    train[i, j] = tr_score
        mean = test.mean(axis=1)
        ranks = np.empty(len(candidates), dtype=np.int32)
        order = np.argsort(-mean, kind="stable")
        ranks[order] = np.arange(1, len(candidates) + 1)
        results: dict[str, Any] = {"params": candidates, "mean_test_score": mean, "std_test_score": test.std(axis=1),
                                   "rank_test_score": ranks}
        for j in range(len(folds)):
            results[f"split{j}_test_score"] = test[:, j]
        if self.return_train_score:
            results["mean_train_score"] = train.mean(axis=1)
            results["std_train_score"] = train.std(axis=1)
        for key in sorted({k for c in candidates for k in c}):
            results[f"param_{key}"] = np.ma.masked_array([c.get(key) for c in candidates], dtype=object,
                                                         mask=[key not in c for c in candidates])
        self.cv_results_ = results
        self.best_index_ = int(order[0])
        self.best_params_ = candidates[self.best_index_]
        self.best_score_ = float(mean[self.best_index_])
        self.n_splits_ = len(folds)
        self.scorer_ = scorer
        if self.refit:
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            if y is None:
                self.best_estimator_.fit(X)
            else:
                self.best_estimator_.fit(X, y)
        return self

    def _best(self, method: str) -> Any:
        check_is_fitted(self, method)
        if not self.refit:
            raise AttributeError(f"GridSearchCV.{method} is available only after refitting on the best "
                                 f"parameters; set refit=True")
        return self.best_estimator_

    def predict(self, X: Any) -> Any:
        """``best_estimator_.predict``."""
        return self._best("predict").predict(X)

    def predict_proba(self, X: Any) -> Any:
        """``best_estimator_.predict_proba``."""
        return self._best("predict_proba").predict_proba(X)

    def decision_function(self, X: Any) -> Any:
        """``best_estimator_.decision_function``."""
        return self._best("decision_function").decision_function(X)

    def transform(self, X: Any) -> Any:
        """``best_estimator_.transform``."""
        return self._best("transform").transform(X)

    def score(self, X: Any, y: Any = None) -> float:
        """The search's scorer applied to ``best_estimator_``."""
        return self.scorer_(self._best("score"), X, y)

    @property
    def classes_(self) -> Any:
        return self._best("classes_").classes_
