"""The frame API around columns and rows: selection, setting, renaming, iloc, head/tail,
concat, sample, errors for unknown columns, and the repr.

Edge cases: zero rows, negative positions, out-of-bounds rows, boolean masks with nulls,
unknown columns (closest names suggested), nothing mutated on error, long frames
truncated in the repr.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal


@pytest.fixture
def pdf():
    return pd.DataFrame({"price": [1.5, None, 3.0, 4.5], "qty": pd.array([1, 2, None, 4], dtype="Int64"),
                         "name": pd.array(["a", "b", "c", None], dtype="str")})


def test_select_columns_rows_and_masks(pdf):
    df = hw.DataFrame(pdf)
    assert_frame_equal(df[["name", "price"]], pdf[["name", "price"]])
    assert_frame_equal(df[1:3], pdf[1:3].reset_index(drop=True))
    assert_frame_equal(df[df["price"] > 2], pdf[pdf["price"] > 2].reset_index(drop=True))
    assert_frame_equal(df[df["qty"] > 1], pdf[(pdf["qty"] > 1).fillna(False)].reset_index(drop=True))
    assert df.price.to_list() == df["price"].to_list()


def test_iloc_head_tail(pdf):
    df = hw.DataFrame(pdf)
    assert df.iloc[0] == {"price": 1.5, "qty": 1, "name": "a"}
    assert df.iloc[-1, 2] is None
    assert_frame_equal(df.iloc[[3, 0], [0, 1]], pdf.iloc[[3, 0], [0, 1]].reset_index(drop=True))
    assert_frame_equal(df.iloc[::2], pdf.iloc[::2].reset_index(drop=True))
    assert_frame_equal(df.head(2), pdf.head(2))
    assert_frame_equal(df.tail(2), pdf.tail(2).reset_index(drop=True))
    assert_frame_equal(df.head(-1), pdf.head(-1))
    assert df["price"].iloc[1] is None
    with pytest.raises(IndexError, match="out of bounds"):
        df.iloc[[10]]


def test_setitem_assign_rename_drop(pdf):
    df = hw.DataFrame(pdf)
    df["total"] = df["price"] * df["qty"]
    pdf2 = pdf.assign(total=pdf["price"] * pdf["qty"])
    assert_frame_equal(df, pdf2)
    df["one"] = 1
    assert df["one"].to_list() == [1, 1, 1, 1]
    assert_frame_equal(hw.DataFrame(pdf).rename(columns={"qty": "q"}), pdf.rename(columns={"qty": "q"}))
    assert hw.DataFrame(pdf).rename(columns=str.upper).columns == ["PRICE", "QTY", "NAME"]
    assert hw.DataFrame(pdf).drop(columns=["qty"]).columns == ["price", "name"]
    del df["one"]
    assert "one" not in df


def test_unknown_column_suggests_closest_and_mutates_nothing(pdf):
    df = hw.DataFrame(pdf)
    with pytest.raises(KeyError, match="'prise' not found; did you mean 'price'"):
        df["prise"]
    with pytest.raises(KeyError, match="did you mean 'qty'"):
        df.drop(columns=["qtyy"])
    with pytest.raises(KeyError, match="'nme'"):
        df.sort_values("nme")
    with pytest.raises(KeyError):
        df.rename(columns={"nope": "x"}, errors="raise")  # pandas' default errors="ignore" skips it
    assert df.columns == ["price", "qty", "name"]
    with pytest.raises(AttributeError, match="no attribute or column 'prce'"):
        _ = df.prce


def test_concat_rows_and_columns(pdf):
    a, b = hw.DataFrame(pdf), hw.DataFrame(pdf.head(2))
    assert_frame_equal(hw.concat([a, b]), pd.concat([pdf, pdf.head(2)], ignore_index=True))
    extra = hw.DataFrame({"z": ["p", "q", "r", "s"]})
    assert hw.concat([a, extra], axis=1).columns == ["price", "qty", "name", "z"]
    # frames of different lengths line up by row label, as pandas (missing rows are null)
    short = pd.DataFrame({"z": pd.array([1], dtype="Int64")})
    assert_frame_equal(hw.concat([a, hw.DataFrame(short)], axis=1), pd.concat([pdf, short], axis=1))
    with pytest.raises(TypeError, match="column 'x'.*incompatible dtypes int64, str"):
        hw.concat([hw.DataFrame({"x": [1]}), hw.DataFrame({"x": ["s"]})])
    s = hw.concat([hw.Series([1]), hw.Series([2.5])])
    assert s.to_list() == [1.0, 2.5]


def test_sample_is_seeded_and_on_the_device():
    df = hw.DataFrame({"a": np.arange(50)})
    one, two = df.sample(n=10, seed=3), df.sample(n=10, seed=3)
    assert one["a"].to_list() == two["a"].to_list()
    assert len(set(one["a"].to_list())) == 10
    assert len(df.sample(frac=0.2, seed=1)) == 10
    assert len(df.sample(n=80, replace=True, seed=1)) == 80
    with pytest.raises(ValueError, match="replace=True"):
        df.sample(n=80)


def test_repr_truncates_as_pandas():
    pdf = pd.DataFrame({"a": np.arange(100), "s": ["x"] * 100})
    df = hw.DataFrame(pdf)
    text = repr(df)
    assert text == repr(pdf) and "\n..  " in text and text.endswith("\n\n[100 rows x 2 columns]")
    assert repr(df.head(3)) == repr(pdf.head(3))  # no footer when nothing is cut, as pandas
    wide = pd.DataFrame({f"column_{i}": np.arange(3) for i in range(30)})
    assert repr(hw.DataFrame(wide)) == repr(wide)  # columns cut too, with pandas' footer
    with hw.option_context("display.max_rows", 4, "display.min_rows", 4):
        with pd.option_context("display.max_rows", 4, "display.min_rows", 4):
            assert repr(df) == repr(pdf)
    assert repr(df["a"]) == repr(pdf["a"]) and repr(df["a"].head(0)) == repr(pdf["a"].head(0))
    hw.reset_transfer_stats()
    repr(df)
    assert hw.transfer_stats().to_host_bytes < 1000  # only the rows shown cross
    html = df._repr_html_()
    assert "<table" in html and "100 rows x 2 columns" in html
    assert "dtype: int64" in repr(hw.Series([1, 2]))


def test_repr_matches_pandas_layout_for_short_frames(pdf):
    body = repr(hw.DataFrame(pdf)).split("\n\n")[0]
    assert body == pdf.to_string()


def test_groupby_and_merge_delegate():
    df = hw.DataFrame({"k": ["a", "b", "a"], "v": [1, 2, 3]})
    from headwater.dataframe.groupby import DataFrameGroupBy

    assert isinstance(df.groupby("k"), DataFrameGroupBy)
    other = hw.DataFrame({"k": ["a"], "w": [10]})
    assert len(df.merge(other, on="k")) == 2
    assert len(hw.merge(df, other, on="k")) == 2


def test_zero_row_frame_api():
    df = hw.DataFrame({"a": pd.Series([], dtype="int64"), "s": pd.Series([], dtype="str")})
    assert df.head().shape == (0, 2) and df[df["a"] > 0].shape == (0, 2)
    assert df.drop_duplicates().shape == (0, 2)
    assert repr(df) == "Empty DataFrame\nColumns: [a, s]\nIndex: []"


@pytest.mark.parametrize("key", [slice(None, None, -1), slice(None, None, 2), slice(-2, None), slice(3, 0, -1),
                                 slice(None, -1), slice(10, 20)])
@pytest.mark.parametrize("n", [0, 1, 5])
def test_row_slices_match_python(key, n):
    values = list(range(n))
    df = hw.DataFrame({"a": values}) if n else hw.DataFrame({"a": pd.Series([], dtype="int64")})
    assert df[key]["a"].to_list() == values[key]
    assert df["a"].iloc[key].to_list() == values[key]


def test_errors_name_columns_and_dtypes():
    df = hw.DataFrame({"a": [1], "s": ["x"]})
    with pytest.raises(TypeError, match="Series 'a' add Series 's'.*int64 column and a str column"):
        df["a"] + df["s"]
    with pytest.raises(TypeError, match="column 's' \\(str\\): cannot cast str values to int64"):
        df.astype({"s": "int64"})
    with pytest.raises(TypeError, match="column 's' \\(str\\): cumsum\\(\\) is not supported"):
        df.cumsum()
    assert df.dtypes.to_dict() == {"a": np.dtype("int64"), "s": "str"}


def test_every_family_concat_take_and_where(mixed_pandas):
    pdf = mixed_pandas
    df = hw.DataFrame(pdf)
    assert_frame_equal(hw.concat([df, df.head(2)]), pd.concat([pdf, pdf.head(2)], ignore_index=True))
    assert_frame_equal(df.iloc[[5, 0, 3]], pdf.iloc[[5, 0, 3]].reset_index(drop=True))
    cond = df["f"] > 0
    pcond = (pdf["f"] > 0).fillna(False)
    assert_frame_equal(df.where(cond), pdf.where(pcond, None).astype(pdf.dtypes))
