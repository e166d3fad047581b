"""The example pipelines run and reach the metric each one states in its header."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from .pipeline_helpers import EXAMPLES, run_cli


def _claims(name: str) -> dict[str, float]:
    header = (EXAMPLES / f"{name}.yaml").read_text()
    line = re.search(r"# Reaches: test (.*)", header).group(1)
    return {m: float(v) for m, v in re.findall(r"(\w+) ([0-9]+\.[0-9]+)", line.split("(")[0])}


def _load_example_module(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name, tolerance", [("penguins", 0.02), ("diabetes", {"r2": 0.03, "rmse": 1.5})])
def test_example_reaches_its_stated_metric(name, tolerance, tmp_path):
    proc = run_cli("run", str(EXAMPLES / f"{name}.yaml"), "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (run,) = (tmp_path / "runs").iterdir()
    test = json.loads((run / "metrics.json").read_text())["test"]
    claims = _claims(name)
    assert claims
    for metric, claimed in claims.items():
        tol = tolerance[metric] if isinstance(tolerance, dict) else tolerance
        assert abs(test[metric] - claimed) <= tol, (metric, test[metric], claimed)


@pytest.mark.slow  # a wall-clock bound: meaningful on an idle machine, so not in the default run
def test_penguins_quickstart_is_fast(tmp_path):
    import time

    start = time.perf_counter()
    proc = run_cli("run", str(EXAMPLES / "penguins.yaml"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert time.perf_counter() - start < 30  # seconds on a CPU, with the interpreter start


def test_penguins_matches_scikit_learn_mlp_on_the_same_split():
    compare = _load_example_module("compare_sklearn").compare
    result = compare()
    assert result["test_rows"] > 40
    assert result["headwater_accuracy"] >= 0.95
    assert abs(result["headwater_accuracy"] - result["sklearn_accuracy"]) <= 0.02


@pytest.fixture
def small_synthetic(tmp_path):
    out = tmp_path / "data"
    subprocess.run([sys.executable, str(EXAMPLES / "make_synthetic.py"), "--rows", "40000", "--out", str(out)],
                   check=True, capture_output=True)
    return out


def test_synthetic_pipeline_joins_groups_and_rolls(small_synthetic, tmp_path):
    sets = [f"data.sources.{t}.path={small_synthetic / t}.parquet" for t in ("transactions", "customers", "stores")]
    args = []
    for s in sets + ["train.epochs=2", "train.batch_size=512"]:
        args += ["--set", s]
    proc = run_cli("run", str(EXAMPLES / "synthetic.yaml"), "--quiet", *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (run,) = (tmp_path / "runs").iterdir()
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["test"]["roc_auc"] > 0.7
    prep = json.loads((run / "preprocessing.json").read_text())
    names = [s["name"] for s in prep["steps"]]
    assert {"rolling", "lag", "group_stats", "target_encode"} <= set(names)
    assert "customers" in (run / "config.yaml").read_text()

    # predict re-reads the joined sources and applies the fitted steps: the same predictions
    out = tmp_path / "preds.parquet"
    proc = run_cli("predict", str(run), str(small_synthetic / "transactions.parquet"), "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    import pyarrow.parquet as pq

    ours = pq.read_table(out).to_pandas()
    theirs = pq.read_table(run / "predictions.parquet").to_pandas()
    assert ours["row"].tolist() == theirs["row"].tolist() == list(range(40000))
    np.testing.assert_allclose(ours["prob_1"], theirs["prob_1"], rtol=1e-5, atol=1e-7)


def test_synthetic_data_missing_says_how_to_make_it(tmp_path):
    proc = run_cli("validate", str(EXAMPLES / "synthetic.yaml"), "--set",
                   f"data.sources.transactions.path={tmp_path / 'none.parquet'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no file matches" in proc.stderr


@pytest.mark.slow
def test_synthetic_million_rows_reaches_its_stated_metric(tmp_path):
    out = EXAMPLES / "data" / "synthetic"
    if not (out / "transactions.parquet").exists():
        subprocess.run([sys.executable, str(EXAMPLES / "make_synthetic.py")], check=True, capture_output=True)
    proc = run_cli("run", str(EXAMPLES / "synthetic.yaml"), "--quiet", cwd=tmp_path, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    (run,) = (tmp_path / "runs").iterdir()
    test = json.loads((run / "metrics.json").read_text())["test"]
    for metric, claimed in _claims("synthetic").items():
        assert abs(test[metric] - claimed) <= 0.01, (metric, test[metric], claimed)
