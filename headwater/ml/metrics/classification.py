"""Classification metrics from one confusion matrix: accuracy, precision, recall, F-beta.

Labels of any kind (numbers on the device, text on the host) are mapped to ids in
their sorted union; the confusion matrix is one ``bincount`` of
``true_id * n_labels + pred_id``; every score is arithmetic on its diagonal and
margins. Results follow scikit-learn, ``zero_division`` included.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from headwater.ml.metrics.inputs import as_arrays, check_same_length, encode_pair, to_float
from headwater.tensor.transfer import to_host

__all__ = [
    "UndefinedMetricWarning", "accuracy_score", "confusion_matrix", "precision_recall_fscore_support",
    "precision_score", "recall_score", "f1_score", "fbeta_score",
]

_WHICH = {"Precision": "predicted", "Recall": "true", "F-score": "true nor predicted"}
_AVERAGES = (None, "binary", "micro", "macro", "weighted")


class UndefinedMetricWarning(UserWarning):
    """A score divided by zero (no predicted or no true sample of a class): see ``zero_division``."""


def _weights(backend: Any, sample_weight: Any, n: int) -> Any:
    if sample_weight is None:
        return None
    return sample_weight.astype(backend.xp.float64)


def accuracy_score(y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None) -> float:
    """Fraction (or number, with ``normalize=False``) of rows predicted exactly.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.accuracy_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    backend, (t, p, w) = as_arrays(y_true, y_pred, sample_weight, who="accuracy_score")
    check_same_length("accuracy_score", y_true=t, y_pred=p, sample_weight=w)
    xp = backend.xp
    if t.dtype.kind in "OUS" or p.dtype.kind in "OUS":
        t, p = t.astype(str), p.astype(str)
    hit = (t == p).astype(xp.float64)
    if w is not None:
        w = w.astype(xp.float64)
        total = (hit * w).sum()
        return to_float(total / w.sum()) if normalize else to_float(total)
    return to_float(hit.mean()) if normalize else to_float(hit.sum())


