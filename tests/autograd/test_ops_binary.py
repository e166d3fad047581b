"""Binary ops (fmod, remainder, //, %, rounded div, atan2, hypot, lerp, addcmul,
addcdiv, copysign, xlogy, float_power) and logic ops against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from op_oracle import run_case

import headwater as hw

torch = pytest.importorskip("torch")
# the tables feed NaN, infinities and zeros on purpose
pytestmark = [pytest.mark.torch, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

B = [(3, 4), (3, 4)]
BC = [(2, 3, 4), (3, 1)]
AWAY = dict(low=0.3, high=2.5)

BINARY = {
    "fmod": (B, lambda lib, a, b: lib.fmod(a * 3, b.abs() + 0.3)),
    "fmod_neg_broadcast": (BC, lambda lib, a, b: (a * 3).fmod(b - 2.5)),
    "fmod_scalar": ([(3, 4)], lambda lib, a: a.fmod(0.7)),
    "remainder": (B, lambda lib, a, b: lib.remainder(a * 3, b.abs() + 0.3)),
    "remainder_neg_broadcast": (BC, lambda lib, a, b: (a * 3).remainder(b - 2.5)),
    "mod_operator": (B, lambda lib, a, b: (a * 3) % (b - 2.5)),
    "rmod_operator": ([(3, 4)], lambda lib, a: 2.5 % (a.abs() + 0.2), dict(grad=False)),
    "floordiv_operator": (B, lambda lib, a, b: (a * 3) // (b.abs() + 0.3), dict(grad=False)),
    "rfloordiv_operator": ([(3, 4)], lambda lib, a: 5.0 // (a.abs() + 0.2), dict(grad=False)),
    "floor_divide": (BC, lambda lib, a, b: lib.floor_divide(a * 3, b - 2.5), dict(grad=False)),
    "div_trunc": (BC, lambda lib, a, b: lib.div(a * 3, b - 2.5, rounding_mode="trunc") + a),
    "div_floor": (B, lambda lib, a, b: a.div(b - 2.5, rounding_mode="floor") * b),
    "div_none": (B, lambda lib, a, b: lib.div(a, b.abs() + 0.5, rounding_mode=None)),
    "atan2": (B, lambda lib, a, b: lib.atan2(a, b)),
    "atan2_broadcast": (BC, lambda lib, a, b: a.atan2(b)),
    "arctan2": (B, lambda lib, a, b: lib.arctan2(a, b)),
    "hypot": (BC, lambda lib, a, b: lib.hypot(a, b)),
    "lerp_scalar": (B, lambda lib, a, b: lib.lerp(a, b, 0.3)),
    "lerp_tensor_weight": ([(3, 4), (3, 4), (4,)], lambda lib, a, b, w: a.lerp(b, w)),
    "addcmul": ([(3, 4), (3, 1), (4,)], lambda lib, a, b, c: lib.addcmul(a, b, c, value=0.5)),
    "addcmul_method": ([(3, 4), (3, 4), (3, 4)], lambda lib, a, b, c: a.addcmul(b, c)),
    "addcdiv": ([(3, 4), (3, 1), (4,)], lambda lib, a, b, c: lib.addcdiv(a, b, c.abs() + 0.5, value=-2)),
    "copysign": (BC, lambda lib, a, b: lib.copysign(a, b)),
    "copysign_scalar": ([(3, 4)], lambda lib, a: a.copysign(-1.0)),
    "xlogy": (B, lambda lib, a, b: lib.xlogy(a, b.abs() + 0.1)),
    "xlogy_broadcast": (BC, lambda lib, a, b: a.xlogy(b.abs() + 0.1)),
    "xlogy_scalar_first": ([(3, 4)], lambda lib, a: lib.xlogy(2.0, a.abs() + 0.1)),
    "float_power": (B, lambda lib, a, b: lib.float_power(a.abs() + 0.1, b)),
    "float_power_scalar": ([(3, 4)], lambda lib, a: a.float_power(2)),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_matches_torch(name, dtype):
    run_case(BINARY[name], dtype)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 9))
def test_binary_sweep_over_seeds(seed):
    for case in BINARY.values():
        for dtype in ("float64", "float32"):
            run_case(case, dtype, seed=seed)


@pytest.mark.parametrize("expr", [
    lambda lib, a, b: a // b, lambda lib, a, b: a % b, lambda lib, a, b: lib.fmod(a, b),
    lambda lib, a, b: lib.remainder(a, b), lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"),
    lambda lib, a, b: lib.div(a, b, rounding_mode="floor"), lambda lib, a, b: lib.atan2(a, b),
    lambda lib, a, b: lib.copysign(a, b), lambda lib, a, b: lib.hypot(a * 1.0, b * 1.0),
    lambda lib, a, b: lib.xlogy(a, b.abs()), lambda lib, a, b: lib.float_power(a, b.abs()),
    lambda lib, a, b: a ^ b, lambda lib, a, b: lib.logical_xor(a, b), lambda lib, a, b: a % 3,
    lambda lib, a, b: 7 // b, lambda lib, a, b: lib.fmod(a, 2.5),
])
def test_integer_operands_follow_torch(expr):
    a = np.array([7, -7, 6, -6, 0, 9])
    b = np.array([2, 2, -4, -4, 3, -5])
    h = expr(hw, hw.as_tensor(a), hw.as_tensor(b))
    t = expr(torch, torch.tensor(a), torch.tensor(b))
    assert h.dtype == np.dtype(str(t.dtype).replace("torch.", ""))
    np.testing.assert_allclose(h.numpy(), t.numpy(), rtol=1e-6)


def test_xlogy_special_values():
    x = np.array([0.0, 0.0, 0.0, 1.0, 2.0])
    y = np.array([0.0, np.nan, -1.0, 0.0, np.inf])
    h = hw.as_tensor(x, requires_grad=True)
    t = torch.tensor(x, requires_grad=True)
    hy, ty = hw.xlogy(h, hw.as_tensor(y)), torch.xlogy(t, torch.tensor(y))
    np.testing.assert_array_equal(hy.detach().numpy(), ty.detach().numpy())
    hy.sum().backward()
    ty.sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), t.grad.numpy())


def test_pow_zero_exponent_has_zero_gradient_at_zero():
    for exponent in (0, 0.0):
        x = hw.as_tensor(np.array([0.0, 2.0]), requires_grad=True)
        (x**exponent).sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]
    x = hw.as_tensor(np.array([0.0, 2.0]), requires_grad=True)
    e = hw.as_tensor(np.array([0.0, 1.0]))
    (x**e).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0]
    xt = torch.tensor([0.0, 2.0], dtype=torch.float64, requires_grad=True)
    (xt ** torch.tensor([0.0, 1.0], dtype=torch.float64)).sum().backward()
    assert xt.grad.tolist() == x.grad.tolist()


def test_floor_divide_is_not_differentiable():
    x = hw.ones(3, requires_grad=True)
    assert not (x // 2).requires_grad


def test_div_rejects_an_unknown_rounding_mode():
    with pytest.raises(ValueError, match="rounding_mode"):
        hw.div(hw.ones(2), 2, rounding_mode="round")


BINARY_INPLACE = {
    "fmod_": (1.5,), "remainder_": (-1.5,), "floor_divide_": (0.7,), "atan2_": (None,),
    "hypot_": (None,), "copysign_": (-1.0,), "xlogy_": (3.0,), "lerp_": (None, 0.25),
    "addcmul_": (None, None), "addcdiv_": (None, None), "div_": (0.4,),
}


@pytest.mark.parametrize("name", sorted(BINARY_INPLACE))
def test_binary_inplace_matches_torch(name):
    data = np.array([[-1.7, -0.2, 0.1], [0.3, 0.75, 1.9]])
    other = np.array([0.5, -1.25, 2.0])
    args = BINARY_INPLACE[name]
    h, t = hw.as_tensor(data.copy()), torch.tensor(data.copy())
    h_args = [hw.as_tensor(other) if a is None else a for a in args]
    t_args = [torch.tensor(other) if a is None else a for a in args]
    assert getattr(h, name)(*h_args) is h
    getattr(t, name)(*t_args)
    np.testing.assert_allclose(h.numpy(), t.numpy(), rtol=1e-12)


def test_rounded_div_inplace_and_augmented_operators():
    h, t = hw.as_tensor([7, -7]), torch.tensor([7, -7])
    h.div_(2, rounding_mode="floor")
    t.div_(2, rounding_mode="floor")
    assert h.tolist() == t.tolist()
    h, t = hw.as_tensor([7, -7]), torch.tensor([7, -7])
    h //= 3
    t //= 3
    assert h.tolist() == t.tolist()
    h %= 2
    t %= 2
    assert h.tolist() == t.tolist()
    with pytest.raises(hw.DTypeError, match="cannot be written"):
        hw.as_tensor([7, -7]).div_(2, rounding_mode=None)
    with pytest.raises(hw.DTypeError, match="float64"):
        hw.ones(2).float_power_(2)


@pytest.mark.parametrize("fn", [
    lambda a, b: hw.fmod(a, b), lambda a, b: hw.remainder(a, b), lambda a, b: hw.atan2(a, b),
    lambda a, b: hw.hypot(a, b), lambda a, b: hw.copysign(a, b), lambda a, b: hw.xlogy(a, b),
    lambda a, b: hw.lerp(a, b, b), lambda a, b: hw.addcdiv(a, a, b, value=0.5),
    lambda a, b: hw.float_power(b, a),
])
def test_gradcheck(fn):
    rng = np.random.default_rng(2)
    a = hw.as_tensor(rng.uniform(0.3, 2.0, size=(2, 3)) * rng.choice([-1, 1], size=(2, 3)), requires_grad=True)
    b = hw.as_tensor(rng.uniform(0.5, 1.5, size=(3,)), requires_grad=True)
    assert hw.autograd.gradcheck(fn, [a, b])


# --- logic -------------------------------------------------------------------------

def _pair(x, y):
    return (hw.as_tensor(x), hw.as_tensor(y)), (torch.tensor(x), torch.tensor(y))


LOGIC = {
    "logical_xor": lambda lib, a, b: lib.logical_xor(a, b),
    "logical_xor_method": lambda lib, a, b: a.logical_xor(b > 0),
    "isinf": lambda lib, a, b: lib.isinf(a / b),
    "isposinf": lambda lib, a, b: (a / b).isposinf(),
    "isneginf": lambda lib, a, b: lib.isneginf(a / b),
    "isclose": lambda lib, a, b: lib.isclose(a, a + b * 1e-7),
    "isclose_nan": lambda lib, a, b: lib.isclose(a / b, a / b, equal_nan=True),
    "isclose_tol": lambda lib, a, b: a.isclose(b, rtol=0.5, atol=0.1),
    "allclose": lambda lib, a, b: lib.allclose(a, a + b * 1e-7),
    "allclose_false": lambda lib, a, b: a.allclose(b),
    "equal": lambda lib, a, b: lib.equal(a, a * 1),
    "equal_false": lambda lib, a, b: a.equal(b),
    "equal_shapes": lambda lib, a, b: lib.equal(a, a[:2]),
    "and_or_not": lambda lib, a, b: lib.logical_or(lib.logical_and(a > 0, b > 0), lib.logical_not(a > 1)),
}


@pytest.mark.parametrize("name", sorted(LOGIC))
def test_logic_matches_torch(name):
    x = np.array([0.0, 1.0, -2.0, np.nan, 3.0, 0.0])
    y = np.array([0.0, 0.0, 1.0, 2.0, -1.0, 1.0])
    (ha, hb), (ta, tb) = _pair(x, y)
    h, t = LOGIC[name](hw, ha, hb), LOGIC[name](torch, ta, tb)
    if isinstance(t, bool):
        assert h is t
    else:
        assert h.dtype == np.bool_ and h.tolist() == t.tolist()


def test_xor_operator_and_inplace():
    (ha, hb), (ta, tb) = _pair(np.array([3, 5, 0]), np.array([6, 5, 1]))
    assert (ha ^ hb).tolist() == (ta ^ tb).tolist()
    assert (2 ^ ha).tolist() == (2 ^ ta).tolist()
    (hm, hn), (tm, tn) = _pair(np.array([True, False, True]), np.array([True, True, False]))
    assert (hm ^ hn).tolist() == (tm ^ tn).tolist()
    assert hm.logical_xor_(hn) is hm and hm.tolist() == tm.logical_xor_(tn).tolist()
    with pytest.raises(hw.DTypeError, match="logical_xor"):
        hw.ones(2) ^ hw.ones(2)
    assert hw.isinf(hw.as_tensor([1, 2])).tolist() == [False, False]
