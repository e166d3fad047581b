"""hw.data.DataLoader: batches on the device, seeded shuffles, no host crossings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw

N = 103
PDF = pd.DataFrame({
    "a": np.arange(N, dtype=np.float64),
    "b": np.arange(N, dtype=np.float64) * 10,
    "c": ["x", "y", "z"] * 34 + ["x"],
    "y": np.arange(N) % 2,
})


def _frame_loader(**kw):
    return hw.data.DataLoader(hw.DataFrame(PDF), features=["a", "b", "c"], target="y", **kw)


def _rows(loader) -> list[int]:
    return [int(v) for x, _ in loader for v in x.numpy()[:, 0]]


@pytest.mark.parametrize("batch_size,drop_last,expected", [(10, False, 11), (10, True, 10), (103, False, 1),
                                                           (1, False, 103), (200, True, 0)])
def test_len_is_the_number_of_batches(batch_size, drop_last, expected):
    loader = _frame_loader(batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == expected
    assert len(list(loader)) == expected


def test_unshuffled_batches_are_views_in_order_with_matching_targets():
    loader = _frame_loader(batch_size=16)
    batches = list(loader)
    assert [tuple(x.shape) for x, _ in batches][-1] == (7, 3)
    assert _rows(loader) == list(range(N))
    x0, y0 = batches[0]
    assert x0.dtype == np.float32 and y0.dtype == PDF["y"].dtype
    assert y0.tolist() == PDF["y"][:16].tolist()
    codes = hw.DataFrame(PDF)["c"].to_tensor().numpy()[:16]
    np.testing.assert_array_equal(x0.numpy()[:, 2], codes)
    if isinstance(x0.array, np.ndarray):  # a slice of the stacked features, not a copy
        assert np.shares_memory(x0.array, loader.tensors[0].array)


def test_shuffle_visits_every_row_once_and_keeps_pairs_together():
    loader = _frame_loader(batch_size=8, shuffle=True, seed=0)
    seen = []
    for x, y in loader:
        rows = x.numpy()[:, 0].astype(int)
        np.testing.assert_array_equal(y.numpy(), PDF["y"].to_numpy()[rows])
        np.testing.assert_array_equal(x.numpy()[:, 1], rows * 10.0)
        seen.extend(rows.tolist())
    assert sorted(seen) == list(range(N))
    assert seen != list(range(N))


def test_same_seed_same_order_epoch_by_epoch():
    one, two = _frame_loader(batch_size=9, shuffle=True, seed=42), _frame_loader(batch_size=9, shuffle=True, seed=42)
    epochs_one = [_rows(one) for _ in range(3)]
    epochs_two = [_rows(two) for _ in range(3)]
    assert epochs_one == epochs_two
    assert epochs_one[0] != epochs_one[1]  # a new permutation each epoch
    assert _rows(_frame_loader(batch_size=9, shuffle=True, seed=43)) != epochs_one[0]


def test_a_whole_epoch_makes_no_host_transfer():
    loader = _frame_loader(batch_size=10, shuffle=True, seed=1)
    hw.reset_transfer_stats()
    count = 0
    for x, _y in loader:
        count += x.shape[0]
    assert count == N
    assert hw.transfer_stats().calls == 0, hw.transfer_stats()


def test_tensor_dataset_source():
    x = hw.arange(20).reshape(10, 2)
    y = hw.arange(10)
    w = hw.ones(10)
    loader = hw.data.DataLoader(hw.data.TensorDataset(x, y, w), batch_size=4, shuffle=True, seed=5, drop_last=True)
    assert len(loader) == 2
    hw.reset_transfer_stats()
    batches = list(loader)
    assert hw.transfer_stats().calls == 0
    for bx, by, bw in batches:
        assert bx.shape == (4, 2) and by.shape == (4,) and bw.shape == (4,)
        np.testing.assert_array_equal(bx.numpy()[:, 0], by.numpy() * 2)


def test_default_features_are_all_but_the_target_and_target_dtype_casts():
    loader = hw.data.DataLoader(hw.DataFrame(PDF[["a", "b", "y"]]), batch_size=50, target="y",
                                target_dtype="float32")
    x, y = next(iter(loader))
    assert x.shape == (50, 2) and y.dtype == np.float32


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="batch_size"):
        _frame_loader(batch_size=0)
    with pytest.raises(KeyError, match="'nope'"):
        hw.data.DataLoader(hw.DataFrame(PDF), batch_size=2, target="nope")
    with pytest.raises(ValueError, match="both features and target"):
        hw.data.DataLoader(hw.DataFrame(PDF), batch_size=2, features=["a", "y"], target="y")
    with pytest.raises(ValueError, match="same first dimension"):
        hw.data.TensorDataset(hw.ones(3), hw.ones(4))
    with pytest.raises(TypeError, match="Tensor"):
        hw.data.TensorDataset(np.ones(3))
    with pytest.raises(TypeError, match="DataFrame columns"):
        hw.data.DataLoader(np.ones(3), batch_size=2, target="y")
    with pytest.raises(TypeError, match="batched on the device"):
        hw.data.DataLoader(hw.DataFrame(PDF), batch_size=None)


def test_a_bare_tuple_is_a_dataset_of_its_elements_as_in_torch():
    x, y = hw.arange(6).reshape(3, 2), hw.arange(6).reshape(3, 2) + 10
    batches = list(hw.data.DataLoader((x, y), batch_size=2))
    assert len(batches) == 1 and batches[0].shape == (2, 3, 2)
    np.testing.assert_array_equal(batches[0].numpy()[1], y.numpy())


def test_shuffle_without_seed_follows_manual_seed():
    ds = hw.data.TensorDataset(hw.arange(50))
    orders = []
    for _ in range(2):
        hw.manual_seed(7)
        loader = hw.data.DataLoader(ds, batch_size=8, shuffle=True)
        orders.append([[v for b in loader for v in b[0].tolist()] for _epoch in range(2)])
    assert orders[0] == orders[1]
    assert orders[0][0] != orders[0][1] and sorted(orders[0][0]) == list(range(50))
    hw.manual_seed(8)
    assert [v for b in hw.data.DataLoader(ds, batch_size=8, shuffle=True) for v in b[0].tolist()] != orders[0][0]
    frames = []
    for _ in range(2):
        hw.manual_seed(3)
        frames.append(_rows(_frame_loader(batch_size=9, shuffle=True)))
    assert frames[0] == frames[1] != list(range(N))
