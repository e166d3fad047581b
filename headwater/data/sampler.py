"""Samplers as in ``torch.utils.data``: which indices an epoch visits, in what order.

A sampler yields dataset indices; a batch sampler yields lists of them. The built-in
samplers also hand the DataLoader a whole epoch's indices as one array
(``_epoch_indices``), which it cuts into batches without a Python loop per index.
Random samplers draw on the host from ``generator=`` or, without one, from the
generator that ``hw.manual_seed`` seeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, Generic, TypeVar

import numpy as np

from headwater.data.generators import host_generator
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]

T_co = TypeVar("T_co", covariant=True)


class Sampler(Generic[T_co]):
    """Base class: subclasses define ``__iter__`` (and ``__len__`` when known).

    Examples
    --------
    >>> import headwater as hw
    >>> class Evens(hw.utils.data.Sampler):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(0, self.n, 2))
    ...     def __len__(self):
    ...         return (self.n + 1) // 2
    >>> list(Evens(5))
    [0, 2, 4]
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__(self)")


class _EpochSampler(Sampler[int]):
    """A sampler whose epoch is one index array."""

    def _epoch_indices(self) -> np.ndarray:
        raise NotImplementedError

    def __iter__(self) -> Iterator[int]:
        return iter(self._epoch_indices().tolist())


class SequentialSampler(_EpochSampler):
    """``0, 1, ..., len(data_source) - 1``.

    Examples
    --------
    >>> import headwater as hw
    >>> list(hw.utils.data.SequentialSampler(range(3)))
    [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def _epoch_indices(self) -> np.ndarray:
        return np.arange(len(self.data_source), dtype=np.int64)

    def __len__(self) -> int:
        return len(self.data_source)


def _positive_int(name: str, value: Any, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{owner}: {name} should be a positive integer, got {name}={value!r}")
    return int(value)


def _flag(name: str, value: Any, owner: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{owner}: {name} should be a bool, got {name}={value!r}")
    return value


class RandomSampler(_EpochSampler):
    """Indices in a random order: a new permutation (or draw) every epoch.

    Parameters
    ----------
    data_source : Sized
    replacement : bool
        Draw ``num_samples`` indices independently (with repeats).
    num_samples : int, optional
        Default ``len(data_source)``. Without replacement, more than that gives whole
        permutations one after the other, the last one cut short.
    generator : hw.Generator or numpy.random.Generator, optional
        Default: the generator seeded by ``hw.manual_seed``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.manual_seed(0)
    >>> sorted(hw.utils.data.RandomSampler(range(5)))
    [0, 1, 2, 3, 4]
    >>> len(list(hw.utils.data.RandomSampler(range(5), replacement=True, num_samples=12)))
    12
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: Any = None) -> None:
        self.data_source = data_source
        self.replacement = _flag("replacement", replacement, "RandomSampler")
        self._num_samples = num_samples
        self.generator = generator
        if num_samples is not None:
            _positive_int("num_samples", num_samples, "RandomSampler")

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else int(self._num_samples)

    def _epoch_indices(self) -> np.ndarray:
        n, k = len(self.data_source), self.num_samples
        rng = host_generator(self.generator)
        if self.replacement:
            return rng.integers(0, n, size=k, dtype=np.int64)
        parts = [rng.permutation(n) for _ in range(k // n)]
        if k % n:
            parts.append(rng.permutation(n)[: k % n])
        return np.concatenate(parts).astype(np.int64, copy=False) if parts else np.zeros(0, np.int64)

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices, in a new random order every epoch.

    Examples
    --------
    >>> import headwater as hw
    >>> sorted(hw.utils.data.SubsetRandomSampler([7, 3, 5]))
    [3, 5, 7]
    """

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[Any]:
        order = host_generator(self.generator).permutation(len(self.indices)).tolist()
        return (self.indices[i] for i in order)

    def __len__(self) -> int:
        return len(self.indices)


def _weights(weights: Any) -> np.ndarray:
    host = to_host(weights.array) if isinstance(weights, Tensor) else weights
    w = np.asarray(host, dtype=np.float64)
    if w.ndim != 1 or len(w) == 0:
        raise ValueError(f"WeightedRandomSampler: weights must be a non-empty 1-d sequence, got shape {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise ValueError("WeightedRandomSampler: weights must be finite, non-negative and not all zero")
    return w


class WeightedRandomSampler(_EpochSampler):
    """Indices ``0..len(weights)-1`` drawn with probabilities proportional to ``weights``.

    Parameters
    ----------
    weights : sequence of float or Tensor
        Non-negative weights (they need not sum to 1).
    num_samples : int
        Indices per epoch.
    replacement : bool
        Without replacement each index is drawn at most once, so ``num_samples``
        cannot exceed the number of non-zero weights.
    generator : hw.Generator or numpy.random.Generator, optional

    Examples
    --------
    >>> import headwater as hw
    >>> s = hw.utils.data.WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], num_samples=6)
    >>> sorted(set(s)) in ([1], [3], [1, 3])
    True
    """

    def __init__(self, weights: Any, num_samples: int, replacement: bool = True, generator: Any = None) -> None:
        self.num_samples = _positive_int("num_samples", num_samples, "WeightedRandomSampler")
        self.replacement = _flag("replacement", replacement, "WeightedRandomSampler")
        self.weights = _weights(weights)
        self.generator = generator
        nonzero = int((self.weights > 0).sum())
        if not replacement and self.num_samples > nonzero:
            raise ValueError(f"WeightedRandomSampler: cannot draw {self.num_samples} indices without "
                             f"replacement from {nonzero} non-zero weights; pass replacement=True")

    def _epoch_indices(self) -> np.ndarray:
        p = self.weights / self.weights.sum()
        rng = host_generator(self.generator)
        return rng.choice(len(p), size=self.num_samples, replace=self.replacement, p=p).astype(np.int64)

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list]):
    """Group the indices of ``sampler`` into lists of ``batch_size``.

    Examples
    --------
    >>> import headwater as hw
    >>> list(hw.utils.data.BatchSampler(hw.utils.data.SequentialSampler(range(5)), 2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    >>> list(hw.utils.data.BatchSampler(range(5), 2, drop_last=True))
    [[0, 1], [2, 3]]
    """

    def __init__(self, sampler: Sampler | Iterable[int], batch_size: int, drop_last: bool) -> None:
        self.batch_size = _positive_int("batch_size", batch_size, "BatchSampler")
        self.drop_last = _flag("drop_last", drop_last, "BatchSampler")
        self.sampler = sampler

    def __iter__(self) -> Iterator[list[int]]:
        size = self.batch_size
        if isinstance(self.sampler, _EpochSampler) and type(self.sampler).__iter__ is _EpochSampler.__iter__:
            indices = self.sampler._epoch_indices().tolist()  # one array, cut without a loop per index
            stop = len(indices) - len(indices) % size if self.drop_last else len(indices)
            for start in range(0, stop, size):
                yield indices[start:start + size]
            return
        batch: list[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
