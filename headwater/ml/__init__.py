"""``hw.ml``: classic machine learning on frames, Tensors and arrays, with scikit-learn's API.

Estimators take a ``hw.DataFrame`` (``features=`` or every numeric column; ``y``
may name a column), a Tensor, or an array, compute with ``xp`` on the device the
data lives on, and answer in the type they were given (``output_type``).
"""

from headwater.ml import metrics
from headwater.ml.base import BaseEstimator, check_is_fitted, clone
from headwater.ml.cluster import KMeans, MiniBatchKMeans
from headwater.ml.compose import ColumnTransformer, make_column_transformer
from headwater.ml.coordinate_descent import ConvergenceWarning, ElasticNet, Lasso
from headwater.ml.dbscan import DBSCAN
from headwater.ml.decomposition import PCA, TruncatedSVD
from headwater.ml.encoders import LabelEncoder, OneHotEncoder
from headwater.ml.errors import InputError, NotFittedError
from headwater.ml.impute import SimpleImputer
from headwater.ml.linear import LinearRegression, Ridge
from headwater.ml.logistic import LogisticRegression
from headwater.ml.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    StratifiedKFold,
    cross_val_score,
    train_test_split,
)
from headwater.ml.neighbors import KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors
from headwater.ml.pipeline import Pipeline, make_pipeline
from headwater.ml.scalers import MinMaxScaler, StandardScaler

__all__ = [
    "BaseEstimator", "ColumnTransformer", "ConvergenceWarning", "DBSCAN", "ElasticNet", "GridSearchCV", "InputError",
    "KFold", "KMeans", "KNeighborsClassifier", "KNeighborsRegressor", "LabelEncoder", "Lasso", "LinearRegression",
    "LogisticRegression", "MiniBatchKMeans", "MinMaxScaler", "NearestNeighbors", "NotFittedError", "OneHotEncoder",
    "PCA", "ParameterGrid", "Pipeline", "Ridge", "SimpleImputer", "StandardScaler", "StratifiedKFold",
    "TruncatedSVD", "check_is_fitted", "clone", "cross_val_score", "make_column_transformer", "make_pipeline",
    "metrics", "train_test_split",
]
