"""Metrics of scores and probabilities: ``roc_curve``, ``roc_auc_score``, ``log_loss``.

The ROC curve sorts the scores once (descending), takes the cumulative true and
false positives at each distinct score, and, as scikit-learn, drops the points
that lie on a straight segment. The AUC is the trapezoid area under the full
curve; multiclass AUC is one-vs-rest, macro or weighted.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.ml.metrics.inputs import as_arrays, check_same_length, to_float
from headwater.ml.validation import on_device
from headwater.tensor.transfer import to_host

__all__ = ["roc_curve", "roc_auc_score", "log_loss"]


def _labels(backend: Any, labels: Any) -> Any:
    host = np.sort(np.asarray(labels))
    return host if host.dtype.kind in "OUS" else on_device(backend, host)


def _positive(xp: Any, t: Any, pos_label: Any, who: str) -> Any:
    if pos_label is None:
        classes = to_host(xp.unique(t))
        known = {(0, 1), (-1, 1), (0,), (1,), (-1,)}
        if t.dtype.kind in "OUS" or tuple(classes.tolist()) not in known:
            raise ValueError(f"{who}: y_true takes values in {classes.tolist()} and pos_label is not specified: "
                             f"either make y_true take value in {{0, 1}} or {{-1, 1}} or pass pos_label explicitly")
        pos_label = 1
    if t.dtype.kind in "OUS":
        return t.astype(str) == str(pos_label)
    return t == pos_label


def _counts(xp: Any, positive: Any, score: Any, weight: Any) -> tuple[Any, Any, Any]:
    order = xp.argsort(-score)
    s = score[order]
    y = positive[order].astype(xp.float64)
    w = xp.ones_like(y) if weight is None else weight[order].astype(xp.float64)
    last = xp.concatenate([xp.flatnonzero(s[1:] != s[:-1]), xp.full(1, len(s) - 1, dtype=xp.int64)])
    tps = xp.cumsum(y * w)[last]
    fps = xp.cumsum((1 - y) * w)[last]
    return fps, tps, s[last]


def roc_curve(y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None,
              drop_intermediate: bool = True) -> tuple[Any, Any, Any]:
    """False and true positive rates at each decreasing score threshold.

    Returns ``(fpr, tpr, thresholds)``, arrays of the inputs' device; the first
    threshold is ``inf`` (nothing predicted positive), as scikit-learn.

    Examples
    --------
    >>> import headwater as hw
    >>> fpr, tpr, thr = hw.ml.metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    backend, (t, s, w) = as_arrays(y_true, y_score, sample_weight, who="roc_curve")
    check_same_length("roc_curve", y_true=t, y_score=s, sample_weight=w)
    xp = backend.xp
    fps, tps, thresholds = _counts(xp, _positive(xp, t, pos_label, "roc_curve"), s.astype(xp.float64), w)
    if drop_intermediate and len(fps) > 2:
        # keep a point only where the curve bends (second differences of both counts)
        bend = xp.logical_or(xp.diff(fps, 2) != 0, xp.diff(tps, 2) != 0)
        keep = xp.concatenate([xp.ones(1, dtype=bool), bend, xp.ones(1, dtype=bool)])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    zero = xp.zeros(1, dtype=xp.float64)
    fps = xp.concatenate([zero, fps])
    tps = xp.concatenate([zero, tps])
    thresholds = xp.concatenate([xp.full(1, xp.inf), thresholds])
    with np.errstate(all="ignore"):
        fpr = fps / fps[-1]
        tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def _binary_auc(xp: Any, positive: Any, score: Any, weight: Any) -> Any:
    fps, tps, _ = _counts(xp, positive, score.astype(xp.float64), weight)
    zero = xp.zeros(1, dtype=xp.float64)
    fps, tps = xp.concatenate([zero, fps]), xp.concatenate([zero, tps])
    area = ((fps[1:] - fps[:-1]) * (tps[1:] + tps[:-1]) / 2).sum()
    return area / (fps[-1] * tps[-1])


