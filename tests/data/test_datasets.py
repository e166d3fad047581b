"""Datasets and random_split against torch.utils.data."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.utils.data import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)

torch = pytest.importorskip("torch")
import torch.utils.data as tud  # noqa: E402


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i * i


class Count(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


def test_tensor_dataset_rows():
    x, y = hw.arange(12).reshape(6, 2), hw.as_tensor([0, 1, 0, 1, 0, 1])
    ds = TensorDataset(x, y)
    tds = tud.TensorDataset(torch.arange(12).reshape(6, 2), torch.arange(6) % 2)
    assert len(ds) == len(tds) == 6
    for i in (0, 3, -1):
        assert [t.tolist() for t in ds[i]] == [t.tolist() for t in tds[i]]
    with pytest.raises(ValueError, match="Size mismatch"):
        TensorDataset(hw.ones(3), hw.ones(4))


def test_concat_dataset_matches_torch():
    parts = [[1, 2], [], [3, 4, 5]]
    ours, theirs = ConcatDataset(parts), tud.ConcatDataset(parts)
    assert len(ours) == len(theirs) == 5 and ours.cumulative_sizes == theirs.cumulative_sizes
    assert [ours[i] for i in range(-5, 5)] == [theirs[i] for i in range(-5, 5)]
    with pytest.raises(IndexError):
        ours[5]
    with pytest.raises(IndexError):
        ours[-6]
    assert list(Squares(2) + Squares(3)) == [0, 1, 0, 1, 4]
    with pytest.raises(TypeError, match="ChainDataset"):
        ConcatDataset([Count(2)])


def test_chain_dataset_and_iterable_add():
    class TorchCount(tud.IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

    assert list(ChainDataset([Count(2), Count(3)])) == list(tud.ChainDataset([TorchCount(2), TorchCount(3)]))
    assert list(Count(2) + Count(1)) == [0, 1, 0]
    with pytest.raises(TypeError):
        len(Count(2) + Count(1))


def test_subset():
    sub = Subset(Squares(10), [9, 0, 4])
    assert len(sub) == 3 and [sub[i] for i in range(3)] == [81, 0, 16]
    assert sub[[0, 2]] == [81, 16] and sub.__getitems__([1, 2]) == [0, 16]


def test_dataset_base_raises_naming_the_method():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]
    with pytest.raises(NotImplementedError, match="__iter__"):
        iter(IterableDataset())


@pytest.mark.parametrize("n,lengths", [(10, [3, 7]), (10, [0.5, 0.5]), (10, [0.3, 0.3, 0.4]), (11, [0.5, 0.5]),
                                       (7, [0.33, 0.33, 0.34]), (5, [1]), (10, [0.1, 0.2, 0.7]), (3, [1, 1, 1])])
def test_random_split_sizes_match_torch(n, lengths):
    ours = random_split(range(n), lengths, generator=np.random.default_rng(0))
    theirs = tud.random_split(range(n), lengths, generator=torch.Generator().manual_seed(0))
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    assert sorted(i for s in ours for i in s) == list(range(n))


def test_random_split_follows_manual_seed():
    hw.manual_seed(4)
    a = [list(s) for s in random_split(range(20), [0.75, 0.25])]
    hw.manual_seed(4)
    assert [list(s) for s in random_split(range(20), [0.75, 0.25])] == a


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.6], [-1, 11], [2.5, 7.5]])
def test_random_split_bad_lengths_raise(lengths):
    # torch raises ValueError for the first two, TypeError deep inside randperm for
    # fractional lengths, and accepts a negative length; a clear ValueError is kinder
    with pytest.raises(ValueError, match="random_split"):
        random_split(range(10), lengths)
