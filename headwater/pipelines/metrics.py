"""Evaluation metrics, computed on the host from the predictions of one split.

These run once per epoch on the validation predictions (and at the end on every
split), after one counted copy of the predictions to the host, so NumPy is the right
tool. Each metric takes the true labels (class indices, or values for regression) and
the model's outputs (class probabilities, or predicted values).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["compute_metrics", "METRICS", "HIGHER_IS_BETTER", "confusion_matrix", "roc_curve",
           "precision_recall_curve", "calibration_bins"]

HIGHER_IS_BETTER = {"accuracy": True, "precision": True, "recall": True, "f1": True, "roc_auc": True,
                    "r2": True, "log_loss": False, "rmse": False, "mae": False, "loss": False}


def confusion_matrix(y: np.ndarray, pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts of (true class, predicted class) pairs.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.pipelines.metrics import confusion_matrix
    >>> confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), 2).tolist()
    [[1, 0], [1, 1]]
    """
    idx = y.astype(np.int64) * n_classes + pred.astype(np.int64)
    return np.bincount(idx, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def _per_class(y: np.ndarray, proba: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k = proba.shape[1]
    cm = confusion_matrix(y, proba.argmax(axis=1), k)
    tp = np.diag(cm).astype(np.float64)
    return tp, cm.sum(axis=0) - tp, cm.sum(axis=1) - tp


def _binary_or_macro(values: np.ndarray, proba: np.ndarray) -> float:
    # binary tasks report the positive class (as scikit-learn's average="binary");
    # several classes report the unweighted mean over classes (average="macro")
    return float(values[1]) if proba.shape[1] == 2 else float(values.mean())


def _precision(y: np.ndarray, proba: np.ndarray) -> float:
    tp, fp, _ = _per_class(y, proba)
    return _binary_or_macro(np.divide(tp, tp + fp, out=np.zeros_like(tp), where=(tp + fp) > 0), proba)


def _recall(y: np.ndarray, proba: np.ndarray) -> float:
    tp, _, fn = _per_class(y, proba)
    return _binary_or_macro(np.divide(tp, tp + fn, out=np.zeros_like(tp), where=(tp + fn) > 0), proba)


def _f1(y: np.ndarray, proba: np.ndarray) -> float:
    tp, fp, fn = _per_class(y, proba)
    denom = 2 * tp + fp + fn
    return _binary_or_macro(np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0), proba)


def _auc_binary(y: np.ndarray, score: np.ndarray) -> float:
    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(score, kind="stable")
    sorted_scores = score[order]
    ranks = np.empty(len(score), dtype=np.float64)
    # average ranks of tied scores, as the Mann-Whitney statistic needs
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2.0) / (pos * neg))


def _roc_auc(y: np.ndarray, proba: np.ndarray) -> float:
    if proba.shape[1] == 2:
        return _auc_binary(y, proba[:, 1])
    # one-vs-rest, macro average (scikit-learn's multi_class="ovr")
    scores = [_auc_binary((y == k).astype(np.int64), proba[:, k]) for k in range(proba.shape[1])]
    return float(np.nanmean(scores)) if not all(np.isnan(scores)) else float("nan")


def _log_loss(y: np.ndarray, proba: np.ndarray) -> float:
    eps = np.finfo(np.float64).eps
    p = np.clip(proba[np.arange(len(y)), y.astype(np.int64)].astype(np.float64), eps, 1.0)
    return float(-np.log(p).mean())


def _rmse(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.sqrt(np.mean((pred.reshape(-1) - y) ** 2)))


def _mae(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean(np.abs(pred.reshape(-1) - y)))


def _r2(y: np.ndarray, pred: np.ndarray) -> float:
    ss_res = float(np.sum((pred.reshape(-1) - y) ** 2))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else float("nan")


METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "accuracy": lambda y, p: float(np.mean(p.argmax(axis=1) == y)),
    "precision": _precision,
    "recall": _recall,
    "f1": _f1,
    "roc_auc": _roc_auc,
    "log_loss": _log_loss,
    "rmse": _rmse,
    "mae": _mae,
    "r2": _r2,
}


