"""``DataLoader`` as in ``torch.utils.data``, with a device fast path for frames and tensors.

A DataFrame or a ``TensorDataset`` (with the default sampling and collation) is
batched on the device by :class:`headwater.dataframe.loader.DeviceBatches`: one
slice or gather per tensor per batch, no per-sample work. Any other dataset goes
through samplers, a fetcher and ``collate_fn`` as in PyTorch, in this process or in
``num_workers`` worker processes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from headwater.data.collate import default_collate, default_convert
from headwater.data.dataset import IterableDataset, TensorDataset
from headwater.data.fetch import IterableFetcher, MapFetcher
from headwater.data.generators import host_generator
from headwater.data.pool import WorkerIterator, WorkerPool
from headwater.data.sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.loader import DeviceBatches, frame_tensors

__all__ = ["DataLoader"]

T_co = TypeVar("T_co", covariant=True)


def _check_options(dataset: Any, batch_size: Any, shuffle: Any, sampler: Any, batch_sampler: Any,
                   drop_last: bool, num_workers: Any, timeout: Any, prefetch_factor: Any,
                   persistent_workers: bool) -> None:
    if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
        raise ValueError(f"num_workers option should be a non-negative int, got {num_workers!r}; "
                         f"use 0 to load in the main process")
    if timeout < 0:
        raise ValueError(f"timeout option should be non-negative, got {timeout!r}")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("prefetch_factor option could only be specified in multiprocessing; "
                         "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None")
    if prefetch_factor is not None and (isinstance(prefetch_factor, bool) or not isinstance(prefetch_factor, int)
                                        or prefetch_factor < 1):
        raise ValueError(f"prefetch_factor should be a positive int (batches in flight per worker), "
                         f"got {prefetch_factor!r}")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")
    if isinstance(dataset, IterableDataset):
        for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
            if value not in (None, False):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified {name} option, but "
                                 f"got {name}={value!r}; an iterable dataset decides its own order")
    if sampler is not None and shuffle:
        raise ValueError("sampler option is mutually exclusive with shuffle; shuffle inside the sampler")
    if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None or drop_last):
        raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                         "and drop_last")
    if batch_size is None and drop_last:
        raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                         "drop_last")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer))
                                   or batch_size < 1):
        raise ValueError(f"batch_size should be a positive integer or None, got batch_size={batch_size!r}")


class DataLoader(Generic[T_co]):
    """Batches from a dataset, as ``torch.utils.data.DataLoader``.

    Parameters
    ----------
    dataset : Dataset, IterableDataset, DataFrame or any object with ``__getitem__``
        and ``__len__``
        A bare tuple or list is a dataset of its elements, as in PyTorch: batch
        tensors that belong together with ``TensorDataset(x, y)``.
    batch_size : int or None
        Samples per batch; None yields samples one by one (no collation).
    shuffle : bool
        A new random order every epoch, drawn from ``generator=``, ``seed=`` or (with
        neither) the generator seeded by ``hw.manual_seed``.
    sampler, batch_sampler : Sampler or iterable, optional
        Which indices (or lists of indices) to fetch, instead of ``shuffle``.
    num_workers : int
        Worker processes fetching and collating batches (0: in this process).
        Workers run on the CPU and hand back NumPy buffers, which become tensors on
        the current device here. ``worker_init_fn(worker_id)`` runs in each worker
        first; :func:`get_worker_info` tells a dataset which worker it is in.
    collate_fn : callable, optional
        Turns a list of samples into a batch (default :func:`default_collate`).
    pin_memory : bool
        Accepted for PyTorch scripts; a no-op (uploads are ordinary CuPy copies).
    drop_last : bool
        Leave out the last, smaller batch.
    timeout : float
        Seconds to wait for a worker's batch before raising (0: no limit).
    worker_init_fn : callable, optional
    multiprocessing_context : str or context, optional
        Start method of the workers (default: the platform's).
    generator : hw.Generator or numpy.random.Generator, optional
        Source of the shuffles and of the workers' base seed.
    prefetch_factor : int, optional
        Batches in flight per worker (default 2; only with workers).
    persistent_workers : bool
        Keep the workers between epochs.
    pin_memory_device : str
        Accepted with ``pin_memory``; a no-op.
    in_order : bool
        With workers, hand out batches in sampler order (False: as they are ready).
    seed : int, optional
        Headwater: the shuffles come from a generator of their own seeded with it.
    features, target, dtype, target_dtype, fill
        Headwater, for a DataFrame: which columns make the input tensor and the
        target, their dtypes and the value for nulls (see ``DataFrame.to_tensor``).

    Notes
    -----
    A DataFrame, and a ``TensorDataset`` with the default sampler and collation, are
    batched on the device in this process: a batch is a slice (or, shuffled, one
    gather) per tensor, so there is no per-sample work for workers to share and
    ``num_workers``, ``worker_init_fn``, ``pin_memory`` change nothing there. A
    frame yields tuples, a ``TensorDataset`` lists (as ``default_collate`` of tuple
    samples does in PyTorch).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.utils.data import DataLoader, TensorDataset
    >>> ds = TensorDataset(hw.arange(10).reshape(5, 2), hw.as_tensor([0, 1, 0, 1, 0]))
    >>> [y.tolist() for x, y in DataLoader(ds, batch_size=2)]
    [[0, 1], [0, 1], [0]]
    >>> df = hw.DataFrame({"a": [1.0, 2.0, 3.0], "b": [0.5, 0.5, 0.5], "y": [0, 1, 0]})
    >>> loader = DataLoader(df, batch_size=2, features=["a", "b"], target="y")
    >>> len(loader), [(tuple(x.shape), y.tolist()) for x, y in loader]
    (2, [((2, 2), [0, 1]), ((1, 2), [0])])
    """

    def __init__(self, dataset: Any, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Sequence | None = None, batch_sampler: Sampler | Sequence | None = None,
                 num_workers: int = 0, collate_fn: Callable[[list], Any] | None = None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable[[int], None] | None = None, multiprocessing_context: Any = None,
                 generator: Any = None, *, prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True, seed: int | None = None,
                 features: Sequence[str] | None = None, target: str | Sequence[str] | None = None,
                 dtype: Any = "float32", target_dtype: Any = None, fill: Any = None) -> None:
        _check_options(dataset, batch_size, shuffle, sampler, batch_sampler, drop_last, num_workers, timeout,
                       prefetch_factor, persistent_workers)
        if seed is not None and generator is not None:
            raise ValueError("pass seed= or generator=, not both")
        is_frame = isinstance(dataset, DataFrame)
        if not is_frame and (features is not None or target is not None or fill is not None
                             or target_dtype is not None or dtype != "float32"):
            raise TypeError("features=, target=, dtype=, target_dtype= and fill= name DataFrame columns; "
                            f"this dataset is a {type(dataset).__name__} (use TensorDataset(x, y) for tensors)")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = 2 if prefetch_factor is None and num_workers > 0 else prefetch_factor
        self.pin_memory = bool(pin_memory)
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.persistent_workers = bool(persistent_workers)
        self.in_order = bool(in_order)
        self.seed = seed
        self.generator = generator if seed is None else np.random.default_rng(seed)
        self._iterable = isinstance(dataset, IterableDataset)
        self._pool: WorkerPool | None = None
        self._device: DeviceBatches | None = None

        if batch_sampler is not None:
            batch_size, drop_last = None, False
        self.batch_size = batch_size
        self.drop_last = bool(drop_last)
        self._auto_collation = batch_size is not None or batch_sampler is not None
        if sampler is None and not self._iterable:
            sampler = (RandomSampler(dataset, generator=self.generator) if shuffle
                       else SequentialSampler(dataset))
        if batch_sampler is None and batch_size is not None and not self._iterable:
            batch_sampler = BatchSampler(sampler, batch_size, self.drop_last)
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if self._auto_collation else default_convert)

        default_path = (self._auto_collation and collate_fn is None and self.batch_size is not None
                        and isinstance(self.sampler, (SequentialSampler, RandomSampler))
                        and type(self.sampler) in (SequentialSampler, RandomSampler)
                        and not getattr(self.sampler, "replacement", False)
                        and getattr(self.sampler, "_num_samples", None) is None)
        if is_frame or (type(dataset) is TensorDataset and default_path):
            if not default_path:
                raise TypeError("a DataFrame is batched on the device: sampler=, batch_sampler=, "
                                "collate_fn= and batch_size=None do not apply; build a TensorDataset "
                                "from df.to_tensor(...) for those")
            tensors = (frame_tensors(dataset._columns, features, target, dtype, target_dtype, fill)
                       if is_frame else dataset.tensors)
            self._device = DeviceBatches(
                tensors, int(self.batch_size), shuffle=bool(shuffle), drop_last=self.drop_last, seed=seed,
                generator=None if generator is None else host_generator(generator), as_list=not is_frame)

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self._auto_collation else self.sampler

    @property
    def tensors(self) -> tuple:
        """The device tensors a DataFrame or TensorDataset is batched from."""
        if self._device is None:
            raise AttributeError("tensors: only a DataLoader over a DataFrame or TensorDataset has them")
        return self._device.tensors

    def __len__(self) -> int:
        if self._device is not None:
            return len(self._device)
        if self._iterable:
            n = len(self.dataset)  # TypeError when the iterable dataset has no len()
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self._index_sampler)

    def __iter__(self) -> Iterator[Any]:
        if self._device is not None:
            return iter(self._device)
        if self.num_workers == 0:
            return self._in_process()
        if not self.persistent_workers:
            pool = WorkerPool(self)
            return WorkerIterator(self, pool, pool.epoch, owns_pool=True)
        if self._pool is None:
            self._pool = WorkerPool(self)
            epoch = self._pool.epoch
        else:
            epoch = self._pool.new_epoch()
        return WorkerIterator(self, self._pool, epoch, owns_pool=False)

    def _in_process(self) -> Iterator[Any]:
        if self._iterable:
            fetcher = IterableFetcher(self.dataset, self._auto_collation, self.collate_fn, self.drop_last)
            while True:
                try:
                    batch = fetcher.fetch(self.batch_size)
                except StopIteration:
                    return
                yield batch
        fetcher = MapFetcher(self.dataset, self._auto_collation, self.collate_fn, self.drop_last)
        for index in self._index_sampler:
            yield fetcher.fetch(index)

    def __del__(self) -> None:
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown()

    def __repr__(self) -> str:
        where = "device" if self._device is not None else f"num_workers={self.num_workers}"
        return (f"DataLoader({type(self.dataset).__name__}, batch_size={self.batch_size}, "
                f"drop_last={self.drop_last}, {where})")
