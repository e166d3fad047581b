"""A whole pipeline exported as one ONNX model equals ``headwater predict`` on raw rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.onnx.onnx_helpers import session

REPO = Path(__file__).resolve().parents[2]
PENGUINS = REPO / "examples" / "penguins.yaml"


def _run(yaml_path: Path, out_dir: Path, *overrides: str) -> Path:
    from headwater.pipelines.config import load_pipeline
    from headwater.pipelines.runner import run_pipeline

    pipeline = load_pipeline(yaml_path, [f"output.dir={out_dir}", *overrides])
    return run_pipeline(pipeline, device="cpu").run_dir


def _raw_feeds(sess, frame: pd.DataFrame) -> dict:
    """The raw rows as the model's inputs: numbers as float64 (NaN = null), strings ("" = null)."""
    feeds = {}
    for inp in sess.get_inputs():
        col = frame[inp.name]
        if inp.type == "tensor(string)":
            feeds[inp.name] = np.asarray(col.astype(object).where(col.notna(), "").astype(str), dtype=object)
        else:
            feeds[inp.name] = col.astype("float64").to_numpy()
    return feeds


def _compare(run_dir: Path, data: Path, model_path: Path, classification: bool = True) -> None:
    from headwater.pipelines.predict import predict

    table = predict(run_dir, data).to_pandas()
    frame = pd.read_csv(data, na_values=["NA", ""], keep_default_na=False)
    sess = session(_load(model_path))
    names = [o.name for o in sess.get_outputs()]
    got = dict(zip(names, sess.run(None, _raw_feeds(sess, frame))))
    assert len(got["label"]) == len(frame) == len(table)
    if classification:
        assert names == ["label", "probabilities"]
        assert list(got["label"]) == list(table["prediction"])
        probs = table[[c for c in table.columns if c.startswith("prob_")]].to_numpy()
        np.testing.assert_allclose(got["probabilities"], probs, atol=1e-5)
    else:
        assert names == ["label"]
        np.testing.assert_allclose(got["label"], table["prediction"].to_numpy(), rtol=1e-5, atol=1e-5)


def _load(path: Path):
    import onnx

    return onnx.load(str(path))


def test_penguins_pipeline_exports_whole(tmp_path):
    from headwater.onnx.pipeline.run_export import export_run

    run_dir = _run(PENGUINS, tmp_path / "run", "train.epochs=2")
    proto = export_run(run_dir, tmp_path / "model.onnx")
    inputs = {i.name: i.type.tensor_type.elem_type for i in proto.graph.input}
    assert set(inputs) == {"island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex"}
    assert inputs["island"] == 8 and inputs["bill_length_mm"] == 11  # string, double
    _compare(run_dir, REPO / "examples" / "data" / "penguins.csv", tmp_path / "model.onnx")


STEPS = """\
name: steps
data:
  sources:
    table: {path: table.csv}
features:
  - derive:
      ratio: x1 / (abs(x2) + 1)
      is_red: colour == 'red'
      big: where(x2 > 0.5, 1, 0) + (x1 >= 1 and not isnull(x1))
  - fillna: {columns: [x1, ratio], strategy: median, indicator: true}
  - fillna: {columns: [shade], strategy: constant, fill_value: dark}
  - bucketize: {columns: [x2], bins: 4}
  - target_encode: {columns: [shade], target: y, suffix: _te}
  - one_hot: [colour, shade]
  - normalize: {columns: [x1, ratio], method: robust}
  - categorify: [x2]
  - drop: [y]
target: {column: label, task: classification}
split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}, seed: 1}
model: {type: mlp, hidden: [8]}
train: {epochs: 1, batch_size: 32, lr: 0.01, seed: 0}
"""


def _table(n: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    colour = rng.choice(["red", "green", "blue"], n)
    shade = rng.choice(["light", "dark", "pale", None], n).astype(object)
    x1[rng.random(n) < 0.1] = np.nan
    label = np.where(np.nan_to_num(x1) - x2 > 0.3, "yes", np.where(x2 > 1, "maybe", "no"))
    return pd.DataFrame({"x1": x1, "x2": x2, "colour": colour, "shade": shade, "label": label,
                         "y": x2 + rng.normal(scale=0.1, size=n)})


@pytest.fixture(scope="module")
def steps_run(tmp_path_factory):
    """The STEPS pipeline run once for the tests of this module: (folder, data file, run directory)."""
    folder = tmp_path_factory.mktemp("steps")
    data = folder / "table.csv"
    _table().to_csv(data, index=False)
    (folder / "p.yaml").write_text(STEPS)
    return folder, data, _run(folder / "p.yaml", folder / "run")


def test_every_expressible_step_and_regression(steps_run, tmp_path):
    from headwater.onnx.pipeline.run_export import export_run

    folder, data, run_dir = steps_run
    export_run(run_dir, tmp_path / "m.onnx")
    _compare(run_dir, data, tmp_path / "m.onnx")
    tmp_path = folder
    (tmp_path / "r.yaml").write_text(STEPS.replace("drop: [y]", "drop: [label]")
                                     .replace("target: y, suffix", "target: x2, suffix")
                                     .replace("{column: label, task: classification}", "{column: y, task: regression}"))
    run_dir = _run(tmp_path / "r.yaml", tmp_path / "reg")
    export_run(run_dir, tmp_path / "r.onnx", opset_version=18)
    _compare(run_dir, data, tmp_path / "r.onnx", classification=False)


def test_inexpressible_step_is_named_and_model_only_exports(tmp_path):
    from headwater.onnx.errors import InexpressibleStepError
    from headwater.onnx.pipeline.run_export import export_run
    from headwater.pipelines.predict import load_run

    data = tmp_path / "table.csv"
    _table().to_csv(data, index=False)
    text = STEPS.replace("  - derive:", "  - filter: \"x2 > -3\"\n  - derive:")
    (tmp_path / "p.yaml").write_text(text)
    run_dir = _run(tmp_path / "p.yaml", tmp_path / "run")
    with pytest.raises(InexpressibleStepError, match=r"step 0 \(filter\).*--model-only"):
        export_run(run_dir, tmp_path / "m.onnx")
    proto = export_run(run_dir, tmp_path / "m.onnx", model_only=True)
    assert [i.name for i in proto.graph.input] == ["numeric", "codes"]
    _, _, _, layout, model = load_run(run_dir)
    import headwater as hw

    x = hw.randn(7, len(layout.numeric))
    codes = hw.randint(0, 3, (7, len(layout.categorical)))
    with hw.no_grad():
        want = model(x, codes).softmax(dim=1)
    got = session(proto).run(None, {"numeric": x.numpy(), "codes": codes.numpy()})
    np.testing.assert_allclose(got[1], want.numpy(), atol=1e-5)


def run_cli(*args: str):
    from typer.testing import CliRunner

    from headwater.pipelines.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_export(tmp_path):

    data = tmp_path / "table.csv"
    _table().to_csv(data, index=False)
    (tmp_path / "p.yaml").write_text(STEPS)
    run_dir = _run(tmp_path / "p.yaml", tmp_path / "run")
    result = run_cli("export", str(run_dir), "--format", "onnx", "--out", str(tmp_path / "cli.onnx"))
    assert result.exit_code == 0, result.output
    assert "outputs label, probabilities" in result.output
    assert (tmp_path / "cli.onnx").exists()
    result = run_cli("export", str(run_dir), "--format", "tflite", "--out", str(tmp_path / "x"))
    assert result.exit_code == 2 and "--format" in result.output
