"""DistributedSampler: torch's split of the indices, and one shared shuffle per epoch."""

from __future__ import annotations

import pytest

import headwater as hw


@pytest.mark.parametrize("n,replicas,drop_last", [(10, 3, False), (10, 3, True), (7, 2, False), (8, 4, True),
                                                  (2, 4, False)])
def test_unshuffled_shares_match_torch(n, replicas, drop_last):
    torch = pytest.importorskip("torch")
    for rank in range(replicas):
        ours = hw.data.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        theirs = torch.utils.data.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)


def test_shuffled_shares_cover_the_data_once_and_change_with_the_epoch():
    samplers = [hw.data.DistributedSampler(range(12), 3, r, seed=5) for r in range(3)]
    first = [list(s) for s in samplers]
    assert sorted(i for part in first for i in part) == list(range(12))
    for s in samplers:
        s.set_epoch(1)
    second = [list(s) for s in samplers]
    assert sorted(i for part in second for i in part) == list(range(12)) and second != first


def test_bad_arguments_and_the_default_group():
    with pytest.raises(ValueError, match=r"rank should be in the interval \[0, 1\]"):
        hw.data.DistributedSampler(range(4), num_replicas=2, rank=2)
    with pytest.raises(RuntimeError, match="init_process_group"):
        hw.data.DistributedSampler(range(4))
    hw.distributed.init_process_group("loopback")
    try:
        assert list(hw.data.DistributedSampler(range(4), shuffle=False)) == [0, 1, 2, 3]
    finally:
        hw.distributed.destroy_process_group()
