"""Grouped aggregations of zero rows keep the dtype family pandas gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw

from .helpers import assert_frame_equal


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32", "bool"])
@pytest.mark.parametrize("agg", ["sum", "mean", "min", "max", "count"])
def test_zero_row_groupby_keeps_the_dtype_family(dtype, agg):
    data = {"k": np.array([], dtype="int64"), "v": np.array([], dtype=dtype)}
    got = hw.DataFrame(data).groupby("k", as_index=False).agg(s=("v", agg))
    want = pd.DataFrame(data).groupby("k", as_index=False).agg(s=("v", agg))
    assert_frame_equal(got, want)


def test_filtered_to_nothing_float_sum_is_float():
    df = hw.DataFrame({"k": ["a", "b"], "v": [1.5, 2.0]})
    empty = df[df["v"] > 10]
    assert empty.groupby("k")["v"].sum().dtype.kind == "f"
    assert empty.groupby("k", as_index=False)["v"].sum().dtypes["v"].kind == "f"
