"""``hw.ml.metrics``: scikit-learn's metrics on device arrays, frames and Tensors."""

from headwater.ml.metrics.classification import (
    UndefinedMetricWarning,
    accuracy_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from headwater.ml.metrics.cluster import adjusted_rand_score, silhouette_samples, silhouette_score
from headwater.ml.metrics.ranking import log_loss, roc_auc_score, roc_curve
from headwater.ml.metrics.regression import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from headwater.ml.metrics.report import classification_report
from headwater.ml.metrics.scorer import check_scoring, get_scorer, get_scorer_names

__all__ = [
    "UndefinedMetricWarning", "accuracy_score", "adjusted_rand_score", "check_scoring", "classification_report",
    "confusion_matrix", "f1_score", "fbeta_score", "get_scorer", "get_scorer_names", "log_loss",
    "mean_absolute_error", "mean_squared_error", "precision_recall_fscore_support", "precision_score",
    "r2_score", "recall_score", "roc_auc_score", "roc_curve", "root_mean_squared_error", "silhouette_samples",
    "silhouette_score",
]
