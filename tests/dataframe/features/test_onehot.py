"""OneHot and hw.get_dummies against pd.get_dummies."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from tests.dataframe.features.helpers import frame

TRAIN = pd.DataFrame({
    "c": ["red", None, "blue", "red", "green"],
    "n": [3, 1, 3, 2, 1],
    "x": [0.5, 1.5, 2.5, 3.5, 4.5],
})
TEST = pd.DataFrame({"c": ["green", "purple", None], "n": [2, 7, 1], "x": [0.0, 0.0, 0.0]})


def _same(out, want: pd.DataFrame) -> None:
    got = out.to_pandas()
    assert list(got.columns) == list(want.columns)
    for name in want.columns:
        np.testing.assert_array_equal(got[name].to_numpy(), want[name].to_numpy(), err_msg=name)


def test_get_dummies_matches_pandas_with_nulls():
    _same(hw.get_dummies(frame(TRAIN)), pd.get_dummies(TRAIN))


def test_numeric_columns_named_explicitly_match_pandas():
    _same(hw.get_dummies(frame(TRAIN), columns=["n", "c"]), pd.get_dummies(TRAIN, columns=["n", "c"]))


def test_drop_first_and_float_dtype_match_pandas():
    got = hw.get_dummies(frame(TRAIN), columns=["c"], drop_first=True, dtype="float32")
    _same(got, pd.get_dummies(TRAIN, columns=["c"], drop_first=True, dtype="float32"))


@pytest.mark.parametrize("prefix", [None, "p", ["first"], {"c": "cc"}])
def test_prefix_and_dummy_na_match_pandas(prefix):
    kw = {"prefix": prefix, "dummy_na": True, "columns": ["c"]}
    _same(hw.get_dummies(frame(TRAIN), **kw), pd.get_dummies(TRAIN, **kw))
    _same(hw.get_dummies(frame(TRAIN), drop_first=True, **kw), pd.get_dummies(TRAIN, drop_first=True, **kw))


def test_categorical_keeps_unobserved_categories_in_order():
    pdf = pd.DataFrame({"c": pd.Categorical(["b", "a", None], categories=["c", "b", "a"])})
    _same(hw.get_dummies(frame(pdf)), pd.get_dummies(pdf))


def test_unseen_categories_in_a_later_frame_get_all_zeros():
    op = hw.features.OneHot(columns=["c"]).fit(frame(TRAIN))
    want = pd.get_dummies(TEST, columns=["c"]).reindex(
        columns=["n", "x", "c_blue", "c_green", "c_red"], fill_value=False
    )
    _same(op.transform(frame(TEST)), want)
    again = hw.features.OneHot.from_dict(json.loads(json.dumps(op.to_dict())))
    _same(again.transform(frame(TEST)), want)
    assert again.output_columns() == ["c_blue", "c_green", "c_red"]


def test_numbers_fitted_then_text_is_an_error():
    op = hw.features.OneHot(columns=["n"]).fit(frame(TRAIN))
    with pytest.raises(hw.features.FeatureOpError, match="numbers"):
        op.transform(frame(pd.DataFrame({"n": ["1"]})))


def test_frame_without_text_columns_is_returned_unchanged():
    df = frame(TRAIN[["n", "x"]])
    assert hw.get_dummies(df) is df


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d d", ""])), min_size=1, max_size=30),
       st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "e"])), min_size=1, max_size=10))
def test_random_text_matches_get_dummies_on_train_and_later_frames(train, later):
    train_df = pd.DataFrame({"c": pd.Series(train, dtype="str")})
    later_df = pd.DataFrame({"c": pd.Series(later, dtype="str")})
    op = hw.features.OneHot(columns=["c"])
    want_train = pd.get_dummies(train_df)
    _same(op.fit_transform(frame(train_df)), want_train)
    want_later = pd.get_dummies(later_df).reindex(columns=want_train.columns, fill_value=False)
    _same(op.transform(frame(later_df)), want_later)
