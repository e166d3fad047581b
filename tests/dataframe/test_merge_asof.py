"""merge_asof vs pandas: directions, exact matches, tolerance, by keys, datetimes,
suffixes, rows without a match."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal


@pytest.fixture
def sides():
    left = pd.DataFrame({"t": [1, 5, 5, 10, 12, 20], "k": ["a", "b", "a", "a", "c", "b"],
                         "qty": [100, 200, 250, 300, 350, 400]})
    right = pd.DataFrame({"t": [0, 4, 5, 6, 10, 10, 15], "k": ["a", "a", "b", "a", "b", "a", "b"],
                          "bid": [1.0, 1.1, None, 1.2, 1.3, 1.4, 1.5]})
    return left, right


@pytest.mark.parametrize("direction", ["backward", "forward", "nearest"])
@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("by", [None, "k"])
@pytest.mark.parametrize("tolerance", [None, 2])
def test_merge_asof_matches_pandas(sides, direction, exact, by, tolerance):
    left, right = sides
    if by is None:
        right = right.drop(columns="k")
    kw = dict(on="t", by=by, direction=direction, allow_exact_matches=exact, tolerance=tolerance)
    got = hw.merge_asof(hw.DataFrame(left), hw.DataFrame(right), **kw)
    assert_frame_equal(got, pd.merge_asof(left, right, **kw), check_dtype=False)


def test_merge_asof_datetimes_and_suffixes():
    left = pd.DataFrame({"when": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:05", "2024-01-01 11:00"]),
                         "v": [1, 2, 3]})
    right = pd.DataFrame({"ts": pd.to_datetime(["2024-01-01 09:59", "2024-01-01 10:04"]), "v": [7.5, 8.5]})
    for kw in [{}, {"tolerance": pd.Timedelta("2min")}, {"direction": "nearest"}]:
        got = hw.merge_asof(hw.DataFrame(left), hw.DataFrame(right), left_on="when", right_on="ts", **kw)
        assert_frame_equal(got, pd.merge_asof(left, right, left_on="when", right_on="ts", **kw))


def test_merge_asof_errors(sides):
    left, right = sides
    h_left, h_right = hw.DataFrame(left), hw.DataFrame(right)
    with pytest.raises(ValueError, match="left keys must be sorted"):
        hw.merge_asof(hw.DataFrame(left.iloc[::-1]), h_right, on="t")
    with pytest.raises(ValueError, match="direction"):
        hw.merge_asof(h_left, h_right, on="t", direction="sideways")
    with pytest.raises(NotImplementedError, match="left_index"):
        hw.merge_asof(h_left, h_right, left_index=True, right_index=True)
    with pytest.raises(TypeError, match="ordered"):
        hw.merge_asof(h_left, h_right, on="k")


@settings(max_examples=20, deadline=None)
@given(lt=st.lists(st.integers(0, 30), max_size=10), rt=st.lists(st.integers(0, 30), min_size=1, max_size=10),
       direction=st.sampled_from(["backward", "forward", "nearest"]), exact=st.booleans())
def test_merge_asof_property(lt, rt, direction, exact):
    left = pd.DataFrame({"t": pd.Series(sorted(lt), dtype="int64"), "a": np.arange(len(lt))})
    right = pd.DataFrame({"t": sorted(rt), "b": np.arange(len(rt)) * 1.5})
    kw = dict(on="t", direction=direction, allow_exact_matches=exact)
    got = hw.merge_asof(hw.DataFrame(left), hw.DataFrame(right), **kw)
    assert_frame_equal(got, pd.merge_asof(left, right, **kw), check_dtype=False)
