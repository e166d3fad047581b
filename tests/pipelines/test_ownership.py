"""A reused output.dir never mixes two runs: refused, resumed only with the same config,
or overwritten; a concurrent run is kept out by the lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
import yaml

from headwater.pipelines.config import load_pipeline
from headwater.pipelines.errors import NonFiniteLossError, RunDirectoryError
from headwater.pipelines.runner import run_pipeline

from .pipeline_helpers import PIPELINE, write_yaml

FAST = ["output.plots=false", "output.tensorboard=false", "output.dir=out/x"]


def _run(project, *overrides, resume=False, overwrite=False, text=PIPELINE):
    pipeline = load_pipeline(write_yaml(project, text, "case.yaml"), [*FAST, *overrides])
    return run_pipeline(pipeline, device="cpu", cwd=project, resume=resume, overwrite=overwrite)


def test_a_second_config_cannot_adopt_the_first_runs_outputs(project):
    first = _run(project, "train.epochs=4")
    assert first.run_dir == project / "out" / "x"
    # run B, another config into the same directory, is refused before it touches anything
    with pytest.raises(RunDirectoryError, match="already holds the outputs of another run") as info:
        _run(project, "train.epochs=2", "model.hidden=[8]")
    assert info.value.exit_code == 2
    assert yaml.safe_load((first.run_dir / "config.yaml").read_text())["train"]["epochs"] == 4
    # and B --resume does not adopt A's checkpoint: the differing keys are named
    with pytest.raises(RunDirectoryError, match=r"model.hidden: \[16\] then, \[8\] now"):
        _run(project, "train.epochs=6", "model.hidden=[8]", resume=True)
    assert len(json.loads((first.run_dir / "history.json").read_text())) == 4  # A's files untouched


def test_resume_with_the_same_config_continues_and_more_epochs_are_allowed(project):
    _run(project, "train.epochs=2")
    more = _run(project, "train.epochs=3", resume=True)
    assert more.resumed_from == 2 and [r["epoch"] for r in more.history] == [1, 2, 3]


def test_overwrite_replaces_the_run_and_a_nan_failure_names_no_foreign_checkpoint(project):
    _run(project, "train.epochs=2")
    nan = PIPELINE.replace("train: {epochs: 3, batch_size: 32, lr: 0.01, seed: 0}",
                           "train: {epochs: 3, batch_size: 32, optimizer: sgd, lr: 1.0e+30, seed: 0}")
    with pytest.raises(NonFiniteLossError, match="no epoch had completed, so there is no checkpoint"):
        _run(project, overwrite=True, text=nan)
    assert not (project / "out" / "x" / "checkpoints").exists()
    assert not (project / "out" / "x" / "metrics.json").exists()


def test_a_concurrent_run_is_refused_and_the_lock_dies_with_its_holder(project):
    run_dir = project / "out" / "x"
    code = ("import sys, time; from headwater.pipelines.rundir import RunLock; RunLock(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(120)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(run_dir)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunDirectoryError, match=f"another run \\(process {holder.pid}\\) is writing to"):
            _run(project, "train.epochs=1")
        assert sorted(p.name for p in run_dir.iterdir()) == [".headwater.lock"]  # nothing was written
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert _run(project, "train.epochs=1").run_dir == run_dir


def test_batch_norm_with_a_last_batch_of_one_row(project):
    # 240 training rows in batches of 239 leave one row over: batch statistics of one row are undefined
    result = _run(project, "model.norm=batch", "train.batch_size=239", "train.epochs=2")
    assert len(result.history) == 2 and all(r["train"]["loss"] == r["train"]["loss"] for r in result.history)
