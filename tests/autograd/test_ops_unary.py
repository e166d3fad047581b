"""Unary ops (powers, logs, trigonometry, rounding, erf family) against PyTorch:
forward and backward in float64 and float32, in-place variants, integer inputs."""

from __future__ import annotations

import numpy as np
import pytest
from op_oracle import run_case

import headwater as hw

torch = pytest.importorskip("torch")
# the tables feed NaN, infinities and zeros on purpose
pytestmark = [pytest.mark.torch, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

S = [(3, 4)]
POS = dict(low=0.1, high=3.0)
UNIT = dict(low=-0.95, high=0.95)
PROB = dict(low=0.02, high=0.98)

UNARY = {
    "exp2": (S, lambda lib, a: lib.exp2(a)),
    "exp2_method": (S, lambda lib, a: a.exp2()),
    "expm1": (S, lambda lib, a: a.expm1()),
    "log2": (S, lambda lib, a: lib.log2(a), POS),
    "log10": (S, lambda lib, a: a.log10(), POS),
    "rsqrt": (S, lambda lib, a: lib.rsqrt(a), POS),
    "tan": (S, lambda lib, a: a.tan(), dict(low=-1.2, high=1.2)),
    "asin": (S, lambda lib, a: lib.asin(a), UNIT),
    "acos": (S, lambda lib, a: a.acos(), UNIT),
    "atan": (S, lambda lib, a: lib.atan(a)),
    "arcsin_alias": (S, lambda lib, a: lib.arcsin(a) + lib.arctan(a), UNIT),
    "sinh": (S, lambda lib, a: a.sinh()),
    "cosh": (S, lambda lib, a: lib.cosh(a)),
    "asinh": (S, lambda lib, a: a.asinh()),
    "acosh": (S, lambda lib, a: lib.acosh(a), dict(low=1.1, high=4.0)),
    "atanh": (S, lambda lib, a: a.atanh(), UNIT),
    "erf": (S, lambda lib, a: lib.erf(a), dict(low=-4.0, high=4.0)),
    "erfc": (S, lambda lib, a: a.erfc(), dict(low=-4.0, high=6.0)),
    "erfinv": (S, lambda lib, a: lib.erfinv(a), dict(low=-0.99, high=0.99, tol32=dict(atol=1e-4, rtol=1e-3))),
    "floor": (S, lambda lib, a: a.floor() + a),
    "ceil": (S, lambda lib, a: lib.ceil(a) * a),
    "round": (S, lambda lib, a: a.round() + a),
    "round_decimals": (S, lambda lib, a: lib.round(a * 100, decimals=-1) + lib.round(a, decimals=2)),
    "trunc": (S, lambda lib, a: lib.trunc(a * 3) + a),
    "fix": (S, lambda lib, a: lib.fix(a * 3) + a),
    "frac": (S, lambda lib, a: (a * 3).frac()),
    "sign": (S, lambda lib, a: lib.sign(a) * a),
    "reciprocal": (S, lambda lib, a: a.reciprocal(), POS),
    "square": (S, lambda lib, a: lib.square(a)),
    "logit": (S, lambda lib, a: a.logit(), PROB),
    "logit_eps": (S, lambda lib, a: lib.logit(a, eps=0.2), PROB),
    "nan_to_num": (S, lambda lib, a: lib.nan_to_num(lib.log(a), nan=0.5, neginf=-7.0)),
    "chain_broadcast": ([(3, 1), (4,)], lambda lib, a, b: (a.exp2() * b.tan()).expm1()),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_matches_torch(name, dtype):
    run_case(UNARY[name], dtype)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 9))
def test_unary_sweep_over_seeds(seed):
    for case in UNARY.values():
        for dtype in ("float64", "float32"):
            run_case(case, dtype, seed=seed)


def test_erf_family_on_a_wide_grid():
    x = np.concatenate([np.linspace(-30, 30, 6001), [0.0, -0.0, np.inf, -np.inf, np.nan]])
    y = np.concatenate([np.linspace(-1, 1, 4001), 1 - np.logspace(-15, -1, 50), [1.5, np.nan]])
    for name, data in (("erf", x), ("erfc", x), ("erfinv", y)):
        h = getattr(hw, name)(hw.as_tensor(data)).numpy()
        t = getattr(torch, name)(torch.tensor(data)).numpy()
        np.testing.assert_allclose(h, t, rtol=1e-12, atol=1e-300, equal_nan=True, err_msg=name)


