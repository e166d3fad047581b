"""The pipeline runner's classic model types on variants of examples/penguins.yaml and diabetes.yaml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from headwater.pipelines import load_pipeline, run_pipeline
from headwater.pipelines.predict import predict
from headwater.pipelines.errors import ConfigError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _variant(tmp_path: Path, example: str, model: dict, name: str) -> Path:
    shutil.copytree(EXAMPLES / "data", tmp_path / "data", dirs_exist_ok=True)
    cfg = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text())
    cfg["name"], cfg["model"] = name, model
    cfg["output"] = {"dir": str(tmp_path / name), "plots": False}
    cfg.pop("train", None)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return path


def _run_and_predict(tmp_path: Path, example: str, model: dict, name: str) -> tuple[dict, Path]:
    result = run_pipeline(load_pipeline(_variant(tmp_path, example, model, name)))
    metrics = json.loads((result.run_dir / "metrics.json").read_text())
    table = predict(result.run_dir, tmp_path / "data" / f"{example}.csv").to_pandas()
    assert len(table) > 0 and "prediction" in table
    return metrics, result.run_dir


@pytest.mark.parametrize("model", [{"type": "logistic_regression", "params": {"C": 10.0}},
                                   {"type": "knn", "params": {"n_neighbors": 7}}])
def test_hw_ml_models_on_penguins(tmp_path, model):
    metrics, run = _run_and_predict(tmp_path, "penguins", model, model["type"])
    assert metrics["test"]["accuracy"] >= 0.95
    assert metrics["baseline"]["test"]["accuracy"] < 0.6  # the majority class
    assert (run / "model.json").is_file() and not list(run.glob("checkpoints/*"))
    again = predict(run, tmp_path / "data" / "penguins.csv").to_pandas()
    assert (again["prediction"] == again["species"]).mean() >= 0.95


def test_ridge_on_diabetes_beats_the_mean(tmp_path):
    metrics, run = _run_and_predict(tmp_path, "diabetes", {"type": "ridge", "params": {"alpha": 1.0}}, "ridge")
    assert metrics["test"]["r2"] > 0.3 and abs(metrics["baseline"]["test"]["r2"]) < 0.1


@pytest.mark.slow
def test_xgboost_on_penguins(tmp_path):
    pytest.importorskip("xgboost")
    model = {"type": "xgboost", "params": {"n_estimators": 200, "max_depth": 3, "learning_rate": 0.1}}
    metrics, run = _run_and_predict(tmp_path, "penguins", model, "xgb")
    assert metrics["test"]["accuracy"] >= 0.95
    saved = json.loads((run / "model.xgb.json").read_text())  # XGBoost's own JSON, no pickle
    assert "learner" in saved


@pytest.mark.slow
def test_sklearn_estimator_on_penguins(tmp_path):
    pytest.importorskip("skops")
    model = {"type": "sklearn", "estimator": "sklearn.ensemble.RandomForestClassifier",
             "params": {"n_estimators": 50, "random_state": 0}}
    metrics, run = _run_and_predict(tmp_path, "penguins", model, "rf")
    assert metrics["test"]["accuracy"] >= 0.95
    assert (run / "model.skops").is_file()


@pytest.mark.parametrize("model, match", [
    ({"type": "sklearn", "estimator": "os.system"}, "outside scikit-learn"),
    ({"type": "sklearn", "estimator": "sklearn.metrics.accuracy_score"}, "not a scikit-learn estimator class"),
    ({"type": "sklearn", "estimator": "sklearn.ensemble.RandomForestClasifier"}, "did you mean"),
    ({"type": "logistic_regression", "params": {"CC": 1.0}}, "did you mean 'C'"),
    ({"type": "ridge"}, "predicts numbers"),
    ({"type": "xgbost"}, "did you mean 'xgboost'"),
])
def test_model_section_errors(tmp_path, model, match):
    with pytest.raises(ConfigError, match=match):
        load_pipeline(_variant(tmp_path, "penguins", model, "bad"))