def compute_metrics(names: list[str], y: np.ndarray, output: np.ndarray) -> dict[str, float]:
    """The named metrics of one split.

    Parameters
    ----------
    names : list of str
        Keys of :data:`METRICS`.
    y : numpy.ndarray
        True class indices (classification, binary) or values (regression).
    output : numpy.ndarray
        Class probabilities of shape (n, classes), or predictions of shape (n,).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.pipelines.metrics import compute_metrics
    >>> proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    >>> compute_metrics(["accuracy", "roc_auc"], np.array([0, 1, 1]), proba)
    {'accuracy': 0.666..., 'roc_auc': 1.0}
    """
    if len(y) == 0:
        return {name: float("nan") for name in names}
    return {name: METRICS[name](y, output) for name in names}


def _ranked(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True and false positives at each distinct threshold, highest score first."""
    order = np.argsort(-score, kind="stable")
    score, y = score[order], y[order].astype(np.float64)
    last = np.r_[np.flatnonzero(np.diff(score)), len(score) - 1]  # the last row of each tie
    tp = np.cumsum(y)[last]
    fp = (last + 1) - tp
    return tp, fp, score[last]


def roc_curve(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False and true positive rates at every threshold, from (0, 0) (as scikit-learn's,
    without dropping collinear points).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.pipelines.metrics import roc_curve
    >>> fpr, tpr, _ = roc_curve(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    tp, fp, thresholds = _ranked(np.asarray(y), np.asarray(score, dtype=np.float64))
    pos, neg = tp[-1] if len(tp) else 0.0, fp[-1] if len(fp) else 0.0
    tpr = np.r_[0.0, tp / pos] if pos else np.r_[0.0, np.zeros_like(tp)]
    fpr = np.r_[0.0, fp / neg] if neg else np.r_[0.0, np.zeros_like(fp)]
    return fpr, tpr, np.r_[np.inf, thresholds]


def precision_recall_curve(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Precision and recall at every threshold (highest first) and the average precision.

    The average precision is scikit-learn's ``average_precision_score``: the sum of
    precisions weighted by each step in recall.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.pipelines.metrics import precision_recall_curve
    >>> p, r, ap = precision_recall_curve(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> round(ap, 4)
    0.8333
    """
    tp, fp, _ = _ranked(np.asarray(y), np.asarray(score, dtype=np.float64))
    pos = tp[-1] if len(tp) else 0.0
    precision = tp / np.maximum(tp + fp, 1)
    recall = tp / pos if pos else np.zeros_like(tp)
    ap = float(np.sum(np.diff(np.r_[0.0, recall]) * precision)) if pos else float("nan")
    return precision, recall, ap


def calibration_bins(y: np.ndarray, prob: np.ndarray, bins: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean predicted probability, observed frequency and row count per probability bin.

    ``y`` is 1 where the event happened. Bins are equal-width on [0, 1]; empty
    bins are left out (as scikit-learn's ``calibration_curve``, strategy="uniform").

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.pipelines.metrics import calibration_bins
    >>> mean, freq, n = calibration_bins(np.array([0, 1, 1, 1]), np.array([0.1, 0.2, 0.9, 0.95]), bins=2)
    >>> mean.round(3).tolist(), freq.tolist(), n.tolist()
    ([0.15, 0.925], [0.5, 1.0], [2, 2])
    """
    prob = np.asarray(prob, dtype=np.float64)
    which = np.searchsorted(np.linspace(0.0, 1.0, bins + 1)[1:-1], prob)  # an edge value goes to the lower bin
    n = np.bincount(which, minlength=bins)
    total = np.bincount(which, weights=prob, minlength=bins)
    hits = np.bincount(which, weights=np.asarray(y, dtype=np.float64), minlength=bins)
    keep = n > 0
    return total[keep] / n[keep], hits[keep] / n[keep], n[keep]
