"""Fetching one batch from a dataset: the same code in the main process and in workers.

A map-style fetcher turns a list of indices into samples (``__getitems__`` when the
dataset has it, else ``dataset[i]`` per index) and collates them; a
``TensorDataset`` under ``default_collate`` is gathered in one ``take`` per tensor
instead. An iterable fetcher takes the next ``batch_size`` samples of its iterator.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from headwater.data.collate import default_collate
from headwater.data.dataset import Subset, TensorDataset

__all__ = ["MapFetcher", "IterableFetcher", "gatherable"]


def gatherable(dataset: Any) -> bool:
    """True when a batch of ``dataset`` is one gather per tensor (TensorDataset, Subsets of it)."""
    if type(dataset) is TensorDataset:
        return True
    return type(dataset) is Subset and gatherable(dataset.dataset)


class MapFetcher:
    """Samples at given indices, collated."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Any, drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self._gather = auto_collation and collate_fn is default_collate and gatherable(dataset)
        self._getitems = getattr(dataset, "__getitems__", None)

    def fetch(self, index: Any) -> Any:
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        if self._gather:
            return self.dataset._gather(index)
        if self._getitems is not None:
            data = self._getitems(index)
        else:
            dataset = self.dataset
            data = [dataset[i] for i in index]
        return self.collate_fn(data)


class IterableFetcher:
    """The next sample (or ``batch_size`` samples) of an iterable dataset."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Any, drop_last: bool) -> None:
        self.iterator = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.ended = False

    def fetch(self, batch_size: int | None) -> Any:
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.iterator))
        data = list(islice(self.iterator, batch_size))
        if len(data) < batch_size:  # type: ignore[operator]
            self.ended = True
            if not data or self.drop_last:
                raise StopIteration
        return self.collate_fn(data)
