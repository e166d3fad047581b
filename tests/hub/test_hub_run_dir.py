"""A run directory comes in through the hub and predicts exactly as ``headwater predict``;
``headwater publish`` makes an artifact that predicts the same again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import headwater as hw
from headwater.hub import HubError
from headwater.pipelines.cli import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    work = tmp_path_factory.mktemp("hubrun")
    shutil.copytree(ROOT / "examples" / "data", work / "data", ignore=shutil.ignore_patterns("synthetic", "*.parquet"))
    shutil.copy(ROOT / "examples" / "penguins.yaml", work / "penguins.yaml")
    result = CliRunner().invoke(app, ["run", str(work / "penguins.yaml"), "-q", "--set", f"output.dir={work}/run",
                                      "--set", "train.epochs=4", "--set", "output.plots=false",
                                      "--set", "output.tensorboard=false"])
    assert result.exit_code == 0, result.output
    return work / "run"


def _cli_predictions(run: Path, data: Path, out: Path):
    result = CliRunner().invoke(app, ["predict", str(run), str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return pq.read_table(out)


def _assert_matches(model, frame, table):
    got = model.predict_table(frame).to_arrow()
    assert got.column_names == table.column_names
    for name in table.column_names:  # the same values, bit for bit (strings may come back as large_string)
        assert got[name].to_pylist() == table[name].to_pylist(), name
    assert model.predict(frame).tolist() == table["prediction"].to_pylist()
    proba = model.predict_proba(frame)
    for name in proba.columns:
        np.testing.assert_array_equal(proba[name].to_numpy(), table[name].to_numpy())


def test_a_run_directory_predicts_as_headwater_predict(run_dir, tmp_path):
    data = run_dir.parent / "data" / "penguins.csv"
    table = _cli_predictions(run_dir, data, tmp_path / "cli.parquet")
    model = hw.hub.load(run_dir)
    frame = hw.read_csv(str(data), na_values=["NA", ""])
    _assert_matches(model, frame, table)
    _assert_matches(model, frame.to_pandas(), table)  # a pandas frame is taken as well


def test_publish_makes_an_artifact_that_predicts_the_same(run_dir, tmp_path):
    data = run_dir.parent / "data" / "penguins.csv"
    table = _cli_predictions(run_dir, data, tmp_path / "cli.parquet")
    out = tmp_path / "art"
    result = CliRunner().invoke(app, ["publish", str(run_dir), "--name", "my-penguins", "--out", str(out),
                                      "--version", "2.1"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["name"] == "my-penguins" and meta["version"] == "2.1" and meta["task"] == "classification"
    assert meta["metrics"] == json.loads((run_dir / "metrics.json").read_text())
    assert {"name": "bill_length_mm", "dtype": "float64"} in meta["inputs"]
    assert set(meta["files"]) == {"config.yaml", "preprocessing.json", "weights.safetensors"}
    assert "data_dir" not in (out / "preprocessing.json").read_text()
    assert hw.hub.safetensors.read_metadata(out / "weights.safetensors")["name"] == "my-penguins"
    frame = hw.read_csv(str(data), na_values=["NA", ""])
    _assert_matches(hw.hub.load(out), frame, table)
    # a single-file artifact, and nothing left behind at a taken --out
    zipped = hw.hub.publish(run_dir, "my-penguins", tmp_path / "art.zip")
    _assert_matches(hw.hub.load(zipped), frame, table)
    with pytest.raises(HubError, match="already exists"):
        hw.hub.publish(run_dir, "again", out)
    again = CliRunner().invoke(app, ["publish", str(run_dir), "--name", "x", "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_missing_input_columns_are_named(run_dir):
    model = hw.hub.load(run_dir)
    frame = hw.DataFrame({"island": ["Biscoe"], "bill_length_mm": [47.5]})
    from headwater.pipelines.errors import DataError

    with pytest.raises(DataError):
        model.predict(frame)
    artifact = hw.hub.load("penguins")
    with pytest.raises(DataError, match=r"lacks input column\(s\) \['bill_depth_mm'"):
        artifact.predict(frame)
