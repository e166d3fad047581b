"""The ``headwater`` command through a subprocess: run, validate, predict, exit codes."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml

from headwater.utils.event_file import read_events

from .pipeline_helpers import PIPELINE, run_cli, write_yaml


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """One run of the tiny pipeline, shared by the tests that inspect its run directory."""
    from .pipeline_helpers import make_table

    folder = tmp_path_factory.mktemp("cli")
    make_table().to_csv(folder / "table.csv", index=False)
    (folder / "tiny.yaml").write_text(PIPELINE)
    proc = run_cli("run", "tiny.yaml", "--set", "train.epochs=4", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return folder, folder / "run", proc


def test_run_prints_progress_and_metrics(finished_run):
    _, _, proc = finished_run
    for line in ("epoch 1/4", "epoch 4/4", "train loss", "validation loss", "accuracy", "metrics (best epoch)"):
        assert line in proc.stdout


def test_run_directory_tells_the_whole_story(finished_run):
    _, run, _ = finished_run
    for name in ("config.yaml", "preprocessing.json", "history.json", "metrics.json", "predictions.parquet",
                 "checkpoints/last.hwt", "checkpoints/best.hwt", "plots/loss.png", "plots/metrics.png",
                 "plots/confusion_matrix.png"):
        assert (run / name).is_file(), name
    config = yaml.safe_load((run / "config.yaml").read_text())
    assert config["train"]["epochs"] == 4  # the --set value, resolved
    assert config["train"]["optimizer"] == "adam"  # defaults filled in
    metrics = json.loads((run / "metrics.json").read_text())
    assert set(metrics) == {"train", "validation", "test", "baseline"}
    assert set(metrics["test"]) == {"loss", "accuracy", "f1"}
    assert 0.6 < metrics["test"]["accuracy"] <= 1.0
    history = json.loads((run / "history.json").read_text())
    assert [r["epoch"] for r in history] == [1, 2, 3, 4]
    prep = json.loads((run / "preprocessing.json").read_text())
    assert [s["name"] for s in prep["steps"]] == ["fillna", "categorify", "normalize", "drop"]
    assert prep["steps"][2]["state"]["op"] == "normalize"
    assert prep["target"]["classes"] == ["maybe", "no", "yes"]
    assert prep["layout"] == {"numeric": ["x1", "x2"], "categorical": {"colour": 4}}
    for png in (run / "plots").glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tensorboard_events_hold_every_epoch(finished_run):
    _, run, _ = finished_run
    (events_file,) = (run / "tensorboard").glob("events.out.tfevents.*")
    events = [e for e in read_events(events_file) if e["scalars"]]
    assert [e["step"] for e in events] == [1, 2, 3, 4]
    history = json.loads((run / "history.json").read_text())
    for event, record in zip(events, history):
        assert event["scalars"]["train/loss"] == pytest.approx(record["train"]["loss"], rel=1e-6)
        assert event["scalars"]["validation/accuracy"] == pytest.approx(record["validation"]["accuracy"], rel=1e-6)


def test_predictions_cover_every_row_with_its_split(finished_run):
    folder, run, _ = finished_run
    table = pq.read_table(run / "predictions.parquet").to_pandas()
    assert len(table) == 400
    assert table["row"].tolist() == list(range(400))
    assert table["split"].value_counts().to_dict() == {"train": 240, "validation": 80, "test": 80}
    probs = table[["prob_maybe", "prob_no", "prob_yes"]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert (table["prediction"] == np.array(["maybe", "no", "yes"])[probs.argmax(axis=1)]).all()


def test_predict_applies_the_fitted_transforms_exactly(finished_run, tmp_path):
    folder, run, _ = finished_run
    out = tmp_path / "preds.parquet"
    proc = run_cli("predict", str(run), str(folder / "table.csv"), "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "400 predictions written" in proc.stdout
    ours = pq.read_table(out).to_pandas()
    theirs = pq.read_table(run / "predictions.parquet").to_pandas()
    assert ours["row"].tolist() == theirs["row"].tolist()
    assert ours["prediction"].tolist() == theirs["prediction"].tolist()
    cols = ["prob_maybe", "prob_no", "prob_yes"]
    np.testing.assert_allclose(ours[cols].to_numpy(), theirs[cols].to_numpy(), rtol=1e-6, atol=1e-7)


def test_predict_on_new_rows_without_the_target(finished_run, tmp_path):
    folder, run, _ = finished_run
    import pandas as pd

    new = pd.read_csv(folder / "table.csv").drop(columns=["label"]).head(5)
    new.loc[0, "colour"] = "purple"  # unseen category: the categorify bucket
    new.to_csv(tmp_path / "new.csv", index=False)
    proc = run_cli("predict", str(run), str(tmp_path / "new.csv"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0] == "row,prediction,prob_maybe,prob_no,prob_yes"
    assert len(lines) == 6


def test_predict_on_a_folder_that_is_not_a_run(tmp_path):
    (tmp_path / "d.csv").write_text("a\n1\n")
    proc = run_cli("predict", str(tmp_path), str(tmp_path / "d.csv"), cwd=tmp_path)
    assert proc.returncode == 2
    assert "is not a finished run directory (no config.yaml, preprocessing.json)" in proc.stderr


def test_quiet_prints_only_the_run_directory(project):
    proc = run_cli("run", "tiny.yaml", "--quiet", "--set", "train.epochs=1", "--set", "output.dir=q", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(project / "q")


def test_default_run_directory_is_runs_name_timestamp(project):
    text = PIPELINE.replace("output: {dir: run}\n", "")
    write_yaml(project, text, "nodir.yaml")
    proc = run_cli("run", "nodir.yaml", "--quiet", "--set", "train.epochs=1", cwd=project)
    assert proc.returncode == 0, proc.stderr
    (run,) = (project / "runs").iterdir()
    assert run.name.startswith("tiny-") and proc.stdout.strip() == str(run)


def test_data_paths_resolve_against_the_yaml_folder(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    proc = run_cli("run", str(project / "tiny.yaml"), "--quiet", "--set", "train.epochs=1", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert (elsewhere / "run" / "metrics.json").exists()  # output.dir is under the current directory


def test_validate_good_file(project):
    proc = run_cli("validate", "tiny.yaml", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout and "1 source(s), 4 step(s)" in proc.stdout


def test_validate_bad_file_exits_2_with_position_and_hint(project):
    write_yaml(project, PIPELINE.replace("epochs: 3", "epocs: 3"), "bad.yaml")
    proc = run_cli("validate", "bad.yaml", cwd=project)
    assert proc.returncode == 2
    assert "bad.yaml:13:9: train.epocs: unknown key 'epocs'; did you mean 'epochs'?" in proc.stderr


def test_run_bad_file_exits_2_before_any_work(project):
    write_yaml(project, PIPELINE.replace("task: classification", "task: classify"), "bad.yaml")
    proc = run_cli("run", "bad.yaml", cwd=project)
    assert proc.returncode == 2
    assert "target.task: expected 'classification', 'binary' or 'regression'; got 'classify'" in proc.stderr
    assert not (project / "run").exists()


def test_missing_data_file_exits_2(project):
    (project / "table.csv").unlink()
    proc = run_cli("run", "tiny.yaml", cwd=project)
    assert proc.returncode == 2
    assert "tiny.yaml:4:19: data.sources.table.path: no file matches 'table.csv'" in proc.stderr
    assert not (project / "run").exists()


def test_missing_column_exits_2_before_any_work(project):
    write_yaml(project, PIPELINE.replace("categorify: [colour]", "categorify: [color]"), "bad.yaml")
    proc = run_cli("run", "bad.yaml", cwd=project)
    assert proc.returncode == 2
    assert "features.1.categorify.0: column 'color' does not exist before step 1 (categorify); did you mean 'colour'?" \
        in proc.stderr
    assert not (project / "run").exists()


def test_bad_set_override_exits_2(project):
    proc = run_cli("run", "tiny.yaml", "--set", "train.epochs=many", cwd=project)
    assert proc.returncode == 2
    assert "--set: train.epochs: expected a valid integer" in proc.stderr


def test_unknown_device_exits_2(project):
    proc = run_cli("run", "tiny.yaml", "--device", "tpu", cwd=project)
    assert proc.returncode == 2
    assert "--device must be cpu, cuda or auto, got 'tpu'" in proc.stderr


def test_string_column_left_unencoded_exits_2(project):
    write_yaml(project, PIPELINE.replace("  - categorify: [colour]\n", ""), "raw.yaml")
    proc = run_cli("run", "raw.yaml", cwd=project)
    assert proc.returncode == 2
    assert "column 'colour' is" in proc.stderr and "add a categorify or one_hot step for it" in proc.stderr


def test_non_finite_loss_exits_1_naming_epoch_and_batch_and_keeps_the_last_good_checkpoint(project):
    # the step schedule multiplies the learning rate by a million after epoch 1
    text = PIPELINE.replace("train: {epochs: 3, batch_size: 32, lr: 0.01, seed: 0}",
                            "train: {epochs: 5, batch_size: 32, optimizer: sgd, lr: 0.001, seed: 0,\n"
                            "        scheduler: {type: step, step_size: 1, gamma: 1.0e+7}}")
    text = text.replace("target: {column: label, task: classification}", "target: {column: y, task: regression}")
    text = text.replace("  - drop: [y]\n", "  - drop: [label]\n").replace("metrics: [accuracy, f1]", "metrics: [rmse]")
    write_yaml(project, text, "nan.yaml")
    proc = run_cli("run", "nan.yaml", cwd=project)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "training loss is" in proc.stderr and "at epoch 2, batch" in proc.stderr
    assert "the last good checkpoint is" in proc.stderr and "last.hwt" in proc.stderr
    import headwater as hw

    saved = hw.load(str(project / "run" / "checkpoints" / "last.hwt"))
    assert json.loads(saved["trainer"])["epoch"] == 1
    weights = [np.asarray(v.numpy()) for v in saved["model"].values()]
    assert all(np.isfinite(w).all() for w in weights)


def test_cuda_without_a_gpu_exits_2(project):
    from headwater.tensor.backend.cuda import cuda_status

    if cuda_status()[0]:
        pytest.skip("a GPU is present")
    proc = run_cli("run", "tiny.yaml", "--device", "cuda", cwd=project)
    assert proc.returncode == 2
    assert "train.device" in proc.stderr and "device='cpu'" in proc.stderr
    assert not (project / "run").exists()


def test_help_lists_the_commands():
    proc = run_cli("--help")
    assert proc.returncode == 0
    for command in ("run", "validate", "predict", "info"):
        assert command in proc.stdout


def test_steps_lists_every_step_with_options_and_an_example():
    from headwater.pipelines.steps import STEPS

    proc = run_cli("steps")
    assert proc.returncode == 0, proc.stderr
    for name in STEPS:
        assert f"\n{name}  " in "\n" + proc.stdout
    proc = run_cli("steps", "normalize")
    assert "method: default 'standard'" in proc.stdout and "e.g. - normalize:" in proc.stdout
    proc = run_cli("steps", "normalise")
    assert proc.returncode == 2 and "did you mean 'normalize'?" in proc.stderr


# -- the command line itself ------------------------------------------------------------------
def _invoke(*args, cwd=None):
    """The CLI in-process: (exit code, stdout and stderr together)."""
    import os

    from typer.testing import CliRunner

    from headwater.pipelines.cli import app

    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "300", "HEADWATER_DEVICE": "cpu"})
    finally:
        os.chdir(old)
    return result.exit_code, result.output


def test_version():
    from headwater.pipelines.info import headwater_version

    code, out = _invoke("--version")
    assert code == 0 and out.strip() == f"headwater {headwater_version()}"


def test_resume_and_overwrite_are_flags():
    code, out = _invoke("run", "--help")
    assert code == 0
    lines = [line for line in out.splitlines() if "--resume" in line or "--overwrite" in line or "--quiet" in line]
    assert len(lines) == 3 and not any("<bool>" in line for line in lines), lines


def test_device_and_run_directory_errors_have_their_own_titles(project):
    from headwater.tensor.backend.cuda import cuda_status

    if not cuda_status()[0]:
        code, out = _invoke("run", "tiny.yaml", "--quiet", "--device", "cuda", cwd=project)
        assert code == 2 and out.startswith("error: device unavailable (1 problem)"), out
        assert "invalid pipeline file" not in out
    (project / "run").mkdir()
    (project / "run" / "metrics.json").write_text("{}")
    code, out = _invoke("run", "tiny.yaml", "--quiet", cwd=project)
    assert code == 2 and out.startswith("error: run directory refused (1 problem)"), out
    assert "--resume" in out and "--overwrite" in out and "invalid pipeline file" not in out


def test_info_shows_the_gpu_extra_unharmed_by_markup(monkeypatch):
    from headwater.pipelines import cli

    data = cli.collect_info()
    data["cuda"] = {"available": False, "status": 'CuPy is not installed; install the GPU extra with '
                                                 '`pip install "headwater[gpu]"` (CuPy for CUDA 12)'}
    data["device_reason"] = "[bold]literal brackets[/bold]"
    monkeypatch.setattr(cli, "collect_info", lambda: data)
    code, out = _invoke("info")
    assert code == 0
    assert 'pip install "headwater[gpu]"' in " ".join(out.split())
    assert "[bold]literal brackets[/bold]" in out


def _step_examples():
    import re

    from headwater.pipelines.steps import STEPS

    for name, cls in sorted(STEPS.items()):
        doc = cls.__doc__ or ""
        for line in doc.splitlines():
            if line.strip().startswith("YAML: "):
                yield name, line.strip()[6:].strip("`")
        block = re.search(r"YAML::\n\n((?:        .*\n)+)", doc)
        if block:
            yield name, "\n".join(line[4:] for line in block.group(1).splitlines())


@pytest.mark.parametrize("name, example", list(_step_examples()))
def test_every_steps_example_validates(tmp_path, name, example):
    from headwater.pipelines.config import load_pipeline

    text = ("name: example\ndata: {sources: {t: {path: t.csv}}}\ntarget: {column: y, task: regression}\n"
            "features:\n" + "\n".join(f"  {line}" for line in example.splitlines()) + "\n")
    pipeline = load_pipeline(write_yaml(tmp_path, text))
    assert [s.name for s in pipeline.steps] == [name]


def test_steps_prints_examples_for_every_step():
    from headwater.pipelines.steps import STEPS

    code, out = _invoke("steps")
    assert code == 0
    assert out.count("e.g. - ") >= len(STEPS) - 1  # derive's example spans lines
    assert "parts: [month, dayofweek]" in out
