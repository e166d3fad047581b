"""The NCCL backend: CuPy's ``cupyx.distributed`` NCCL communicator on GPU arrays.

Exercised at world size 1 on one GPU; several GPUs are untested until a machine
with several is lent. Ranks meet at ``MASTER_ADDR:MASTER_PORT`` (CuPy's TCP store).
"""

from __future__ import annotations

import os
from typing import Any

from headwater.distributed.communicator import Communicator
from headwater.distributed.reduce_op import ReduceOp
from headwater.tensor.backend.cuda import cuda_status

__all__ = ["NcclCommunicator"]


class NcclCommunicator(Communicator):
    """Collectives between GPU processes, one GPU per rank."""

    backend = "nccl"

    def __init__(self, rank: int, world_size: int) -> None:
        ok, why = cuda_status()
        if not ok:
            raise RuntimeError(f"the 'nccl' backend needs a GPU: {why}; use backend='mpi' on the CPU")
        import cupyx.distributed

        host = os.environ.get("MASTER_ADDR", "127.0.0.1")
        port = int(os.environ.get("MASTER_PORT", "13333"))
        self.rank, self.world_size = rank, world_size
        self._comm = cupyx.distributed.init_process_group(world_size, rank, backend="nccl", host=host, port=port)

    def all_reduce(self, array: Any, op: ReduceOp) -> None:
        name = "sum" if op is ReduceOp.AVG else op.value
        self._comm.all_reduce(array, array, name)
        if op is ReduceOp.AVG:
            array /= self.world_size

    def broadcast(self, array: Any, src: int) -> None:
        self._comm.broadcast(array, src)

    def all_gather(self, array: Any) -> Any:
        import cupy

        out = cupy.empty((self.world_size, *array.shape), dtype=array.dtype)
        self._comm.all_gather(cupy.ascontiguousarray(array), out, array.size)
        return out

    def reduce_scatter(self, array: Any, op: ReduceOp) -> Any:
        import cupy

        out = cupy.empty(array.shape[1:], dtype=array.dtype)
        name = "sum" if op is ReduceOp.AVG else op.value
        self._comm.reduce_scatter(cupy.ascontiguousarray(array), out, out.size, name)
        if op is ReduceOp.AVG:
            out /= self.world_size
        return out

    def barrier(self) -> None:
        self._comm.barrier()

    def close(self) -> None:
        self._comm.stop()
