"""The ranks of a data-parallel pipeline run (``train.distributed``).

Every rank reads the data, fits the steps and builds the model the same way (the
same files, code and seeds give the same result, so nothing is sent). Rank 0 alone
claims and writes the run directory: config, preprocessing, checkpoints, history,
metrics, predictions and the report; the other ranks write nothing. What the ranks
must agree on travels from rank 0 as JSON through one broadcast (the run directory,
each epoch's validation record, the final metrics), and so does a failure of rank 0
at one of those points, so the other ranks stop at once with its message.

Training: every rank draws the same shuffled global batches (``train.batch_size``
rows) and trains on its share (rows ``rank::world_size``) under
``DistributedDataParallel``. Each rank's loss is its rows' summed loss times
``world_size / rows in the global batch``, so the averaged gradient is the gradient
of the global batch's mean loss, whatever the shares' sizes (a share may be empty).
Checkpoints hold the unwrapped model and the optimizer (the same on every rank), so
a run resumes on any world size, one process included.

A rank that fails or hangs leaves the others waiting in a collective; they stop
after ``train.distributed.timeout`` seconds with :class:`RankFailedError`, naming
the last checkpoint, which rank 0 wrote atomically at the end of the last epoch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from headwater.pipelines.errors import ConfigIssue, DeviceError, RunError

__all__ = ["Ranks", "RankFailedError", "start_ranks", "distributed_issues"]

LAUNCH_HINT = "headwater launch -n {n} -m headwater run FILE"


class RankFailedError(RunError):
    """Training stopped because another rank failed or hangs (a collective timed out).

    Examples
    --------
    >>> from headwater.pipelines.distributed import RankFailedError
    >>> str(RankFailedError("rank 1 of 2: all_reduce timed out", None, 0))[:44]
    'rank 1 of 2: all_reduce timed out. No epoch '
    """

    def __init__(self, reason: str, checkpoint: str | None, epoch: int) -> None:
        kept = (f"The last checkpoint, {checkpoint} (epoch {epoch}), is intact: continue with --resume, on any "
                f"number of ranks" if checkpoint else "No epoch had completed, so there is no checkpoint to resume")
        super().__init__(f"{reason}. {kept}")


@dataclass
class Ranks:
    """This process's place in the run: ``rank`` of ``world_size``; one process when not distributed.

    Attributes
    ----------
    active : bool
        ``train.distributed`` is set (even at world size 1: the data-parallel code
        path then runs with a one-process group).
    owns_group : bool
        The run initialized the process group, and destroys it at the end.
    """

    rank: int = 0
    world_size: int = 1
    active: bool = False
    owns_group: bool = False

    @property
    def is_main(self) -> bool:
        """Rank 0: the rank that writes."""
        return self.rank == 0

    # -- what rank 0 tells the others ------------------------------------------------
    def share(self, value: Any) -> Any:
        """``value`` (JSON) from rank 0, on every rank."""
        return self._broadcast({"value": value})["value"]

    def refuse(self, exc: BaseException) -> None:
        """Rank 0: tell the others that the run stops, with ``exc``'s message."""
        if self.world_size > 1 and self.is_main:
            self._broadcast({"error": f"{type(exc).__name__}: {exc}"})

    def receive(self, what: str) -> Any:
        """Not rank 0: what rank 0 shared, or a RunError when it stopped the run."""
        got = self._broadcast(None)
        if "error" in got:
            raise RunError(f"rank {self.rank}: rank 0 stopped the run while {what}: {got['error']}")
        return got["value"]

    def _broadcast(self, payload: Any) -> Any:
        if self.world_size == 1:
            return payload
        from headwater.distributed import group
        from headwater.tensor.devices import get_backend
        from headwater.tensor.transfer import to_host

        comm, backend = group.current(), get_backend()
        data = json.dumps(payload).encode() if self.is_main else b""
        size = backend.to_device([len(data)], dtype="int64")
        comm.broadcast(size, 0)
        n = int(to_host(size)[0])
        buf = backend.to_device(np.frombuffer(bytearray(data), dtype=np.uint8) if self.is_main
                                else np.zeros(n, dtype=np.uint8), dtype="uint8")
        comm.broadcast(buf, 0)
        return json.loads(to_host(buf).tobytes().decode())

    # -- training ----------------------------------------------------------------------
    def wrap(self, model: Any) -> Any:
        """``model`` under DistributedDataParallel (the plain model when not active)."""
        if not self.active:
            return model
        from headwater.autograd.nn.parallel import DistributedDataParallel

        return DistributedDataParallel(model)

    def shard(self, batch: Any) -> tuple[Any, ...]:
        """This rank's rows (``rank::world_size``) of every tensor of a global batch."""
        if self.world_size == 1:
            return tuple(batch)
        return tuple(t[self.rank::self.world_size] for t in batch)

    def gather(self, array: Any) -> Any:
        """Every rank's ``array`` stacked, ``(world_size, *shape)``, on the device."""
        if self.world_size == 1:
            return array[None]
        from headwater.distributed import group

        return group.current().all_gather(array)

    def close(self) -> None:
        """Leave the process group when the run created it."""
        if self.owns_group:
            from headwater.distributed import group

            group.destroy_process_group()
            self.owns_group = False


