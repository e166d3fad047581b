"""Samplers: the orders they give, seeded by hw.manual_seed or generator=, against torch's."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.utils.data import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

torch = pytest.importorskip("torch")
import torch.utils.data as tud  # noqa: E402


def test_sequential_matches_torch():
    assert list(SequentialSampler(range(7))) == list(tud.SequentialSampler(range(7)))
    assert len(SequentialSampler(range(7))) == 7


@pytest.mark.parametrize("n,num_samples", [(10, None), (10, 25), (10, 3), (1, 4)])
def test_random_without_replacement_visits_each_index_once_per_pass(n, num_samples):
    hw.manual_seed(0)
    got = list(RandomSampler(range(n), num_samples=num_samples))
    k = n if num_samples is None else num_samples
    assert len(got) == k == len(RandomSampler(range(n), num_samples=num_samples))
    assert len(tud.RandomSampler(range(n), num_samples=num_samples)) == k
    for start in range(0, k - k % n, n):  # every full pass is a permutation
        assert sorted(got[start:start + n]) == list(range(n))
    assert len(set(got[k - k % n:])) == k % n


def test_random_follows_manual_seed_and_changes_each_epoch():
    hw.manual_seed(3)
    s = RandomSampler(range(20))
    first, second = list(s), list(s)
    hw.manual_seed(3)
    assert list(RandomSampler(range(20))) == first
    assert first != second


def test_random_with_a_generator_ignores_the_global_seed():
    a = list(RandomSampler(range(20), generator=np.random.default_rng(5)))
    hw.manual_seed(99)
    assert list(RandomSampler(range(20), generator=np.random.default_rng(5))) == a


def test_random_with_replacement_draws_in_range_with_repeats():
    hw.manual_seed(0)
    got = list(RandomSampler(range(5), replacement=True, num_samples=200))
    assert len(got) == 200 and set(got) == set(range(5))


@pytest.mark.parametrize("kwargs,error", [({"replacement": 1}, TypeError), ({"num_samples": 0}, ValueError),
                                          ({"num_samples": -3}, ValueError)])
def test_random_bad_arguments_raise_as_torch(kwargs, error):
    with pytest.raises(error):
        tud.RandomSampler(range(5), **kwargs)
    with pytest.raises(error, match="RandomSampler"):
        RandomSampler(range(5), **kwargs)


def test_subset_random_permutes_the_given_indices():
    hw.manual_seed(1)
    got = list(SubsetRandomSampler([10, 30, 20, 40]))
    assert sorted(got) == [10, 20, 30, 40] and len(SubsetRandomSampler([1, 2])) == 2


def test_weighted_follows_the_weights():
    w = [0.1, 0.0, 0.6, 0.3]
    got = np.array(list(WeightedRandomSampler(w, 20000, generator=np.random.default_rng(0))))
    freq = np.bincount(got, minlength=4) / len(got)
    np.testing.assert_allclose(freq, w, atol=0.02)
    assert (got != 1).all()
    drawn = list(WeightedRandomSampler(hw.as_tensor([1.0, 2.0, 3.0]), 3, replacement=False))
    assert sorted(drawn) == [0, 1, 2]


@pytest.mark.parametrize("args,error", [(([1.0, 2.0], 3, False), ValueError), (([1.0, 2.0], 0), ValueError),
                                        (([1.0, -1.0], 2), ValueError), (([1.0], 2, "yes"), TypeError)])
def test_weighted_bad_arguments(args, error):
    with pytest.raises(error, match="WeightedRandomSampler"):
        WeightedRandomSampler(*args)


@pytest.mark.parametrize("batch_size,drop_last", [(3, False), (3, True), (5, False), (7, True), (1, False)])
def test_batch_sampler_matches_torch(batch_size, drop_last):
    ours = BatchSampler(SequentialSampler(range(10)), batch_size, drop_last)
    theirs = tud.BatchSampler(tud.SequentialSampler(range(10)), batch_size, drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    plain = BatchSampler([4, 2, 9, 1, 0], batch_size, drop_last)
    assert list(plain) == list(tud.BatchSampler([4, 2, 9, 1, 0], batch_size, drop_last))


def test_batch_sampler_respects_an_overridden_iter():
    class Reversed(SequentialSampler):
        def __iter__(self):
            return iter(range(len(self.data_source) - 1, -1, -1))
    assert list(BatchSampler(Reversed(range(5)), 2, False)) == [[4, 3], [2, 1], [0]]


@pytest.mark.parametrize("args,error", [((range(3), 0, False), ValueError), ((range(3), True, False), ValueError),
                                        ((range(3), 2, None), TypeError)])
def test_batch_sampler_bad_arguments(args, error):
    with pytest.raises((ValueError, TypeError)):
        tud.BatchSampler(*args)
    with pytest.raises(error, match="BatchSampler"):
        BatchSampler(*args)


def test_a_custom_sampler_subclass():
    class Evens(Sampler):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(0, self.n, 2))

    assert list(BatchSampler(Evens(7), 2, False)) == [[0, 2], [4, 6]]


def test_hw_generator_drives_samplers_and_splits():
    g = hw.Generator().manual_seed(42)
    a = list(RandomSampler(range(30), generator=g))
    g.manual_seed(42)
    assert list(RandomSampler(range(30), generator=g)) == a and sorted(a) == list(range(30))
    g.manual_seed(42)
    first = [list(s) for s in hw.utils.data.random_split(range(30), [0.5, 0.5], generator=g)]
    second = [list(s) for s in hw.utils.data.random_split(range(30), [0.5, 0.5],
                                                          generator=hw.Generator().manual_seed(42))]
    assert first == second
    with pytest.raises(TypeError, match="hw.Generator"):
        list(RandomSampler(range(3), generator=123))
