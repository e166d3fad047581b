"""The report of a run: its plots, permutation feature importance, and ``report.html``.

``report.html`` is one static page in the run directory that opens in any browser:
the run's name, task, model and rows per split, the metrics of every split, the best
epoch, the plots (linked from ``plots/``, so the page and the PNGs travel together)
and the feature importance table. Plots are measured on the test split (the
validation split when there is no test split).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np

from headwater.pipelines.importance import permutation_importance
from headwater.pipelines.metrics import confusion_matrix
from headwater.pipelines.rundir import write_json, write_text
from headwater.pipelines.split import SPLITS
from headwater.tensor.transfer import to_host

__all__ = ["write_report", "render_html", "REPORT_FILE", "IMPORTANCE_FILE"]

REPORT_FILE = "report.html"
IMPORTANCE_FILE = "importance.json"

_CAPTIONS = {
    "loss.png": "Loss per epoch; the dashed line is the best epoch, whose weights the run keeps.",
    "metrics.png": "Validation metrics per epoch, one panel each.",
    "predicted_vs_actual.png": "Predicted against actual values; points on the red line are exact.",
    "residuals.png": "Residuals against the prediction, and their distribution.",
    "confusion_matrix.png": "Confusion matrix: true classes down, predicted across.",
    "roc.png": "ROC curve of the positive class.",
    "precision_recall.png": "Precision against recall for the positive class.",
    "calibration.png": "Calibration: predicted probability against how often it came true.",
    "feature_importance.png": "Permutation importance: how much the loss grows when one feature is shuffled.",
}


def _evaluated_split(inputs: list[Any]) -> int:
    return 2 if inputs[2].n else 1 if inputs[1].n else 0


def write_report(run_dir: Path, *, name: str, task: str, model: Any, history: list[dict[str, Any]],
                 best_epoch: int | None, inputs: list[Any], outputs: list[np.ndarray], encoder: Any,
                 metrics: dict[str, dict[str, float]], feature_names: list[str], loss: Any,
                 summary: dict[str, Any], plots: bool = True, say: Any = None) -> list[Path]:
    """Write the plots, ``importance.json`` and ``report.html``; returns what was written.

    ``loss(inputs, host_outputs)`` scores a split (the trainer's loss) for the
    permutation importance. Without matplotlib the PNGs are skipped (with a message)
    and the page still lists the metrics and the importance.
    """
    say = say or (lambda message: None)
    which = _evaluated_split(inputs)
    split = SPLITS[which]
    importance = permutation_importance(model, inputs[which], task, loss, feature_names,
                                        seed=int(summary.get("seed", 0))) if inputs[which].n else []
    write_json(run_dir / IMPORTANCE_FILE, {"split": split, "importance": importance})
    written: list[Path] = [run_dir / IMPORTANCE_FILE]
    if plots:
        try:
            written += _plots(run_dir / "plots", history, best_epoch, inputs[which], outputs[which], encoder, task,
                              split, importance)
        except ImportError as exc:  # matplotlib is a dependency, but a stripped install may lack it
            say(f"plots skipped: {exc}; pip install matplotlib")
    page = render_html(name=name, task=task, summary=summary, metrics=metrics, best_epoch=best_epoch,
                       importance=importance, split=split,
                       images=[p.name for p in written if p.suffix == ".png"])
    write_text(run_dir / REPORT_FILE, page)
    written.append(run_dir / REPORT_FILE)
    return written


def _plots(out: Path, history: list[dict[str, Any]], best_epoch: int | None, inputs: Any, output: np.ndarray,
           encoder: Any, task: str, split: str, importance: list[dict[str, Any]]) -> list[Path]:
    from headwater.pipelines import plots

    written = plots.plot_history(history, out, best_epoch)
    if inputs.n:
        y = to_host(inputs.target.array)
        if task == "regression":
            actual = y * encoder.std + encoder.mean
            written += plots.plot_regression(actual, encoder.decode(output), out, split)
        else:
            cm = confusion_matrix(y, output.argmax(axis=1), len(encoder.classes))
            written.append(plots.plot_confusion(cm, encoder.classes, out / "confusion_matrix.png",
                                                title=f"Confusion matrix ({split})"))
            if output.shape[1] == 2:
                written += plots.plot_binary(y, output[:, 1], out, split, encoder.classes[1])
            written.append(plots.plot_calibration(y, output, out / "calibration.png", split))
    if importance:
        written.append(plots.plot_importance(importance, out / "feature_importance.png"))
    return written


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return f"{value:.4f}" if isinstance(value, float) else html.escape(str(value))


def render_html(*, name: str, task: str, summary: dict[str, Any], metrics: dict[str, dict[str, float]],
                best_epoch: int | None, importance: list[dict[str, Any]], split: str, images: list[str]) -> str:
    """The page itself (plain HTML and CSS, no external resources).

    Examples
    --------
    >>> from headwater.pipelines.report import render_html
    >>> page = render_html(name="demo", task="regression", summary={"model": "mlp"},
    ...                    metrics={"test": {"rmse": 1.5}}, best_epoch=3, importance=[], split="test", images=[])
    >>> "<h1>demo</h1>" in page and "1.5000" in page
    True
    """
    e = html.escape
    names: list[str] = []
    for values in metrics.values():
        names += [n for n in values if n not in names]
    metric_rows = "".join(
        f"<tr><th>{e(s)}</th>" + "".join(f"<td>{_number(v.get(n))}</td>" for n in names) + "</tr>"
        for s, v in metrics.items() if v)
    facts = "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in summary.items())
    figures = "".join(
        f'<figure><img src="plots/{e(img)}" alt="{e(img)}"><figcaption>{e(_CAPTIONS.get(img, img))}</figcaption>'
        f"</figure>" for img in images)
    top = importance[:30]
    importance_rows = "".join(
        f"<tr><td>{e(r['feature'])}</td><td>{r['importance']:.4f}</td><td>{r['std']:.4f}</td></tr>" for r in top)
    rows = importance[0]["rows"] if importance else 0
    importance_block = (
        f"<h2>Feature importance</h2><p>Permutation importance on {rows} rows of the {e(split)} split: the "
        f"growth of the loss when a feature's values are shuffled.</p><table><tr><th>feature</th>"
        f"<th>importance</th><th>std</th></tr>{importance_rows}</table>" if importance else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(name)}: headwater run report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem; }}
th, td {{ border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }}
th {{ background: #f4f4f4; text-align: left; }}
figure {{ display: inline-block; margin: 0.5rem; vertical-align: top; max-width: 32rem; }}
figure img {{ max-width: 100%; border: 1px solid #ddd; }}
figcaption {{ font-size: 0.9rem; color: #555; }}
#missing {{ color: #b00; }}
</style>
</head>
<body>
<h1>{e(name)}</h1>
<p>Task: {e(task)}. Best epoch: {e(str(best_epoch))} (its weights made every number below). Plots are measured
on the {e(split)} split.</p>
<table>{facts}</table>
<h2>Metrics</h2>
<table><tr><th>split</th>{''.join(f'<th>{e(n)}</th>' for n in names)}</tr>{metric_rows}</table>
<h2>Plots</h2>
<p id="missing"></p>
{figures}
{importance_block}
<script>
window.addEventListener("load", function () {{
  var images = document.images, broken = [];
  for (var i = 0; i < images.length; i++) {{
    if (!images[i].complete || images[i].naturalWidth === 0) broken.push(images[i].alt);
  }}
  document.body.setAttribute("data-images-loaded", String(images.length - broken.length) + "/" + images.length);
  if (broken.length) document.getElementById("missing").textContent = "Missing plots: " + broken.join(", ");
}});
</script>
</body>
</html>
"""
