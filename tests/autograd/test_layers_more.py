"""Normalisation, channel dropout, resampling and padding layers against PyTorch."""

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


CASES = {
    "batch_norm_4d": ([(4, 3, 5, 6), (3,), (3,)], lambda L, x, w, b: F(L).batch_norm(x, None, None, w, b, True)),
    "batch_norm_5d": ([(2, 3, 2, 3, 4)], lambda L, x: F(L).batch_norm(x, None, None, training=True)),
    "instance_norm": ([(2, 3, 5, 4), (3,), (3,)], lambda L, x, w, b: F(L).instance_norm(x, weight=w, bias=b)),
    "group_norm": ([(2, 6, 5), (6,), (6,)], lambda L, x, w, b: F(L).group_norm(x, 3, w, b)),
    "nearest": ([(1, 2, 5)], lambda L, x: F(L).interpolate(x, scale_factor=2.5)),
    "nearest_exact": ([(1, 2, 5)], lambda L, x: F(L).interpolate(x, size=7, mode="nearest-exact")),
    "linear": ([(1, 2, 5)], lambda L, x: F(L).interpolate(x, size=8, mode="linear")),
    "bilinear": ([(2, 3, 4, 5)], lambda L, x: F(L).interpolate(x, scale_factor=(1.5, 2), mode="bilinear")),
    "bilinear_corners": ([(2, 3, 4, 5)], lambda L, x: F(L).interpolate(x, size=(7, 3), mode="bilinear",
                                                                         align_corners=True)),
    "bicubic_up": ([(2, 3, 4, 5)], lambda L, x: F(L).interpolate(x, scale_factor=(1.5, 2), mode="bicubic")),
    "bicubic_down_sized": ([(1, 2, 9, 7)], lambda L, x: F(L).interpolate(x, size=(4, 3), mode="bicubic")),
    "bicubic_corners": ([(2, 3, 4, 5)], lambda L, x: F(L).interpolate(x, size=(7, 3), mode="bicubic",
                                                                        align_corners=True)),
    "bicubic_corners_one": ([(1, 2, 3, 4)], lambda L, x: F(L).interpolate(x, size=(1, 9), mode="bicubic",
                                                                            align_corners=True)),
    "trilinear": ([(1, 1, 3, 4, 5)], lambda L, x: F(L).interpolate(x, scale_factor=2, mode="trilinear")),
    "area": ([(2, 3, 8, 6)], lambda L, x: F(L).interpolate(x, size=(3, 4), mode="area")),
    "pixel_shuffle": ([(2, 8, 3, 3)], lambda L, x: F(L).pixel_shuffle(x, 2)),
    "pixel_unshuffle": ([(2, 2, 6, 4)], lambda L, x: F(L).pixel_unshuffle(x, 2)),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(CASES))
def test_against_torch(name, dtype):
    shapes, fn = CASES[name]
    helper_test_op(shapes, fn, dtype=dtype)


def test_gradcheck_bicubic():
    x = rand64(1, 2, 3, 4)
    for corners in (False, True):
        assert hw.autograd.gradcheck(lambda t, c=corners: hw.nn.functional.interpolate(
            t, size=(5, 3), mode="bicubic", align_corners=c), [x])


def test_upsample_bicubic_module_matches_torch():
    x = np.random.default_rng(2).standard_normal((1, 2, 3, 4)).astype(np.float32)
    h = hw.nn.Upsample(scale_factor=3, mode="bicubic", align_corners=False)(hw.as_tensor(x))
    t = torch.nn.Upsample(scale_factor=3, mode="bicubic", align_corners=False)(torch.tensor(x))
    assert h.dtype == hw.float32
    np.testing.assert_allclose(h.numpy(), t.numpy(), atol=1e-5)


def test_gradcheck_normalize():
    x = rand64(3, 2, 4)
    assert hw.autograd.gradcheck(lambda t: hw.nn.functional.batch_norm(t, None, None, training=True), [x])
    assert hw.autograd.gradcheck(lambda t: hw.nn.functional.group_norm(t, 2), [rand64(2, 4, 3)])


