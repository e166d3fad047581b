"""NumPy ufuncs and functions on Series and DataFrames vs pandas; plotting via pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal

VALUES = [1.0, None, 4.0, 0.25, -2.0, 9.0]


@pytest.fixture
def pair():
    p = pd.Series(VALUES, name="x")
    return hw.Series(p), p


@pytest.mark.parametrize("ufunc", [np.log, np.exp, np.sqrt, np.abs, np.negative, np.sin, np.floor, np.sign,
                                   np.isnan, np.log1p, np.square, np.rint])
def test_unary_ufuncs(pair, ufunc):
    h, p = pair
    with np.errstate(all="ignore"):
        got, want = ufunc(h), ufunc(p)
    assert isinstance(got, hw.Series)
    if want.dtype == bool:  # pandas answers False for a missing value; Headwater keeps it missing
        want = want.astype("boolean").where(p.notna(), pd.NA)
    assert_series_equal(got, want)


@pytest.mark.parametrize("ufunc", [np.add, np.subtract, np.multiply, np.true_divide, np.maximum, np.minimum,
                                   np.power, np.greater, np.arctan2, np.fmod, np.hypot])
def test_binary_ufuncs(pair, ufunc):
    h, p = pair
    q = pd.Series([2.0, 3.0, None, 1.0, 5.0, -1.0], name="x")
    with np.errstate(all="ignore"):
        for a, b, c, d in [(h, 2.0, p, 2.0), (3, h, 3, p), (h, hw.Series(q), p, q),
                           (h, np.arange(6.0), p, np.arange(6.0))]:
            got, want = ufunc(a, b), ufunc(c, d)
            # a bool answer: pandas' own (a missing value compares False), as Headwater's
            assert_series_equal(got, want, check_name=False)


def test_reductions_and_accumulations(pair):
    h, p = pair
    for func in (np.sum, np.mean, np.median, np.min, np.max, np.std, np.var, np.prod):
        assert np.isclose(func(h), func(p), equal_nan=True), func
    assert np.add.reduce(h) == p.sum() and np.maximum.reduce(h) == p.max()
    assert_series_equal(np.cumsum(h), np.cumsum(p))
    assert_series_equal(np.round(hw.Series([1.25, 2.5]), 1), np.round(pd.Series([1.25, 2.5]), 1), check_name=False)
    assert np.unique(hw.Series([3, 1, 3])).tolist() == [1, 3]
    assert np.concatenate([hw.Series([1, 2]), hw.Series([3])]).tolist() == [1, 2, 3]
    quotient, rest = np.divmod(hw.Series([7, 8]), 3)
    assert quotient.to_list() == [2, 2] and rest.to_list() == [1, 2]


def test_frame_ufuncs_and_errors():
    p = pd.DataFrame({"a": [1.0, 4.0, None], "b": [9, 16, 25]})
    assert_frame_equal(np.sqrt(hw.DataFrame(p)), np.sqrt(p))
    assert_frame_equal(np.add(hw.DataFrame(p), 1), np.add(p, 1))
    with pytest.raises(TypeError, match="out="):
        np.sqrt(hw.Series([1.0]), out=np.empty(1))
    with pytest.raises(TypeError, match="numeric"):
        np.sqrt(hw.Series(["a"]))


def test_plotting_uses_pandas():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = hw.DataFrame({"x": [1.0, 2.0, 3.0], "y": [3.0, 1.0, 2.0]})
    before = hw.transfer_stats().to_host_calls
    ax = df.plot(x="x", y="y")
    assert ax.get_lines()[0].get_ydata().tolist() == [3.0, 1.0, 2.0]
    assert hw.transfer_stats().to_host_calls > before  # the host copy is counted
    assert df.plot.scatter(x="x", y="y") is not None
    assert df["x"].plot.hist() is not None and df.hist() is not None and df["y"].hist() is not None
    assert df.boxplot() is not None
    plt.close("all")
