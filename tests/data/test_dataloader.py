"""hw.utils.data.DataLoader in this process, batch by batch against torch's DataLoader."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import headwater as hw
import headwater.utils.data as hud
from tests.data.data_helpers import assert_same

torch = pytest.importorskip("torch")
import torch.utils.data as tud  # noqa: E402

Sample = namedtuple("Sample", ["x", "y"])
X = np.random.default_rng(0).standard_normal((23, 4)).astype(np.float32)
Y = np.arange(23) % 3


def rows_dataset(base, kind="tuple"):
    """The same custom map-style Dataset written against either framework."""
    class Rows(base):
        def __len__(self):
            return len(X)

        def __getitem__(self, i):
            if kind == "dict":
                return {"x": X[i], "y": int(Y[i]), "id": f"r{i}"}
            if kind == "namedtuple":
                return Sample(X[i], float(Y[i]))
            return X[i], int(Y[i])
    return Rows()


def stream_dataset(base, n=11):
    class Stream(base):
        def __iter__(self):
            return ((np.float64(i), i) for i in range(n))

        def __len__(self):
            return n
    return Stream()


def both(ours_kw, theirs_kw=None, kind="tuple"):
    theirs_kw = ours_kw if theirs_kw is None else theirs_kw
    return (list(hud.DataLoader(rows_dataset(hud.Dataset, kind), **ours_kw)),
            list(tud.DataLoader(rows_dataset(tud.Dataset, kind), **theirs_kw)))


@pytest.mark.parametrize("kind", ["tuple", "dict", "namedtuple"])
@pytest.mark.parametrize("kw", [{}, {"batch_size": 5}, {"batch_size": 5, "drop_last": True}, {"batch_size": None},
                                {"batch_size": 30}])
def test_batches_match_torch(kind, kw):
    ours, theirs = both(kw, kind=kind)
    assert len(ours) == len(theirs) == len(hud.DataLoader(rows_dataset(hud.Dataset), **kw))
    for a, b in zip(ours, theirs):
        assert_same(a, b)


def test_sampler_batch_sampler_and_collate_fn_match_torch():
    order = [5, 3, 22, 0, 7, 7, 1]
    ours, theirs = both({"sampler": order, "batch_size": 3})
    for a, b in zip(ours, theirs):
        assert_same(a, b)
    batches = [[1, 2], [20, 0, 4], [9]]
    ours, theirs = both({"batch_sampler": batches})
    assert len(ours) == 3
    for a, b in zip(ours, theirs):
        assert_same(a, b)
    ours, theirs = both({"batch_size": 4, "collate_fn": lambda samples: [s[1] for s in samples]})
    assert ours == theirs


def test_custom_sampler_objects_drive_the_order():
    ours = hud.DataLoader(rows_dataset(hud.Dataset), batch_size=4,
                          sampler=hud.SubsetRandomSampler([1, 2, 3, 4, 5], generator=np.random.default_rng(0)))
    seen = sorted(int(v) for _x, y in ours for v in y.tolist())
    assert seen == sorted(int(Y[i]) for i in [1, 2, 3, 4, 5])
    weighted = hud.DataLoader(rows_dataset(hud.Dataset), batch_size=8,
                              sampler=hud.WeightedRandomSampler([0.0] * 22 + [1.0], 16))
    assert len(weighted) == 2 and all((x.numpy() == X[22]).all() for x, _y in weighted)


@pytest.mark.parametrize("kw", [{"batch_size": 4}, {"batch_size": 4, "drop_last": True}, {"batch_size": None}])
def test_iterable_dataset_matches_torch(kw):
    ours = list(hud.DataLoader(stream_dataset(hud.IterableDataset), **kw))
    theirs = list(tud.DataLoader(stream_dataset(tud.IterableDataset), **kw))
    assert len(ours) == len(theirs) == len(hud.DataLoader(stream_dataset(hud.IterableDataset), **kw))
    for a, b in zip(ours, theirs):
        assert_same(a, b)


def test_shuffle_follows_manual_seed_and_generator():
    def order(**kw):
        loader = hud.DataLoader(rows_dataset(hud.Dataset), batch_size=4, shuffle=True, **kw)
        return [[i for x, _ in loader for i in (x.numpy()[:, 0][:, None] == X[:, 0]).argmax(1).tolist()]
                for _epoch in range(2)]
    hw.manual_seed(11)
    a = order()
    hw.manual_seed(11)
    assert order() == a and a[0] != a[1] and sorted(a[0]) == list(range(23))
    assert order(generator=np.random.default_rng(1)) == order(generator=np.random.default_rng(1))
    assert order(seed=3) == order(seed=3) != order(seed=4)


def test_tensor_dataset_takes_the_device_path_and_matches_torch():
    x, y = hw.as_tensor(X), hw.as_tensor(Y)
    ours = hud.DataLoader(hud.TensorDataset(x, y), batch_size=5)
    theirs = tud.DataLoader(tud.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)), batch_size=5)
    hw.reset_transfer_stats()
    got = list(ours)
    assert hw.transfer_stats().calls == 0 and ours.tensors[0] is x
    for a, b in zip(got, theirs):
        assert_same(a, b)
    shuffled = list(hud.DataLoader(hud.TensorDataset(x, y), batch_size=5, shuffle=True, num_workers=2))
    assert sorted(v for _bx, by in shuffled for v in by.tolist()) == sorted(Y.tolist())


def test_tensor_dataset_with_a_sampler_gathers_once_per_tensor():
    x, y = hw.as_tensor(X), hw.as_tensor(Y)
    order = [4, 0, 9, 9, 22]
    ours = list(hud.DataLoader(hud.Subset(hud.TensorDataset(x, y), list(range(23))), sampler=order, batch_size=2))
    theirs = list(tud.DataLoader(tud.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)), sampler=order,
                                 batch_size=2))
    for a, b in zip(ours, theirs):
        assert_same(a, b)


def test_numbers_collate_to_torch_dtypes():
    class Numbers(hud.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return i, i / 2, i % 2 == 0

    i, f, b = next(iter(hud.DataLoader(Numbers(), batch_size=4)))
    assert (i.dtype, f.dtype, b.dtype) == (np.int64, np.float64, np.bool_)


def test_getitems_is_used_for_a_whole_batch():
    calls = []

    class Batched(hud.Dataset):
        def __len__(self):
            return 10

        def __getitem__(self, i):
            raise AssertionError("per-index lookup while __getitems__ exists")

        def __getitems__(self, indices):
            calls.append(list(indices))
            return [X[i] for i in indices]

    out = list(hud.DataLoader(Batched(), batch_size=4))
    assert calls == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] and out[2].shape == (2, 4)


@pytest.mark.parametrize("kw", [
    {"sampler": [0, 1], "shuffle": True},
    {"batch_sampler": [[0]], "batch_size": 2},
    {"batch_sampler": [[0]], "drop_last": True},
    {"batch_size": None, "drop_last": True},
    {"num_workers": -1},
    {"timeout": -1},
    {"prefetch_factor": 2},
    {"persistent_workers": True},
])
def test_bad_options_raise_as_torch(kw):
    with pytest.raises(ValueError):
        tud.DataLoader(rows_dataset(tud.Dataset), **kw)
    with pytest.raises(ValueError):
        hud.DataLoader(rows_dataset(hud.Dataset), **kw)


@pytest.mark.parametrize("kw", [{"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}])
def test_iterable_dataset_refuses_ordering_options(kw):
    with pytest.raises(ValueError):
        tud.DataLoader(stream_dataset(tud.IterableDataset), **kw)
    with pytest.raises(ValueError, match="IterableDataset"):
        hud.DataLoader(stream_dataset(hud.IterableDataset), **kw)


def test_prefetch_factor_must_be_positive():
    with pytest.raises(ValueError, match="prefetch_factor"):
        hud.DataLoader(rows_dataset(hud.Dataset), num_workers=1, prefetch_factor=0)


def test_frame_options_need_a_frame():
    with pytest.raises(TypeError, match="DataFrame columns"):
        hud.DataLoader(rows_dataset(hud.Dataset), features=["a"])
    with pytest.raises(ValueError, match="seed= or generator="):
        hud.DataLoader(rows_dataset(hud.Dataset), shuffle=True, seed=1, generator=np.random.default_rng(1))


def test_pin_memory_is_accepted():
    ours, theirs = both({"batch_size": 6, "pin_memory": True}, {"batch_size": 6})
    for a, b in zip(ours, theirs):
        assert_same(a, b)


def test_loader_generator_is_a_hw_generator_on_both_paths():
    def order(dataset, seed):
        loader = hud.DataLoader(dataset, batch_size=5, shuffle=True, generator=hw.Generator().manual_seed(seed))
        return [b[1].tolist() for b in loader]
    rows = rows_dataset(hud.Dataset)
    tensors = hud.TensorDataset(hw.as_tensor(X), hw.as_tensor(np.arange(23)))
    for ds in (rows, tensors):
        assert order(ds, 1) == order(ds, 1) != order(ds, 2)
