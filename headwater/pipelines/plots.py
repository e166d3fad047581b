"""PNG plots of a run: curves per epoch, and how the predictions of one split look.

- ``loss.png``: train and validation loss per epoch; ``metrics.png``: one panel per
  validation metric (each on its own scale). Every curve marks the best epoch (the
  one whose weights the run keeps).
- regression: ``predicted_vs_actual.png`` and ``residuals.png``;
- classification: ``confusion_matrix.png`` and ``calibration.png``; binary tasks add
  ``roc.png`` and ``precision_recall.png``;
- every model: ``feature_importance.png`` (permutation importance).

Legends sit outside the axes, so they never cover data. matplotlib draws off-screen
(the Agg backend), so plots work on servers without a display; it is imported only
here. Each PNG is written atomically.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from headwater.autograd.serialization import atomic_open
from headwater.pipelines.metrics import calibration_bins, precision_recall_curve, roc_curve

__all__ = ["plot_history", "plot_confusion", "plot_regression", "plot_binary", "plot_calibration",
           "plot_importance"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path) as fh:
        fig.savefig(fh, format="png", dpi=100)
    _pyplot().close(fig)
    return path


def _legend_outside(ax: Any) -> None:
    # the constrained layout makes room for a legend placed outside the axes, in one drawing pass
    ax.figure.legend(*ax.get_legend_handles_labels(), loc="outside right upper", frameon=False)


def _mark_best(ax: Any, epochs: list[int], values: list[float], best_epoch: int | None) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
    if best_epoch is None or best_epoch not in epochs:
        return
    ax.axvline(best_epoch, color="grey", linestyle="--", linewidth=1, label=f"best epoch ({best_epoch})")
    value = values[epochs.index(best_epoch)]
    if value == value:
        ax.plot([best_epoch], [value], marker="*", markersize=12, color="crimson", zorder=5)


def plot_history(history: list[dict[str, Any]], out_dir: Path, best_epoch: int | None = None) -> list[Path]:
    """``loss.png`` and ``metrics.png`` (one panel per metric), the best epoch marked."""
    if not history:
        return []
    plt = _pyplot()
    epochs = [r["epoch"] for r in history]
    written = []
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.plot(epochs, [r["train"]["loss"] for r in history], marker="o", markersize=3, label="train")
    val = [r.get("validation", {}).get("loss", np.nan) for r in history]
    if any(v == v for v in val):
        ax.plot(epochs, val, marker="o", markersize=3, label="validation")
    _mark_best(ax, epochs, val if any(v == v for v in val) else [r["train"]["loss"] for r in history], best_epoch)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Loss")
    _legend_outside(ax)
    written.append(_save(fig, out_dir / "loss.png"))
    names = [k for k in history[-1].get("validation", {}) if k != "loss"]
    if names:
        cols = min(3, len(names))
        rows = math.ceil(len(names) / cols)
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False, layout="constrained")
        for ax, name in zip(axes.flat, names):
            values = [r["validation"].get(name, np.nan) for r in history]
            ax.plot(epochs, values, marker="o", markersize=3, color="tab:orange")
            _mark_best(ax, epochs, values, best_epoch)
            ax.set_title(f"validation {name}")
            ax.set_xlabel("epoch")
        for ax in list(axes.flat)[len(names):]:
            ax.set_visible(False)
        written.append(_save(fig, out_dir / "metrics.png"))
    return written


def plot_confusion(matrix: np.ndarray, labels: list[Any], out_path: Path, title: str = "Confusion matrix (test)") -> Path:
    """A confusion matrix heat map, true classes down, predicted across, counts in cells."""
    plt = _pyplot()
    k = len(labels)
    size = max(4.0, 0.6 * k + 2)
    fig, ax = plt.subplots(figsize=(size, size), layout="constrained")
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(k), [str(v) for v in labels], rotation=45, ha="right")
    ax.set_yticks(range(k), [str(v) for v in labels])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    peak = matrix.max() if matrix.size else 0
    for i in range(k):
        for j in range(k):
            ax.text(j, i, int(matrix[i, j]), ha="center", va="center",
                    color="white" if matrix[i, j] > peak / 2 else "black")
    return _save(fig, out_path)


def plot_regression(y: np.ndarray, pred: np.ndarray, out_dir: Path, split: str) -> list[Path]:
    """``predicted_vs_actual.png`` (with the identity line) and ``residuals.png``."""
    plt = _pyplot()
    pred = pred.reshape(-1)
    alpha = 0.6 if len(y) < 2000 else 0.25
    fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
    ax.scatter(y, pred, s=10, alpha=alpha)
    low, high = float(min(y.min(), pred.min())), float(max(y.max(), pred.max()))
    ax.plot([low, high], [low, high], color="crimson", linewidth=1, label="predicted = actual")
    ax.set_xlabel("actual")
    ax.set_ylabel("predicted")
    ax.set_title(f"Predicted vs actual ({split})")
    _legend_outside(ax)
    written = [_save(fig, out_dir / "predicted_vs_actual.png")]
    residual = y - pred
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    left.scatter(pred, residual, s=10, alpha=alpha)
    left.axhline(0.0, color="crimson", linewidth=1)
    left.set_xlabel("predicted")
    left.set_ylabel("actual - predicted")
    left.set_title(f"Residuals ({split})")
    right.hist(residual, bins=min(50, max(10, len(residual) // 20)))
    right.set_xlabel("actual - predicted")
    right.set_ylabel("rows")
    right.set_title("Residual distribution")
    written.append(_save(fig, out_dir / "residuals.png"))
    return written


def plot_binary(y: np.ndarray, score: np.ndarray, out_dir: Path, split: str, positive: Any) -> list[Path]:
    """``roc.png`` and ``precision_recall.png`` for the positive class's probability."""
    from headwater.pipelines.metrics import METRICS

    plt = _pyplot()
    fpr, tpr, _ = roc_curve(y, score)
    auc = METRICS["roc_auc"](y, np.stack([1 - score, score], axis=1))
    fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
    ax.plot(fpr, tpr, label=f"model (AUC {auc:.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="chance")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(f"ROC curve, positive class {positive!r} ({split})")
    _legend_outside(ax)
    written = [_save(fig, out_dir / "roc.png")]
    precision, recall, ap = precision_recall_curve(y, score)
    fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
    ax.step(np.r_[0.0, recall], np.r_[precision[:1], precision], where="pre", label=f"model (AP {ap:.3f})")
    ax.axhline(float(np.mean(y)), color="grey", linestyle="--", linewidth=1, label="chance (positive rate)")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Precision-recall curve ({split})")
    _legend_outside(ax)
    written.append(_save(fig, out_dir / "precision_recall.png"))
    return written


def plot_calibration(y: np.ndarray, proba: np.ndarray, out_path: Path, split: str) -> Path:
    """A reliability diagram: the positive class's probability (binary), or the top
    class's confidence against how often it is right (several classes)."""
    plt = _pyplot()
    if proba.shape[1] == 2:
        prob, event, what = proba[:, 1], (y == 1), "positive class probability"
    else:
        prob, event, what = proba.max(axis=1), proba.argmax(axis=1) == y, "top class probability"
    mean, freq, n = calibration_bins(event.astype(np.int64), prob)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6.5), height_ratios=[3, 1], sharex=True,
                                      layout="constrained")
    top.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfectly calibrated")
    top.plot(mean, freq, marker="o", label="model")
    top.set_ylabel("observed frequency")
    top.set_title(f"Calibration ({split})")
    _legend_outside(top)
    bottom.hist(prob, bins=10, range=(0, 1))
    bottom.set_xlabel(what)
    bottom.set_ylabel("rows")
    return _save(fig, out_path)


def plot_importance(importance: list[dict[str, Any]], out_path: Path, top: int = 20) -> Path:
    """Horizontal bars of permutation importance (the ``top`` largest), with their spread."""
    plt = _pyplot()
    rows = importance[:top][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.5), layout="constrained")
    ax.barh([r["feature"] for r in rows], [r["importance"] for r in rows], xerr=[r["std"] for r in rows],
            color="tab:blue")
    ax.axvline(0.0, color="grey", linewidth=1)
    ax.set_xlabel("increase in loss when the feature is shuffled")
    ax.set_title("Permutation feature importance")
    return _save(fig, out_path)
