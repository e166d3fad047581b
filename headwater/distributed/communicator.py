"""The communicator interface every backend implements, and the one-process loopback.

Collectives work on ``xp`` arrays of one device, in place where torch.distributed
works in place (``all_reduce``, ``broadcast``). A backend moves no data through the
host unless it must (MPI on the CPU reads NumPy buffers directly).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from headwater.distributed.errors import DistBackendError
from headwater.distributed.reduce_op import ReduceOp

__all__ = ["Communicator", "LoopbackCommunicator", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 1800.0  # seconds: torch's default process-group timeout (30 minutes)


class Communicator(ABC):
    """``rank``, ``world_size``, ``timeout`` (seconds) and the collectives on arrays.

    A backend that can wait with a deadline raises ``DistTimeoutError`` when a
    collective does not complete within ``timeout`` and sets ``broken``; every later
    collective then raises at once (:meth:`check_usable`).
    """

    backend: str
    rank: int
    world_size: int
    timeout: float = DEFAULT_TIMEOUT
    broken: str | None = None

    def check_usable(self, what: str) -> None:
        """Raise ``DistBackendError`` when an earlier collective timed out."""
        if self.broken is not None:
            raise DistBackendError(f"rank {self.rank}: {what}: the process group is unusable since {self.broken}; "
                                   f"end this process (and the job) and resume from the last checkpoint")

    @abstractmethod
    def all_reduce(self, array: Any, op: ReduceOp) -> None:
        """Reduce ``array`` over all ranks, the result in ``array`` on every rank."""

    @abstractmethod
    def broadcast(self, array: Any, src: int) -> None:
        """Copy rank ``src``'s ``array`` into ``array`` on every rank."""

    @abstractmethod
    def all_gather(self, array: Any) -> Any:
        """A new array stacking every rank's ``array`` (shape ``(world_size, *array.shape)``)."""

    @abstractmethod
    def reduce_scatter(self, array: Any, op: ReduceOp) -> Any:
        """Reduce ``array`` (first axis ``world_size``) over ranks; this rank's row of the result."""

    @abstractmethod
    def barrier(self) -> None:
        """Wait until every rank has reached the barrier."""

    def close(self) -> None:
        """Release the backend's resources."""


class LoopbackCommunicator(Communicator):
    """One process, rank 0 of 1: every collective is the identity (for tests and scripts)."""

    backend = "loopback"

    def __init__(self, rank: int = 0, world_size: int = 1) -> None:
        if world_size != 1 or rank != 0:
            raise ValueError(f"the loopback backend is one process (rank 0, world_size 1), got rank={rank}, "
                             f"world_size={world_size}; use backend='mpi' (CPU) or 'nccl' (GPU) for several")
        self.rank, self.world_size = 0, 1

    def all_reduce(self, array: Any, op: ReduceOp) -> None:
        return None

    def broadcast(self, array: Any, src: int) -> None:
        return None

    def all_gather(self, array: Any) -> Any:
        return array[None].copy()

    def reduce_scatter(self, array: Any, op: ReduceOp) -> Any:
        return array[0].copy()

    def barrier(self) -> None:
        return None
