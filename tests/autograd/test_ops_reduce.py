"""Reductions (prod, norm, cumulative, median, mode, nan-aware, aminmax, amax/amin
over dim tuples) against PyTorch, forward and backward."""

from __future__ import annotations

import numpy as np
import pytest
from op_oracle import run_case

import headwater as hw

torch = pytest.importorskip("torch")
# the tables feed NaN, infinities and zeros on purpose
pytestmark = [pytest.mark.torch, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

S = [(3, 5)]
S3 = [(2, 3, 4)]
INF = float("inf")


def _zeros(lib, a):
    """``a`` with some exact zeros (one slice with one, one with two)."""
    mask = np.ones(tuple(a.shape))
    mask[0, 1] = 0
    mask[1, 0] = mask[1, 3] = 0
    return a * lib.as_tensor(mask.astype(str(a.dtype).replace("torch.", "")))


REDUCE = {
    "prod_all": (S, lambda lib, a: a.prod()),
    "prod_dim": (S3, lambda lib, a: lib.prod(a, 1)),
    "prod_keepdim": (S3, lambda lib, a: a.prod(-1, keepdim=True)),
    "prod_zeros": (S, lambda lib, a: _zeros(lib, a).prod(1)),
    "prod_zeros_all": (S, lambda lib, a: _zeros(lib, a)[0].prod()),
    "norm": (S, lambda lib, a: a.norm()),
    "norm_fro_dims": (S3, lambda lib, a: lib.norm(a, p="fro", dim=(0, 2))),
    "norm_p1": (S, lambda lib, a: a.norm(p=1, dim=1)),
    "norm_p3": (S3, lambda lib, a: lib.norm(a, p=3, dim=-1, keepdim=True)),
    "norm_p1_5": (S, lambda lib, a: a.norm(p=1.5)),
    "norm_inf": (S, lambda lib, a: lib.norm(a, p=INF, dim=0)),
    "norm_ninf": (S, lambda lib, a: a.norm(p=-INF, dim=1)),
    "norm_p0": (S, lambda lib, a: a.norm(p=0, dim=1), dict(grad=False)),
    "cumprod": (S, lambda lib, a: a.cumprod(1)),
    "cumprod_dim0": (S3, lambda lib, a: lib.cumprod(a, 0)),
    "cumprod_zeros": (S, lambda lib, a: _zeros(lib, a).cumprod(1)),
    "cummax": (S, lambda lib, a: lib.cummax(a, 1)),
    "cummax_dim0": (S3, lambda lib, a: a.cummax(0)),
    "cummin": (S, lambda lib, a: a.cummin(dim=-1)),
    "cummax_ties": (S, lambda lib, a: lib.cummax(a.round(), 1)),
    "logcumsumexp": (S, lambda lib, a: lib.logcumsumexp(a, 1)),
    "logcumsumexp_wide": ([(4, 9)], lambda lib, a: (a * 300).logcumsumexp(1) / 300),
    "logcumsumexp_dim0": (S3, lambda lib, a: a.logcumsumexp(0)),
    "median_all": (S, lambda lib, a: a.median()),
    "median_dim": ([(3, 6)], lambda lib, a: lib.median(a, 1)),
    "median_keepdim": (S3, lambda lib, a: a.median(dim=0, keepdim=True)),
    "mode": ([(3, 7)], lambda lib, a: lib.mode((a * 2).round(), 1)),
    "mode_keepdim": (S3, lambda lib, a: (a * 1.5).round().mode(0, keepdim=True)),
    "nansum": (S, lambda lib, a: lib.nansum(lib.log(a), 1)),
    "nansum_all": (S, lambda lib, a: lib.log(a).nansum()),
    # about one value in eight is NaN; a slice of NaN only is left to test_nanmean_all_nan
    "nanmean": (S, lambda lib, a: lib.nanmean(lib.log(a + 1.5), dim=0)),
    "nanmean_all": (S, lambda lib, a: lib.log(a).nanmean()),
    "aminmax": (S, lambda lib, a: lib.aminmax(a)),
    "aminmax_dim": (S3, lambda lib, a: a.aminmax(dim=1, keepdim=True)),
    "amax_dims": (S3, lambda lib, a: a.amax(dim=(0, 2))),
    "amin_dims": (S3, lambda lib, a: lib.amin(a, dim=(-1, 0), keepdim=True)),
    "max_dim_named": (S3, lambda lib, a: a.max(dim=1)),
    "min_dim_named": (S3, lambda lib, a: lib.min(a, 2, keepdim=True)),
    "sum_empty_dims": (S3, lambda lib, a: a.sum(dim=())),
    "mean_empty_dims": (S3, lambda lib, a: lib.mean(a, dim=[])),
    # torch's own backward of var(dim=()) is inf everywhere; the values are compared here
    # and the gradient in test_empty_dims_reduce_everything
    "var_empty_dims": (S3, lambda lib, a: a.var(dim=()), dict(grad=False)),
    "amax_empty_dims": (S3, lambda lib, a: a.amax(dim=())),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(REDUCE))
def test_reduce_matches_torch(name, dtype):
    run_case(REDUCE[name], dtype)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 9))