def roc_auc_score(y_true: Any, y_score: Any, *, average: str | None = "macro", sample_weight: Any = None,
                  max_fpr: float | None = None, multi_class: str = "raise", labels: Any = None) -> float:
    """Area under the ROC curve; multiclass with ``multi_class="ovr"`` (one-vs-rest).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    if max_fpr is not None:
        raise NotImplementedError("roc_auc_score: max_fpr (partial AUC) is not supported; leave it None and "
                                  "read the curve from roc_curve")
    backend, (t, s, w) = as_arrays(y_true, y_score, sample_weight, who="roc_auc_score")
    check_same_length("roc_auc_score", y_true=t, y_score=s, sample_weight=w)
    xp = backend.xp
    classes = xp.unique(t) if labels is None else _labels(backend, labels)
    n_classes = len(classes)
    if s.ndim == 1 or (s.ndim == 2 and s.shape[1] == 1 and n_classes <= 2):
        if n_classes != 2:
            raise ValueError(f"roc_auc_score: Only one class present in y_true ({to_host(classes).tolist()}); "
                             f"ROC AUC score is not defined in that case: pass rows of both classes")
        return to_float(_binary_auc(xp, t == classes[1], s.reshape(-1), w))
    if multi_class == "raise":
        raise ValueError("roc_auc_score: multi_class must be in ('ovo', 'ovr') for multiclass scores; "
                         "pass multi_class='ovr'")
    if multi_class != "ovr":
        raise NotImplementedError(f"roc_auc_score: multi_class={multi_class!r} is not supported; use 'ovr'")
    if s.shape[1] != n_classes:
        raise ValueError(f"roc_auc_score: Number of classes in y_true ({n_classes}) not equal to the number of "
                         f"columns in 'y_score' ({s.shape[1]}); pass labels= or one score column per class")
    if average not in ("macro", "weighted", None):
        raise ValueError(f"roc_auc_score: average={average!r} must be 'macro', 'weighted' or None for 'ovr'")
    aucs = xp.stack([_binary_auc(xp, t == classes[k], s[:, k], w) for k in range(n_classes)])
    if average is None:
        return aucs
    if average == "weighted":
        support = xp.stack([(t == classes[k]).sum() for k in range(n_classes)]).astype(xp.float64)
        return to_float((aucs * support).sum() / support.sum())
    return to_float(aucs.mean())


def log_loss(y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None,
             labels: Any = None) -> float:
    """Cross-entropy of predicted probabilities (clipped to ``[eps, 1 - eps]`` of their dtype).

    ``y_pred`` is ``(n, n_classes)`` in sorted label order, or ``(n,)``: the
    probability of the larger of two labels.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.ml.metrics.log_loss([0, 1], [[0.9, 0.1], [0.2, 0.8]]), 6)
    0.164252
    """
    backend, (t, p, w) = as_arrays(y_true, y_pred, sample_weight, who="log_loss")
    check_same_length("log_loss", y_true=t, y_pred=p, sample_weight=w)
    xp = backend.xp
    if t.dtype.kind in "OUS":
        t = t.astype(str)
    classes = xp.unique(t) if labels is None else _labels(backend, labels)
    if len(classes) == 1:
        raise ValueError(f"log_loss: y_true contains only one label ({to_host(classes).tolist()}); "
                         f"pass the labels argument with every class")
    p = p.astype(xp.float64) if p.dtype.kind != "f" else p
    if p.ndim == 1:
        p = xp.stack([1 - p, p], axis=1)
    if p.shape[1] != len(classes):
        raise ValueError(f"log_loss: y_true has {len(classes)} classes but y_pred has {p.shape[1]} columns; "
                         f"pass labels= naming every class, in the order of y_pred's columns")
    eps = float(np.finfo(p.dtype).eps)
    p = xp.clip(p, eps, 1 - eps)
    ids = xp.searchsorted(classes, t)
    ids = xp.clip(ids, 0, len(classes) - 1)
    if int(to_host(xp.count_nonzero(classes[ids] != t))):
        raise ValueError("log_loss: y_true holds labels not in labels=; pass every class")
    loss = -xp.log(xp.take_along_axis(p, ids[:, None], axis=1)[:, 0])
    if w is not None:
        w = w.astype(xp.float64)
        return to_float((loss * w).sum() / w.sum()) if normalize else to_float((loss * w).sum())
    return to_float(loss.mean()) if normalize else to_float(loss.sum())
