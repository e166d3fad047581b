"""Splitting, cross-validation and grid search, as ``sklearn.model_selection``."""

from headwater.ml.model_selection.search import GridSearchCV, ParameterGrid
from headwater.ml.model_selection.split import KFold, StratifiedKFold, train_test_split
from headwater.ml.model_selection.validation import cross_val_score

__all__ = ["GridSearchCV", "KFold", "ParameterGrid", "StratifiedKFold", "cross_val_score", "train_test_split"]
