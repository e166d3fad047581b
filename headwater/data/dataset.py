"""Datasets as in ``torch.utils.data``: map-style, iterable, and their combinations.

A map-style dataset answers ``dataset[i]`` and ``len(dataset)``; an iterable one
yields samples from ``iter(dataset)``. ``TensorDataset`` is the one the DataLoader
batches on the device without fetching sample by sample (see
:mod:`headwater.data.dataloader`).
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from headwater.data.generators import host_generator
from headwater.tensor.devices import get_backend
from headwater.tensor.tensor import Tensor

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "ChainDataset", "Subset",
           "random_split"]

T_co = TypeVar("T_co", covariant=True)


class Dataset(Generic[T_co]):
    """A map-style dataset: subclasses define ``__getitem__`` (and usually ``__len__``).

    ``a + b`` concatenates two datasets. A subclass may also define
    ``__getitems__(indices)``, returning the list of samples of a batch at once; the
    DataLoader then calls it instead of ``__getitem__`` per index.

    Examples
    --------
    >>> import headwater as hw
    >>> class Squares(hw.utils.data.Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return i * i
    >>> [b.tolist() for b in hw.utils.data.DataLoader(Squares(), batch_size=3)]
    [[0, 1, 4], [9]]
    """

    def __getitem__(self, index: Any) -> T_co:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(self, index)")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co]):
    """A dataset of samples yielded by ``__iter__`` (streams, generators, files).

    With ``num_workers > 0`` every worker iterates its own copy of the dataset; split
    the stream between them with :func:`get_worker_info`, as in PyTorch, or each
    sample arrives once per worker. ``a + b`` chains two iterable datasets.

    Examples
    --------
    >>> import headwater as hw
    >>> class Count(hw.utils.data.IterableDataset):
    ...     def __iter__(self):
    ...         return iter(range(5))
    >>> [b.tolist() for b in hw.utils.data.DataLoader(Count(), batch_size=2)]
    [[0, 1], [2, 3], [4]]
    """

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__(self)")

    def __add__(self, other: Dataset) -> ChainDataset:
        return ChainDataset([self, other])


class TensorDataset(Dataset[tuple]):
    """Samples are the rows of tensors that share their first dimension.

    The DataLoader batches a TensorDataset on the device (a slice or one gather per
    tensor per batch), never sample by sample.

    Examples
    --------
    >>> import headwater as hw
    >>> ds = hw.utils.data.TensorDataset(hw.arange(6).reshape(3, 2), hw.as_tensor([0, 1, 0]))
    >>> len(ds), [t.tolist() for t in ds[1]]
    (3, [[2, 3], 1])
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f"TensorDataset argument {i} is a {type(t).__name__}, not a Tensor; "
                                f"wrap arrays with hw.as_tensor(...)")
            if t.ndim == 0 or t.shape[0] != tensors[0].shape[0]:
                raise ValueError(f"Size mismatch between tensors: all need the same first dimension; "
                                 f"tensor 0 has shape {tuple(tensors[0].shape)}, tensor {i} has {tuple(t.shape)}")
        self.tensors = tuple(tensors)

    def __getitem__(self, index: Any) -> tuple:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return int(self.tensors[0].shape[0])

    def _gather(self, indices: Sequence[int]) -> list[Tensor]:
        """One gather per tensor: what ``default_collate`` of the samples gives."""
        rows = Tensor(get_backend(self.tensors[0].device).to_device(np.asarray(indices, dtype=np.int64)))
        return [t[rows] for t in self.tensors]


class ConcatDataset(Dataset):
    """Map-style datasets one after the other.

    Examples
    --------
    >>> import headwater as hw
    >>> ds = hw.utils.data.ConcatDataset([[1, 2], [3, 4, 5]])
    >>> len(ds), ds[2], ds[-1], ds.cumulative_sizes
    (5, 3, 5, [2, 5])
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset needs at least one dataset")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise TypeError("ConcatDataset does not take an IterableDataset; chain them with ChainDataset")
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise IndexError(f"index {index} is out of range for a ConcatDataset of length {len(self)}")
            index += len(self)
        part = bisect.bisect_right(self.cumulative_sizes, index)
        if part == len(self.datasets):
            raise IndexError(f"index {index} is out of range for a ConcatDataset of length {len(self)}")
        start = self.cumulative_sizes[part - 1] if part else 0
        return self.datasets[part][index - start]


class ChainDataset(IterableDataset):
    """Iterable datasets one after the other.

    Examples
    --------
    >>> import headwater as hw
    >>> class Count(hw.utils.data.IterableDataset):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(self.n))
    >>> list(hw.utils.data.ChainDataset([Count(2), Count(3)]))
    [0, 1, 0, 1, 2]
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)

    def __iter__(self) -> Iterator:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise TypeError(f"ChainDataset only chains IterableDatasets, got {type(d).__name__}")
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    Examples
    --------
    >>> import headwater as hw
    >>> sub = hw.utils.data.Subset([10, 11, 12, 13], [3, 0])
    >>> len(sub), sub[0], sub[[0, 1]]
    (2, 13, [13, 10])
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return [self.dataset[self.indices[i]] for i in index]
        return self.dataset[self.indices[index]]

    def __getitems__(self, indices: Sequence[int]) -> list:
        inner = [self.indices[i] for i in indices]
        getitems = getattr(self.dataset, "__getitems__", None)
        if getitems is not None:
            return getitems(inner)
        return [self.dataset[i] for i in inner]

    def __len__(self) -> int:
        return len(self.indices)

    def _gather(self, indices: Sequence[int]) -> list[Tensor]:
        return self.dataset._gather([int(self.indices[i]) for i in indices])


def _split_lengths(n: int, lengths: Sequence[float]) -> list[int]:
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:  # fractions (as PyTorch reads them)
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"random_split: fraction at index {i} is {frac}, not between 0 and 1")
        sizes = [int(math.floor(n * frac)) for frac in lengths]
        for i in range(n - sum(sizes)):  # hand out the remainder one by one
            sizes[i % len(sizes)] += 1
        for i, size in enumerate(sizes):
            if size == 0:
                warnings.warn(f"random_split: split {i} is empty with these fractions", UserWarning, stacklevel=3)
        return sizes
    for i, size in enumerate(lengths):
        if isinstance(size, bool) or not float(size).is_integer() or size < 0:
            raise ValueError(f"random_split: length at index {i} is {size!r}; give non-negative ints "
                             f"summing to len(dataset) or fractions summing to 1")
    if total != n:
        raise ValueError(f"random_split: the lengths sum to {total}, but the dataset has {n} samples; "
                         f"give lengths summing to {n} or fractions summing to 1")
    return [int(size) for size in lengths]


def random_split(dataset: Dataset, lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random subsets.

    Parameters
    ----------
    dataset : Dataset
    lengths : sequence of int or float
        Sizes summing to ``len(dataset)``, or fractions summing to 1 (the samples
        left over by flooring are handed out one per subset, first to last).
    generator : hw.Generator or numpy.random.Generator, optional
        Default: the generator seeded by ``hw.manual_seed``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.manual_seed(0)
    >>> train, val = hw.utils.data.random_split(range(10), [0.8, 0.2])
    >>> len(train), len(val), sorted(list(train) + list(val)) == list(range(10))
    (8, 2, True)
    """
    sizes = _split_lengths(len(dataset), lengths)
    order = host_generator(generator).permutation(sum(sizes)).tolist()
    out, start = [], 0
    for size in sizes:
        out.append(Subset(dataset, order[start:start + size]))
        start += size
    return out
