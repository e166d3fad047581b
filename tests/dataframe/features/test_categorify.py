"""Categorify against a pandas computation of the same codes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame


def _reference(train: pd.Series, test: pd.Series, min_frequency) -> np.ndarray:
    """Codes 1..K for values seen at least min_frequency times, sorted; 0 otherwise."""
    counts = train.value_counts(dropna=True)
    if isinstance(min_frequency, float):
        min_frequency = min_frequency * counts.sum()
    frequent = sorted(counts[counts >= min_frequency].index)
    table = {v: i + 1 for i, v in enumerate(frequent)}
    return np.array([0 if pd.isna(v) else table.get(v, 0) for v in test], dtype=np.float64)


TRAIN = pd.DataFrame({
    "s": ["b", "a", None, "b", "c", "a", "b", "d"],
    "n": pd.array([10, 3, 3, None, 7, 10, 10, -2], dtype="Int64"),
})
TEST = pd.DataFrame({
    "s": ["d", "zz", None, "a", "b"],
    "n": pd.array([7, 99, None, -2, 3], dtype="Int64"),
})


@pytest.mark.parametrize("min_frequency", [0, 1, 2, 3, 0.25])
@pytest.mark.parametrize("col", ["s", "n"])
def test_codes_match_reference_on_train_and_unseen(col, min_frequency):
    op = hw.features.Categorify(columns=[col], min_frequency=min_frequency)
    out_train = op.fit_transform(frame(TRAIN))
    out_test = op.transform(frame(TEST))
    assert_column(out_train, col, _reference(TRAIN[col], TRAIN[col], min_frequency))
    assert_column(out_test, col, _reference(TRAIN[col], TEST[col], min_frequency))
    assert out_test._columns[col].dtype == np.int32
    assert out_test._columns[col].null_count == 0
    assert op.cardinality(col) == int(_reference(TRAIN[col], TRAIN[col], min_frequency).max()) + 1


def test_state_round_trip_and_different_dictionary_order():
    op = hw.features.Categorify(columns=["s"]).fit(frame(TRAIN))
    again = hw.features.Categorify.from_dict(json.loads(json.dumps(op.to_dict())))
    # the test frame's dictionary lists the values in another order than training's
    test = pd.DataFrame({"s": ["c", "b", "a", "x"]})
    assert_column(again.transform(frame(test)), "s", [3, 2, 1, 0])


def test_bad_min_frequency():
    with pytest.raises(hw.features.FeatureOpError, match="min_frequency"):
        hw.features.Categorify(columns=["s"], min_frequency=1.5)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(list("abcdef"))), min_size=1, max_size=40),
       st.lists(st.one_of(st.none(), st.sampled_from(list("abcdefgh"))), min_size=1, max_size=20),
       st.integers(1, 4))
def test_random_text_matches_reference(train, test, min_frequency):
    train_s, test_s = pd.Series(train, dtype="str"), pd.Series(test, dtype="str")
    op = hw.features.Categorify(columns=["s"], min_frequency=min_frequency)
    op.fit(frame(train_s.to_frame("s")))
    assert_column(op.transform(frame(test_s.to_frame("s"))), "s", _reference(train_s, test_s, min_frequency))
