"""Faults between ranks: a rank that hangs or fails, another model on one rank, and the timeout option."""

from __future__ import annotations

import datetime
import json
import pathlib
import subprocess
import sys

import pytest

import headwater.distributed as dist

HERE = pathlib.Path(__file__).parent


def _launch(mode: str, out: pathlib.Path) -> subprocess.CompletedProcess:
    pytest.importorskip("mpi4py")
    from headwater.distributed.launch import find_mpiexec

    if find_mpiexec() is None:
        pytest.skip("no mpiexec: pip install mpich")
    return subprocess.run([sys.executable, "-m", "headwater.pipelines.cli", "launch", "-n", "2", "--timeout", "300",
                           str(HERE / "fault_script.py"), mode, str(out)], capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hang", "fail"])
def test_a_rank_that_hangs_or_fails_stops_the_others_with_a_clear_error(tmp_path, mode):
    done = _launch(mode, tmp_path)
    # the launch ends long before its own 300 s limit and before the hung rank's 600 s sleep:
    # rank 0's collective timed out (2 s) and the job was aborted when it exited
    assert done.returncode != 0
    report = json.loads((tmp_path / "rank0.json").read_text())
    assert report["error"] == "DistTimeoutError" and report["step"] == 3
    assert "rank 0 of 2: all_reduce did not complete within 2 s" in report["message"]
    assert "another rank failed, hangs" in report["message"]
    # the group is unusable afterwards: a later collective raises at once instead of waiting again
    assert "unusable since all_reduce timed out" in report["later"]
    assert "DistTimeoutError" in done.stderr
    if mode == "fail":
        assert "rank 1 fails on purpose" in done.stderr
    assert not (tmp_path / "rank1.json").exists()


@pytest.mark.slow
def test_parameter_shapes_that_differ_across_ranks_are_refused_at_wrap_time(tmp_path):
    done = _launch("shapes", tmp_path)
    assert done.returncode == 0, done.stderr
    for rank, width in ((0, 8), (1, 9)):
        report = json.loads((tmp_path / f"rank{rank}.json").read_text())
        assert report["error"] == "ValueError"
        assert f"rank {rank} holds parameters whose shapes differ" in report["message"]
        assert f"({width}, 4)" in report["message"] and "build the same model on every rank" in report["message"]


def test_timeout_is_seconds_or_a_timedelta():
    dist.init_process_group("loopback", timeout=datetime.timedelta(seconds=5))
    try:
        assert dist.group.current().timeout == 5.0
    finally:
        dist.destroy_process_group()
    dist.init_process_group("loopback")
    try:
        assert dist.group.current().timeout == 1800.0  # torch's default, 30 minutes
    finally:
        dist.destroy_process_group()
    with pytest.raises(ValueError, match="timeout= must be positive"):
        dist.init_process_group("loopback", timeout=0)
    with pytest.raises(TypeError, match="timedelta or a number of seconds"):
        dist.init_process_group("loopback", timeout="5s")
    with pytest.raises(NotImplementedError, match="init_method="):
        dist.init_process_group("loopback", init_method="tcp://127.0.0.1:1")
    assert not dist.is_initialized()


def test_a_broken_group_refuses_every_later_collective():
    pytest.importorskip("mpi4py")
    import headwater as hw

    dist.init_process_group("mpi", timeout=1.0)
    try:
        comm = dist.group.current()
        comm.broken = "all_reduce timed out after 1 s"  # what a timed-out collective leaves
        with pytest.raises(dist.DistBackendError, match="unusable since all_reduce timed out"):
            dist.all_reduce(hw.ones(2))
        with pytest.raises(dist.DistBackendError, match="resume from the last checkpoint"):
            dist.barrier()
        comm.broken = None
        dist.barrier()
    finally:
        dist.destroy_process_group()