def start_ranks(section: Any, requested_device: str | None, configured_device: str) -> Ranks:
    """Join the process group ``train.distributed`` asks for (nothing when it is None).

    Run after the device is chosen: ``mpi`` trains on the CPU (``auto`` becomes
    ``cpu``), ``nccl`` on the GPU. A group that the caller already initialized is
    used as it is, if its backend and size match.

    Raises
    ------
    ConfigError
        The backend, the device and the number of started ranks disagree; the
        message names the key and the launch command.
    """
    if section is None:
        return Ranks()
    from headwater.distributed import group
    from headwater.pipelines.errors import ConfigError
    from headwater.tensor.devices import default_device, set_device

    source = "--device" if requested_device else "train.device"
    explicit = (requested_device or configured_device) not in (None, "", "auto")
    on_gpu = default_device().type == "cuda"
    if section.backend == "mpi" and on_gpu:
        if explicit:
            raise DeviceError(ConfigIssue("train.distributed.backend", "the mpi backend reduces CPU tensors but "
                                          "the device is cuda; use backend: nccl on GPUs, or device cpu",
                                          None, None, source))
        set_device("cpu")
    if section.backend == "nccl" and not on_gpu:
        raise DeviceError(ConfigIssue("train.distributed.backend", "the nccl backend needs the GPU but the device "
                                      "is the CPU; use backend: mpi for CPU ranks, or train.device: cuda",
                                      None, None, source))
    started = group.launched_world_size()
    if group.is_initialized():
        comm = group.current()
        if comm.backend != section.backend:
            raise ConfigError(ConfigIssue("train.distributed.backend", f"the process group is already initialized "
                                          f"with backend {comm.backend!r}, but the pipeline asks {section.backend!r}; "
                                          f"set backend: {comm.backend}", None, None, "train.distributed"))
        started, owns = comm.world_size, False
    else:
        owns = True
    if started != section.world_size:
        raise ConfigError(ConfigIssue("train.distributed.world_size", f"is {section.world_size} but {started} "
                                      f"rank(s) were started; start the run with "
                                      f"`{LAUNCH_HINT.format(n=section.world_size)}`, or set world_size: {started}",
                                      None, None, "train.distributed"))
    if owns:
        group.init_process_group(section.backend, timeout=section.timeout)
    comm = group.current()
    return Ranks(rank=comm.rank, world_size=comm.world_size, active=True, owns_group=owns)


def distributed_issues(config: Any) -> list[tuple[tuple[str, ...], str]]:
    """Rules between ``train.distributed`` and the rest of the file: ``(path, message)`` pairs.

    Examples
    --------
    >>> from headwater.pipelines.schema import PipelineConfig
    >>> from headwater.pipelines.distributed import distributed_issues
    >>> cfg = PipelineConfig.model_validate({"name": "d", "data": {"sources": {"t": {"path": "t.csv"}}},
    ...     "target": {"column": "y", "task": "regression"},
    ...     "train": {"distributed": {"backend": "loopback", "world_size": 2}}})
    >>> distributed_issues(cfg)[0][1][:43]
    'the loopback backend is one process; use mp'
    """
    section = config.train.distributed
    if section is None:
        return []
    issues: list[tuple[tuple[str, ...], str]] = []
    where = ("train", "distributed")
    if section.backend == "loopback" and section.world_size != 1:
        issues.append(((*where, "world_size"), f"the loopback backend is one process; use mpi (CPU) or nccl (GPU) "
                                               f"for {section.world_size} ranks, or set world_size: 1"))
    if section.backend == "mpi" and config.train.device == "cuda":
        issues.append(((*where, "backend"), "the mpi backend reduces CPU tensors but train.device is cuda; use "
                                            "backend: nccl on GPUs, or train.device: cpu"))
    if section.backend == "nccl" and config.train.device == "cpu":
        issues.append(((*where, "backend"), "the nccl backend trains on GPUs but train.device is cpu; use "
                                            "backend: mpi for CPU ranks, or train.device: cuda"))
    if config.model.type not in ("mlp", "linear"):
        issues.append((where, f"data-parallel training applies to networks (model.type mlp or linear), not "
                              f"{config.model.type}; remove train.distributed"))
    if config.model.norm == "batch" and config.train.batch_size < 2 * section.world_size:
        issues.append((("train", "batch_size"), f"batch normalisation needs at least 2 rows per rank: raise "
                                                f"batch_size to {2 * section.world_size} or more for "
                                                f"{section.world_size} ranks, or use model.norm: layer"))
    return issues


def checkpoint_of(run_dir: Path) -> str | None:
    """The last checkpoint's path, when there is one."""
    from headwater.pipelines.checkpoint import checkpoint_path

    last = checkpoint_path(run_dir, "last")
    return str(last) if last.exists() else None