def _confusion(backend: Any, t: Any, p: Any, labels: Any, w: Any) -> tuple[Any, Any]:
    xp = backend.xp
    ti, pi, labels = encode_pair(backend, t, p, labels)
    k = len(labels)
    keep = (ti >= 0) & (pi >= 0)
    slot = xp.where(keep, ti * k + pi, k * k)
    weights = None if w is None else xp.where(keep, w.astype(xp.float64), 0.0)
    counts = xp.bincount(slot, weights=weights, minlength=k * k + 1)[: k * k]
    return counts.reshape(k, k), labels


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None, sample_weight: Any = None,
                     normalize: str | None = None) -> Any:
    """``C[i, j]``: rows of true class ``i`` predicted as class ``j`` (labels sorted).

    ``normalize`` is ``"true"`` (rows sum to 1), ``"pred"`` (columns) or ``"all"``.
    The matrix is an array of the inputs' device (NumPy for host inputs).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.confusion_matrix(["a", "b", "b"], ["a", "a", "b"]).tolist()
    [[1, 0], [1, 1]]
    """
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"confusion_matrix: normalize={normalize!r} must be one of 'true', 'pred', 'all', None")
    backend, (t, p, w) = as_arrays(y_true, y_pred, sample_weight, who="confusion_matrix")
    check_same_length("confusion_matrix", y_true=t, y_pred=p, sample_weight=w)
    cm, _ = _confusion(backend, t, p, labels, w)
    xp = backend.xp
    if w is None and normalize is None:
        return cm.astype(xp.int64)
    if normalize is None:
        return cm
    cm = cm.astype(xp.float64)
    with np.errstate(all="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        else:
            cm = cm / cm.sum()
    return xp.where(xp.isnan(cm), 0.0, cm)


def _divide(num: np.ndarray, den: np.ndarray, zero_division: Any, what: str) -> np.ndarray:
    bad = den == 0
    out = num / np.where(bad, 1, den)
    if bad.any():
        if isinstance(zero_division, str) and zero_division == "warn":
            warnings.warn(f"{what} is ill-defined and being set to 0.0 in labels with no "
                          f"{_WHICH[what]} samples. "
                          f"Use `zero_division` parameter to control this behavior.",
                          UndefinedMetricWarning, stacklevel=4)
            fill = 0.0
        else:
            fill = float(zero_division)
        out = np.where(bad, fill, out)
    return out


def precision_recall_fscore_support(
    y_true: Any, y_pred: Any, *, beta: float = 1.0, labels: Any = None, pos_label: Any = 1,
    average: str | None = None, warn_for: tuple = ("precision", "recall", "f-score"),
    sample_weight: Any = None, zero_division: Any = "warn",
) -> tuple[Any, Any, Any, Any]:
    """Precision, recall, F-beta and support, per class or averaged.

    ``average`` is None (per class, in sorted label order), ``"binary"`` (the
    class ``pos_label``), ``"micro"``, ``"macro"`` or ``"weighted"``; averaged
    results have a support of None, as scikit-learn. Per-class results are host
    NumPy arrays (one read of the confusion matrix's margins).

    Examples
    --------
    >>> import headwater as hw
    >>> p, r, f, s = hw.ml.metrics.precision_recall_fscore_support([0, 1, 1], [0, 1, 0])
    >>> p.tolist(), r.tolist(), s.tolist()
    ([0.5, 1.0], [1.0, 0.5], [1, 2])
    """
    if average not in _AVERAGES:
        raise ValueError(f"average={average!r} must be one of {list(_AVERAGES)}; 'samples' needs multilabel "
                         f"targets, which hw.ml.metrics does not take")
    if beta < 0:
        raise ValueError(f"beta should be >=0 in the F-beta score, got {beta}")
    backend, (t, p, w) = as_arrays(y_true, y_pred, sample_weight, who="precision_recall_fscore_support")
    check_same_length("precision_recall_fscore_support", y_true=t, y_pred=p, sample_weight=w)
    cm, found = _confusion(backend, t, p, labels, w)
    host_cm = to_host(cm).astype(np.float64)
    found_host = found if isinstance(found, np.ndarray) else to_host(found)
    if average == "binary":
        present = to_host(backend.xp.unique(backend.xp.concatenate([t, p]))) if labels is None else found_host
        if len(present) > 2:
            raise ValueError(f"Target is multiclass but average='binary'; choose another average setting, "
                             f"one of {[a for a in _AVERAGES if a not in (None, 'binary')]}")
        pos = np.flatnonzero(found_host.astype(str) == str(pos_label)) if found_host.dtype.kind in "OUS" \
            else np.flatnonzero(found_host == pos_label)
        if len(pos) == 0:
            if len(present) <= 1:
                pos_rows = np.zeros(0, dtype=np.int64)
            else:
                raise ValueError(f"pos_label={pos_label!r} is not a valid label; it should be one of "
                                 f"{found_host.tolist()}")
        else:
            pos_rows = pos
    tp = np.diag(host_cm)
    pred = host_cm.sum(axis=0)
    true = host_cm.sum(axis=1)
    if average == "binary":
        tp, pred, true = tp[pos_rows], pred[pos_rows], true[pos_rows]
        if len(pos_rows) == 0:
            tp = pred = true = np.zeros(1)
    if average == "micro":
        tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)
    precision = _divide(tp, pred, zero_division, "Precision") if "precision" in warn_for \
        else _divide(tp, pred, 0.0 if zero_division == "warn" else zero_division, "Precision")
    recall = _divide(tp, true, zero_division, "Recall") if "recall" in warn_for \
        else _divide(tp, true, 0.0 if zero_division == "warn" else zero_division, "Recall")
    b2 = beta * beta
    if np.isposinf(beta):
        f = recall
    else:  # from the counts, as scikit-learn: (1 + b2) tp / (b2 (tp + fn) + (tp + fp))
        quiet = 0.0 if isinstance(zero_division, str) and "f-score" not in warn_for else zero_division
        f = _divide((1 + b2) * tp, b2 * true + pred, quiet, "F-score")
    support = true
    if average is None:
        return precision, recall, f, support.astype(np.int64) if w is None else support
    if average == "weighted":
        total = support.sum()
        if total == 0:
            return 0.0, 0.0, 0.0, None
        avg = [float((m * support).sum() / total) for m in (precision, recall, f)]
    else:
        avg = [float(m.mean()) for m in (precision, recall, f)]
    return avg[0], avg[1], avg[2], None


def fbeta_score(y_true: Any, y_pred: Any, *, beta: float, labels: Any = None, pos_label: Any = 1,
                average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn") -> Any:
    """The F-beta score (recall weighted ``beta`` times as much as precision).

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.ml.metrics.fbeta_score([0, 1, 1], [0, 1, 0], beta=2.0), 4)
    0.5556
    """
    return precision_recall_fscore_support(y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label,
                                           average=average, warn_for=("f-score",), sample_weight=sample_weight,
                                           zero_division=zero_division)[2]


def f1_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1, average: str | None = "binary",
             sample_weight: Any = None, zero_division: Any = "warn") -> Any:
    """The F1 score, the harmonic mean of precision and recall.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.ml.metrics.f1_score([0, 1, 1], [0, 1, 0]), 4)
    0.6667
    """
    return fbeta_score(y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label, average=average,
                       sample_weight=sample_weight, zero_division=zero_division)


def precision_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
                    average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn") -> Any:
    """Precision ``tp / (tp + fp)``: of the rows predicted as a class, the share that are.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.precision_score([0, 1, 1], [1, 1, 1])
    0.6666666666666666
    """
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
                                           warn_for=("precision",), sample_weight=sample_weight,
                                           zero_division=zero_division)[0]


def recall_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
                 average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn") -> Any:
    """Recall ``tp / (tp + fn)``: of the rows of a class, the share predicted as it.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.recall_score([0, 1, 1], [0, 1, 0])
    0.5
    """
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
                                           warn_for=("recall",), sample_weight=sample_weight,
                                           zero_division=zero_division)[1]
