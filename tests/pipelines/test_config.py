"""Validation of pipeline files: good files load, every bad one says where and what."""

from __future__ import annotations

from pathlib import Path

import pytest

from headwater.pipelines.config import load_pipeline
from headwater.pipelines.errors import ConfigError
from headwater.pipelines.preflight import check_data
from headwater.pipelines.schema import PipelineConfig

from .pipeline_helpers import EXAMPLES, PIPELINE, write_yaml

BASE = """\
name: t
data:
  sources:
    table: {path: table.csv}
target: {column: label, task: classification}
"""


def _errors(folder: Path, text: str) -> list[str]:
    path = write_yaml(folder, text)
    with pytest.raises(ConfigError) as err:
        load_pipeline(path)
    return [str(issue).replace(str(path), "p.yaml") for issue in err.value.issues]


@pytest.mark.parametrize("name", ["penguins", "diabetes", "synthetic"])
def test_examples_are_valid(name):
    pipeline = load_pipeline(EXAMPLES / f"{name}.yaml")
    assert pipeline.config.name
    assert pipeline.steps or name == "diabetes"


def test_defaults_are_filled_and_resolved_config_round_trips(project):
    pipeline = load_pipeline(project / "tiny.yaml")
    resolved = pipeline.resolved()
    assert resolved["train"]["optimizer"] == "adam"
    assert resolved["split"]["fractions"] == {"train": 0.6, "validation": 0.2, "test": 0.2}
    assert resolved["features"][1] == {"categorify": {"columns": ["colour"], "min_frequency": 1}}
    assert PipelineConfig.model_validate(resolved).train.epochs == 3
    assert [s.target for s in pipeline.steps] == ["label"] * 4


def test_set_overrides_reach_the_config(project):
    pipeline = load_pipeline(project / "tiny.yaml", ["train.epochs=9", "model.hidden=[4, 4]"])
    assert pipeline.config.train.epochs == 9
    assert pipeline.config.model.hidden == [4, 4]


def test_unknown_key_suggests_the_closest(tmp_path):
    errors = _errors(tmp_path, BASE + "train:\n  epocs: 3\n")
    assert errors == ["p.yaml:7:3: train.epocs: unknown key 'epocs'; did you mean 'epochs'? valid keys here: "
                      "batch_size, device, distributed, early_stopping, epochs, grad_clip, lr, momentum, optimizer, "
                      "scheduler, "
                      "seed, weight_decay"]


def test_unknown_top_level_section(tmp_path):
    (error,) = _errors(tmp_path, BASE + "modle: {type: mlp}\n")
    assert error.startswith("p.yaml:6:1: modle: unknown key 'modle'; did you mean 'model'?")


def test_wrong_type_names_expected_and_got(tmp_path):
    (error,) = _errors(tmp_path, BASE + "train:\n  epochs: ten\n")
    assert error.startswith("p.yaml:7:11: train.epochs: expected a valid integer")
    assert error.endswith("got 'ten'")


def test_out_of_range(tmp_path):
    (error,) = _errors(tmp_path, BASE + "train: {lr: -0.1}\n")
    assert error == "p.yaml:6:13: train.lr: expected greater than 0; got -0.1"


def test_choice_suggests_the_closest(tmp_path):
    (error,) = _errors(tmp_path, BASE.replace("task: classification", "task: clasification"))
    assert error == ("p.yaml:5:31: target.task: expected 'classification', 'binary' or 'regression'; "
                     "got 'clasification' (did you mean 'classification'?)")


def test_missing_required_key_points_at_its_parent(tmp_path):
    (error,) = _errors(tmp_path, BASE.replace("target: {column: label, task: classification}", "target: {column: label}"))
    assert error == "p.yaml:5:9: target.task: missing required key 'task'"


def test_missing_section(tmp_path):
    (error,) = _errors(tmp_path, "name: t\ntarget: {column: y, task: regression}\n")
    assert error.endswith("data: missing required key 'data'")