def test_integer_inputs_follow_torch():
    for name in ("exp2", "log2", "rsqrt", "tan", "erf", "reciprocal", "asinh"):
        h = getattr(hw, name)(hw.as_tensor([1, 2, 4]))
        t = getattr(torch, name)(torch.tensor([1, 2, 4]))
        assert h.dtype == np.float32 and t.dtype == torch.float32, name
        np.testing.assert_allclose(h.numpy(), t.numpy(), rtol=1e-6)
    for name in ("floor", "ceil", "trunc", "sign", "square"):
        h = getattr(hw, name)(hw.as_tensor([-3, 0, 5]))
        t = getattr(torch, name)(torch.tensor([-3, 0, 5]))
        assert h.dtype == np.int64 and h.tolist() == t.tolist(), name
    assert hw.sign(hw.as_tensor([True, False])).tolist() == [True, False]
    assert hw.square(hw.as_tensor([True])).dtype == np.int64
    with pytest.raises(hw.DTypeError, match="float tensor"):
        hw.frac(hw.as_tensor([1, 2]))


def test_nan_to_num_defaults_and_gradient():
    data = [float("nan"), float("inf"), -float("inf"), 2.0]
    for dt in (np.float32, np.float64):
        h = hw.nan_to_num(hw.as_tensor(np.array(data, dtype=dt)))
        t = torch.nan_to_num(torch.tensor(np.array(data, dtype=dt)))
        assert h.tolist() == t.tolist()
    x = hw.as_tensor(np.array(data), requires_grad=True)
    hw.nan_to_num(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 1.0]


def test_logit_clamped_gradient_is_zero():
    x = hw.as_tensor(np.array([0.05, 0.5, 0.95]), requires_grad=True)
    xt = torch.tensor([0.05, 0.5, 0.95], dtype=torch.float64, requires_grad=True)
    hw.logit(x, eps=0.1).sum().backward()
    torch.logit(xt, eps=0.1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy())
    with pytest.raises(ValueError, match="eps"):
        hw.logit(x, eps=0.7)


INPLACE = {
    "exp2_": ((), {}),
    "expm1_": ((), {}),
    "tan_": ((), {}),
    "atan_": ((), {}),
    "sinh_": ((), {}),
    "erf_": ((), {}),
    "floor_": ((), {}),
    "ceil_": ((), {}),
    "round_": ((), {"decimals": 1}),
    "trunc_": ((), {}),
    "frac_": ((), {}),
    "sign_": ((), {}),
    "square_": ((), {}),
    "nan_to_num_": ((), {"nan": 1.0}),
    "exp_": ((), {}),
    "abs_": ((), {}),
    "neg_": ((), {}),
    "pow_": ((2,), {}),
    "sigmoid_": ((), {}),
    "tanh_": ((), {}),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_variants_match_torch(name):
    args, kwargs = INPLACE[name]
    data = np.array([[-1.7, -0.2, 0.0], [0.3, 0.75, 1.9]])
    h, t = hw.as_tensor(data.copy()), torch.tensor(data.copy())
    out = getattr(h, name)(*args, **kwargs)
    getattr(t, name)(*args, **kwargs)
    assert out is h
    np.testing.assert_allclose(h.numpy(), t.numpy(), rtol=1e-12)


def test_logical_inplace_variants_match_torch():
    data = np.array([0.0, 1.0, 2.0, 0.0])
    other = np.array([1.0, 0.0, 3.0, 0.0])
    for name in ("logical_and_", "logical_or_", "logical_xor_"):
        h, t = hw.as_tensor(data.copy()), torch.tensor(data.copy())
        getattr(h, name)(hw.as_tensor(other))
        getattr(t, name)(torch.tensor(other))
        assert h.tolist() == t.tolist(), name
    h, t = hw.as_tensor(data.copy()), torch.tensor(data.copy())
    assert h.logical_not_().tolist() == t.logical_not_().tolist()


def test_inplace_refusals():
    with pytest.raises(hw.DTypeError, match="cannot be written"):
        hw.as_tensor([1, 2]).exp2_()
    leaf = hw.ones(2, requires_grad=True)
    with pytest.raises(hw.autograd.AutogradError, match="in place"):
        leaf.tan_()
    with hw.no_grad():
        leaf.square_()
    ints = hw.as_tensor([3, 4])
    ints.square_()
    assert ints.tolist() == [9, 16]


def test_inplace_bumps_the_version_so_backward_refuses():
    x = hw.as_tensor(np.array([0.5, 1.0]), requires_grad=True)
    y = x * 1.0
    z = y.exp()  # saves its output
    with hw.no_grad():
        z.floor_()
    with pytest.raises(hw.autograd.InplaceModificationError):
        z.sum().backward()


@pytest.mark.parametrize("fn, low, high", [
    (hw.erf, -3, 3), (hw.erfinv, -0.9, 0.9), (hw.logit, 0.05, 0.95), (hw.tan, -1, 1),
    (hw.acosh, 1.2, 3), (hw.rsqrt, 0.2, 2), (hw.frac, 0.1, 0.9), (hw.expm1, -2, 2),
])
def test_gradcheck(fn, low, high):
    rng = np.random.default_rng(1)
    x = hw.as_tensor(rng.uniform(low, high, size=(2, 3)), requires_grad=True)
    assert hw.autograd.gradcheck(fn, [x])
