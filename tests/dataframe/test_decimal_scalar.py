"""A decimal column's scalars: exact among decimals and integers, float64 with floats.

The float results are checked against pyarrow (decimal128 with float64 gives float64 in
Arrow's compute functions, as in Polars); the exact ones against Python's decimal module.
"""

from __future__ import annotations

import operator
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from headwater.dataframe.column.decimal_scalar import DecimalScalar

_ARROW = {operator.add: "add", operator.sub: "subtract", operator.mul: "multiply",
          operator.truediv: "divide"}


def _decimal_series(values: list) -> hw.Series:
    return hw.from_arrow(pa.table({"x": pa.array(values, pa.decimal128(15, 2))}))["x"]


@pytest.mark.parametrize("op", list(_ARROW))
@pytest.mark.parametrize("reflect", [False, True])
def test_reduction_scalar_with_float_matches_arrow(op, reflect):
    s = _decimal_series([Decimal("12.50"), Decimal("-3.25"), None, Decimal("0.01")])
    total = s.sum()
    assert isinstance(total, Decimal) and total == Decimal("9.26")
    for other in (0.3, np.float64(-1.75), 7.0):
        got = op(other, total) if reflect else op(total, other)
        a, b = pa.scalar(Decimal("9.26"), pa.decimal128(15, 2)), pa.scalar(float(other))
        want = pc.call_function(_ARROW[op], [b, a] if reflect else [a, b]).as_py()
        assert isinstance(got, float) and got == pytest.approx(want, rel=1e-15)
    assert isinstance(op(total, np.float64(2.0)), np.float64)


def test_exact_arithmetic_between_decimals_stays_exact():
    s = _decimal_series([Decimal("0.10"), Decimal("0.20")])
    total = s.sum()
    assert total + Decimal("0.05") == Decimal("0.35")
    assert total * 3 == Decimal("0.90") and (total * 3).as_tuple().exponent == -2
    assert -total == Decimal("-0.30") and abs(-total) == Decimal("0.30")
    assert isinstance(total - 1, DecimalScalar) and isinstance(2 * total, DecimalScalar)
    # a chain of exact steps can still meet a float afterwards
    assert (total * 2 + Decimal("0.4")) * 0.5 == pytest.approx(0.5)
    assert divmod(total, Decimal("0.07")) == (Decimal("4"), Decimal("0.02"))
    assert total ** 2 == Decimal("0.0900") and total ** 0.5 == pytest.approx(0.3 ** 0.5)
    assert repr(total) == "Decimal('0.30')" and hash(total) == hash(Decimal("0.3"))


def test_min_max_of_a_decimal_column_mix_with_floats():
    s = _decimal_series([Decimal("1.25"), Decimal("4.00")])
    assert s.max() / 2.0 == 2.0 and 10.0 - s.min() == 8.75
    # a single value read by position is the same exact scalar (not the scaled integer)
    assert isinstance(s.iloc[0], DecimalScalar) and s.iloc[0] == Decimal("1.25")
    assert s.iloc[-1] * 0.5 == 2.0
    assert s.max() > 3.5 and s.min() < 1.5  # comparisons with floats were exact already


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-10**9, 10**9), min_size=1, max_size=20),
       st.floats(-1e6, 1e6, allow_nan=False).filter(lambda f: abs(f) > 1e-3))
def test_sum_times_and_over_a_float_match_arrow(cents, factor):
    values = [Decimal(c).scaleb(-2) for c in cents]
    total = _decimal_series(values).sum()
    exact = pa.scalar(sum(values), pa.decimal128(18, 2))
    for op in (operator.mul, operator.truediv):
        want = pc.call_function(_ARROW[op], [exact, pa.scalar(factor)]).as_py()
        assert op(total, factor) == pytest.approx(want, rel=1e-12, abs=1e-300)