def test_reduce_sweep_over_seeds(seed):
    for case in REDUCE.values():
        for dtype in ("float64", "float32"):
            run_case(case, dtype, seed=seed)


def test_integer_reductions_follow_torch():
    a = np.array([[3, 0, 2], [1, 4, 4]])
    h, t = hw.as_tensor(a), torch.tensor(a)
    pairs = [
        (h.prod(), t.prod()), (h.prod(1), t.prod(1)), (hw.cumprod(h, 1), torch.cumprod(t, 1)),
        (hw.count_nonzero(h), torch.count_nonzero(t)), (h.count_nonzero(dim=1), t.count_nonzero(dim=1)),
        (hw.count_nonzero(h, dim=(0, 1)), torch.count_nonzero(t, dim=(0, 1))),
        (hw.cummax(h, 1).indices, torch.cummax(t, 1).indices), (hw.median(h), torch.median(t)),
        (hw.mode(h, 1).values, torch.mode(t, 1).values), (hw.nansum(h), torch.nansum(t)),
        (hw.prod(hw.as_tensor([True, False])), torch.prod(torch.tensor([True, False]))),
    ]
    for ho, to in pairs:
        assert ho.dtype == np.dtype(str(to.dtype).replace("torch.", "")) and ho.tolist() == to.tolist()


def test_empty_dims_reduce_everything():
    for fn in (hw.sum, hw.mean, hw.var, hw.std, hw.amax, hw.nansum):
        a = hw.as_tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
        b = hw.as_tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
        out_a, out_b = fn(a, dim=()), fn(b)
        assert out_a.shape == () and out_a.item() == out_b.item()
        out_a.backward()
        out_b.backward()
        assert a.grad.tolist() == b.grad.tolist()


def test_nanmean_all_nan_slice():
    x = hw.as_tensor(np.array([[np.nan, 1.0], [np.nan, 3.0]]), requires_grad=True)
    out = hw.nanmean(x, dim=0)
    assert np.isnan(out.tolist()[0]) and out.tolist()[1] == 2.0
    out.sum().backward()
    # no gradient reaches NaN inputs (torch gives NaN there when the whole slice is NaN)
    assert x.grad.tolist() == [[0.0, 0.5], [0.0, 0.5]]


def test_median_and_nan():
    x = np.array([[3.0, np.nan, 1.0, 2.0], [4.0, 1.0, 2.0, 3.0]])
    h, t = hw.median(hw.as_tensor(x), 1), torch.median(torch.tensor(x), 1)
    np.testing.assert_array_equal(h.values.numpy(), t.values.numpy())
    assert h.indices.tolist() == t.indices.tolist()
    assert np.isnan(hw.median(hw.as_tensor(x)).item())
    assert hw.as_tensor(x[1]).median().item() == 2.0  # lower median of an even count
    with pytest.raises(ValueError, match="empty"):
        hw.median(hw.zeros(0))


def test_logcumsumexp_does_not_overflow_or_underflow():
    x = np.array([-1000.0, 0.0, 1000.0, -1000.0])
    h = hw.logcumsumexp(hw.as_tensor(x, requires_grad=True), 0)
    np.testing.assert_allclose(h.detach().numpy(), torch.logcumsumexp(torch.tensor(x), 0).numpy())


def test_norm_has_zero_gradient_at_zero():
    for p in (2, 3, 1.5):
        x = hw.zeros(3, dtype=hw.float64, requires_grad=True)
        x.norm(p=p).backward()
        assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_norm_refusals():
    with pytest.raises(hw.DTypeError, match="float"):
        hw.norm(hw.as_tensor([1, 2]))
    assert hw.norm(hw.as_tensor([[3.0, 0.0], [0.0, -4.0]]), p="nuc").item() == 7.0  # hw.linalg's
    with pytest.raises(TypeError, match="one int"):
        hw.prod(hw.ones(2, 2), dim=(0, 1))
    assert hw.norm(hw.as_tensor([1, 2]), dtype=hw.float64).dtype == np.float64


def test_cumprod_inplace():
    h, t = hw.as_tensor([[1.0, 2.0, 3.0]]), torch.tensor([[1.0, 2.0, 3.0]])
    assert h.cumprod_(1) is h
    assert h.tolist() == t.cumprod_(1).tolist()


@pytest.mark.parametrize("fn", [
    lambda a: a.prod(1), lambda a: (a * (a.abs() > 0.5)).prod(1), lambda a: a.cumprod(1),
    lambda a: (a * (a.abs() > 0.5)).cumprod(1), lambda a: hw.logcumsumexp(a, 1),
    lambda a: a.norm(p=3, dim=1), lambda a: a.median(dim=1).values, lambda a: hw.nanmean(a, 1),
])
def test_gradcheck(fn):
    rng = np.random.default_rng(3)
    a = hw.as_tensor(rng.uniform(0.2, 2.0, size=(3, 4)) * rng.choice([-1, 1], size=(3, 4)), requires_grad=True)
    assert hw.autograd.gradcheck(fn, [a])
