"""DataLoader workers, seen from the main process: start them, hand out batches, reorder.

Each worker is a process with one duplex pipe. The main process sends it
``(epoch, task, indices)``; the worker answers ``(epoch, task, batch)`` with the
batch as NumPy buffers, which become tensors on the main process's device. Up to
``prefetch_factor`` tasks per worker are in flight; results are handed out in task
order (``in_order=True``) or as they arrive. The main process waits on the pipes and
on the processes' sentinels together, so a worker that dies is reported at once.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from multiprocessing.connection import wait
from typing import Any

from headwater.data.generators import draw_seed
from headwater.data.worker import RESET, ExceptionWrapper, IterationEnd, from_buffers, worker_loop

__all__ = ["WorkerPool", "WorkerIterator"]


def _context(spec: Any) -> Any:
    if spec is None:
        return multiprocessing.get_context()
    if isinstance(spec, str):
        methods = multiprocessing.get_all_start_methods()
        if spec not in methods:
            raise ValueError(f"multiprocessing_context={spec!r} is not a start method here; use one of {methods}")
        return multiprocessing.get_context(spec)
    if hasattr(spec, "Process") and hasattr(spec, "Pipe"):
        return spec
    raise TypeError(f"multiprocessing_context takes a start method name or a multiprocessing context, "
                    f"got {type(spec).__name__}")


class WorkerPool:
    """``num_workers`` processes serving one DataLoader's batches."""

    def __init__(self, loader: Any) -> None:
        ctx = _context(loader.multiprocessing_context)
        self.kind = "iterable" if loader._iterable else "map"
        self.num_workers = loader.num_workers
        self.timeout = float(loader.timeout)
        self.epoch = 0
        base_seed = draw_seed(loader.generator)
        self.conns, self.processes = [], []
        for worker_id in range(self.num_workers):
            ours, theirs = ctx.Pipe(duplex=True)
            process = ctx.Process(
                target=worker_loop, daemon=True, name=f"headwater-data-worker-{worker_id}",
                args=(self.kind, loader.dataset, theirs, loader._auto_collation, loader.collate_fn,
                      loader.drop_last, base_seed, loader.worker_init_fn, worker_id, self.num_workers,
                      os.getpid()))
            process.start()
            theirs.close()
            self.conns.append(ours)
            self.processes.append(process)
        self.closed = False

    def new_epoch(self) -> int:
        """Start another epoch on the same workers (persistent workers)."""
        self.epoch += 1
        if self.kind == "iterable":
            for conn in self.conns:
                conn.send(RESET)
        return self.epoch

    def send(self, worker_id: int, message: Any) -> None:
        self.conns[worker_id].send(message)

    def receive(self) -> tuple[int, int, Any]:
        """The next answer from any worker; raises if one died or ``timeout`` passed."""
        deadline = time.monotonic() + self.timeout if self.timeout > 0 else None
        sentinels = {p.sentinel: p for p in self.processes}
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready = wait(self.conns + list(sentinels), timeout=left)
            for worker_id, conn in enumerate(self.conns):
                if conn in ready:
                    try:
                        return conn.recv()
                    except (EOFError, OSError):  # the worker's end closed: it died
                        self.processes[worker_id].join(timeout=1.0)
                        self._died(self.processes[worker_id])
            for handle in ready:
                self._died(sentinels[handle])
            if deadline is not None and time.monotonic() >= deadline:
                self.shutdown(wait_s=0.0)
                raise RuntimeError(f"DataLoader timed out after {self.timeout} seconds waiting for a batch")

    def _died(self, process: Any) -> None:
        self.shutdown(wait_s=0.0)
        raise RuntimeError(f"DataLoader worker (pid {process.pid}) exited unexpectedly with exit code "
                           f"{process.exitcode}; a crash in the dataset or out of memory")

    def shutdown(self, wait_s: float = 5.0) -> None:
        """Stop the workers: each finishes its current batch, for up to ``wait_s`` seconds."""
        if self.closed:
            return
        self.closed = True
        for conn in self.conns:
            try:
                conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for conn in self.conns:  # a worker stuck sending a batch sees the pipe close
            conn.close()
        for process in self.processes:
            process.join(timeout=wait_s)
            if process.is_alive():
                process.terminate()
                process.join()

    def __del__(self) -> None:
        try:
            self.shutdown()
        except Exception:
            pass


class WorkerIterator:
    """One epoch over a :class:`WorkerPool`."""

    def __init__(self, loader: Any, pool: WorkerPool, epoch: int, owns_pool: bool) -> None:
        self.pool = pool
        self.epoch = epoch
        self.owns_pool = owns_pool
        self.in_order = loader.in_order
        n = pool.num_workers
        if loader._iterable:
            self.tasks = itertools.repeat(loader.batch_size)
        else:
            self.tasks = iter(loader._index_sampler)
        self.active = [True] * n
        self.cycle = itertools.cycle(range(n))
        self.pending: dict[int, list] = {}  # task -> [worker_id] or [worker_id, batch]
        self.sent = self.received = 0
        self.length = len(loader) if not loader._iterable else None
        for _ in range(loader.prefetch_factor * n):
            self._send_next()

    def __iter__(self) -> WorkerIterator:
        return self

    def __len__(self) -> int:
        if self.length is None:
            raise TypeError("this DataLoader's IterableDataset has no len()")
        return self.length

    def _send_next(self) -> None:
        for _ in range(len(self.active)):
            worker_id = next(self.cycle)
            if self.active[worker_id]:
                break
        else:
            return
        try:
            index = next(self.tasks)
        except StopIteration:
            return
        self.pool.send(worker_id, (self.epoch, self.sent, index))
        self.pending[self.sent] = [worker_id]
        self.sent += 1

    def _outstanding(self) -> bool:
        while self.received < self.sent:
            entry = self.pending.get(self.received)
            if entry is not None and (len(entry) == 2 or self.active[entry[0]]):
                return True
            self.pending.pop(self.received, None)
            self.received += 1
        return False

    def _finish(self, data: Any) -> Any:
        self._send_next()
        if isinstance(data, ExceptionWrapper):
            self.close()
            data.reraise()
        return from_buffers(data)

    def __next__(self) -> Any:
        while True:
            if not self._outstanding():
                self.close()
                raise StopIteration
            entry = self.pending[self.received]
            if len(entry) == 2:
                del self.pending[self.received]
                self.received += 1
                return self._finish(entry[1])
            epoch, task, data = self.pool.receive()
            if epoch != self.epoch or task not in self.pending:
                continue  # left over from an epoch that was not run to the end
            if isinstance(data, IterationEnd):
                self.active[data.worker_id] = False
                self.pending.pop(task)
                self._send_next()
                continue
            if task == self.received or not self.in_order:
                del self.pending[task]
                if task == self.received:
                    self.received += 1
                return self._finish(data)
            self.pending[task].append(data)

    def close(self) -> None:
        if self.owns_pool:
            self.pool.shutdown()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass
