"""The DataLoader's fast path: mini-batches gathered on the device, never through the host.

``hw.data.DataLoader`` hands a DataFrame or a ``TensorDataset`` to
:class:`DeviceBatches`. The source becomes device tensors once
(``DataFrame.to_tensor`` for the features: one stacking copy on the device; the
target column's own buffer). Each epoch draws a permutation on the device when
shuffling and gathers each batch with ``take``; without shuffling a batch is a slice,
a view of the same memory. Nothing in an epoch crosses to the host, which
``hw.transfer_stats()`` shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from headwater.dataframe.bridge import column_to_tensor, frame_to_tensor
from headwater.tensor import random as _random
from headwater.tensor.devices import backend_of
from headwater.tensor.dtypes import to_dtype
from headwater.tensor.tensor import Tensor

__all__ = ["DeviceBatches", "frame_tensors"]


class DeviceBatches:
    """Batches of tensors that share their first dimension, sliced or gathered on the device.

    Parameters
    ----------
    tensors : tuple of Tensor
        Same first dimension, one device.
    batch_size : int
    shuffle : bool
        A new permutation every epoch.
    drop_last : bool
    seed : int, optional
        The permutations come from a generator of their own seeded with ``seed``.
    generator : numpy.random.Generator, optional
        The permutations are drawn from it on the host (one upload per epoch).
        With neither, each epoch draws from the device's generator seeded by
        ``hw.manual_seed``.
    as_list : bool
        Yield lists (what ``default_collate`` gives for tuple samples) instead of tuples.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.loader import DeviceBatches
    >>> batches = DeviceBatches((hw.arange(5),), batch_size=2)
    >>> len(batches), [b[0].tolist() for b in batches]
    (3, [[0, 1], [2, 3], [4]])
    """

    def __init__(self, tensors: tuple[Tensor, ...], batch_size: int, shuffle: bool = False,
                 drop_last: bool = False, seed: int | None = None, generator: Any = None,
                 as_list: bool = False) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        self.tensors = tensors
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = seed
        self.as_list = as_list
        self._backend = backend_of(*(t.array for t in tensors))
        self._generator = generator
        self._rng = self._backend.random_state(seed) if self.shuffle and seed is not None else None

    @property
    def num_rows(self) -> int:
        """Rows in one epoch (before ``drop_last``)."""
        return int(self.tensors[0].shape[0])

    def __len__(self) -> int:
        full, rest = divmod(self.num_rows, self.batch_size)
        return full if (self.drop_last or rest == 0) else full + 1

    def _permutation(self) -> Any:
        n = self.num_rows
        if self._generator is not None:
            return self._backend.to_device(self._generator.permutation(n).astype(np.int64))
        rng = self._rng if self._rng is not None else _random.generator(self.tensors[0].device)
        if hasattr(rng, "permutation"):
            return rng.permutation(n)
        return self._backend.xp.argsort(rng.random(n))  # CuPy's Generator has no permutation

    def __iter__(self) -> Iterator[Any]:
        order = self._permutation() if self.shuffle else None
        xp = self._backend.xp
        size = self.batch_size
        pack = list if self.as_list else tuple
        for b in range(len(self)):
            start, stop = b * size, min((b + 1) * size, self.num_rows)
            if order is None:
                yield pack(Tensor(t.array[start:stop]) for t in self.tensors)
            else:
                rows = order[start:stop]
                yield pack(Tensor(xp.take(t.array, rows, axis=0)) for t in self.tensors)


def frame_tensors(columns: dict, features: Any, target: Any, dtype: Any, target_dtype: Any,
                  fill: Any) -> tuple[Tensor, ...]:
    """The feature tensor (and target tensor) a DataLoader batches from a frame's columns."""
    targets = [] if target is None else ([target] if isinstance(target, str) else list(target))
    for name in targets:
        if name not in columns:
            raise KeyError(f"DataLoader target {name!r} is not a column; the frame has {list(columns)}")
    if features is None:
        features = [n for n in columns if n not in targets]
    elif isinstance(features, str):
        features = [features]
    features = list(features)
    overlap = sorted(set(features) & set(targets))
    if overlap:
        raise ValueError(f"column(s) {overlap} are both features and target; name each once")
    x = frame_to_tensor(columns, features, dtype=dtype, fill=fill)
    if not targets:
        return (x,)
    if isinstance(target, str):
        y = column_to_tensor(columns[target], target)
        if target_dtype is not None and y.dtype != to_dtype(target_dtype):
            y = Tensor(y.array.astype(to_dtype(target_dtype)))
    else:
        y = frame_to_tensor(columns, targets, dtype=target_dtype or dtype)
    return (x, y)