def test_unknown_step_suggests_the_closest(tmp_path):
    (error,) = _errors(tmp_path, BASE + "features:\n  - normalise: [x1]\n")
    assert error.startswith("p.yaml:7:5: features.0.normalise: unknown step 'normalise'; did you mean 'normalize'? "
                            "steps are ")


def test_step_option_errors_are_located_inside_the_step(tmp_path):
    errors = _errors(tmp_path, BASE + "features:\n  - normalize: {columns: [x1], method: zscore}\n"
                                      "  - categorify: {columns: [colour], min_freq: 2}\n")
    assert errors == [
        "p.yaml:7:40: features.0.normalize.method: expected 'standard', 'minmax' or 'robust'; got 'zscore'",
        "p.yaml:8:37: features.1.categorify.min_freq: unknown key 'min_freq'; did you mean 'min_frequency'? "
        "valid keys here: columns, min_frequency",
    ]


def test_a_step_is_one_mapping(tmp_path):
    (error,) = _errors(tmp_path, BASE + "features:\n  - {drop: [a], select: [b]}\n")
    assert error.startswith("p.yaml:7:5: features.0: each step is one mapping {step_name: options}, got 2 keys")


def test_bad_expression_is_refused_at_validation(tmp_path):
    (error,) = _errors(tmp_path, BASE + "features:\n  - filter: \"__import__('os').system('x')\"\n")
    assert error == ("p.yaml:7:13: features.0.filter: in expression \"__import__('os').system('x')\": "
                     "only functions of the table can be called, by plain name (e.g. log(x))")


def test_fillna_constant_needs_a_value(tmp_path):
    (error,) = _errors(tmp_path, BASE + "features:\n  - fillna: {columns: [x1], strategy: constant}\n")
    assert error == "p.yaml:7:13: features.0.fillna: strategy: constant needs fill_value"


def test_metric_must_suit_the_task(tmp_path):
    (error,) = _errors(tmp_path, BASE + "evaluate: {metrics: [accuracy, rmse]}\n")
    assert error == "p.yaml:6:32: evaluate.metrics.1: rmse is not a classification metric; use one of " \
                    "accuracy, precision, recall, f1, roc_auc, log_loss"


def test_early_stopping_metric_must_be_reported(tmp_path):
    (error,) = _errors(tmp_path, BASE + "train:\n  early_stopping: {metric: validation.acuracy}\n")
    assert error.startswith("p.yaml:7:28: train.early_stopping.metric: unknown metric 'validation.acuracy'; "
                            "did you mean 'validation.accuracy'?")


def test_split_fractions_must_add_up(tmp_path):
    (error,) = _errors(tmp_path, BASE + "split: {fractions: {train: 0.7, validation: 0.2, test: 0.2}}\n")
    assert error == "p.yaml:6:20: split.fractions: train + validation + test must add up to 1, got 1.1"


def test_one_way_to_split(tmp_path):
    (error,) = _errors(tmp_path, BASE + "split: {column: s, time: {column: t, validation_from: 2024-01-01}}\n")
    assert error == "p.yaml:6:8: split: choose one way to split, got column and time"


def test_join_must_name_another_source(tmp_path):
    text = ("name: t\ndata:\n  sources:\n    table: {path: table.csv}\n    customers: {path: c.csv}\n"
            "  joins:\n    - {right: custmers, on: [id]}\ntarget: {column: label, task: classification}\n")
    (error,) = _errors(tmp_path, text)
    assert error.startswith("p.yaml:7:15: data.joins.0.right: 'custmers' is not a source to join onto 'table'; "
                            "did you mean 'customers'?")


def test_all_problems_are_reported_together_in_file_order(tmp_path):
    errors = _errors(tmp_path, BASE + "train: {epochs: 0, optimizer: adamm}\nmodel: {dropout: 1.5}\n")
    assert [e.split(": ")[1] for e in errors] == ["train.epochs", "train.optimizer", "model.dropout"]


