"""Names Headwater lacks raise a helpful AttributeError; hw.testing.assert_close
behaves as torch.testing.assert_close."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


@pytest.mark.parametrize("module,name,closest", [
    (hw, "randn_lik", "headwater.randn_like"),
    (hw.nn, "Relu", "headwater.nn.ReLU"),
    (hw.nn.functional, "cross_entropyy", "headwater.nn.functional.cross_entropy"),
    (hw.optim, "Adamm", "headwater.optim.Adam"),
])
def test_a_misspelt_name_names_the_closest(module, name, closest):
    with pytest.raises(AttributeError, match="Headwater does not provide") as info:
        getattr(module, name)
    assert closest in str(info.value)
    assert not hasattr(module, name)


def test_a_name_with_nothing_close_says_so():
    with pytest.raises(AttributeError, match="nothing in headwater is close"):
        hw.zqxjkvw  # noqa: B018
    with pytest.raises(AttributeError, match=r"torch\.nn\.zqxjkvw"):
        hw.nn.zqxjkvw  # noqa: B018


def test_dunder_probes_stay_plain_and_real_names_still_resolve():
    assert not hasattr(hw, "__wrapped__")
    assert hw.nn.functional.relu is hw.nn.functional.relu and hw.optim.SGD is not None
    import headwater.nn.functional as F

    assert F is hw.nn.functional


def test_torch_names_headwater_lacks_never_give_a_result():
    for name in ("fft", "sparse_coo_tensor", "vmap"):
        if not hasattr(hw, name):
            with pytest.raises(AttributeError, match="does not provide"):
                getattr(hw, name)


@pytest.mark.parametrize("actual,expected,kwargs", [
    ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0 + 1e-6], {}),
    ([1.0, 2.0, 3.0], [1.0, 2.5, 3.0], {}),
    ([1.0, 2.0], [1.0, 2.1], {"rtol": 0.1, "atol": 0.0}),
    ([1, 2], [1, 3], {}),
    ([float("nan")], [float("nan")], {}),
    ([float("nan")], [float("nan")], {"equal_nan": True}),
    ([float("inf")], [float("inf")], {}),
])
def test_assert_close_agrees_with_torch(actual, expected, kwargs):
    def outcome(fn, make):
        try:
            fn(make(actual), make(expected), **kwargs)
            return None
        except AssertionError as exc:
            return str(exc).splitlines()[:3]

    h = outcome(hw.testing.assert_close, hw.tensor)
    t = outcome(torch.testing.assert_close, torch.tensor)
    assert (h is None) == (t is None)
    if h is not None:
        assert h[:3] == t[:3]  # the headline and mismatch count


def test_assert_close_checks_dtype_shape_device_and_structure():
    with pytest.raises(AssertionError, match="'dtype' do not match"):
        hw.testing.assert_close(hw.ones(1), hw.ones(1, dtype=hw.float64))
    hw.testing.assert_close(hw.ones(1), hw.ones(1, dtype=hw.float64), check_dtype=False)
    with pytest.raises(AssertionError, match="'shape' do not match"):
        hw.testing.assert_close(hw.ones(2), hw.ones(1, 2))
    with pytest.raises(AssertionError, match=r"item \['b'\]\[1\]"):
        hw.testing.assert_close({"b": [hw.ones(1), hw.ones(1)]}, {"b": [hw.ones(1), hw.zeros(1)]})
    with pytest.raises(ValueError, match="Both 'rtol' and 'atol'"):
        hw.testing.assert_close(hw.ones(1), hw.ones(1), rtol=1e-3)
    with pytest.raises(TypeError, match="only with a Tensor"):
        hw.testing.assert_close(hw.ones(1), 1.0)
    with pytest.raises(AssertionError, match="custom"):
        hw.testing.assert_close(hw.ones(1), hw.zeros(1), msg="custom")
    hw.testing.assert_close(np.ones(2), np.ones(2))
    hw.testing.assert_close(hw.ones(2, requires_grad=True), hw.ones(2))
