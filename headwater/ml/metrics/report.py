"""``classification_report``: per-class precision, recall, F1 and support as text or a dict."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.ml.metrics.classification import accuracy_score, precision_recall_fscore_support
from headwater.ml.metrics.inputs import as_arrays, encode_pair
from headwater.tensor.transfer import to_host

__all__ = ["classification_report"]


def classification_report(y_true: Any, y_pred: Any, *, labels: Any = None, target_names: Any = None,
                          sample_weight: Any = None, digits: int = 2, output_dict: bool = False,
                          zero_division: Any = "warn") -> str | dict[str, Any]:
    """Precision, recall, F1 and support per class, then accuracy and the macro and weighted averages.

    The layout and the dict keys are scikit-learn's.

    Examples
    --------
    >>> import headwater as hw
    >>> report = hw.ml.metrics.classification_report([0, 1, 1], [0, 1, 0], output_dict=True)
    >>> report["1"]["recall"], report["accuracy"]
    (0.5, 0.6666666666666666)
    """
    backend, (t, p) = as_arrays(y_true, y_pred, who="classification_report")
    _, _, found = encode_pair(backend, t, p, labels)
    found = found if isinstance(found, np.ndarray) else to_host(found)
    names = [str(v) for v in found.tolist()] if target_names is None else [str(v) for v in target_names]
    if len(names) != len(found):
        raise ValueError(f"classification_report: {len(found)} labels but {len(names)} target_names; "
                         f"give one name per label")
    kw = {"labels": found, "sample_weight": sample_weight, "zero_division": zero_division}
    per = precision_recall_fscore_support(y_true, y_pred, average=None, **kw)
    rows: dict[str, Any] = {}
    for k, name in enumerate(names):
        rows[name] = {"precision": float(per[0][k]), "recall": float(per[1][k]), "f1-score": float(per[2][k]),
                      "support": float(per[3][k]) if sample_weight is not None else int(per[3][k])}
    total = float(np.sum(per[3])) if sample_weight is not None else int(np.sum(per[3]))
    all_labels = labels is None or set(np.asarray(found).tolist()) >= set(np.unique(to_host(t) if not isinstance(t, np.ndarray) else t).tolist())
    averages = {}
    if all_labels:
        averages["accuracy"] = accuracy_score(y_true, y_pred, sample_weight=sample_weight)
    else:
        micro = precision_recall_fscore_support(y_true, y_pred, average="micro", **kw)
        averages["micro avg"] = {"precision": micro[0], "recall": micro[1], "f1-score": micro[2], "support": total}
    for avg in ("macro", "weighted"):
        res = precision_recall_fscore_support(y_true, y_pred, average=avg, **kw)
        averages[f"{avg} avg"] = {"precision": res[0], "recall": res[1], "f1-score": res[2], "support": total}
    if output_dict:
        return {**rows, **averages}
    width = max([len(n) for n in names] + [len("weighted avg"), digits])
    head = ["precision", "recall", "f1-score", "support"]
    lines = [f"{'':>{width}s} " + " ".join(f"{h:>9}" for h in head), ""]
    for name, r in rows.items():
        lines.append(f"{name:>{width}s} " + " ".join(f"{r[h]:>9.{digits}f}" for h in head[:3]) + f" {r['support']:>9}")
    lines.append("")
    for key, value in averages.items():
        if key == "accuracy":
            lines.append(f"{key:>{width}s} " + " ".join(f"{'':>9}" for _ in range(2)) + f" {value:>9.{digits}f}"
                         + f" {total:>9}")
        else:
            lines.append(f"{key:>{width}s} " + " ".join(f"{value[h]:>9.{digits}f}" for h in head[:3])
                         + f" {value['support']:>9}")
    return "\n".join(lines) + "\n"
