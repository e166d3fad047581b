"""elementwise.binary: long host operands split over threads give the one ufunc call's
values, dtype and floating-point warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from headwater.tensor.backend import elementwise

ROWS = elementwise.PARALLEL_ROWS + 7  # past the threshold, not a multiple of the threads


@pytest.fixture(params=["1", "2"])
def threads(request, monkeypatch):
    monkeypatch.setenv("HEADWATER_NUM_THREADS", request.param)
    return request.param


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "true_divide", "floor_divide", "remainder",
                                  "power", "greater", "less_equal", "equal", "not_equal"])
@pytest.mark.parametrize("dtypes", [("float64", "float64"), ("int32", "float64"), ("uint8", "int8")])
def test_binary_equals_the_ufunc(threads, name, dtypes):
    rng = np.random.default_rng(3)
    a = (rng.random(ROWS) * 20 - 5).astype(dtypes[0])
    b = (rng.random(ROWS) * 7 + 1).astype(dtypes[1])
    b[::97] = 0 if b.dtype.kind == "f" else 1  # divisions by zero (floats) along the way
    with np.errstate(all="ignore"):
        want = getattr(np, name)(a, b)
        got = elementwise.binary(np, name, a, b)
        got_scalar = elementwise.binary(np, name, a, 3)
        want_scalar = getattr(np, name)(a, 3)
        got_reflected = elementwise.binary(np, name, 2.5, b)
        want_reflected = getattr(np, name)(2.5, b)
    for g, w in ((got, want), (got_scalar, want_scalar), (got_reflected, want_reflected)):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)


def test_binary_keeps_the_callers_error_state(threads):
    a = np.ones(ROWS)
    b = np.zeros(ROWS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="ignore"):
            out = elementwise.binary(np, "true_divide", a, b)
    assert np.isinf(out).all()
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        elementwise.binary(np, "true_divide", a, b)


def test_binary_of_short_or_mismatched_operands_is_the_plain_call():
    a = np.arange(10.0)
    np.testing.assert_array_equal(elementwise.binary(np, "multiply", a, a), a * a)
    with pytest.raises(ValueError):
        elementwise.binary(np, "add", np.ones(ROWS), np.ones(ROWS - 1))
    two_d = np.ones((ROWS // 2, 2))
    np.testing.assert_array_equal(elementwise.binary(np, "add", two_d, 1.0), two_d + 1.0)
