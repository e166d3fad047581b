"""The default process group: ``init_process_group`` and the collectives on Tensors.

As in torch.distributed, one process group per process; the collectives take and
fill Tensors (``all_reduce`` and ``broadcast`` in place).
"""

from __future__ import annotations

import datetime
import os
from typing import Any

from headwater.distributed.communicator import DEFAULT_TIMEOUT, Communicator, LoopbackCommunicator
from headwater.distributed.reduce_op import ReduceOp, parse_op
from headwater.tensor.tensor import Tensor

__all__ = [
    "init_process_group", "destroy_process_group", "is_initialized", "is_available", "get_rank",
    "get_world_size", "get_backend", "barrier", "all_reduce", "broadcast", "all_gather", "reduce_scatter",
    "current", "launched_rank", "launched_world_size",
]

BACKENDS = ("loopback", "mpi", "nccl")
_group: Communicator | None = None

# rank variables of the launchers: headwater launch / torchrun, MPICH, Open MPI
_RANK_VARS = ("RANK", "PMI_RANK", "OMPI_COMM_WORLD_RANK")
_SIZE_VARS = ("WORLD_SIZE", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE")


def _from_env(names: tuple[str, ...], default: int) -> int:
    for name in names:
        if name in os.environ:
            return int(os.environ[name])
    return default


def init_process_group(backend: str = "loopback", rank: int | None = None, world_size: int | None = None,
                       init_method: str | None = None, timeout: Any = None) -> None:
    """Join the default process group, torch.distributed's ``init_process_group``.

    Parameters
    ----------
    backend : ``"loopback"``, ``"mpi"`` or ``"nccl"``
        ``loopback``: one process (tests, scripts); ``mpi``: CPU tensors over
        mpi4py; ``nccl``: GPU tensors over CuPy's NCCL.
    rank, world_size : int, optional
        Default: from the launcher's environment (``RANK``/``WORLD_SIZE``, or MPI's).
    init_method : None
        torch's rendezvous option; ranks meet through MPI or ``MASTER_ADDR``/
        ``MASTER_PORT`` here.
    timeout : datetime.timedelta or float, optional
        How long a collective may wait for the other ranks (seconds when a
        number; default 30 minutes, torch's default). Past it the collective raises
        :class:`~headwater.distributed.errors.DistTimeoutError` naming the rank and
        the collective, and the group becomes unusable; with ``mpi`` the job is
        aborted when the process exits, so that a hung rank stops too. ``mpi`` and
        ``nccl`` wait with this deadline; ``loopback`` never waits.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.distributed.init_process_group("loopback")
    >>> hw.distributed.get_rank(), hw.distributed.get_world_size()
    (0, 1)
    >>> hw.distributed.destroy_process_group()
    """
    global _group
    if _group is not None:
        raise RuntimeError("init_process_group: the default process group is already initialized; call "
                           "hw.distributed.destroy_process_group() first")
    if init_method is not None:
        raise NotImplementedError("init_process_group: init_method= is not supported; ranks meet through MPI or "
                                  "MASTER_ADDR/MASTER_PORT, as headwater launch sets them (pass init_method=None)")
    seconds = _seconds(timeout)
    if backend == "loopback":
        _group = LoopbackCommunicator(0 if rank is None else rank, 1 if world_size is None else world_size)
    elif backend == "mpi":
        from headwater.distributed.mpi import MpiCommunicator

        _group = MpiCommunicator(rank, world_size, timeout=seconds)
    elif backend == "nccl":
        from headwater.distributed.nccl import NcclCommunicator

        _group = NcclCommunicator(launched_rank() if rank is None else rank,
                                  launched_world_size() if world_size is None else world_size, timeout=seconds)
    else:
        raise ValueError(f"init_process_group: backend must be one of {BACKENDS}, got {backend!r}")
    _group.timeout = seconds


def _seconds(timeout: Any) -> float:
    """``timeout=`` as seconds: a ``datetime.timedelta`` or a positive number; None is the default."""
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, datetime.timedelta):
        seconds = timeout.total_seconds()
    elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        seconds = float(timeout)
    else:
        raise TypeError(f"init_process_group: timeout= must be a datetime.timedelta or a number of seconds, got "
                        f"{type(timeout).__name__}")
    if not seconds > 0:
        raise ValueError(f"init_process_group: timeout= must be positive, got {seconds:g} s")
    return seconds


