"""The reports of a run: plots per task, permutation importance, and report.html."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest

from headwater.pipelines.config import load_pipeline
from headwater.pipelines.runner import run_pipeline

from .pipeline_helpers import PIPELINE, write_yaml

REGRESSION = PIPELINE.replace("target: {column: label, task: classification}", "target: {column: y, task: regression}") \
    .replace("  - drop: [y]\n", "  - drop: [label]\n").replace("metrics: [accuracy, f1]", "metrics: [rmse, r2]")
BINARY = PIPELINE.replace("target: {column: label, task: classification}",
                          "target: {column: label, task: binary, positive: 'yes'}") \
    .replace("features:\n", "features:\n  - filter: \"label != 'maybe'\"\n") \
    .replace("metrics: [accuracy, f1]", "metrics: [accuracy, roc_auc]")


def _run(project, text):
    result = run_pipeline(load_pipeline(write_yaml(project, text), ["output.tensorboard=false"]), device="cpu",
                          cwd=project)
    return result.run_dir


def _plots(run_dir):
    return sorted(p.name for p in (run_dir / "plots").iterdir())


def test_regression_report(project):
    run_dir = _run(project, REGRESSION)
    assert _plots(run_dir) == ["feature_importance.png", "loss.png", "metrics.png", "predicted_vs_actual.png",
                               "residuals.png"]
    page = (run_dir / "report.html").read_text()
    for name in _plots(run_dir):
        assert f'src="plots/{name}"' in page
    assert "<h2>Metrics</h2>" in page and "rmse" in page and "Best epoch: 3" in page
    importance = json.loads((run_dir / "importance.json").read_text())
    assert importance["split"] == "test"
    names = [r["feature"] for r in importance["importance"]]
    assert sorted(names) == ["colour", "x1", "x2"]
    assert names[0] in ("x1", "x2")  # y is 2 x1 - x2 + colour: the numbers matter most
    assert all(r["rows"] == 80 for r in importance["importance"])


def test_binary_report_has_roc_precision_recall_and_calibration(project):
    run_dir = _run(project, BINARY)
    assert {"roc.png", "precision_recall.png", "calibration.png", "confusion_matrix.png",
            "feature_importance.png", "loss.png", "metrics.png"} == set(_plots(run_dir))


def test_classification_report_has_calibration_and_no_binary_curves(project):
    run_dir = _run(project, PIPELINE)
    plots = set(_plots(run_dir))
    assert {"calibration.png", "confusion_matrix.png"} <= plots and "roc.png" not in plots


def test_metrics_are_one_panel_each_with_the_best_epoch_marked(tmp_path):
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    from headwater.pipelines import plots

    history = [{"epoch": e, "train": {"loss": 1.0 / e}, "validation": {"loss": 1.2 / e, "rmse": 50.0 / e,
                                                                        "r2": 0.1 * e}} for e in range(1, 6)]
    drawn = []
    real_save = plots._save

    def keep(fig, path):
        drawn.append((path.name, fig))
        return real_save(fig, path)

    plots._save = keep
    try:
        plots.plot_history(history, tmp_path, best_epoch=4)
    finally:
        plots._save = real_save
    figures = dict(drawn)
    panels = [ax for ax in figures["metrics.png"].axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["validation rmse", "validation r2"]  # each on its own scale
    for fig in figures.values():
        for ax in (a for a in fig.axes if a.get_visible()):
            assert any(list(line.get_xdata()) == [4, 4] for line in ax.get_lines()), ax.get_title()  # best epoch
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = figures["loss.png"]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    box = fig.legends[0].get_window_extent(renderer)
    axes_box = fig.axes[0].get_window_extent(renderer)
    assert box.x0 >= axes_box.x1  # the legend sits beside the data, never on it
    plt.close("all")


def test_curves_match_scikit_learn():
    sk = pytest.importorskip("sklearn.metrics")
    from sklearn.calibration import calibration_curve

    from headwater.pipelines.metrics import calibration_bins, precision_recall_curve, roc_curve

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    score = np.round(np.clip(0.3 * y + rng.random(500) * 0.7, 0, 1), 2)  # ties included
    fpr, tpr, _ = roc_curve(y, score)
    want_fpr, want_tpr, _ = sk.roc_curve(y, score, drop_intermediate=False)
    np.testing.assert_allclose(fpr, want_fpr)
    np.testing.assert_allclose(tpr, want_tpr)
    precision, recall, ap = precision_recall_curve(y, score)
    want_p, want_r, _ = sk.precision_recall_curve(y, score)
    np.testing.assert_allclose(precision[::-1], want_p[:-1])
    np.testing.assert_allclose(recall[::-1], want_r[:-1])
    assert ap == pytest.approx(sk.average_precision_score(y, score))
    mean, freq, _ = calibration_bins(y, score)
    want_freq, want_mean = calibration_curve(y, score, n_bins=10)
    np.testing.assert_allclose(mean, want_mean)
    np.testing.assert_allclose(freq, want_freq)


def test_permutation_importance_uses_at_most_ten_thousand_rows():
    import headwater as hw
    from headwater.pipelines.importance import permutation_importance
    from headwater.pipelines.trainer import Inputs

    rng = np.random.default_rng(0)
    x = rng.normal(size=(25_000, 3)).astype("float32")
    seen = []

    class Model(hw.nn.Module):
        def forward(self, numeric, codes=None):
            seen.append(numeric.shape[0])
            return numeric[:, 0] * 2 + numeric[:, 1] * 0.1

    inputs = Inputs(hw.as_tensor(x), None, hw.as_tensor(x[:, 0] * 2 + x[:, 1] * 0.1))

    def mse(inp, out):
        return float(np.mean((out - inp.target.numpy()) ** 2))

    result = permutation_importance(Model(), inputs, "regression", mse, ["strong", "weak", "unused"])
    assert set(seen) == {10_000}
    assert [r["feature"] for r in result] == ["strong", "weak", "unused"]
    assert result[2]["importance"] == pytest.approx(0.0, abs=1e-9) and result[0]["importance"] > 1.0


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.slow
def test_report_renders_in_a_headless_browser(project):
    browser = _browser()
    if browser is None:
        pytest.skip("no chromium or chrome is installed; install one (e.g. apt-get install chromium) to render "
                    "the report")
    run_dir = _run(project, REGRESSION)
    page = run_dir / "report.html"
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
              "--virtual-time-budget=5000"]
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr
    n = len(_plots(run_dir))
    assert f'data-images-loaded="{n}/{n}"' in dom.stdout  # every plot loaded
    shot = run_dir / "shot.png"
    proc = subprocess.run([*common, f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and shot.stat().st_size > 10_000, proc.stderr
