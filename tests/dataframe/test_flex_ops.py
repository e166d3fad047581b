"""Flexible operator methods (add ... ge with axis= and fill_value=) and DataFrame op
Series aligned on the column names, against pandas on the same data with nulls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from tests.dataframe.helpers import assert_frame_equal, assert_series_equal

ARITH = ["add", "radd", "sub", "rsub", "mul", "rmul", "truediv", "div", "rtruediv", "rdiv",
         "floordiv", "rfloordiv", "mod", "rmod", "pow", "rpow"]
COMPARE = ["eq", "ne", "lt", "le", "gt", "ge"]


@pytest.fixture
def frames():
    pdf = pd.DataFrame({"a": [1.0, 2.0, np.nan, 4.0, np.nan], "b": [0.5, np.nan, 3.0, 2.0, np.nan]})
    return pdf, hw.DataFrame(pdf)


@pytest.mark.parametrize("name", ARITH)
def test_series_methods_with_fill_value(frames, name):
    pdf, df = frames
    want = getattr(pdf["a"], name)(pdf["b"], fill_value=2.0)
    got = getattr(df["a"], name)(df["b"], fill_value=2.0)
    assert_series_equal(got, want)
    assert_series_equal(getattr(df["a"], name)(3), getattr(pdf["a"], name)(3))


@pytest.mark.parametrize("name", COMPARE)
def test_series_comparison_methods(frames, name):
    pdf, df = frames
    got = getattr(df["a"], name)(2.0).to_pandas()
    want = getattr(pdf["a"], name)(2.0)
    present = pdf["a"].notna()
    assert got[present].astype(bool).tolist() == want[present].tolist()


@pytest.mark.parametrize("name", ["add", "sub", "mul", "truediv", "rsub", "pow"])
def test_frame_methods_axis_and_fill_value(frames, name):
    pdf, df = frames
    assert_frame_equal(getattr(df, name)(df, fill_value=1.0), getattr(pdf, name)(pdf, fill_value=1.0))
    assert_frame_equal(getattr(df, name)(df["a"], axis=0), getattr(pdf, name)(pdf["a"], axis=0))
    assert_frame_equal(getattr(df, name)(df["a"], axis="index", fill_value=0.0),
                       getattr(pdf, name)(pdf["a"], axis="index", fill_value=0.0))
    assert_frame_equal(getattr(df, name)(df.mean()), getattr(pdf, name)(pdf.mean()))
    assert_frame_equal(getattr(df, name)(2.0, fill_value=0.0), getattr(pdf, name)(2.0, fill_value=0.0))


def test_frame_minus_its_reductions_as_pandas(frames):
    pdf, df = frames
    assert_frame_equal((df - df.mean()) / df.std(), (pdf - pdf.mean()) / pdf.std())
    assert_frame_equal(df.mean() - df, pdf.mean() - pdf)
    assert_frame_equal(df[["b", "a"]] * df.max(), pdf[["b", "a"]] * pdf.max())
    assert_frame_equal(df.div(df.sum()), pdf.div(pdf.sum()))


def test_frame_op_series_with_other_labels_names_them(frames):
    _, df = frames
    with pytest.raises(ValueError, match=r"missing \['b'\]"):
        df - df[["a"]].mean()
    with pytest.raises(TypeError, match="not keyed by the column names"):
        df - df["a"]
    with pytest.raises(NotImplementedError, match="level"):
        df.add(1, level=0)
    with pytest.raises(ValueError, match="axis"):
        df.add(df["a"], axis=2)