def test_invalid_name(tmp_path):
    (error,) = _errors(tmp_path, BASE.replace("name: t", "name: 'my run/1'"))
    assert error.startswith("p.yaml:1:7: name: expected a string matching the pattern")


# -- checks against the data, before any work ------------------------------------------
def test_missing_data_file_is_reported_with_its_line(tmp_path):
    path = write_yaml(tmp_path, PIPELINE)
    with pytest.raises(ConfigError) as err:
        check_data(load_pipeline(path))
    (issue,) = err.value.issues
    assert (issue.path, issue.line, issue.column) == ("data.sources.table.path", 4, 19)
    assert "no file matches 'table.csv'" in issue.message


def test_missing_column_is_reported_with_the_closest(project):
    text = PIPELINE.replace("normalize: [x1, x2]", "normalize: [x1, x_2]")
    path = write_yaml(project, text)
    with pytest.raises(ConfigError) as err:
        check_data(load_pipeline(path))
    (issue,) = err.value.issues
    # points at the misspelt name itself: line 8, the second item of the list
    assert (issue.path, issue.line, issue.column) == ("features.2.normalize.1", 8, 21)
    assert issue.message == ("column 'x_2' does not exist before step 2 (normalize); did you mean 'x2'? "
                             "the columns are ['x1', 'x2', 'colour', 'label', 'y']")


def test_column_dropped_earlier_is_missing_later(project):
    text = PIPELINE.replace("  - drop: [y]\n", "").replace("  - fillna:", "  - drop: [x2]\n  - fillna:")
    with pytest.raises(ConfigError, match="column 'x2' does not exist before step 3"):
        check_data(load_pipeline(write_yaml(project, text)))


def test_derived_columns_are_known_to_later_steps(project):
    text = PIPELINE.replace("  - drop: [y]\n", "  - drop: [y]\n  - derive: {z: x1 * 2}\n  - normalize: [z]\n")
    assert check_data(load_pipeline(write_yaml(project, text)))[:2] == ["x1", "x2"]


def test_target_and_split_columns_are_checked(project):
    text = PIPELINE.replace("column: label", "column: lable").replace(
        "split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}, seed: 1}", "split: {column: fold}")
    with pytest.raises(ConfigError) as err:
        check_data(load_pipeline(write_yaml(project, text)))
    messages = [str(i) for i in err.value.issues]
    assert any("target.column: column 'lable' does not exist in the data; did you mean 'label'?" in m for m in messages)
    assert any("split.column: column 'fold' does not exist" in m for m in messages)


def test_unknown_keys_inside_dicts_and_lists_get_suggestions(tmp_path):
    text = ("name: t\ndata:\n  sources:\n    table: {pth: table.csv}\n    other: {path: o.csv}\n"
            "  joins:\n    - {right: other, on: [id], hw: left}\ntarget: {column: label, task: classification}\n")
    errors = _errors(tmp_path, text)
    # the misspelt 'pth' is reported once, not also as a missing 'path'
    assert errors == [
        "p.yaml:4:13: data.sources.table.pth: unknown key 'pth'; did you mean 'path'? valid keys here: "
        "columns, dtype, format, na_values, parse_dates, path, sep",
        "p.yaml:7:32: data.joins.0.hw: unknown key 'hw'; did you mean 'how'? valid keys here: "
        "how, left, left_on, on, right, right_on, suffixes",
    ]


def test_batch_norm_needs_batches_of_two_rows(tmp_path):
    from headwater.pipelines.config import load_pipeline

    text = ("name: t\ndata: {sources: {t: {path: t.csv}}}\ntarget: {column: y, task: regression}\n"
            "model: {norm: batch}\ntrain: {batch_size: 1}\n")
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="train.batch_size: batch normalisation needs batches of at least 2 rows"):
        load_pipeline(path)
