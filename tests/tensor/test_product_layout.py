"""The measured choice of layout for a short ``x @ w.T`` (linear layers on the CPU)."""

import numpy as np
import pytest

import headwater as hw
from headwater.tensor.backend import product_layout as pl


@pytest.fixture(autouse=True)
def _fresh():
    pl.reset()
    yield
    pl.reset()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 7, 5), (2, 3, 4), (32, 64, 256), (64, 33, 17), (65, 8, 8)])
@pytest.mark.parametrize("margin", [0.0, 1e9])  # never / always mirrored where the bits agree
def test_the_product_is_x_at_w_transposed(monkeypatch, dtype, shape, margin):
    monkeypatch.setattr(pl, "MARGIN", margin)
    rows, inner, outer = shape
    rng = np.random.default_rng(rows)
    x = rng.standard_normal((rows, inner)).astype(dtype)
    w = rng.standard_normal((outer, inner)).astype(dtype)
    want = x @ w.T
    for _ in range(3):  # the measuring call, then the chosen way
        got = pl.linear_product(x, w)
        assert got.dtype == want.dtype and got.flags.c_contiguous
        assert got.tobytes() == want.tobytes()


def test_a_way_with_other_bits_is_never_chosen(monkeypatch):
    monkeypatch.setattr(pl, "MARGIN", 1e9)
    monkeypatch.setattr(pl, "_mirror", lambda x, w: np.ascontiguousarray((w @ x.T).T) + 1.0)
    x, w = np.ones((8, 4)), np.ones((3, 4))
    pl.linear_product(x, w)
    assert list(pl._mirrored.values()) == [False]
    assert np.array_equal(pl.linear_product(x, w), x @ w.T)


def test_switched_off_and_out_of_range_products_are_plain(monkeypatch):
    monkeypatch.setenv("HEADWATER_PRODUCT_LAYOUT", "0")
    x, w = np.ones((8, 4), np.float32), np.ones((3, 4), np.float32)
    assert np.array_equal(pl.linear_product(x, w), x @ w.T)
    assert pl._mirrored == {}
    monkeypatch.delenv("HEADWATER_PRODUCT_LAYOUT")
    for a, b in [(np.ones((200, 4)), np.ones((3, 4))),  # more rows than MAX_ROWS
                 (np.ones((8, 4), np.int64), np.ones((3, 4), np.int64)),  # integers
                 (np.ones((2, 8, 4)), np.ones((3, 4))),  # 3-d input
                 (np.ones((8, 4), np.float32), np.ones((3, 4)))]:  # mixed dtypes
        assert np.array_equal(pl.linear_product(a, b), a @ b.T)
    assert not any(pl._mirrored.values())  # remembered as plain (False), never mirrored


def test_a_linear_layer_gives_contiguous_outputs_equal_to_the_product():
    hw.manual_seed(0)
    layer = hw.nn.Linear(64, 256)
    x = hw.randn(32, 64)
    for _ in range(2):
        out = layer(x)
        assert out.is_contiguous()
        want = x.numpy() @ layer.weight.detach().numpy().T + layer.bias.detach().numpy()
        np.testing.assert_array_equal(out.detach().numpy(), want)
