"""The NCCL backend: CuPy's ``cupyx.distributed`` NCCL communicator on GPU arrays.

Exercised at world size 1 on one GPU; several GPUs are untested until a machine
with several is lent. Ranks meet at ``MASTER_ADDR:MASTER_PORT`` (CuPy's TCP store).
Each rank uses the GPU of its local rank (``LOCAL_RANK``, or MPI's local rank),
modulo the GPUs it sees, unless ``CUDA_VISIBLE_DEVICES`` leaves it one.

NCCL work is queued on the stream; to honour the group's ``timeout`` each collective
records a CUDA event after it and the host polls that event until it completes or
the deadline passes (``DistTimeoutError``, and the communicator is aborted so that
its kernels stop waiting). The wait costs the host the collective's duration per
bucket, which the backward pass mostly hides.
"""

from __future__ import annotations

import os
import time
from typing import Any

from headwater.distributed.communicator import DEFAULT_TIMEOUT, Communicator
from headwater.distributed.errors import DistTimeoutError
from headwater.distributed.reduce_op import ReduceOp
from headwater.tensor.backend.cuda import cuda_status

__all__ = ["NcclCommunicator"]

_LOCAL_RANK_VARS = ("LOCAL_RANK", "MPI_LOCALRANKID", "OMPI_COMM_WORLD_LOCAL_RANK")


class NcclCommunicator(Communicator):
    """Collectives between GPU processes, one GPU per rank."""

    backend = "nccl"

    def __init__(self, rank: int, world_size: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        ok, why = cuda_status()
        if not ok:
            raise RuntimeError(f"the 'nccl' backend needs a GPU: {why}; use backend='mpi' on the CPU")
        import cupy
        import cupyx.distributed

        local = next((int(os.environ[v]) for v in _LOCAL_RANK_VARS if v in os.environ), rank)
        cupy.cuda.Device(local % cupy.cuda.runtime.getDeviceCount()).use()
        host = os.environ.get("MASTER_ADDR", "127.0.0.1")
        port = int(os.environ.get("MASTER_PORT", "13333"))
        self.rank, self.world_size, self.timeout = rank, world_size, float(timeout)
        self._comm = cupyx.distributed.init_process_group(world_size, rank, backend="nccl", host=host, port=port)

    def _wait(self, what: str) -> None:
        """Wait for the queued collective with the group's deadline."""
        import cupy

        done = cupy.cuda.Event(block=False, disable_timing=True)
        done.record()
        deadline = time.monotonic() + self.timeout
        pause = 1e-5
        while not done.done:
            if time.monotonic() > deadline:
                self.broken = f"{what} timed out after {self.timeout:g} s"
                nccl = getattr(self._comm, "_comm", None)
                if nccl is not None and hasattr(nccl, "abort"):
                    nccl.abort()
                raise DistTimeoutError(what, self.rank, self.world_size, self.timeout)
            time.sleep(pause)
            pause = min(2 * pause, 1e-3)

    def all_reduce(self, array: Any, op: ReduceOp) -> None:
        self.check_usable("all_reduce")
        name = "sum" if op is ReduceOp.AVG else op.value
        self._comm.all_reduce(array, array, name)
        self._wait("all_reduce")
        if op is ReduceOp.AVG:
            array /= self.world_size

    def broadcast(self, array: Any, src: int) -> None:
        self.check_usable("broadcast")
        self._comm.broadcast(array, src)
        self._wait("broadcast")

    def all_gather(self, array: Any) -> Any:
        import cupy

        self.check_usable("all_gather")
        out = cupy.empty((self.world_size, *array.shape), dtype=array.dtype)
        self._comm.all_gather(cupy.ascontiguousarray(array), out, array.size)
        self._wait("all_gather")
        return out

    def reduce_scatter(self, array: Any, op: ReduceOp) -> Any:
        import cupy

        self.check_usable("reduce_scatter")
        out = cupy.empty(array.shape[1:], dtype=array.dtype)
        name = "sum" if op is ReduceOp.AVG else op.value
        self._comm.reduce_scatter(cupy.ascontiguousarray(array), out, out.size, name)
        self._wait("reduce_scatter")
        if op is ReduceOp.AVG:
            out /= self.world_size
        return out

    def barrier(self) -> None:
        self.check_usable("barrier")
        self._comm.barrier()

    def close(self) -> None:
        self._comm.stop()
