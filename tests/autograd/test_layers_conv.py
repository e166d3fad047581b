"""Convolution and pooling against PyTorch (float64 and float32), gradchecks and errors."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_helpers import rand64
from torch_oracle import helper_test_op

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def F(lib):
    return lib.nn.functional


# name: (shapes, fn(lib, *inputs)); forward and backward in float64 and float32
CASES = {
    "conv1d": ([(2, 3, 9), (4, 3, 3), (4,)], lambda L, x, w, b: F(L).conv1d(x, w, b, stride=2, padding=1)),
    "conv1d_same_dilated": ([(2, 2, 8), (3, 2, 3)], lambda L, x, w: F(L).conv1d(x, w, padding="same", dilation=2)),
    "conv2d": ([(2, 3, 7, 6), (4, 3, 3, 2), (4,)], lambda L, x, w, b: F(L).conv2d(x, w, b, padding=(1, 0))),
    "conv2d_grouped_strided": ([(2, 4, 7, 7), (6, 2, 3, 3)],
                               lambda L, x, w: F(L).conv2d(x, w, stride=(2, 1), dilation=(1, 2), groups=2)),
    "conv2d_depthwise_same": ([(1, 3, 5, 6), (3, 1, 3, 3)], lambda L, x, w: F(L).conv2d(x, w, padding="same", groups=3)),
    # output rows of 16 or more take the batch-first layout, shorter ones the batch-last
    "conv2d_wide_rows_grouped": ([(2, 4, 5, 20), (6, 2, 3, 3), (6,)],
                                 lambda L, x, w, b: F(L).conv2d(x, w, b, padding=1, groups=2)),
    "conv1d_wide_rows_dilated": ([(2, 3, 40), (4, 3, 3)], lambda L, x, w: F(L).conv1d(x, w, stride=2, dilation=2)),
    "conv2d_valid": ([(1, 2, 5, 5), (2, 2, 2, 2)], lambda L, x, w: F(L).conv2d(x, w, padding="valid")),
    "conv3d": ([(1, 2, 4, 5, 3), (3, 2, 2, 3, 2), (3,)], lambda L, x, w, b: F(L).conv3d(x, w, b, padding=1)),
    "conv_transpose1d": ([(2, 3, 5), (3, 2, 3), (2,)],
                         lambda L, x, w, b: F(L).conv_transpose1d(x, w, b, stride=2, dilation=2)),
    "conv_transpose2d": ([(2, 4, 4, 3), (4, 3, 3, 2), (6,)],
                         lambda L, x, w, b: F(L).conv_transpose2d(x, w, b, stride=2, padding=1,
                                                                   output_padding=1, groups=2)),
    "unfold": ([(2, 3, 5, 6)], lambda L, x: F(L).unfold(x, (2, 3), padding=1, stride=(2, 1))),
    "fold": ([(2, 12, 12)], lambda L, x: F(L).fold(x, (4, 5), (2, 2))),
    "max_pool1d": ([(2, 3, 9)], lambda L, x: F(L).max_pool1d(x, 3, 2, padding=1)),
    "max_pool2d_ceil": ([(2, 3, 7, 6)], lambda L, x: F(L).max_pool2d(x, 3, 2, padding=1, ceil_mode=True)),
    "max_pool2d_dilated": ([(2, 3, 7, 6)], lambda L, x: F(L).max_pool2d(x, (2, 3), 1, dilation=2)),
    "max_pool2d_indices": ([(2, 3, 6, 6)], lambda L, x: F(L).max_pool2d(x, 2, return_indices=True)),
    "max_pool3d": ([(1, 2, 5, 5, 4)], lambda L, x: F(L).max_pool3d(x, 2, ceil_mode=True)),
    "avg_pool1d": ([(2, 3, 9)], lambda L, x: F(L).avg_pool1d(x, 4, 3, padding=2)),
    "avg_pool2d_ceil_exclude_pad": ([(2, 3, 7, 6)], lambda L, x: F(L).avg_pool2d(
        x, 3, 2, padding=1, ceil_mode=True, count_include_pad=False)),
    "avg_pool2d_divisor": ([(2, 3, 6, 6)], lambda L, x: F(L).avg_pool2d(x, 2, divisor_override=3)),
    "avg_pool3d": ([(1, 2, 4, 4, 4)], lambda L, x: F(L).avg_pool3d(x, 2, padding=1)),
    "adaptive_avg_pool1d": ([(2, 3, 7)], lambda L, x: F(L).adaptive_avg_pool1d(x, 3)),
    "adaptive_avg_pool2d": ([(2, 3, 7, 6)], lambda L, x: F(L).adaptive_avg_pool2d(x, (3, 4))),
    "adaptive_max_pool2d": ([(2, 3, 7, 6)], lambda L, x: F(L).adaptive_max_pool2d(x, (3, 4))),
    "adaptive_max_pool2d_indices": ([(2, 3, 8, 6)], lambda L, x: F(L).adaptive_max_pool2d(x, (4, 3), True)),
    "lp_pool2d": ([(2, 3, 8, 6)], lambda L, x: F(L).lp_pool2d(x, 2, 2)),
    "unbatched_max_pool2d": ([(3, 6, 6)], lambda L, x: F(L).max_pool2d(x, 2)),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(CASES))
def test_against_torch(name, dtype):
    shapes, fn = CASES[name]
    helper_test_op(shapes, fn, dtype=dtype)


@pytest.mark.parametrize("kernel,stride", [(2, 2), (3, 2), ((2, 3), 1)])
def test_max_pool_ties_and_nan_match_torch(kernel, stride):
    # ReLU'd integers tie often; the gradient and index go to the first maximum, and a
    # NaN in a window is its maximum, as in PyTorch
    rng = np.random.default_rng(0)
    x = np.maximum(rng.integers(-2, 3, (2, 3, 7, 8)), 0).astype(np.float64)
    x[0, 0, 1, 1] = x[1, 2, 4, 5] = np.nan
    g = rng.standard_normal(torch.nn.functional.max_pool2d(torch.tensor(x), kernel, stride).shape)
    g[0, 1, 0, 0] = np.nan
    hx, tx = hw.as_tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    hy, hi = hw.nn.functional.max_pool2d(hx, kernel, stride, return_indices=True)
    ty, ti = torch.nn.functional.max_pool2d(tx, kernel, stride, return_indices=True)
    np.testing.assert_array_equal(hy.detach().numpy(), ty.detach().numpy())
    np.testing.assert_array_equal(hi.numpy(), ti.numpy())
    hy.backward(hw.as_tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(hx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)  # NaNs alike


def test_relu_gradient_masks_as_torch():
    # zero wherever the input is <= 0, even a NaN or infinite gradient; a NaN input passes it
    x = hw.as_tensor(np.array([-1.0, 2.0, -np.inf, 0.0, np.nan], dtype=np.float32), requires_grad=True)
    y = hw.nn.functional.relu(x)
    assert y.dtype == hw.float32
    np.testing.assert_array_equal(y.detach().numpy(), [0.0, 2.0, 0.0, 0.0, np.nan])
    y.backward(hw.as_tensor(np.array([np.nan, np.inf, 1.0, np.nan, 3.0], dtype=np.float32)))
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, np.inf, 0.0, 0.0, 3.0])


def test_max_unpool_matches_torch():
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6))
    hy, hi = hw.nn.functional.max_pool2d(hw.as_tensor(x), 2, return_indices=True)
    ty, ti = torch.nn.functional.max_pool2d(torch.tensor(x), 2, return_indices=True)
    np.testing.assert_array_equal(hi.numpy(), ti.numpy())
    np.testing.assert_allclose(hw.nn.functional.max_unpool2d(hy, hi, 2).numpy(),
                               torch.nn.functional.max_unpool2d(ty, ti, 2).numpy())


@pytest.mark.parametrize("fn", [
    lambda x, w: hw.nn.functional.conv2d(x, w, stride=2, padding=1, groups=2),
    lambda x, w: hw.nn.functional.conv_transpose2d(x, w.transpose(0, 1) if False else w, stride=2),
])
def test_gradcheck_conv(fn):
    assert hw.autograd.gradcheck(fn, [rand64(1, 4, 5, 5), rand64(4, 2, 3, 3, seed=1)])


def test_gradcheck_pooling():
    x = rand64(1, 2, 5, 5)
    assert hw.autograd.gradcheck(lambda t: hw.nn.functional.avg_pool2d(t, 3, 2, padding=1, ceil_mode=True), [x])
    assert hw.autograd.gradcheck(lambda t: hw.nn.functional.max_pool2d(t, 2, 1), [x])
    assert hw.autograd.gradcheck(lambda t: hw.nn.functional.adaptive_avg_pool2d(t, (2, 3)), [x])


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv2d_module_with_torch_weights(mode):
    torch.manual_seed(0)
    tm = torch.nn.Conv2d(3, 4, 3, padding=1, padding_mode=mode, dilation=1).double()
    hm = hw.nn.Conv2d(3, 4, 3, padding=1, padding_mode=mode, dtype=hw.float64)
    hm.load_state_dict({k: hw.as_tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    x = np.random.default_rng(1).standard_normal((2, 3, 5, 6))
    np.testing.assert_allclose(hm(hw.as_tensor(x)).detach().numpy(), tm(torch.tensor(x)).detach().numpy(),
                               atol=1e-12)


def test_modules_shapes_names_and_init_match_torch():
    pairs = [(hw.nn.Conv1d(3, 6, 5), torch.nn.Conv1d(3, 6, 5)),
             (hw.nn.ConvTranspose2d(4, 2, 3, groups=2), torch.nn.ConvTranspose2d(4, 2, 3, groups=2)),
             (hw.nn.Conv3d(2, 4, 3, bias=False), torch.nn.Conv3d(2, 4, 3, bias=False))]
    for h, t in pairs:
        hs, ts = h.state_dict(), t.state_dict()
        assert list(hs) == list(ts)
        for k in hs:
            assert hs[k].shape == tuple(ts[k].shape)
            bound = 1 / np.sqrt(np.prod(ts[k].shape[1:]) if ts[k].ndim > 1 else 1)
            assert np.abs(hs[k].numpy()).max() <= bound + 1e-6 or k == "bias"
        assert repr(h) == repr(t)


def test_conv_modules_and_pools_run_unbatched():
    assert hw.nn.Conv2d(3, 2, 3)(hw.randn(3, 5, 5)).shape == (2, 3, 3)
    assert hw.nn.MaxPool2d(2)(hw.randn(3, 4, 4)).shape == (3, 2, 2)
    assert hw.nn.AdaptiveAvgPool2d(1)(hw.randn(3, 4, 4)).shape == (3, 1, 1)


def test_bad_input_names_the_layer_and_shapes():
    conv = hw.nn.Conv2d(3, 4, 3)
    with pytest.raises(hw.autograd.ShapeError, match=r"Conv2d: weight of shape \(4, 3, 3, 3\) expects input with 3 channels"):
        conv(hw.randn(1, 2, 5, 5))
    with pytest.raises(hw.autograd.ShapeError, match="larger than the padded input"):
        conv(hw.randn(1, 3, 2, 2))
    with pytest.raises(ValueError, match="divisible by groups"):
        hw.nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="strided"):
        hw.nn.functional.conv2d(hw.randn(1, 1, 4, 4), hw.randn(1, 1, 3, 3), stride=2, padding="same")
    with pytest.raises(hw.autograd.ShapeError, match="max_pool2d: kernel"):
        hw.nn.functional.max_pool2d(hw.randn(1, 1, 2, 2), 3)
    with pytest.raises(ValueError, match="padding_mode"):
        hw.nn.Conv1d(1, 1, 3, padding_mode="mirror")
