"""A run killed with SIGKILL mid-training resumes and ends exactly as an uninterrupted one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from .pipeline_helpers import PIPELINE, make_table, run_cli

EPOCHS = 10


def _start(folder, out):
    env = dict(os.environ, HEADWATER_DEVICE="cpu")
    return subprocess.Popen(
        [sys.executable, "-m", "headwater.pipelines.cli", "run", "big.yaml", "--quiet", "--set", f"output.dir={out}"],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _epochs_done(run_dir):
    try:
        return len(json.loads((run_dir / "history.json").read_text()))
    except (FileNotFoundError, json.JSONDecodeError):
        return 0


@pytest.fixture
def big_project(tmp_path):
    make_table(n=8000, seed=3).to_csv(tmp_path / "table.csv", index=False)
    text = PIPELINE.replace("train: {epochs: 3, batch_size: 32, lr: 0.01, seed: 0}",
                            f"train: {{epochs: {EPOCHS}, batch_size: 16, lr: 0.003, seed: 7, "
                            f"scheduler: {{type: cosine}}}}")
    text = text.replace("model: {type: mlp, hidden: [16]}", "model: {type: mlp, hidden: [32, 16], dropout: 0.2}")
    (tmp_path / "big.yaml").write_text(text)
    return tmp_path


def test_sigkill_then_resume_matches_an_uninterrupted_run(big_project):
    reference = run_cli("run", "big.yaml", "--quiet", "--set", "output.dir=whole", cwd=big_project)
    assert reference.returncode == 0, reference.stderr

    run_dir = big_project / "killed"
    proc = _start(big_project, "killed")
    deadline = time.monotonic() + 120
    while _epochs_done(run_dir) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    done = _epochs_done(run_dir)
    assert 2 <= done < EPOCHS, f"the run was not killed mid-training ({done} epochs done)"
    assert not (run_dir / "metrics.json").exists()

    resumed = run_cli("run", "big.yaml", "--resume", "--set", "output.dir=killed", cwd=big_project)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming after epoch" in resumed.stdout

    whole = json.loads((big_project / "whole" / "metrics.json").read_text())
    again = json.loads((run_dir / "metrics.json").read_text())
    assert again == whole  # bit-for-bit on the CPU: same seed per epoch, same order of work
    h1 = json.loads((big_project / "whole" / "history.json").read_text())
    h2 = json.loads((run_dir / "history.json").read_text())
    assert h1 == h2 and len(h1) == EPOCHS


def test_resume_without_a_checkpoint_exits_2(big_project):
    proc = run_cli("run", "big.yaml", "--resume", "--set", "output.dir=nothing", cwd=big_project)
    assert proc.returncode == 2
    assert "--resume: no run with a checkpoint in nothing" in proc.stderr


def test_resume_refuses_a_changed_config(big_project):
    first = run_cli("run", "big.yaml", "--quiet", "--set", "output.dir=r", "--set", "train.epochs=1", cwd=big_project)
    assert first.returncode == 0, first.stderr
    proc = run_cli("run", "big.yaml", "--resume", "--set", "output.dir=r", "--set", "model.hidden=[8]", cwd=big_project)
    assert proc.returncode == 2
    assert "model.hidden: [32, 16] then, [8] now" in proc.stderr and "was made with another config" in proc.stderr
    assert proc.stderr.startswith("error: run directory refused")


def test_resume_may_extend_the_epochs(big_project):
    first = run_cli("run", "big.yaml", "--quiet", "--set", "output.dir=r", "--set", "train.epochs=2",
                    "--set", "train.scheduler=null", cwd=big_project)
    assert first.returncode == 0, first.stderr
    more = run_cli("run", "big.yaml", "--resume", "--quiet", "--set", "output.dir=r", "--set", "train.epochs=3",
                   "--set", "train.scheduler=null", cwd=big_project)
    assert more.returncode == 0, more.stderr
    history = json.loads((big_project / "r" / "history.json").read_text())
    assert [r["epoch"] for r in history] == [1, 2, 3]
    assert np.isfinite(history[-1]["train"]["loss"])
