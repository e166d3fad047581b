"""The MPI backend: mpi4py's ``COMM_WORLD`` on NumPy buffers (CPU tensors).

Every collective is started non-blocking (``Iallreduce``, ``Ibcast``, ...) and its
request polled until it completes or the group's ``timeout`` passes: without pause
for the first 200 us (as MPI's blocking calls poll), then with pauses growing from
10 us to 1 ms, so a prompt collective costs no sleep and a long wait little CPU. A timed-out collective cannot be
cancelled (another rank may still join it): its buffers are kept alive, the group is
marked broken, and the job is aborted (``MPI_Abort``) when this process exits, after
the error has been printed, so that a hung rank does not keep ``mpiexec`` waiting.
"""

from __future__ import annotations

import atexit
import os
import sys
import time
from typing import Any

import numpy as np

from headwater.distributed.communicator import DEFAULT_TIMEOUT, Communicator
from headwater.distributed.errors import DistTimeoutError
from headwater.distributed.reduce_op import ReduceOp
from headwater.tensor.devices import array_device
from headwater.tensor.transfer import to_host

__all__ = ["MpiCommunicator"]

_SPIN = 2e-4  # seconds of polling without sleeping before the pauses begin


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

    def __init__(self, rank: int | None = None, world_size: int | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        MPI = _mpi()
        self._MPI = MPI
        self._comm = MPI.COMM_WORLD
        self.rank, self.world_size = self._comm.Get_rank(), self._comm.Get_size()
        self.timeout = float(timeout)
        self._abandoned: list[Any] = []
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
        """The NumPy buffer of a CPU tensor's array: itself, or a counted copy where the CPU
        device's arrays are not NumPy's (HEADWATER_DEVICE=cpu-strict)."""
        if array_device(array) != "cpu":
            raise TypeError("the 'mpi' backend reduces CPU tensors; move them with .cpu() or use backend='nccl' "
                            "for GPU tensors")
        return array if isinstance(array, np.ndarray) else to_host(array)

    def _wait(self, request: Any, what: str, *buffers: Any) -> None:
        """Poll ``request`` until it completes; past the timeout, break the group and raise."""
        if request.Test():
            return
        start = time.monotonic()
        deadline = start + self.timeout
        pause = 1e-5
        while not request.Test():
            now = time.monotonic()
            if now - start < _SPIN:  # a collective the other ranks are about to join: no sleep
                continue
            if now > deadline:
                self._abandoned.append((request, buffers))  # MPI may still write into them
                if self.broken is None:
                    atexit.register(self._abort_job)
                self.broken = f"{what} timed out after {self.timeout:g} s"
                raise DistTimeoutError(what, self.rank, self.world_size, self.timeout)
            time.sleep(pause)
            pause = min(2 * pause, 1e-3)

    def _abort_job(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        self._comm.Abort(1)

    def all_reduce(self, array: Any, op: ReduceOp) -> None:
        self.check_usable("all_reduce")
        buf = self._host(array)
        send = np.ascontiguousarray(buf)
        out = np.empty_like(send)
        self._wait(self._comm.Iallreduce(send, out, op=self._ops[op]), "all_reduce", send, out)
        if op is ReduceOp.AVG:
            out /= self.world_size
        array[...] = out

    def broadcast(self, array: Any, src: int) -> None:
        self.check_usable("broadcast")
        buf = self._host(array)
        tmp = np.ascontiguousarray(buf)
        self._wait(self._comm.Ibcast(tmp, root=src), "broadcast", tmp)
        if tmp is not array:
            array[...] = tmp

    def all_gather(self, array: Any) -> Any:
        self.check_usable("all_gather")
        buf = np.ascontiguousarray(self._host(array))
        out = np.empty((self.world_size, *buf.shape), dtype=buf.dtype)
        self._wait(self._comm.Iallgather(buf, out), "all_gather", buf, out)
        return out

    def reduce_scatter(self, array: Any, op: ReduceOp) -> Any:
        self.check_usable("reduce_scatter")
        buf = np.ascontiguousarray(self._host(array))
        out = np.empty(buf.shape[1:], dtype=buf.dtype)
        self._wait(self._comm.Ireduce_scatter_block(buf, out, op=self._ops[op]), "reduce_scatter", buf, out)
        if op is ReduceOp.AVG:
            out /= self.world_size
        return out

    def barrier(self) -> None:
        self.check_usable("barrier")
        self._wait(self._comm.Ibarrier(), "barrier")
