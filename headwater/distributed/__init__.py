"""``hw.distributed``: torch.distributed's process group and collectives on Tensors.

Backends: ``loopback`` (one process), ``mpi`` (CPU, mpi4py) and ``nccl`` (GPU,
CuPy's NCCL). Start several processes with ``headwater launch -n N script.py``.
"""

from headwater.distributed.errors import DistBackendError, DistError, DistTimeoutError
from headwater.distributed.group import (
    all_gather,
    all_reduce,
    barrier,
    broadcast,
    destroy_process_group,
    get_backend,
    get_rank,
    get_world_size,
    init_process_group,
    is_available,
    is_initialized,
    reduce_scatter,
)
from headwater.distributed.reduce_op import ReduceOp

__all__ = [
    "DistBackendError", "DistError", "DistTimeoutError", "ReduceOp", "all_gather", "all_reduce", "barrier", "broadcast", "destroy_process_group", "get_backend",
    "get_rank", "get_world_size", "init_process_group", "is_available", "is_initialized", "reduce_scatter",
]
