"""DataFrame.columns as an Index-like list, insert/pop/equals and a mixed-number .T,
against pandas on the same data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from tests.dataframe.helpers import assert_frame_equal, assert_series_equal


@pytest.fixture
def pdf():
    return pd.DataFrame({"Alpha": [1, 2, None], "beta": [1.5, None, 3.0], "Gamma_x": ["a", None, "c"]})


def test_columns_answer_index_methods(pdf):
    cols, want = hw.DataFrame(pdf).columns, pdf.columns
    assert cols.tolist() == want.tolist() and cols.to_list() == want.to_list()
    assert cols.str.lower().tolist() == want.str.lower().tolist()
    assert cols.str.replace("_", " ").tolist() == want.str.replace("_", " ").tolist()
    assert (cols.str.contains("a") == want.str.contains("a")).all()
    assert (cols.str.startswith("G") == want.str.startswith("G")).all()
    assert cols.get_loc("beta") == want.get_loc("beta")
    assert cols.difference(["beta"]).tolist() == want.difference(["beta"]).tolist()
    assert cols.drop("beta").tolist() == want.drop("beta").tolist()
    assert cols[cols.str.contains("a")].tolist() == want[want.str.contains("a")].tolist()
    assert list(cols.values) == list(want.values) and cols.shape == want.shape
    assert cols == ["Alpha", "beta", "Gamma_x"]  # a list: one bool (pandas compares element-wise)
    with pytest.raises(KeyError):
        cols.get_loc("nope")


def test_insert_and_pop(pdf):
    df, ref = hw.DataFrame(pdf), pdf.copy()
    df.insert(1, "new", [7, 8, 9])
    ref.insert(1, "new", [7, 8, 9])
    assert_frame_equal(df, ref)
    assert_series_equal(df.pop("beta"), ref.pop("beta"))
    assert_frame_equal(df, ref)
    with pytest.raises(ValueError, match="already exists"):
        df.insert(0, "new", 1)
    with pytest.raises(IndexError, match="loc"):
        df.insert(9, "other", 1)


def test_equals(pdf):
    df = hw.DataFrame(pdf)
    assert df.equals(hw.DataFrame(pdf.copy())) == pdf.equals(pdf.copy()) is True
    changed = pdf.copy()
    changed.loc[0, "beta"] = 9.0
    assert df.equals(hw.DataFrame(changed)) == pdf.equals(changed) is False
    assert df.equals(df[["beta", "Alpha", "Gamma_x"]]) is False
    assert df.equals(pdf) is False  # a pandas frame is not a Headwater frame


def test_transpose_promotes_mixed_numbers():
    pdf = pd.DataFrame({"i": [1, 2], "f": [0.5, 1.5]})
    got = hw.DataFrame(pdf).T
    want = pdf.T
    assert got.to_pandas().to_numpy().tolist() == want.to_numpy().tolist()
    assert str(got.dtypes["0"]) == "float64"
    with pytest.raises(TypeError, match="numeric or bool"):
        hw.DataFrame({"s": ["a"], "i": [1]}).T


@pytest.fixture
def long():
    return pd.DataFrame({"g": ["a", "a", "b", "b", "c"], "h": ["x", "y", "x", "z", "y"],
                         "v": [1.0, 2.0, 3.0, None, 5.0]})


@pytest.mark.parametrize("level", [-1, 0, 1, "g", "h"])
def test_series_unstack_matches_pandas(long, level):
    want = long.groupby(["g", "h"])["v"].sum().unstack(level=level)
    got = hw.DataFrame(long).groupby(["g", "h"])["v"].sum().unstack(level=level)
    assert_frame_equal(got.reset_index(), want.reset_index().rename_axis(columns=None))


def test_unstack_fill_value_and_errors(long):
    want = long.groupby(["g", "h"])["v"].sum().unstack(fill_value=-1.0)
    got = hw.DataFrame(long).groupby(["g", "h"])["v"].sum().unstack(fill_value=-1.0)
    assert_frame_equal(got.reset_index(), want.reset_index().rename_axis(columns=None))
    with pytest.raises(ValueError, match="two key levels"):
        hw.DataFrame(long).groupby("g")["v"].sum().unstack()
    with pytest.raises(KeyError, match="not a key"):
        hw.DataFrame(long).groupby(["g", "h"])["v"].sum().unstack("nope")


def test_stack_matches_pandas(long):
    num = long[["v"]].assign(w=np.arange(5.0))
    # column names are strings in Headwater: pandas' unnamed value column 0 is "0"
    assert_frame_equal(hw.DataFrame(num).stack().reset_index(), num.stack().reset_index().rename(columns=str))
    keyed = long.set_index("g")[["h"]]
    got = hw.DataFrame(long).set_index("g")[["h"]].stack().reset_index()
    assert_frame_equal(got, keyed.stack().reset_index().rename(columns=str))
    with pytest.raises(hw.NoRowLabelsError):
        hw.DataFrame(long).sort_values("v")[["v"]].stack()
