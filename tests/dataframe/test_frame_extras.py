"""interpolate/combine_first/update, info/memory_usage/select_dtypes/squeeze/T, options,
api.types, Categorical, Grouper, hw.testing, isin with a large Series: against pandas."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal


@pytest.fixture
def pdf():
    return pd.DataFrame({"a": [1.0, None, None, 4.0, None], "b": [None, 2.0, 3.0, None, 5.0],
                         "i": [1, 2, 3, 4, 5], "s": ["x", "y", None, "x", "z"]})


def test_interpolate_combine_first_update(pdf):
    df = hw.DataFrame(pdf)
    assert_frame_equal(df[["a", "b"]].interpolate(), pdf[["a", "b"]].interpolate())
    assert_series_equal(df["a"].interpolate(limit_direction="both"), pdf["a"].interpolate(limit_direction="both"))
    assert_series_equal(df["a"].combine_first(df["b"]), pdf["a"].combine_first(pdf["b"]))
    other = pdf[["a"]].assign(c=1.5) * 2
    assert_frame_equal(df[["a", "b"]].combine_first(hw.DataFrame(other)), pdf[["a", "b"]].combine_first(other))
    p, h = pdf[["a", "b"]].copy(), df[["a", "b"]].copy()
    p.update(pdf[["b"]].rename(columns={"b": "a"}))
    h.update(df[["b"]].rename(columns={"b": "a"}))
    assert_frame_equal(h, p)
    left = hw.DataFrame({"k": ["x", "y"], "v": [1.0, None]}).set_index("k")["v"]
    right = hw.DataFrame({"k": ["y", "z"], "v": [5.0, 6.0]}).set_index("k")["v"]
    want = pd.Series([1.0, None], index=pd.Index(["x", "y"], name="k")).combine_first(
        pd.Series([5.0, 6.0], index=pd.Index(["y", "z"], name="k")))
    got = left.combine_first(right)
    assert got.index.tolist() == want.index.tolist() and got.to_list() == want.tolist()


def test_inspect_methods(pdf):
    df = hw.DataFrame(pdf)
    assert df.select_dtypes("number").columns == list(pdf.select_dtypes("number").columns)
    assert df.select_dtypes(include=["float"]).columns == list(pdf.select_dtypes(include=["float"]).columns)
    assert df.select_dtypes(exclude="number").columns == ["s"]
    assert df[["i"]].squeeze().to_list() == pdf[["i"]].squeeze().tolist()
    assert df[["i"]].head(1).squeeze() == pdf[["i"]].head(1).squeeze()
    t = df[["a", "i"]].astype("float64").T
    want = pdf[["a", "i"]].astype("float64").T
    assert t.index.tolist() == want.index.tolist()
    assert t.columns == [str(c) for c in want.columns]
    usage = df.memory_usage(index=False)
    assert usage.index.tolist() == list(pdf.columns) and usage.to_dict()["i"] == 40
    buf = io.StringIO()
    df.info(buf=buf)
    assert "4 non-null" in buf.getvalue() and "Data columns (total 4 columns)" in buf.getvalue()


def test_options_and_api_types():
    assert hw.get_option("display.max_rows") == pd.get_option("display.max_rows")
    with hw.option_context("display.max_rows", 4, "display.min_rows", 4):
        text = repr(hw.DataFrame({"a": range(10)}))
        assert ".." in text and hw.options.display.max_rows == 4
    assert ".." not in repr(hw.DataFrame({"a": range(10)}))
    hw.options.display.precision = 3
    assert hw.get_option("precision") == 3
    hw.reset_option("all")
    with pytest.raises(KeyError):
        hw.get_option("display.nope")
    t, pt = hw.api.types, pd.api.types
    for value in (pd.Series([1]), pd.Series([1.5]), pd.Series([True]), pd.Series(["a"]),
                  pd.Series(pd.to_datetime(["2024-01-01"])), pd.Series(["a"], dtype="category")):
        h = hw.Series(value)
        for name in ("is_numeric_dtype", "is_integer_dtype", "is_float_dtype", "is_bool_dtype",
                     "is_datetime64_any_dtype", "is_timedelta64_dtype"):
            assert getattr(t, name)(h) == getattr(pt, name)(value), (name, value.dtype)
    assert t.is_list_like([1]) and not t.is_list_like("ab") and t.is_scalar(1.5) and t.is_integer(3)


def test_categorical_grouper_testing_and_isin():
    c = hw.Categorical(["lo", "hi", None, "lo"], categories=["lo", "hi"], ordered=True)
    pc = pd.Categorical(["lo", "hi", None, "lo"], categories=["lo", "hi"], ordered=True)
    assert c.categories == list(pc.categories) and c.codes.to_list() == pc.codes.tolist() and c.ordered
    ts = pd.to_datetime(["2024-01-01 05:00", "2024-01-01 23:00", "2024-01-03 01:00", "2024-01-03 02:00"])
    pdf = pd.DataFrame({"ts": ts, "v": [1, 2, 3, 4]})
    got = hw.DataFrame(pdf).groupby(hw.Grouper(key="ts", freq="D"))["v"].sum()
    want = pdf.groupby(pd.Grouper(key="ts", freq="D"))["v"].sum()
    # every day of the range, the empty one too, as pandas
    assert got.to_list() == want.tolist() and got.index.tolist() == want.index.tolist()
    hw.testing.assert_frame_equal(hw.DataFrame({"a": [1.0, None]}), pd.DataFrame({"a": [1.0, None]}))
    with pytest.raises(AssertionError, match="row 1"):
        hw.testing.assert_series_equal(hw.Series([1, 2]), hw.Series([1, 3]))
    rng = np.random.default_rng(0)
    big = rng.integers(0, 10_000, 5000)
    values = pd.Series(rng.integers(0, 10_000, 20_000))
    assert_series_equal(hw.Series(big).isin(hw.Series(values)), pd.Series(big).isin(values), check_dtype=False)
    s = pd.Series(["a", "b", None, "c"])
    assert_series_equal(hw.Series(s).isin(hw.Series(["c", "a"])), s.isin(["c", "a"]), check_dtype=False)


@pytest.mark.parametrize("name", ["sum", "mean", "min", "max", "std", "var", "median", "prod", "count"])
def test_row_reductions_match_pandas(pdf, name):
    df = hw.DataFrame(pdf)
    kw = {} if name == "count" else {"numeric_only": True}
    assert_series_equal(getattr(df, name)(axis=1, **kw), getattr(pdf, name)(axis=1, **kw), check_dtype=False,
                        check_name=False)
