"""``hw.ml``: classic machine learning on frames, Tensors and arrays, with scikit-learn's API.

Estimators take a ``hw.DataFrame`` (``features=`` or every numeric column; ``y``
may name a column), a Tensor, or an array, compute with ``xp`` on the device the
data lives on, and answer in the type they were given (``output_type``).
"""

from headwater.ml import metrics
from headwater.ml.base import BaseEstimator, check_is_fitted, clone
from headwater.ml.coordinate_descent import ConvergenceWarning, ElasticNet, Lasso
from headwater.ml.errors import InputError, NotFittedError
from headwater.ml.linear import LinearRegression, Ridge
from headwater.ml.logistic import LogisticRegression

__all__ = [
    "BaseEstimator", "ConvergenceWarning", "ElasticNet", "InputError", "Lasso", "LinearRegression",
    "LogisticRegression", "NotFittedError", "Ridge", "check_is_fitted", "clone", "metrics",
]
