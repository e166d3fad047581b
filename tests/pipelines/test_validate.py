"""``headwater validate`` checks what ``run`` would check before training: rows after the
filters, each step's dtypes, nulls and NaN/inf in the features, the target, the split,
leakage, and bounded expressions; each problem exits 2 and names where it is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from headwater.pipelines.cli import app
from headwater.pipelines.config import load_pipeline
from headwater.pipelines.errors import ConfigError, DataError
from headwater.pipelines.preflight import check_data
from headwater.pipelines.pretrain import prepare
from headwater.pipelines.runner import run_pipeline

from .pipeline_helpers import PIPELINE, write_yaml


def _validate(folder, text, name="case.yaml"):
    """``headwater validate`` in-process: (exit code, output)."""
    path = write_yaml(folder, text, name)
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    return result.exit_code, result.output


def _prepare(folder, text):
    pipeline = load_pipeline(write_yaml(folder, text, "case.yaml"))
    check_data(pipeline)
    return prepare(pipeline)


def test_a_good_file_validates_with_its_row_counts(project):
    code, out = _validate(project, PIPELINE)
    assert code == 0, out
    assert "rows 240 train, 80 validation, 80 test" in out


def test_header_only_csv_is_refused_at_validate(project):
    (project / "empty.csv").write_text("x1,x2,colour,label,y\n")
    code, out = _validate(project, PIPELINE.replace("table.csv", "empty.csv"))
    assert code == 2 and "the data has no rows (empty.csv holds a header only" in out


def test_a_filter_that_removes_every_row_is_named_not_the_split(project):
    text = PIPELINE.replace("features:\n", 'features:\n  - filter: "x2 > 100"\n')
    code, out = _validate(project, text)
    assert code == 2
    assert "step 0 (filter 'x2 > 100') leaves no rows of the 400 it receives" in out
    assert "split" not in out


def test_an_empty_training_split_names_the_rows_left(project):
    text = PIPELINE.replace('features:\n', 'features:\n  - filter: "x2 > 2"\n  - derive: {part: "where(x2 > 0, 1, 0)"}\n')
    text = text.replace("split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}, seed: 1}",
                        "split: {time: {column: part, validation_from: 0}}")
    with pytest.raises(DataError, match=r"the training split is empty .*400 rows read; \d+ after step 0 \(filter"):
        _prepare(project, text)


def test_a_string_column_in_normalize_fails_at_validate_naming_the_step(project):
    text = PIPELINE.replace("  - normalize: [x1, x2]", "  - normalize: [x1, x2, label]")
    code, out = _validate(project, text)
    assert code == 2 and "step 2 (normalize) failed: Normalize needs numeric columns, but 'label' is str" in out


def test_string_times_two_fails_at_validate(project):
    text = PIPELINE.replace("features:\n", "features:\n  - derive: {twice: colour * 2}\n")
    code, out = _validate(project, text)
    assert code == 2
    assert "step 0 (derive) failed: in expression 'colour * 2': '*' cannot combine column 'colour'" in out
    assert "convert it with str(...)" not in out  # expressions have no str(): the hint must not advise it


def test_nan_in_a_feature_names_the_column_the_step_that_made_it_and_the_fix(project):
    # log of a negative number is NaN, not null: the null guard of the model inputs cannot see it
    text = PIPELINE.replace("features:\n", "features:\n  - derive: {lx: log(x2)}\n")
    code, out = _validate(project, text)
    assert code == 2
    assert "feature column 'lx', made by step 0 (derive), has" in out and "NaN values in the train split" in out
    assert "add a fillna step (- fillna: {columns: [lx], strategy: median})" in out
    # and run stops on it before training, with the same words (not "loss is nan")
    with pytest.raises(DataError, match="feature column 'lx', made by step 0"):
        run_pipeline(load_pipeline(project / "case.yaml", ["output.plots=false"]), device="cpu", cwd=project)
    assert not (project / "run" / "checkpoints").exists()


def test_infinite_feature_values_are_refused_with_a_filter_to_fix_them(project):
    text = PIPELINE.replace("features:\n", "features:\n  - derive: {ratio: x2 / (x2 - x2)}\n  - fillna: {columns: [ratio], strategy: constant, fill_value: 0}\n")
    code, out = _validate(project, text)
    assert code == 2
    assert "feature column 'ratio', made by step 0 (derive), has" in out and "infinite value" in out
    assert '- filter: "abs(ratio) < inf"' in out


def test_fillna_median_of_an_all_null_column_is_named_with_its_fix(project):
    table = pd.read_csv(project / "table.csv")
    table["empty"] = np.nan
    table.to_csv(project / "table.csv", index=False)
    text = PIPELINE.replace("  - fillna: {columns: [x1], strategy: mean}",
                            "  - fillna: {columns: [x1, empty], strategy: median}")
    code, out = _validate(project, text)
    assert code == 2
    assert "feature column 'empty' has 240 null values in the train split" in out
    assert "step 0 (fillna) fills 'empty' but learned no value" in out and "strategy: constant" in out


@pytest.mark.parametrize("task, column, message", [
    ("regression", "label", "target 'label' is str, but task: regression needs numbers"),
    ("binary", "label", "task: binary needs exactly 2 classes in 'label'"),
])
def test_the_target_kind_must_suit_the_task(project, task, column, message):
    text = PIPELINE.replace("target: {column: label, task: classification}", f"target: {{column: {column}, task: {task}}}")
    text = text.replace("metrics: [accuracy, f1]", "metrics: [rmse]" if task == "regression" else "metrics: [accuracy]")
    code, out = _validate(project, text)
    assert code == 2 and message in out


# -- leakage ------------------------------------------------------------------------------------
REGRESSION = PIPELINE.replace("target: {column: label, task: classification}", "target: {column: y, task: regression}") \
    .replace("  - drop: [y]\n", "  - drop: [label]\n").replace("metrics: [accuracy, f1]", "metrics: [r2]")


@pytest.mark.parametrize("step, refused", [
    ("- rolling: {columns: [y], window: 3}", "a rolling window over ['y'] includes the current row"),
    ("- rolling: {columns: [y], window: 3, closed: both}", "includes the current row (closed: both)"),
    ("- lag: {columns: [y], periods: [-1]}", "lag periods [-1] of ['y']"),
    ("- derive: {y2: y * 2}", "derive makes ['y2'] from ['y']"),
    ("- group_stats: {columns: [y], by: [colour]}", "use target_encode"),
])
def test_a_step_that_puts_the_target_into_the_features_is_refused(project, step, refused):
    text = REGRESSION.replace("features:\n", f"features:\n  {step}\n")
    code, out = _validate(project, text)
    assert code == 2 and "target leakage" in out and refused in out, out


def test_a_column_made_from_the_target_carries_the_leak(tmp_path):
    from headwater.pipelines.preflight import leakage_issues

    text = REGRESSION.replace("features:\n", "features:\n  - derive: {y2: y + 1}\n  - rolling: {columns: [y2], window: 2}\n")
    paths = [i.path for i in leakage_issues(load_pipeline(write_yaml(tmp_path, text)))]
    assert paths == ["features.0.derive", "features.1.rolling"]


@pytest.mark.parametrize("step, made", [
    ("- lag: {columns: [y], periods: [1, 2]}", ["y_lag1", "y_lag2"]),
    ("- rolling: {columns: [y], window: 3, closed: left}", ["y_rolling_mean_3_left"]),
    ("- target_encode: {columns: [colour], suffix: _te}", []),
    ('- filter: "y > -100"', []),
])
def test_legitimate_uses_of_the_target_pass(project, step, made):
    fill = f"  - fillna: {{columns: [{', '.join(made)}], strategy: constant, fill_value: 0}}\n" if made else ""
    text = REGRESSION.replace("features:\n", f"features:\n  {step}\n{fill}")
    code, out = _validate(project, text)
    assert code == 0, out


def test_a_window_that_leaves_the_row_out_learns_nothing_from_noise(tmp_path):
    rng = np.random.default_rng(0)
    n = 1500
    pd.DataFrame({"t": np.arange(n), "x": rng.normal(size=n), "y": rng.normal(size=n)}).to_csv(tmp_path / "noise.csv",
                                                                                                index=False)
    text = """\
    name: noise
    data: {sources: {n: {path: noise.csv}}}
    features:
      - rolling: {columns: [y], window: 5, order_by: [t], closed: left}
      - fillna: {columns: [y_rolling_mean_5_left], strategy: constant, fill_value: 0}
      - drop: [t]
    target: {column: y, task: regression}
    model: {type: mlp, hidden: [32]}
    train: {epochs: 15, batch_size: 64, lr: 0.01}
    evaluate: {metrics: [r2]}
    output: {dir: run, plots: false, tensorboard: false}
    """
    result = run_pipeline(load_pipeline(write_yaml(tmp_path, text)), device="cpu", cwd=tmp_path)
    assert result.metrics["test"]["r2"] < 0.05  # the refused closed: right window reached 0.5 on this noise
    with pytest.raises(ConfigError, match="target leakage"):
        check_data(load_pipeline(write_yaml(tmp_path, text.replace("closed: left", "closed: right")
                                            .replace("y_rolling_mean_5_left", "y_rolling_mean_5"))))


# -- bounded expressions --------------------------------------------------------------------------
@pytest.mark.parametrize("expression, reason", [
    ("x2 * 9 ** 9 ** 9 ** 9", "9 ** 387420489 has more than 1024 bits"),
    ("9 ** 9 ** 9 ** 9", "9 ** 387420489 has more than 1024 bits"),
    ("where(x2 > 0, 'ab' * 100000000, 'c')", "repeating a string of 2 characters 100000000 times"),
    ("x2 + 2.0 ** 100000", "overflows a float"),
])
def test_an_unbounded_constant_is_refused_at_validate_naming_the_expression(project, expression, reason):
    text = PIPELINE.replace("features:\n", f'features:\n  - derive: {{big: "{expression}"}}\n')
    code, out = _validate(project, text)  # refused from the sizes alone, never computed
    assert code == 2, out
    assert f"in expression {expression!r}" in out.replace('"', "'") or f"in expression \"{expression}\"" in out
    assert reason in out and "features.0.derive" in out