@pytest.mark.parametrize("name,args,kw", [
    ("BatchNorm2d", (6,), {}), ("BatchNorm3d", (6,), {}),
    ("InstanceNorm2d", (6,), dict(affine=True, track_running_stats=True)),
    ("GroupNorm", (3, 6), {}), ("LocalResponseNorm", (3,), {}),
])
def test_norm_modules_match_torch_in_train_and_eval(name, args, kw):
    tm = getattr(torch.nn, name)(*args, **kw).double()
    hm = getattr(hw.nn, name)(*args, **kw)
    hm.load_state_dict({k: hw.as_tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    shape = (4, 6, 3, 5, 4) if name == "BatchNorm3d" else (4, 6, 5, 3)
    x = np.random.default_rng(0).standard_normal(shape)
    for mode in ("train", "eval"):
        getattr(hm, mode)()
        getattr(tm, mode)()
        np.testing.assert_allclose(hm(hw.as_tensor(x)).detach().numpy(), tm(torch.tensor(x)).detach().numpy(),
                                   atol=1e-6)
    for key, value in tm.state_dict().items():
        np.testing.assert_allclose(hm.state_dict()[key].numpy(), value.numpy(), atol=1e-6)


def test_channel_dropout_zeroes_whole_channels_and_scales():
    hw.manual_seed(0)
    y = hw.nn.Dropout2d(0.5)(hw.ones(16, 8, 3, 3)).numpy()
    per_channel = y.reshape(16, 8, 9)
    assert set(np.unique(per_channel)) <= {0.0, 2.0}
    assert (per_channel.min(axis=2) == per_channel.max(axis=2)).all()
    assert 0.3 < (per_channel[:, :, 0] == 0).mean() < 0.7
    assert hw.nn.Dropout2d(0.5).eval()(hw.ones(2, 2, 2, 2)).sum().item() == 16.0


def test_alpha_dropout_keeps_mean_and_variance():
    hw.manual_seed(0)
    x = hw.randn(200_000, dtype=hw.float64)
    y = hw.nn.functional.alpha_dropout(x, 0.2, training=True).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1.0) < 0.02


@pytest.mark.parametrize("name,pad", [("ZeroPad2d", (1, 2, 0, 3)), ("ConstantPad1d", 2)])
def test_constant_padding_modules(name, pad):
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 4))
    kw = {"value": 1.5} if name.startswith("Constant") else {}
    tm, hm = getattr(torch.nn, name)(pad, **kw), getattr(hw.nn, name)(pad, **kw)
    np.testing.assert_allclose(hm(hw.as_tensor(x)).numpy(), tm(torch.tensor(x)).numpy())


def test_upsample_modules_match_torch():
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 4))
    for h, t in [(hw.nn.Upsample(scale_factor=2, mode="bilinear"), torch.nn.Upsample(scale_factor=2, mode="bilinear")),
                 (hw.nn.UpsamplingBilinear2d(size=(5, 7)), torch.nn.UpsamplingBilinear2d(size=(5, 7))),
                 (hw.nn.UpsamplingNearest2d(scale_factor=3), torch.nn.UpsamplingNearest2d(scale_factor=3))]:
        np.testing.assert_allclose(h(hw.as_tensor(x)).numpy(), t(torch.tensor(x)).numpy(), atol=1e-12)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="exactly one of size and scale_factor"):
        hw.nn.functional.interpolate(hw.randn(1, 1, 4))
    with pytest.raises(ValueError, match="expects a 4-d input"):
        hw.nn.functional.interpolate(hw.randn(1, 1, 4), size=3, mode="bilinear")
    with pytest.raises(NotImplementedError, match="antialias=True"):
        hw.nn.functional.interpolate(hw.randn(1, 1, 4, 4), size=3, mode="bicubic", antialias=True)
    with pytest.raises(ValueError, match="expects a 4-d input"):
        hw.nn.functional.interpolate(hw.randn(1, 1, 4), size=3, mode="bicubic")
    with pytest.raises(ValueError, match=r"BatchNorm2d\(3\): expected input \(N, 3, H, W\)"):
        hw.nn.BatchNorm2d(3)(hw.randn(2, 3, 4))
    with pytest.raises(ValueError, match="divisible by num_groups"):
        hw.nn.GroupNorm(4, 6)
