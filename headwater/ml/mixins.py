"""The roles an estimator plays: regressor, classifier, transformer, clusterer.

Each mixin adds the methods scikit-learn derives from the role (``score``,
``fit_transform``, ``fit_predict``) and the ``_estimator_type`` the tags report.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RegressorMixin", "ClassifierMixin", "TransformerMixin", "ClusterMixin"]


def _score(est: Any, metric: Any, X: Any, y: Any, sample_weight: Any) -> float:
    """``metric`` of the estimator's predictions for ``X`` against ``y`` (a column name of X, or values)."""
    if isinstance(y, str):
        y = X[y]
    return metric(y, est._predict_array(X), sample_weight=sample_weight)


class RegressorMixin:
    """``score`` is R^2 of ``predict(X)`` against ``y``."""

    _estimator_type = "regressor"

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """R^2 of the predictions for ``X`` against ``y``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0]).score([[3.0], [4.0]], [7.0, 9.0])
        1.0
        """
        from headwater.ml.metrics.regression import r2_score

        return _score(self, r2_score, X, y, sample_weight)


class ClassifierMixin:
    """``score`` is the accuracy of ``predict(X)`` against ``y``."""

    _estimator_type = "classifier"

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy of the predictions for ``X`` against ``y``.

        Examples
        --------
        >>> import headwater as hw
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> hw.ml.KNeighborsClassifier(n_neighbors=1).fit(X, y).score(X, y)
        1.0
        """
        from headwater.ml.metrics.classification import accuracy_score

        return _score(self, accuracy_score, X, y, sample_weight)


class TransformerMixin:
    """``fit_transform`` is ``fit`` then ``transform`` (estimators override it where one pass does both)."""

    _estimator_type = "transformer"

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit to ``X`` and return it transformed.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.MinMaxScaler().fit_transform([[1.0], [3.0]]).tolist()
        [[0.0], [1.0]]
        """
        return self.fit(X, y, **fit_params).transform(X)


class ClusterMixin:
    """``fit_predict`` returns the cluster of each training row (``labels_``)."""

    _estimator_type = "clusterer"
    _requires_y = False

    def fit_predict(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit to ``X`` and return each row's cluster label.

        Examples
        --------
        >>> import headwater as hw
        >>> labels = hw.ml.KMeans(n_clusters=2, random_state=0).fit_predict([[0.0], [0.1], [9.0], [9.1]])
        >>> bool(labels[0] == labels[1]) and bool(labels[0] != labels[2])
        True
        """
        from headwater.ml.output import wrap

        return wrap(self, self.fit(X, y, **fit_params).labels_, X)
