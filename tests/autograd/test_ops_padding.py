"""F.pad in every mode, with negative padding, against PyTorch (float64 and float32)."""

from __future__ import annotations

import pytest
from torch_oracle import check_grad, helper_test_op

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

# name: (input shape, pad, mode)
CASES = {
    "constant": ((2, 3, 4), (1, 2), "constant"),
    "constant_value_2d": ((2, 3, 4), (1, 0, 2, 1), "constant"),
    "constant_negative": ((2, 3, 4), (1, -1, -1, 2), "constant"),
    "constant_all_dims": ((2, 3), (1, 1, 1, 1), "constant"),
    "reflect_1d": ((2, 3, 5), (2, 3), "reflect"),
    "reflect_2d": ((1, 2, 4, 5), (1, 3, 2, 1), "reflect"),
    "reflect_3d": ((1, 1, 3, 4, 5), (1, 2, 2, 1, 1, 2), "reflect"),
    "reflect_negative": ((1, 3, 4), (-1, 2), "reflect"),
    "replicate_1d": ((2, 3, 4), (3, 1), "replicate"),
    "replicate_2d": ((2, 3, 4), (2, 2, 0, 3), "replicate"),
    "replicate_3d": ((1, 2, 2, 3, 2), (1, 1, 2, 0, 1, 3), "replicate"),
    "replicate_negative": ((1, 3, 4), (1, -2), "replicate"),
    "circular_1d": ((2, 3, 4), (2, 4), "circular"),
    "circular_2d": ((1, 2, 3, 4), (1, 1, 3, 2), "circular"),
    "circular_negative": ((1, 3, 4), (-1, 2), "circular"),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_pad_matches_torch(name, dtype):
    shape, pad, mode = CASES[name]
    kwargs = dict(value=0.5) if name == "constant_value_2d" else {}
    helper_test_op([shape], lambda L, a: L.nn.functional.pad(a * 1, pad, mode=mode, **kwargs), dtype=dtype)


@pytest.mark.parametrize("name", ["reflect_2d", "replicate_negative", "circular_2d", "constant_negative"])
def test_gradcheck(name):
    shape, pad, mode = CASES[name]
    check_grad([shape], lambda L, a: L.nn.functional.pad(a, pad, mode=mode))


def test_bad_padding_names_the_problem():
    F = hw.nn.functional
    with pytest.raises(ValueError, match="less than the size"):
        F.pad(hw.ones(1, 1, 3), (3, 0), mode="reflect")
    with pytest.raises(ValueError, match="more than once"):
        F.pad(hw.ones(1, 1, 3), (4, 0), mode="circular")
    with pytest.raises(ValueError, match="mode must be one of"):
        F.pad(hw.ones(1, 3), (1, 1), mode="symmetric")
    with pytest.raises(ValueError, match="removes more"):
        F.pad(hw.ones(1, 3), (-2, -2))
    with pytest.raises(ValueError, match="only applies"):
        F.pad(hw.ones(1, 3), (1, 1), mode="reflect", value=2.0)
