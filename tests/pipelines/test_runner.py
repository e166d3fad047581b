"""Runs in-process: splits, tasks, data sources and joins, models, optimizers, schedules."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import headwater as hw
from headwater.pipelines.config import load_pipeline
from headwater.pipelines.errors import ConfigError, DataError
from headwater.pipelines.model import build_model, embedding_size
from headwater.pipelines.runner import run_pipeline
from headwater.pipelines.schema import ModelSection

from .pipeline_helpers import PIPELINE, write_yaml


def _run(project, text, *overrides):
    path = write_yaml(project, text, "case.yaml")
    return run_pipeline(load_pipeline(path, ["output.plots=false", *overrides]), device="cpu", cwd=project)


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw", "rmsprop"])
def test_every_optimizer_trains(project, optimizer):
    result = _run(project, PIPELINE, f"train.optimizer={optimizer}", "train.epochs=3")
    losses = [r["train"]["loss"] for r in result.history]
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("scheduler, check", [
    # each epoch records the rate it trained with, before the schedule steps
    ("{type: step, step_size: 1, gamma: 0.5}", lambda lrs: lrs == pytest.approx([0.01, 0.005, 0.0025])),
    ("{type: cosine, min_lr: 0.001}", lambda lrs: lrs == pytest.approx([0.01, 0.00775, 0.00325])),
    ("{type: onecycle, max_lr: 0.05}", lambda lrs: lrs[-1] < 0.01),
    ("{type: plateau, patience: 1, factor: 0.5}", lambda lrs: all(lr <= 0.01 for lr in lrs)),
])
def test_every_scheduler(project, scheduler, check):
    result = _run(project, PIPELINE, f"train.scheduler={scheduler}")
    assert check([r["lr"] for r in result.history])


def test_early_stopping_restores_the_best_epoch(project):
    text = PIPELINE.replace("train: {epochs: 3, batch_size: 32, lr: 0.01, seed: 0}",
                            "train: {epochs: 60, batch_size: 16, lr: 0.05, seed: 0,\n"
                            "        early_stopping: {metric: validation.accuracy, patience: 2}}")
    result = _run(project, text, "model.hidden=[64, 64]")
    assert result.stopped_early and len(result.history) < 60
    best = max(r["validation"]["accuracy"] for r in result.history)
    assert result.metrics["validation"]["accuracy"] == pytest.approx(best)


def test_binary_task_with_a_positive_class(project):
    df = pd.read_csv(project / "table.csv")
    df["label"] = np.where(df.label == "yes", "yes", "other")
    df.to_csv(project / "table.csv", index=False)
    text = PIPELINE.replace("task: classification", "task: binary, positive: 'yes'").replace(
        "metrics: [accuracy, f1]", "metrics: [accuracy, roc_auc, precision, recall]")
    result = _run(project, text, "train.epochs=5")
    assert result.metrics["test"]["roc_auc"] > 0.9
    table = pq.read_table(result.run_dir / "predictions.parquet").to_pandas()
    assert list(table.columns[-2:]) == ["prob_other", "prob_yes"]  # the positive class last


def test_regression_reports_on_the_original_scale(project):
    text = PIPELINE.replace("target: {column: label, task: classification}", "target: {column: y, task: regression}")
    text = text.replace("  - drop: [y]\n", "  - drop: [label]\n").replace("metrics: [accuracy, f1]", "metrics: [rmse, r2]")
    result = _run(project, text, "train.epochs=20", "model.type=linear", "model.hidden=[]")
    assert result.metrics["test"]["r2"] > 0.8
    table = pq.read_table(result.run_dir / "predictions.parquet").to_pandas()
    test = table[table.split == "test"]
    rmse = float(np.sqrt(np.mean((test.prediction - test.y) ** 2)))
    assert rmse == pytest.approx(result.metrics["test"]["rmse"], rel=1e-5)


def test_split_by_column(project):
    df = pd.read_csv(project / "table.csv")
    df["fold"] = np.array(["train", "train", "validation", "test"])[np.arange(len(df)) % 4]
    df.to_csv(project / "table.csv", index=False)
    text = PIPELINE.replace("split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}, seed: 1}",
                            "split: {column: fold}").replace("drop: [y]", "drop: [y, fold]")
    result = _run(project, text, "train.epochs=1")
    assert result.rows == {"train": 200, "validation": 100, "test": 100}
    table = pq.read_table(result.run_dir / "predictions.parquet").to_pandas()
    assert (table.split == df.fold).all()


def test_split_column_with_other_values_is_a_data_error(project):
    df = pd.read_csv(project / "table.csv")
    df["fold"] = "train"
    df.loc[3, "fold"] = "holdout"
    df.to_csv(project / "table.csv", index=False)
    text = PIPELINE.replace("split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}, seed: 1}",
                            "split: {column: fold}")
    with pytest.raises(DataError, match=r"split column 'fold' may hold only \['train', 'validation', 'test'\], "
                                        r"found \['holdout'\]"):
        _run(project, text)


def test_split_in_time_on_a_derived_column(project):
    df = pd.read_csv(project / "table.csv")
    df["day"] = pd.date_range("2024-01-01", periods=len(df), freq="D").astype(str)
    df.to_csv(project / "table.csv", index=False)
    text = PIPELINE.replace("    table: {path: table.csv}", "    table: {path: table.csv, parse_dates: [day]}")
    text = text.replace("split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}, seed: 1}",
                        "split: {time: {column: day, validation_from: 2024-09-01, test_from: 2024-11-01}}")
    text = text.replace("drop: [y]", "drop: [y, day]")
    result = _run(project, text, "train.epochs=1")
    expected_train = int((pd.to_datetime(df.day) < "2024-09-01").sum())
    expected_test = int((pd.to_datetime(df.day) >= "2024-11-01").sum())
    assert result.rows["train"] == expected_train and result.rows["test"] == expected_test


def test_joins_and_globs(project):
    df = pd.read_csv(project / "table.csv")
    df["key"] = np.arange(len(df)) % 7
    (project / "parts").mkdir()
    df.iloc[:200].to_csv(project / "parts" / "a.csv", index=False)
    df.iloc[200:].to_csv(project / "parts" / "b.csv", index=False)
    pd.DataFrame({"key": np.arange(7), "extra": np.arange(7) * 1.5}).to_parquet(project / "side.parquet")
    text = PIPELINE.replace("    table: {path: table.csv}\n",
                            "    table: {path: 'parts/*.csv'}\n    side: {path: side.parquet}\n"
                            "  joins:\n    - {right: side, on: [key], how: left}\n")
    text = text.replace("normalize: [x1, x2]", "normalize: [x1, x2, extra]").replace("drop: [y]", "drop: [y, key]")
    result = _run(project, text, "train.epochs=1")
    assert sum(result.rows.values()) == 400
    prep = json.loads((result.run_dir / "preprocessing.json").read_text())
    assert "extra" in prep["layout"]["numeric"]


def test_missing_join_key_is_reported_before_any_work(project):
    pd.DataFrame({"id": [1]}).to_csv(project / "side.csv", index=False)
    text = PIPELINE.replace("    table: {path: table.csv}\n",
                            "    table: {path: table.csv}\n    side: {path: side.csv}\n"
                            "  joins:\n    - {right: side, on: [id]}\n")
    with pytest.raises(ConfigError, match="data.joins.0.on.0: column 'id' does not exist in the main table"):
        _run(project, text)


def test_rows_without_a_target_are_left_out(project):
    df = pd.read_csv(project / "table.csv")
    df.loc[:9, "label"] = None
    df.to_csv(project / "table.csv", index=False)
    result = _run(project, PIPELINE, "train.epochs=1")
    assert sum(result.rows.values()) == 390


def test_leading_filter_and_derive_run_before_the_split(project):
    text = PIPELINE.replace("features:\n", "features:\n  - filter: x2 > -1\n  - derive: {x3: x2 * x2}\n")
    text = text.replace("normalize: [x1, x2]", "normalize: [x1, x2, x3]")
    result = _run(project, text, "train.epochs=1")
    df = pd.read_csv(project / "table.csv")
    assert sum(result.rows.values()) == int((df.x2 > -1).sum())
    table = pq.read_table(result.run_dir / "predictions.parquet").to_pandas()
    assert table.row.tolist() == df.index[df.x2 > -1].tolist()  # rows keep their input positions


def test_nulls_left_in_a_feature_name_the_column_and_the_fix(project):
    text = PIPELINE.replace("  - fillna: {columns: [x1], strategy: mean}\n", "")
    with pytest.raises(DataError, match="x1.*add a fillna step"):
        _run(project, text)


def test_embedding_sizes_follow_the_rule_and_overrides():
    assert [embedding_size(c) for c in (2, 3, 10, 99, 1000)] == [1, 2, 5, 50, 50]
    section = ModelSection(hidden=[8], embeddings={"sizes": {"b": 7}, "max_size": 4})
    model = build_model(section, 3, {"a": 20, "b": 5}, 2)
    dims = [tuple(e.weight.shape) for e in model.embeddings]
    assert dims == [(20, 4), (5, 7)]
    x = hw.randn(6, 3)
    codes = hw.as_tensor(np.array([[1, 2]] * 6, dtype=np.int64))
    assert model(x, codes).shape == (6, 2)


@pytest.mark.parametrize("norm", ["batch", "layer"])
def test_model_norms_and_linear(norm):
    model = build_model(ModelSection(hidden=[8, 4], norm=norm, dropout=0.2, activation="gelu"), 3, {}, 1)
    names = [type(m).__name__ for m in model.net]
    assert ("BatchNorm1d" if norm == "batch" else "LayerNorm") in names and "Dropout" in names and "GELU" in names
    linear = build_model(ModelSection(type="linear"), 3, {}, 2)
    assert [type(m).__name__ for m in linear.net] == ["Linear"]


def test_a_training_epoch_reads_the_host_once(tmp_path):
    """Per batch the loop only queues device work; one host read per epoch (the loss sum
    and the non-finite guard together), however many batches there are."""
    from headwater.pipelines.schema import TrainSection
    from headwater.pipelines.trainer import Inputs, Trainer

    hw.manual_seed(0)
    x = hw.randn(640, 5)
    codes = hw.as_tensor(np.random.default_rng(0).integers(0, 4, (640, 1)))
    y = hw.as_tensor(np.random.default_rng(1).integers(0, 3, 640))
    model = build_model(ModelSection(hidden=[16]), 5, {"c": 4}, 3)
    trainer = Trainer(model, TrainSection(batch_size=32, epochs=1), "classification", ["accuracy"], tmp_path)
    inputs = Inputs(x, codes, y)
    loader = hw.data.DataLoader(hw.data.TensorDataset(*inputs.tensors()), batch_size=32, shuffle=True, seed=0)
    hw.reset_transfer_stats()
    loss = trainer._train_epoch(1, loader, inputs)
    stats = hw.transfer_stats()
    assert len(loader) == 20
    assert stats.to_host_calls == 1
    assert stats.to_device_calls == 0
    assert np.isfinite(loss)


def test_no_test_split(project):
    text = PIPELINE.replace("split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}, seed: 1}",
                            "split: {fractions: {train: 0.8, validation: 0.2, test: 0.0}}")
    result = _run(project, text, "train.epochs=1", "output.plots=true")
    assert result.metrics["test"] == {} and result.rows["test"] == 0
    assert (result.run_dir / "plots" / "confusion_matrix.png").exists()  # drawn for validation instead


def test_join_between_two_other_sources_then_onto_the_main_table(project):
    df = pd.read_csv(project / "table.csv")
    df["shop"] = np.arange(len(df)) % 5
    df.to_csv(project / "table.csv", index=False)
    pd.DataFrame({"shop": np.arange(5), "region": [0, 0, 1, 1, 2]}).to_csv(project / "shops.csv", index=False)
    pd.DataFrame({"region": [0, 1, 2], "climate": [1.0, 2.0, 3.0]}).to_csv(project / "regions.csv", index=False)
    text = PIPELINE.replace("    table: {path: table.csv}\n",
                            "    table: {path: table.csv}\n    shops: {path: shops.csv}\n    regions: {path: regions.csv}\n"
                            "  joins:\n    - {left: shops, right: regions, on: [region]}\n"
                            "    - {right: shops, on: [shop]}\n")
    text = text.replace("normalize: [x1, x2]", "normalize: [x1, x2, climate]").replace(
        "drop: [y]", "drop: [y, shop, region]")
    result = _run(project, text, "train.epochs=1")
    prep = json.loads((result.run_dir / "preprocessing.json").read_text())
    assert "climate" in prep["layout"]["numeric"]
    state = prep["steps"][2]["state"]["state"]["climate"]  # normalize learned the joined column
    train_rows = pq.read_table(result.run_dir / "predictions.parquet").to_pandas().query("split == 'train'").row
    climate = df.shop.map({0: 1.0, 1: 1.0, 2: 2.0, 3: 2.0, 4: 3.0})[train_rows.to_numpy()]
    assert state["center"]["__array__"][0] == pytest.approx(climate.mean())


def test_join_of_the_main_table_onto_another_is_refused(tmp_path):
    text = ("name: t\ndata:\n  sources:\n    table: {path: table.csv}\n    other: {path: o.csv}\n"
            "  joins:\n    - {left: other, right: table, on: [id]}\ntarget: {column: label, task: classification}\n")
    path = write_yaml(tmp_path, text)
    with pytest.raises(ConfigError, match="the main table 'table' cannot be joined onto another source"):
        load_pipeline(path)
