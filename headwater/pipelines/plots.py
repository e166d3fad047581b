"""PNG plots of a run: loss curves, metric curves, and a confusion matrix.

matplotlib draws off-screen (the Agg backend), so plots work on servers without a
display. It is imported only here, when a run writes its plots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["plot_history", "plot_confusion"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_history(history: list[dict[str, Any]], out_dir: Path) -> list[Path]:
    """``loss.png`` (train and validation loss per epoch) and ``metrics.png``."""
    if not history:
        return []
    plt = _pyplot()
    out_dir.mkdir(parents=True, exist_ok=True)
    epochs = [r["epoch"] for r in history]
    written = []
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(epochs, [r["train"]["loss"] for r in history], marker="o", label="train")
    if any("loss" in r.get("validation", {}) for r in history):
        ax.plot(epochs, [r["validation"].get("loss", np.nan) for r in history], marker="o", label="validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Loss")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_dir / "loss.png", dpi=100)
    plt.close(fig)
    written.append(out_dir / "loss.png")
    names = [k for k in history[-1].get("validation", {}) if k != "loss"]
    if names:
        fig, ax = plt.subplots(figsize=(6, 4))
        for name in names:
            ax.plot(epochs, [r["validation"].get(name, np.nan) for r in history], marker="o", label=name)
        ax.set_xlabel("epoch")
        ax.set_title("Validation metrics")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out_dir / "metrics.png", dpi=100)
        plt.close(fig)
        written.append(out_dir / "metrics.png")
    return written


def plot_confusion(matrix: np.ndarray, labels: list[Any], out_path: Path, title: str = "Confusion matrix (test)") -> Path:
    """A confusion matrix heat map, true classes down, predicted across, counts in cells."""
    plt = _pyplot()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    k = len(labels)
    size = max(4.0, 0.6 * k + 2)
    fig, ax = plt.subplots(figsize=(size, size))
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
    fig.tight_layout()
    fig.savefig(out_path, dpi=100)
    plt.close(fig)
    return out_path
