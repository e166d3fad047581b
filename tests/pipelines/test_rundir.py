"""Where runs go, which run --resume picks, atomic writes."""

from __future__ import annotations

import os
import time

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
