"""Where runs go, which run --resume picks, atomic writes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from headwater.pipelines.errors import ConfigError
from headwater.pipelines.rundir import find_resumable, make_run_dir, write_text


def test_default_directory_and_same_second_runs(tmp_path):
    first = make_run_dir("demo", None, tmp_path)
    first.mkdir(parents=True)
    second = make_run_dir("demo", None, tmp_path)
    assert first.parent == tmp_path / "runs" and first.name.startswith("demo-")
    assert second != first


def test_output_dir_is_relative_to_the_current_directory(tmp_path):
    assert make_run_dir("demo", "out/r1", tmp_path) == tmp_path / "out" / "r1"
    assert make_run_dir("demo", str(tmp_path / "abs"), tmp_path / "elsewhere") == tmp_path / "abs"


def test_resume_picks_the_newest_run_with_a_checkpoint(tmp_path):
    for name, age in (("demo-1", 30), ("demo-2", 10), ("other-1", 0)):
        ckpt = tmp_path / "runs" / name / "checkpoints" / "last.hwt"
        ckpt.parent.mkdir(parents=True)
        ckpt.write_bytes(b"x")
        stamp = time.time() - age
        os.utime(ckpt, (stamp, stamp))
    (tmp_path / "runs" / "demo-3").mkdir()  # newest, but nothing to resume
    assert find_resumable("demo", None, tmp_path) == tmp_path / "runs" / "demo-2"
    with pytest.raises(ConfigError, match="no run with a checkpoint in runs/nothing-"):
        find_resumable("nothing", None, tmp_path)


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    write_text(tmp_path / "a" / "f.txt", "hello")
    assert (tmp_path / "a" / "f.txt").read_text() == "hello"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["f.txt"]


# -- a run directory belongs to one run ------------------------------------------------------
def _held_lock(run_dir):
    """A child process that takes the run directory's lock and waits; returns it once locked."""
    import subprocess
    import sys

    code = ("import sys, time; from headwater.pipelines.rundir import RunLock; RunLock(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(run_dir)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_run_is_kept_out_while_the_first_holds_the_lock_and_let_in_once_it_dies(tmp_path):
    import signal

    from headwater.pipelines.errors import RunDirectoryError
    from headwater.pipelines.rundir import claim_run_dir

    run_dir = tmp_path / "out"
    proc = _held_lock(run_dir)
    try:
        with pytest.raises(RunDirectoryError, match=r"another run \(process \d+\) is writing to .*out") as info:
            claim_run_dir(run_dir)
        assert info.value.exit_code == 2
        assert str(info.value).startswith("run directory refused")
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # the kernel drops a dead process's flock
        proc.wait()
    claim_run_dir(run_dir).release()


def test_a_directory_with_another_runs_outputs_is_refused_unless_resumed_or_overwritten(tmp_path):
    from headwater.pipelines.errors import RunDirectoryError
    from headwater.pipelines.rundir import claim_run_dir

    run_dir = tmp_path / "out"
    (run_dir / "checkpoints").mkdir(parents=True)
    (run_dir / "checkpoints" / "last.hwt").write_bytes(b"x")
    (run_dir / "metrics.json").write_text("{}")
    (run_dir / "notes.txt").write_text("mine")
    with pytest.raises(RunDirectoryError, match="holds the outputs of another run .*--resume.*--overwrite"):
        claim_run_dir(run_dir)
    claim_run_dir(run_dir, resume=True).release()  # resuming keeps them
    assert (run_dir / "metrics.json").exists()
    claim_run_dir(run_dir, overwrite=True).release()
    assert sorted(p.name for p in run_dir.iterdir()) == [".headwater.lock", "notes.txt"]  # only run files go
    with pytest.raises(RunDirectoryError, match="give one of them"):
        claim_run_dir(run_dir, resume=True, overwrite=True)


def test_resume_names_the_keys_that_differ_and_allows_epochs_device_and_output():
    from headwater.pipelines.errors import RunDirectoryError
    from headwater.pipelines.rundir import check_same_config, config_differences

    saved = {"train": {"epochs": 5, "lr": 0.01, "device": "cpu"}, "model": {"hidden": [16]},
             "output": {"dir": "a", "plots": True}, "features": [{"normalize": {"columns": ["x"]}}]}
    allowed = {"train": {"epochs": 50, "lr": 0.01, "device": "cuda", "distributed": True}, "model": {"hidden": [16]},
               "output": {"dir": "b", "plots": False}, "features": [{"normalize": {"columns": ["x"]}}]}
    assert config_differences(saved, allowed) == []
    check_same_config(Path("r"), saved, allowed)
    changed = {**allowed, "model": {"hidden": [32]}, "features": [{"normalize": {"columns": ["y"]}}]}
    assert config_differences(saved, changed) == ["features.0.normalize.columns", "model.hidden"]
    with pytest.raises(RunDirectoryError, match=r"model.hidden: \[16\] then, \[32\] now") as info:
        check_same_config(Path("r"), saved, changed)
    assert info.value.issues[0].path == "features.0.normalize.columns, model.hidden"


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_every_run_file_and_hw_save_get_the_umasks_permissions(tmp_path, umask):
    import pyarrow as pa

    import headwater as hw
    from headwater.pipelines.rundir import write_json, write_parquet

    old = os.umask(umask)
    try:
        write_text(tmp_path / "a.txt", "x")
        write_json(tmp_path / "b.json", {"x": 1})
        write_parquet(tmp_path / "c.parquet", pa.table({"x": [1]}))
        hw.save({"w": hw.zeros(2)}, tmp_path / "d.hwt")
        open(tmp_path / "plain", "w").close()
    finally:
        os.umask(old)
    want = (tmp_path / "plain").stat().st_mode & 0o777
    assert want == 0o666 & ~umask
    for name in ("a.txt", "b.json", "c.parquet", "d.hwt"):
        assert (tmp_path / name).stat().st_mode & 0o777 == want, name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json", "c.parquet", "d.hwt", "plain"]


def test_a_failed_write_leaves_the_old_file_whole(tmp_path):
    from headwater.autograd.serialization import atomic_open

    write_text(tmp_path / "f.txt", "old")
    with pytest.raises(RuntimeError):
        with atomic_open(tmp_path / "f.txt", "w") as fh:
            fh.write("half of the new")
            raise RuntimeError("killed mid-write")
    assert (tmp_path / "f.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]
