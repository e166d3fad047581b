"""Inside a DataLoader worker process: ``get_worker_info`` and the worker's loop.

A worker runs on the CPU device whatever the main process uses, so the tensors a
dataset builds there are NumPy-backed; every batch goes back to the main process as
NumPy buffers (never device arrays), where it becomes tensors on the main device.
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np

from headwater.data.fetch import IterableFetcher, MapFetcher
from headwater.tensor import random as _random
from headwater.tensor.creation import as_tensor
from headwater.tensor.devices import set_device
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["WorkerInfo", "get_worker_info", "worker_loop", "ExceptionWrapper", "IterationEnd",
           "to_buffers", "from_buffers", "RESET"]

RESET = "reset"  # message: start the iterable dataset over (persistent workers, new epoch)


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker knows about itself (see :func:`get_worker_info`).

    Attributes
    ----------
    id : int
        This worker's number, ``0 .. num_workers - 1``.
    num_workers : int
    seed : int
        The seed this worker's ``random`` and ``hw.manual_seed`` were given
        (the loader's base seed plus ``id``).
    dataset : Dataset
        This worker's copy of the dataset.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any


_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """This worker's :class:`WorkerInfo` inside a DataLoader worker, None elsewhere.

    An ``IterableDataset`` uses it to split its stream between workers, as in PyTorch.

    Examples
    --------
    >>> import headwater as hw
    >>> class Range(hw.utils.data.IterableDataset):
    ...     def __iter__(self):
    ...         info = hw.utils.data.get_worker_info()
    ...         start, step = (0, 1) if info is None else (info.id, info.num_workers)
    ...         return iter(range(start, 6, step))
    >>> hw.utils.data.get_worker_info() is None
    True
    >>> sorted(hw.utils.data.DataLoader(Range(), batch_size=None, num_workers=2))
    [0, 1, 2, 3, 4, 5]
    """
    return _info


class ExceptionWrapper:
    """An exception raised in a worker, carried to the main process with its traceback."""

    def __init__(self, where: str) -> None:
        exc_type, exc, _tb = sys.exc_info()
        self.exc_type = exc_type
        self.message = f"Caught {exc_type.__name__} {where}.\nOriginal {traceback.format_exc()}"

    def reraise(self) -> None:
        try:
            error = self.exc_type(self.message)
        except Exception:
            error = RuntimeError(self.message)
        raise error


@dataclass(frozen=True)
class IterationEnd:
    """A worker's iterable dataset is exhausted."""

    worker_id: int


class _Buffer:
    """A tensor's NumPy buffer on its way to the main process."""

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def __reduce__(self) -> tuple:
        return (_Buffer, (self.array,))


def _map(data: Any, leaf: Any) -> Any:
    if isinstance(data, (list, tuple)):
        items = [_map(d, leaf) for d in data]
        if isinstance(data, list):
            return items
        return type(data)(*items) if hasattr(data, "_fields") else tuple(items)
    if type(data) is dict:
        return {k: _map(v, leaf) for k, v in data.items()}
    return leaf(data)


def to_buffers(batch: Any) -> Any:
    """Tensors in ``batch`` (nested in lists, tuples, dicts) replaced by their host buffers."""
    return _map(batch, lambda x: _Buffer(to_host(x.array)) if isinstance(x, Tensor) else x)


def from_buffers(batch: Any) -> Any:
    """The inverse of :func:`to_buffers`, onto the main process's default device."""
    return _map(batch, lambda x: as_tensor(x.array) if isinstance(x, _Buffer) else x)


def worker_loop(kind: str, dataset: Any, conn: Any, auto_collation: bool, collate_fn: Any,
                drop_last: bool, base_seed: int, init_fn: Any, worker_id: int, num_workers: int,
                parent_pid: int) -> None:
    """Answer ``(epoch, task, index)`` requests on ``conn`` until ``None`` arrives.

    Results go back on the same connection, pickled here (so a sample that cannot be
    pickled becomes an error the main process raises, not a lost batch).
    """
    global _info
    set_device("cpu")
    seed = base_seed + worker_id
    random.seed(seed)
    _random.manual_seed(seed)
    _info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
    where = f"in DataLoader worker process {worker_id}"
    make = IterableFetcher if kind == "iterable" else MapFetcher
    error, fetcher, ended = None, None, False
    try:
        if init_fn is not None:
            init_fn(worker_id)
        fetcher = make(dataset, auto_collation, collate_fn, drop_last)
    except Exception:
        error = ExceptionWrapper(where)
    try:
        while True:
            if not conn.poll(5.0):
                if os.getppid() != parent_pid:  # the main process is gone
                    return
                continue
            message = conn.recv()
            if message is None:
                return
            if message == RESET:
                ended = False
                try:
                    fetcher = make(dataset, auto_collation, collate_fn, drop_last)
                except Exception:
                    error = ExceptionWrapper(where)
                continue
            epoch, task, index = message
            if error is not None:
                data, error = error, None
            elif ended:
                data = IterationEnd(worker_id)
            else:
                try:
                    data = to_buffers(fetcher.fetch(index))
                except StopIteration:
                    if kind == "iterable":
                        ended, data = True, IterationEnd(worker_id)
                    else:
                        data = _stop_error(where)
                except Exception:
                    data = ExceptionWrapper(where)
            try:
                conn.send((epoch, task, data))
            except (BrokenPipeError, ConnectionResetError, EOFError):
                return
            except Exception:  # the batch could not be pickled
                conn.send((epoch, task, ExceptionWrapper(f"while sending a batch {where}")))
    except (BrokenPipeError, ConnectionResetError, EOFError, KeyboardInterrupt):
        return


def _stop_error(where: str) -> ExceptionWrapper:
    try:
        raise RuntimeError("a map-style dataset raised StopIteration; raise IndexError for an index "
                           "out of range")
    except RuntimeError:
        return ExceptionWrapper(where)
