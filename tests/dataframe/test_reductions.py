"""Reductions (sum mean min max std var median quantile count any all prod) vs pandas.

Edge cases: zero rows, all-null, NaN skipped, skipna=False, integer bounds (int64
sums), booleans, strings (min/max), datetimes (min/max/mean), describe.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal

NUMERIC = ["sum", "mean", "min", "max", "std", "var", "median", "count", "prod"]


def _same(got, want):
    if pd.isna(want):
        assert got is None or pd.isna(got), (got, want)
    elif isinstance(want, (float, np.floating)):
        assert got == pytest.approx(float(want), rel=1e-9), (got, want)
    else:
        assert got == want, (got, want)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(-1e3, 1e3, allow_nan=False)), max_size=20),
       name=st.sampled_from(NUMERIC))
def test_float_reductions_match_pandas(values, name):
    ps = pd.Series(values, dtype="float64")
    _same(getattr(hw.Series(ps), name)(), getattr(ps, name)())


@pytest.mark.parametrize("name", NUMERIC + ["any", "all"])
def test_int_and_bool_reductions(name):
    ints = pd.Series([3, None, -7, 2], dtype="Int64")
    _same(getattr(hw.Series(ints), name)(), getattr(ints, name)())
    if name not in ("std", "var", "median", "prod", "mean"):
        bools = pd.Series([True, None, False], dtype="boolean")
        _same(getattr(hw.Series(bools), name)(), getattr(bools, name)())


def test_skipna_false_and_min_count():
    s = hw.Series([1.0, None])
    assert np.isnan(s.sum(skipna=False))
    assert np.isnan(s.mean(skipna=False))
    assert np.isnan(hw.Series([None], dtype="float64").sum(min_count=1))


def test_zero_rows_and_all_null():
    empty = hw.Series(pd.Series([], dtype="float64"))
    assert empty.sum() == 0 and np.isnan(empty.mean()) and np.isnan(empty.min())
    nulls = hw.Series([None, None], dtype="float64")
    assert nulls.count() == 0 and np.isnan(nulls.max())


def test_integer_bounds_sum_in_int64():
    s = hw.Series(np.array([np.iinfo(np.int32).max] * 3, dtype=np.int32))
    assert s.sum() == 3 * np.iinfo(np.int32).max


def test_quantile_matches_pandas():
    ps = pd.Series([1.0, 7.0, None, 3.0, 4.0])
    for q in (0.0, 0.1, 0.5, 0.9, 1.0):
        _same(hw.Series(ps).quantile(q), ps.quantile(q))


def test_strings_and_datetimes():
    s = hw.Series(["b", None, "a", "c"])
    assert (s.min(), s.max()) == ("a", "c")
    t = pd.Series(pd.to_datetime(["2024-01-03", None, "2024-01-01"]))
    ht = hw.Series(t)
    assert ht.min() == t.min() and ht.max() == t.max() and ht.mean() == t.mean()


@pytest.mark.parametrize("name", ["sum", "mean", "min", "max", "std", "var", "median", "prod"])
def test_frame_reductions_are_series_keyed_by_column(mixed_pandas, name):
    """As pandas: one value per column, a Series whose labels are the column names."""
    cols = ["i", "f", "b"]
    want = getattr(mixed_pandas[cols], name)()
    got = getattr(hw.DataFrame(mixed_pandas)[cols], name)()
    assert isinstance(got, hw.Series) and got.name is None
    assert got.index.to_list() == cols
    np.testing.assert_allclose(np.asarray(got.to_list(), dtype=float), want.to_numpy(dtype=float), rtol=1e-12)
    assert got.to_pandas().index.to_list() == want.index.to_list()


def test_frame_reduction_idioms(mixed_pandas):
    df = hw.DataFrame(mixed_pandas)
    assert df.isna().sum().to_dict() == mixed_pandas.isna().sum().to_dict()
    assert df.count().to_dict() == mixed_pandas.count().to_dict()
    assert df.mean(numeric_only=True)["f"] == pytest.approx(mixed_pandas["f"].mean())
    assert df.nunique().to_dict() == mixed_pandas.nunique().to_dict() if hasattr(df, "nunique") else True
    assert df[["i"]].sum().dtype == "int64"  # ints stay ints, as pandas
    assert df[["i", "f"]].sum().dtype == "float64"  # mixed numbers promote, as pandas
    got = df[["i", "f"]].max().reset_index()
    assert got.columns == ["index", "0"] and got["index"].to_list() == ["i", "f"]


def test_frame_reduction_of_mixed_kinds_names_columns(mixed_pandas):
    with pytest.raises(hw.DtypeError, match="numeric_only=True"):
        hw.DataFrame(mixed_pandas)[["i", "s"]].min()


def test_describe_matches_pandas():
    pdf = pd.DataFrame({"a": [1.0, 2.0, None, 10.0], "b": [1, 2, 3, 4], "s": list("wxyz")})
    got = hw.DataFrame(pdf).describe().reset_index()
    want = pdf.describe().reset_index()
    assert_frame_equal(got, want.astype({"index": "str"}))


def test_unsupported_reduction_names_dtype():
    with pytest.raises(TypeError, match="sum\\(\\) is not supported for a str column"):
        hw.Series(["a"]).sum()
    with pytest.raises(TypeError, match="ordered"):
        hw.Series(["a"], dtype="category").min()


def test_reduction_is_one_counted_read():
    s = hw.Series(np.arange(100.0))
    hw.reset_transfer_stats()
    s.max()
    assert hw.transfer_stats().to_host_calls == 1


def test_describe_of_datetime_and_string_columns_counts_them():
    import pandas as pd

    import headwater as hw

    dates = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-02-01", None])
    got = hw.DataFrame({"d": dates, "s": ["a", "b", None, "b"]}).describe()
    want = pd.DataFrame({"d": dates, "s": ["a", "b", None, "b"]})
    assert got.to_dict() == {"d": {"count": 3.0, "unique": 2.0}, "s": {"count": 3.0, "unique": 2.0}}
    assert [int(want[c].count()) for c in want] == [3, 3] and [want[c].nunique() for c in want] == [2, 2]
