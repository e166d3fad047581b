"""The MPI backend: mpi4py's ``COMM_WORLD`` on NumPy buffers (CPU tensors)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from headwater.distributed.communicator import Communicator
from headwater.distributed.reduce_op import ReduceOp

__all__ = ["MpiCommunicator"]


def _mpi() -> Any:
    try:
        from mpi4py import MPI
    except ImportError as exc:
        raise ImportError("the 'mpi' backend needs mpi4py and an MPI library: "
                          "pip install \"headwater[distributed]\" (mpi4py with the mpich wheel)") from exc
    return MPI


class MpiCommunicator(Communicator):
    """Collectives over MPI processes started by ``headwater launch`` (or ``mpiexec``)."""

    backend = "mpi"

    def __init__(self, rank: int | None = None, world_size: int | None = None) -> None:
        MPI = _mpi()
        self._MPI = MPI
        self._comm = MPI.COMM_WORLD
        self.rank, self.world_size = self._comm.Get_rank(), self._comm.Get_size()
        for name, given, actual in (("rank", rank, self.rank), ("world_size", world_size, self.world_size)):
            if given is not None and given != actual:
                raise ValueError(f"init_process_group('mpi'): {name}={given} but MPI says {actual}; leave {name} "
                                 f"unset (MPI knows it) or start the processes with headwater launch -n N")
        launched = os.environ.get("WORLD_SIZE")
        if launched is not None and int(launched) != self.world_size:
            raise RuntimeError(f"init_process_group('mpi'): WORLD_SIZE={launched} but MPI sees {self.world_size} "
                               f"process(es): the ranks were not started by mpiexec; run headwater launch with "
                               f"--mpi, or use backend='nccl' for spawned GPU ranks")
        self._ops = {ReduceOp.SUM: MPI.SUM, ReduceOp.AVG: MPI.SUM, ReduceOp.PRODUCT: MPI.PROD,
                     ReduceOp.MIN: MPI.MIN, ReduceOp.MAX: MPI.MAX}

    def _host(self, array: Any) -> np.ndarray:
        if not isinstance(array, np.ndarray):
            raise TypeError("the 'mpi' backend reduces CPU tensors; move them with .cpu() or use backend='nccl' "
                            "for GPU tensors")
        return array

    def all_reduce(self, array: Any, op: ReduceOp) -> None:
        buf = self._host(array)
        out = np.empty_like(buf)
        self._comm.Allreduce(np.ascontiguousarray(buf), out, op=self._ops[op])
        if op is ReduceOp.AVG:
            out /= self.world_size
        buf[...] = out

    def broadcast(self, array: Any, src: int) -> None:
        buf = self._host(array)
        tmp = np.ascontiguousarray(buf)
        self._comm.Bcast(tmp, root=src)
        if tmp is not buf:
            buf[...] = tmp

    def all_gather(self, array: Any) -> Any:
        buf = np.ascontiguousarray(self._host(array))
        out = np.empty((self.world_size, *buf.shape), dtype=buf.dtype)
        self._comm.Allgather(buf, out)
        return out

    def reduce_scatter(self, array: Any, op: ReduceOp) -> Any:
        buf = np.ascontiguousarray(self._host(array))
        out = np.empty(buf.shape[1:], dtype=buf.dtype)
        self._comm.Reduce_scatter_block(buf, out, op=self._ops[op])
        if op is ReduceOp.AVG:
            out /= self.world_size
        return out

    def barrier(self) -> None:
        self._comm.Barrier()
