"""Random tensors: seeded by hw.manual_seed, on the device, with the right ranges."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw


@pytest.mark.parametrize("draw", [
    lambda: hw.rand(5), lambda: hw.randn(2, 3), lambda: hw.randint(0, 10, (6,)), lambda: hw.randperm(7),
    lambda: hw.randn(3, dtype=hw.float64), lambda: hw.rand(2, dtype=hw.float16),
])
def test_same_seed_same_values(draw):
    hw.manual_seed(123)
    a = draw().numpy().copy()
    hw.manual_seed(123)
    b = draw().numpy()
    np.testing.assert_array_equal(a, b)
    hw.manual_seed(124)
    assert draw().numpy().tolist() != a.tolist()


def test_ranges_and_dtypes(xp):
    hw.manual_seed(0)
    u = hw.rand(10000)
    assert u.dtype == hw.float32 and isinstance(u.array, xp.ndarray)
    assert 0 <= u.numpy().min() and u.numpy().max() < 1
    n = hw.randn(20000).numpy()
    assert abs(n.mean()) < 0.03 and abs(n.std() - 1) < 0.03
    i = hw.randint(3, 5, (1000,)).numpy()
    assert set(i.tolist()) == {3, 4}
    assert hw.randint(4, size=(3,)).dtype == hw.int64
    assert sorted(hw.randperm(50).tolist()) == list(range(50))


def test_random_errors():
    with pytest.raises(ValueError, match="high"):
        hw.randint(5, 5, (2,))
    with pytest.raises(hw.DTypeError, match="randn: needs a float dtype"):
        hw.randn(2, dtype=hw.int32)
