"""Type promotion of Tensor ops against torch's table (torch.result_type), all pairs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
PAIRS = list(itertools.product(NAMES, NAMES))
SCALARS = [True, 3, 2.5]
SHAPES = {"dim": (3,), "zero": ()}


def _pair(name: str, shape: tuple, seed: int = 0):
    values = np.random.default_rng(seed).integers(1, 4, size=shape)
    host = values.astype(name)
    return hw.tensor(host), torch.tensor(host)


def _dt(t) -> np.dtype:
    return np.dtype(str(t.dtype).replace("torch.", ""))


@pytest.mark.parametrize("left,right", PAIRS)
def test_promote_types_and_can_cast_match_torch(left, right):
    assert hw.promote_types(getattr(hw, left), getattr(hw, right)) == np.dtype(
        str(torch.promote_types(getattr(torch, left), getattr(torch, right))).replace("torch.", ""))
    assert hw.can_cast(getattr(hw, left), getattr(hw, right)) == torch.can_cast(
        getattr(torch, left), getattr(torch, right))


@pytest.mark.parametrize("left,right", PAIRS)
@pytest.mark.parametrize("shapes", [("dim", "dim"), ("dim", "zero"), ("zero", "dim"), ("zero", "zero")])
def test_result_type_of_tensor_pairs_matches_torch(left, right, shapes):
    ha, ta = _pair(left, SHAPES[shapes[0]])
    hb, tb = _pair(right, SHAPES[shapes[1]], seed=1)
    expected = np.dtype(str(torch.result_type(ta, tb)).replace("torch.", ""))
    assert hw.result_type(ha, hb) == expected
    # the ops themselves give that dtype, with torch's values
    for name in ("add", "mul", "maximum"):
        h, t = getattr(hw, name)(ha, hb), getattr(torch, name)(ta, tb)
        assert h.dtype == _dt(t), name
        np.testing.assert_allclose(h.numpy().astype(float), t.numpy().astype(float), rtol=1e-3)
    h, t = ha / hb, ta / tb
    assert h.dtype == _dt(t)
    np.testing.assert_allclose(h.numpy().astype(float), t.numpy().astype(float), rtol=1e-3)
    assert (ha == hb).dtype == hw.bool_ and (ha < hb).tolist() == (ta < tb).tolist()
    cond = hw.tensor(np.array([True, False, True])[: max(len(ha.shape), len(hb.shape)) * 3 or 1])
    tcond = torch.tensor(cond.numpy())
    assert hw.where(cond, ha, hb).dtype == _dt(torch.where(tcond, ta, tb))
    if "bool" not in (left, right):
        h, t = ha - hb, ta - tb
        assert h.dtype == _dt(t)
        np.testing.assert_allclose(h.numpy().astype(float), t.numpy().astype(float), rtol=1e-3)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("scalar", SCALARS, ids=["bool", "int", "float"])
@pytest.mark.parametrize("shape", ["dim", "zero"])
def test_tensor_with_python_number_matches_torch(name, scalar, shape):
    ha, ta = _pair(name, SHAPES[shape])
    expected = np.dtype(str(torch.result_type(ta, scalar)).replace("torch.", ""))
    assert hw.result_type(ha, scalar) == expected
    for h, t in [(ha + scalar, ta + scalar), (scalar * ha, scalar * ta), (ha / scalar, ta / scalar),
                 (hw.where(ha > 1, ha, scalar), torch.where(ta > 1, ta, scalar))]:
        assert h.dtype == _dt(t)
        np.testing.assert_allclose(h.numpy().astype(float), t.numpy().astype(float), rtol=1e-3)
    assert (ha == scalar).tolist() == (ta == scalar).tolist()


@pytest.mark.parametrize("a,b", list(itertools.product(SCALARS, SCALARS)))
def test_where_with_two_numbers_matches_torch(a, b):
    cond = hw.tensor([True, False])
    h, t = hw.where(cond, a, b), torch.where(torch.tensor([True, False]), a, b)
    assert h.dtype == _dt(t) and h.tolist() == t.tolist()


def test_the_default_dtype_is_what_python_floats_become():
    hw.set_default_dtype(hw.float64)
    try:
        assert (hw.arange(3) + 0.5).dtype == hw.float64
        assert (hw.arange(3) / hw.arange(1, 4)).dtype == hw.float64
        assert (hw.ones(2, dtype=hw.float32) * 0.5).dtype == hw.float32
    finally:
        hw.set_default_dtype(hw.float32)
    assert (hw.arange(3) / 2).dtype == hw.float32
    assert hw.where(hw.tensor([True]), 1.0, -1.0).dtype == hw.float32


def test_integer_numbers_wrap_around_narrow_dtypes_as_torch():
    h, t = hw.ones(2, dtype=hw.uint8) + 300, torch.ones(2, dtype=torch.uint8) + 300
    assert h.dtype == hw.uint8 and h.tolist() == t.tolist()
    h, t = hw.ones(2, dtype=hw.int8) * 200, torch.ones(2, dtype=torch.int8) * 200
    assert h.tolist() == t.tolist()


def test_gradients_flow_through_promoting_casts():
    a = hw.ones(3, requires_grad=True)
    s = hw.tensor(2.0, dtype=hw.float64, requires_grad=True)
    out = a * s
    assert out.dtype == hw.float32
    out.sum().backward()
    ta = torch.ones(3, requires_grad=True)
    ts = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (ta * ts).sum().backward()
    assert a.grad.dtype == hw.float32 and s.grad.dtype == hw.float64
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy())
    np.testing.assert_allclose(s.grad.numpy(), ts.grad.numpy())
    h = hw.ones(2, dtype=hw.float16, requires_grad=True)
    (h + hw.ones(2, dtype=hw.float32)).sum().backward()
    assert h.grad.dtype == hw.float16


def test_unsupported_operands_raise():
    with pytest.raises(TypeError, match="unsupported operand"):
        hw.add(hw.ones(2), "x")
    with pytest.raises(TypeError, match="unsupported operand"):
        hw.result_type(hw.ones(2), 1j)
