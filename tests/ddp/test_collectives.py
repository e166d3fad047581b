"""hw.distributed: the process group and the collectives on the loopback backend."""

from __future__ import annotations

import pytest

import headwater as hw
import headwater.distributed as dist


@pytest.fixture
def loopback():
    dist.init_process_group("loopback")
    yield
    dist.destroy_process_group()


def test_the_loopback_group(loopback):
    assert dist.is_initialized() and dist.get_backend() == "loopback"
    assert (dist.get_rank(), dist.get_world_size()) == (0, 1)
    t = hw.tensor([1.0, 2.0, 3.0])
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    dist.broadcast(t, src=0)
    assert t.tolist() == [1.0, 2.0, 3.0]
    out = [hw.zeros(3)]
    dist.all_gather(out, t)
    assert out[0].tolist() == [1.0, 2.0, 3.0]
    target = hw.zeros(3)
    dist.reduce_scatter(target, [t], op="avg")
    assert target.tolist() == [1.0, 2.0, 3.0]
    dist.barrier()


def test_errors_name_the_fix(loopback):
    with pytest.raises(RuntimeError, match="already initialized"):
        dist.init_process_group("loopback")
    with pytest.raises(ValueError, match="src=3"):
        dist.broadcast(hw.zeros(1), src=3)
    with pytest.raises(ValueError, match="unknown reduction 'mean'"):
        dist.all_reduce(hw.zeros(1), op="mean")
    with pytest.raises(TypeError, match="expected a Tensor"):
        dist.all_reduce([1.0])
    with pytest.raises(NotImplementedError, match="async_op"):
        dist.all_reduce(hw.zeros(1), async_op=True)
    with pytest.raises(ValueError, match="2 tensors for a world of 1"):
        dist.all_gather([hw.zeros(1), hw.zeros(1)], hw.zeros(1))


def test_misuse_before_init():
    with pytest.raises(RuntimeError, match="init_process_group"):
        dist.get_rank()
    with pytest.raises(ValueError, match="backend must be one of"):
        dist.init_process_group("gloo")
    with pytest.raises(ValueError, match="one process"):
        dist.init_process_group("loopback", world_size=2)
    assert not dist.is_initialized()


def test_mpi_refuses_a_spawned_world(monkeypatch):
    pytest.importorskip("mpi4py")
    monkeypatch.setenv("WORLD_SIZE", "2")
    with pytest.raises(RuntimeError, match="not started by mpiexec"):
        dist.init_process_group("mpi")
    assert not dist.is_initialized()


def test_mpi_at_world_size_one():
    pytest.importorskip("mpi4py")
    dist.init_process_group("mpi")
    try:
        t = hw.tensor([[1.0, 2.0]], device="cpu")  # the mpi backend reduces CPU tensors
        dist.all_reduce(t, op="sum")
        assert t.tolist() == [[1.0, 2.0]] and dist.get_world_size() == 1
        dist.broadcast(t, 0)
        assert t.tolist() == [[1.0, 2.0]]
        out = [hw.zeros(1, 2, device="cpu")]
        dist.all_gather(out, t)
        assert out[0].tolist() == [[1.0, 2.0]]
    finally:
        dist.destroy_process_group()