def launched_rank() -> int:
    """This process's rank as its launcher set it (``RANK``, or MPI's variables); 0 when not launched.

    Examples
    --------
    >>> from headwater.distributed.group import launched_rank
    >>> isinstance(launched_rank(), int)
    True
    """
    return _from_env(_RANK_VARS, 0)


def launched_world_size() -> int:
    """The number of ranks the launcher started (``WORLD_SIZE``, or MPI's variables); 1 when not launched."""
    return _from_env(_SIZE_VARS, 1)


def destroy_process_group() -> None:
    """Leave the default process group."""
    global _group
    if _group is not None:
        _group.close()
    _group = None


def is_initialized() -> bool:
    """Whether ``init_process_group`` has run."""
    return _group is not None


def is_available() -> bool:
    """True: the distributed package is always importable (backends check their own needs)."""
    return True


def current(group: Any = None) -> Communicator:
    """The default process group (``group`` must be None: there are no sub-groups)."""
    if group is not None:
        raise NotImplementedError("process sub-groups are not supported; pass group=None (the default group)")
    if _group is None:
        raise RuntimeError("the default process group is not initialized; call "
                           "hw.distributed.init_process_group(backend) first")
    return _group


def get_rank(group: Any = None) -> int:
    """This process's rank in the default group."""
    return current(group).rank


def get_world_size(group: Any = None) -> int:
    """Number of processes in the default group."""
    return current(group).world_size


def get_backend(group: Any = None) -> str:
    """The backend's name."""
    return current(group).backend


def barrier(group: Any = None) -> None:
    """Wait for every rank."""
    current(group).barrier()


def _array(tensor: Any, what: str) -> Any:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{what}: expected a Tensor, got {type(tensor).__name__}")
    return tensor.array


def all_reduce(tensor: Tensor, op: ReduceOp | str = ReduceOp.SUM, group: Any = None, async_op: bool = False) -> None:
    """Reduce ``tensor`` over all ranks, in place on every rank.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.distributed.init_process_group("loopback")
    >>> t = hw.tensor([1.0, 2.0]); hw.distributed.all_reduce(t); t.tolist()
    [1.0, 2.0]
    >>> hw.distributed.destroy_process_group()
    """
    _no_async(async_op, "all_reduce")
    current(group).all_reduce(_array(tensor, "all_reduce"), parse_op(op))
    tensor._bump_version()


def broadcast(tensor: Tensor, src: int = 0, group: Any = None, async_op: bool = False) -> None:
    """Copy rank ``src``'s ``tensor`` into ``tensor`` on every rank."""
    _no_async(async_op, "broadcast")
    comm = current(group)
    if not 0 <= src < comm.world_size:
        raise ValueError(f"broadcast: src={src} is not a rank of a world of {comm.world_size}")
    comm.broadcast(_array(tensor, "broadcast"), src)
    tensor._bump_version()


def all_gather(tensor_list: list[Tensor], tensor: Tensor, group: Any = None, async_op: bool = False) -> None:
    """Fill ``tensor_list[r]`` with rank ``r``'s ``tensor``."""
    _no_async(async_op, "all_gather")
    comm = current(group)
    if len(tensor_list) != comm.world_size:
        raise ValueError(f"all_gather: tensor_list has {len(tensor_list)} tensors for a world of {comm.world_size}")
    gathered = comm.all_gather(_array(tensor, "all_gather"))
    for r, out in enumerate(tensor_list):
        _array(out, "all_gather")[...] = gathered[r]
        out._bump_version()


def reduce_scatter(output: Tensor, input_list: list[Tensor], op: ReduceOp | str = ReduceOp.SUM, group: Any = None,
                   async_op: bool = False) -> None:
    """Reduce ``input_list[r]`` over ranks into rank ``r``'s ``output``."""
    _no_async(async_op, "reduce_scatter")
    comm = current(group)
    if len(input_list) != comm.world_size:
        raise ValueError(f"reduce_scatter: input_list has {len(input_list)} tensors for a world of {comm.world_size}")
    xp = _xp(output)
    stacked = xp.stack([_array(t, "reduce_scatter") for t in input_list])
    _array(output, "reduce_scatter")[...] = comm.reduce_scatter(stacked, parse_op(op))
    output._bump_version()


def _xp(tensor: Tensor) -> Any:
    from headwater.tensor.devices import backend_of

    return backend_of(tensor.array).xp


def _no_async(async_op: bool, what: str) -> None:
    if async_op:
        raise NotImplementedError(f"{what}: async_op=True is not supported; collectives here complete before "
                                  f"returning (pass async_op=False)")
