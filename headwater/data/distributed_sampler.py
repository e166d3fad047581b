"""``DistributedSampler``: each rank's share of a dataset's indices, torch's rules."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

import numpy as np

from headwater.data.sampler import Sampler

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler[int]):
    """Indices ``rank, rank + num_replicas, ...`` of one (shuffled) order shared by all ranks.

    As torch's: without ``drop_last`` the order is padded with its own first indices
    to a multiple of ``num_replicas``; with it the tail is dropped. The shuffle is a
    permutation seeded by ``seed + epoch`` (call ``set_epoch`` at each epoch), so
    every rank draws the same order without communicating (the permutation itself
    is NumPy's, not torch's).

    Parameters
    ----------
    dataset : Sized
    num_replicas, rank : int, optional
        Default: the default process group's world size and rank.
    shuffle : bool, default True
    seed : int, default 0
    drop_last : bool, default False

    Examples
    --------
    >>> import headwater as hw
    >>> s = hw.data.DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False)
    >>> list(s), len(s)
    ([1, 3, 0], 3)
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None or rank is None:
            from headwater.distributed import group

            num_replicas = group.get_world_size() if num_replicas is None else num_replicas
            rank = group.get_rank() if rank is None else rank
        if not isinstance(num_replicas, int) or num_replicas < 1:
            raise ValueError(f"DistributedSampler: num_replicas must be a positive int, got {num_replicas!r}")
        if not isinstance(rank, int) or not 0 <= rank < num_replicas:
            raise ValueError(f"DistributedSampler: invalid rank {rank!r}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas, self.rank = num_replicas, rank
        self.shuffle, self.seed, self.drop_last = bool(shuffle), int(seed), bool(drop_last)
        self.epoch = 0
        n = len(dataset)
        if self.drop_last and n % num_replicas:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def set_epoch(self, epoch: int) -> None:
        """Use a new shuffle for ``epoch`` (the same on every rank)."""
        self.epoch = int(epoch)

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            order = np.random.default_rng(self.seed + self.epoch).permutation(n)
        else:
            order = np.arange(n, dtype=np.int64)
        if self.drop_last:
            order = order[:self.total_size]
        elif self.total_size > n and n:
            order = np.resize(order, self.total_size)  # repeats the order from its start
        return iter(order[self.rank:self.total_size:self.num_replicas].tolist())

    def __len__(self) -> int:
        return self.num_samples
