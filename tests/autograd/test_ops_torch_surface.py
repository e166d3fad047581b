"""The torch surface added for scripts that call it: quantiles, var_mean/std_mean,
block_diag, cartesian_prod, as_strided, view_as, fill_diagonal_, logspace, the
torch.special functions and torch.fft, against PyTorch (float64 values and
gradients, float32 dtypes) and by float64 finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from op_oracle import run_case

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = [pytest.mark.torch, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

S = [(3, 5)]
S3 = [(2, 3, 4)]


def _q(lib, a, values):
    return lib.as_tensor(np.asarray(values, dtype=str(a.dtype).replace("torch.", "")))


def _with_nan(lib, a):
    mask = np.zeros(tuple(a.shape))
    mask[0, 1] = mask[1, 2] = mask[1, 4] = np.nan
    mask[2, :] = np.nan  # a slice of only NaN
    return a + lib.as_tensor(mask.astype(str(a.dtype).replace("torch.", "")))


CASES = {
    "quantile_all": (S, lambda lib, a: lib.quantile(a, 0.3)),
    "quantile_dim": (S3, lambda lib, a: a.quantile(0.7, dim=1)),
    "quantile_keepdim": (S3, lambda lib, a: lib.quantile(a, 0.25, dim=-1, keepdim=True)),
    "quantile_keepdim_all": (S, lambda lib, a: a.quantile(0.5, keepdim=True)),
    "quantile_q_tensor": (S3, lambda lib, a: lib.quantile(a, _q(lib, a, [0.0, 0.1, 0.5, 1.0]), dim=2)),
    "quantile_lower": (S, lambda lib, a: a.quantile(_q(lib, a, [0.3, 0.6]), dim=1, interpolation="lower")),
    "quantile_higher": (S, lambda lib, a: a.quantile(0.3, dim=0, interpolation="higher")),
    "quantile_midpoint": (S, lambda lib, a: a.quantile(_q(lib, a, [0.3, 0.75]), dim=1, interpolation="midpoint")),
    # ranks 0.5, 1.5, 2.5 and 3.5 (of 0..4): halves round to the even rank, as torch's
    "quantile_nearest": (S, lambda lib, a: a.quantile(_q(lib, a, [0.125, 0.375, 0.625, 0.875]), dim=1,
                                                       interpolation="nearest")),
    "quantile_nan": (S, lambda lib, a: _with_nan(lib, a).quantile(0.4, dim=1)),
    "nanquantile": (S, lambda lib, a: _with_nan(lib, a).nanquantile(_q(lib, a, [0.2, 0.9]), dim=1)),
    "nanquantile_all": (S, lambda lib, a: lib.nanquantile(_with_nan(lib, a), 0.5)),
    "nanquantile_nearest": (S, lambda lib, a: lib.nanquantile(_with_nan(lib, a), 0.5, dim=1, interpolation="nearest")),
    "var_mean": (S3, lambda lib, a: lib.var_mean(a, dim=1)),
    "var_mean_correction": (S3, lambda lib, a: lib.var_mean(a, dim=(0, 2), correction=0, keepdim=True)),
    "var_mean_unbiased": (S, lambda lib, a: lib.var_mean(a, False)),
    "std_mean": (S3, lambda lib, a: lib.std_mean(a, -1, unbiased=False)),
    "std_mean_all": (S, lambda lib, a: lib.std_mean(a, correction=2)),
    "block_diag": ([(2, 3), (1, 1), (4,)], lambda lib, a, b, c: lib.block_diag(a, b, c, b[0, 0])),
    "cartesian_prod": ([(3,), (2,), (4,)], lambda lib, a, b, c: lib.cartesian_prod(a, b, c)),
    "cartesian_prod_one": ([(3,)], lambda lib, a: lib.cartesian_prod(a)),
    "as_strided": (S, lambda lib, a: a.as_strided((4, 3), (3, 1), 2)),
    "as_strided_windows": ([(10,)], lambda lib, a: lib.as_strided(a, (8, 3), (1, 1))),
    "as_strided_transpose": (S, lambda lib, a: a.as_strided((5, 3), (1, 5))),
    "view_as": (S, lambda lib, a: a.view_as(a.reshape(5, 3))),
    "fill_diagonal": (S, lambda lib, a: (a * 1).fill_diagonal_(2.5)),
    "fill_diagonal_wrap": ([(7, 2)], lambda lib, a: (a * 1).fill_diagonal_(-1.0, wrap=True)),
    "fill_diagonal_3d": ([(3, 3, 3)], lambda lib, a: (a * 1).fill_diagonal_(0.5)),
    "gammaln": (S, lambda lib, a: lib.special.gammaln(a * 4)),
    "lgamma": (S, lambda lib, a: lib.lgamma(a + 2.5)),
    "digamma": (S, lambda lib, a: lib.special.digamma(a * 3)),
    "psi": (S, lambda lib, a: lib.special.psi(a + 3)),
    "i0": (S, lambda lib, a: lib.special.i0(a * 5)),
    "sinc": (S, lambda lib, a: lib.special.sinc(a)),
    "entr": (S, lambda lib, a: lib.special.entr(a.abs() + 0.1)),
    "ndtr": (S, lambda lib, a: lib.special.ndtr(a * 2)),
    "ndtri": (S, lambda lib, a: lib.special.ndtri(lib.sigmoid(a * 2))),
    "xlog1py": ([(3, 5), (3, 5)], lambda lib, a, b: lib.special.xlog1py(a, b.abs())),
    "xlogy": ([(3, 5), (5,)], lambda lib, a, b: lib.special.xlogy(a, b.abs() + 0.1)),
    "expit_logit": (S, lambda lib, a: lib.special.logit(lib.special.expit(a))),
    "erf_family": (S, lambda lib, a: lib.special.erf(a) + lib.special.erfc(a) * lib.special.erfinv(a / 3)),
    "exp_family": (S, lambda lib, a: lib.special.exp2(a) + lib.special.expm1(a) + lib.special.log1p(a.abs())),
    "special_softmax": (S3, lambda lib, a: lib.special.softmax(a, 1) + lib.special.log_softmax(a, -1)),
    "special_logsumexp": (S3, lambda lib, a: lib.special.logsumexp(a, (0, 2))),
    "rfft_abs": ([(3, 8)], lambda lib, a: lib.fft.rfft(a, dim=1).abs()),
    "rfft_n_ortho": ([(3, 8)], lambda lib, a: lib.fft.rfft(a, n=11, norm="ortho").abs()),
    "fft_abs": ([(4, 6)], lambda lib, a: lib.fft.fft(a, n=4, dim=0, norm="forward").abs()),
    "ifft_abs": ([(6,)], lambda lib, a: lib.fft.ifft(a, n=9).abs()),
    "irfft_rfft": ([(2, 8)], lambda lib, a: lib.fft.irfft(lib.fft.rfft(a), n=8) * a),
    "irfft_odd": ([(2, 7)], lambda lib, a: lib.fft.irfft(lib.fft.rfft(a, norm="forward"), n=7, norm="forward")),
    "irfft_long": ([(6,)], lambda lib, a: lib.fft.irfft(lib.fft.rfft(a), n=13, norm="ortho")),
    "ifft_fft": ([(5,)], lambda lib, a: lib.fft.ifft(lib.fft.fft(a)).abs()),
    "fftshift": ([(4, 5)], lambda lib, a: lib.fft.fftshift(a) + lib.fft.ifftshift(a, dim=1)),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_matches_torch(name, dtype):
    run_case(CASES[name], dtype=dtype)


GRADCHECK = {
    "quantile": ([(3, 5)], lambda a: hw.quantile(a, hw.as_tensor([0.3, 0.8], dtype=hw.float64), dim=1)),
    "nanquantile": ([(4, 3)], lambda a: hw.nanquantile(a, 0.6, dim=0, keepdim=True)),
    "std_mean": ([(3, 4)], lambda a: sum(hw.std_mean(a, 1, correction=0))),
    "block_diag": ([(2, 2), (3,)], lambda a, b: hw.block_diag(a, b)),
    "cartesian_prod": ([(2,), (3,)], lambda a, b: hw.cartesian_prod(a, b)),
    "as_strided": ([(9,)], lambda a: a.as_strided((4, 3), (2, 1))),
    "lgamma": ([(3, 4)], lambda a: hw.lgamma(a * 3)),
    "digamma": ([(3, 4)], lambda a: hw.digamma(a * 3)),
    "i0": ([(3, 4)], lambda a: hw.special.i0(a * 4)),
    "sinc": ([(3, 4)], lambda a: hw.sinc(a)),
    "entr": ([(3, 4)], lambda a: hw.special.entr(a.abs() + 0.2)),
    "ndtri": ([(3, 4)], lambda a: hw.special.ndtri(hw.sigmoid(a))),
    "xlog1py": ([(3, 4), (4,)], lambda a, b: hw.special.xlog1py(a, b.abs())),
    "rfft": ([(2, 6)], lambda a: hw.fft.rfft(a, n=7).abs()),
    "irfft": ([(2, 6)], lambda a: hw.fft.irfft(hw.fft.rfft(a), n=6, norm="ortho") ** 2),
    "fft": ([(5,)], lambda a: hw.fft.ifft(hw.fft.fft(a, n=8), n=5).abs()),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck(name):
    shapes, fn = GRADCHECK[name]
    rng = np.random.default_rng(1)
    inputs = [hw.as_tensor(rng.uniform(-2, 2, size=s), requires_grad=True) for s in shapes]
    assert hw.autograd.gradcheck(fn, inputs)


def test_logspace_matches_torch():
    for args, kwargs in [((0, 2, 5), {}), ((-1, 1, 4), {"base": 2.0}), ((1, 3, 3), {"dtype": "float64"}),
                         ((0, 1, 0), {}), ((2, 2, 1), {})]:
        tk = {k: getattr(torch, v) if k == "dtype" else v for k, v in kwargs.items()}
        hk = {k: getattr(hw, v) if k == "dtype" else v for k, v in kwargs.items()}
        ours, theirs = hw.logspace(*args, **hk), torch.logspace(*args, **tk)
        assert ours.dtype == np.dtype(str(theirs.dtype).replace("torch.", ""))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_fft_values_and_dtypes_match_torch():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 6, 5))
    for dtype in ("float32", "float64"):
        h, t = hw.as_tensor(a.astype(dtype)), torch.tensor(a.astype(dtype))
        for name, kwargs in [("fftn", {}), ("fftn", {"dim": (0, 2), "norm": "ortho"}), ("rfftn", {"s": (6, 8)}),
                             ("ifftn", {"dim": [1]}), ("fft2", {}), ("ifft2", {"norm": "forward"}), ("rfft2", {})]:
            ours, theirs = getattr(hw.fft, name)(h, **kwargs), getattr(torch.fft, name)(t, **kwargs)
            assert ours.dtype == np.dtype(str(theirs.dtype).replace("torch.", "")), name
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-4, err_msg=name)
    complex_in = hw.fft.fft(hw.as_tensor(a))
    np.testing.assert_allclose(hw.fft.ifft(complex_in).numpy().real, a, atol=1e-12)
    for n, d in [(8, 1.0), (7, 0.5), (1, 2.0)]:
        np.testing.assert_allclose(hw.fft.fftfreq(n, d).numpy(), torch.fft.fftfreq(n, d).numpy())
        np.testing.assert_allclose(hw.fft.rfftfreq(n, d).numpy(), torch.fft.rfftfreq(n, d).numpy())
        assert hw.fft.fftfreq(n, d).dtype == np.float32
    ints = hw.fft.rfft(hw.arange(4))
    assert ints.dtype == np.complex64


def test_special_edge_values_match_torch():
    x = np.array([0.0, -1.0, -2.0, -2.5, 0.5, 1e-8, 40.0, np.inf, -np.inf, np.nan])
    for name in ("gammaln", "digamma", "i0", "sinc", "entr", "ndtr"):
        ours = getattr(hw.special, name)(hw.as_tensor(x)).numpy()
        theirs = getattr(torch.special, name)(torch.tensor(x)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, equal_nan=True, err_msg=name)
    p = np.array([0.0, 1.0, 1e-6, 0.3, 1 - 1e-6, -0.1, 1.5])
    np.testing.assert_allclose(hw.special.ndtri(hw.as_tensor(p)).numpy(), torch.special.ndtri(torch.tensor(p)).numpy(),
                               rtol=1e-9, equal_nan=True)


def test_bad_arguments_raise_clear_errors():
    x = hw.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match="interpolation"):
        x.quantile(0.5, interpolation="cubic")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        x.quantile(1.5)
    with pytest.raises(hw.DTypeError, match="float"):
        hw.arange(4).quantile(0.5)
    with pytest.raises(hw.DTypeError, match="dtype"):
        x.quantile(hw.as_tensor([0.5], dtype=hw.float64))
    with pytest.raises(TypeError, match="not both"):
        hw.var_mean(x, correction=1, unbiased=True)
    with pytest.raises(ValueError, match="past the input"):
        x.as_strided((3, 3), (1, 1), 2)
    with pytest.raises(ValueError, match="same length"):
        x.fill_diagonal_(1.0) if False else hw.zeros(2, 3, 4).fill_diagonal_(1.0)
    with pytest.raises(ValueError, match="at most 2"):
        hw.block_diag(hw.zeros(1, 1, 1))
    with pytest.raises(ValueError, match="1-D"):
        hw.cartesian_prod(x, x)
    with pytest.raises(NotImplementedError, match="no_grad"):
        hw.fft.fftn(hw.ones(2, 2, requires_grad=True))
    with pytest.raises(ValueError, match="norm"):
        hw.fft.fft(x, norm="unitary")
    with pytest.raises(TypeError, match="real input"):
        hw.fft.rfft(hw.fft.fft(x))
    with pytest.raises(NotImplementedError, match="n=1"):
        hw.polygamma(2, x)
    with pytest.raises(ValueError, match="profile"):
        hw.set_printoptions(profile="long")


def test_set_printoptions_changes_repr_as_torch():
    a = np.array([[1.23456, 1e-5, 300.0], [2.0, 3.0, 4.0]])
    b = np.arange(2000.0)
    try:
        for kwargs in [dict(precision=2), dict(sci_mode=True), dict(sci_mode=False), dict(profile="short"),
                       dict(precision=6, sci_mode=False)]:
            hw.set_printoptions(**kwargs)
            torch.set_printoptions(**kwargs)
            assert repr(hw.as_tensor(a)).replace("dtype=float64", "") == repr(torch.tensor(a)).replace(
                "dtype=torch.float64", ""), kwargs
        hw.set_printoptions(profile="default")
        torch.set_printoptions(profile="default")
        assert "..." in repr(hw.as_tensor(b))
        hw.set_printoptions(threshold=5000)
        assert "..." not in repr(hw.as_tensor(b))
        hw.set_printoptions(profile="full")
        assert "..." not in repr(hw.as_tensor(np.arange(5000.0)))
        hw.set_printoptions(profile="default", threshold=3, edgeitems=1)
        assert repr(hw.as_tensor(np.arange(10))) == "tensor([0, ..., 9])"
    finally:
        hw.set_printoptions(profile="default")
        torch.set_printoptions(profile="default")
    assert repr(hw.as_tensor([1.5, 2.0])) == repr(torch.tensor([1.5, 2.0]))


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample_matches_torch(mode, padding_mode, align_corners):
    rng = np.random.default_rng(3)
    image = rng.normal(size=(2, 3, 4, 5))
    grid = rng.uniform(-1.3, 1.3, size=(2, 3, 6, 2))  # some positions fall outside
    run_case(([(2, 3, 4, 5), (2, 3, 6, 2)],
              lambda lib, a, g: lib.nn.functional.grid_sample(a, g, mode=mode, padding_mode=padding_mode,
                                                              align_corners=align_corners),
              {"hosts": [image, grid]}))
    run_case(([(2, 3, 4, 5), (2, 3, 6, 2)],
              lambda lib, a, g: lib.nn.functional.grid_sample(a, g, mode=mode, padding_mode=padding_mode,
                                                              align_corners=align_corners),
              {"hosts": [image, grid]}), dtype="float32")


@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_then_grid_sample_matches_torch(align_corners):
    def fn(lib, image, theta):
        grid = lib.nn.functional.affine_grid(theta, (2, 2, 5, 4), align_corners=align_corners)
        return lib.nn.functional.grid_sample(image, grid, align_corners=align_corners)

    rng = np.random.default_rng(4)
    theta = np.array([[[0.9, 0.2, 0.1], [-0.1, 1.1, 0.0]], [[1.0, 0.0, -0.2], [0.3, 0.8, 0.1]]])
    run_case(([(2, 2, 6, 6), (2, 2, 3)], fn, {"hosts": [rng.normal(size=(2, 2, 6, 6)), theta]}))


def test_grid_sample_gradcheck():
    rng = np.random.default_rng(5)
    image = hw.as_tensor(rng.normal(size=(1, 2, 3, 4)), requires_grad=True)
    # keep positions away from pixel boundaries, where bilinear sampling has kinks
    grid = hw.as_tensor(rng.uniform(-0.9, 0.9, size=(1, 2, 3, 2)), requires_grad=True)
    for padding_mode in ("zeros", "border"):
        assert hw.autograd.gradcheck(
            lambda a, g: hw.nn.functional.grid_sample(a, g, padding_mode=padding_mode, align_corners=False),
            [image, grid])
    theta = hw.as_tensor(rng.normal(size=(2, 2, 3)), requires_grad=True)
    assert hw.autograd.gradcheck(lambda t: hw.nn.functional.affine_grid(t, (2, 1, 3, 2)), [theta])


def test_grid_sample_refuses_what_it_lacks():
    F = hw.nn.functional
    image, grid = hw.zeros(1, 1, 2, 2), hw.zeros(1, 1, 1, 2)
    with pytest.raises(NotImplementedError, match="bicubic"):
        F.grid_sample(image, grid, mode="bicubic")
    with pytest.raises(NotImplementedError, match="reflection"):
        F.grid_sample(image, grid, padding_mode="reflection")
    with pytest.raises(NotImplementedError, match="4-D"):
        F.grid_sample(hw.zeros(1, 1, 2, 2, 2), hw.zeros(1, 1, 1, 1, 3))
    with pytest.raises(hw.autograd.errors.ShapeError, match="grid must be"):
        F.grid_sample(image, hw.zeros(1, 1, 1, 3))
    with pytest.raises(hw.autograd.errors.ShapeError, match="theta"):
        F.affine_grid(hw.zeros(1, 3, 3), (1, 1, 2, 2))
