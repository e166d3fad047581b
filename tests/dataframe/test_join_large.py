"""Joins on inputs long enough for the threaded gathers and lookups, against pandas.

The right side has unique keys (the one-gather path) and the left side null keys;
the right side has none, so pandas (which would match null with null) gives the
reference directly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal

N = (1 << 21) + 17


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(4)
    key = pd.array(rng.integers(0, 1_200_000, N), dtype="Int64")
    key[rng.random(N) < 0.02] = None
    words = np.array([f"w{i}" for i in range(500)])
    left = pd.DataFrame({"k": key, "s": pd.array(words[rng.integers(0, 500, N)], dtype="str"),
                         "v": rng.normal(size=N)})
    right_keys = rng.permutation(1_000_000)  # unique, covering part of the left keys
    right = pd.DataFrame({"k": pd.array(right_keys, dtype="Int64"), "w": rng.integers(0, 9, len(right_keys)),
                          "s2": pd.array(words[right_keys % 500], dtype="str")})
    return left, right


@pytest.mark.parametrize("how", ["inner", "left"])
def test_unique_right_keys(frames, how):
    left, right = frames
    got = hw.from_pandas(left).merge(hw.from_pandas(right), on="k", how=how)
    # integer columns with nulls stay Int64 here; pandas turns them into float64
    assert_frame_equal(got, left.merge(right, on="k", how=how), check_dtype=how == "inner")


@pytest.mark.parametrize("how", ["semi", "anti"])
def test_semi_and_anti(frames, how):
    left, right = frames
    got = hw.from_pandas(left).merge(hw.from_pandas(right), on="k", how=how)
    hit = left["k"].isin(right["k"]).to_numpy() & left["k"].notna().to_numpy()
    want = left[hit if how == "semi" else ~hit].reset_index(drop=True)
    assert_frame_equal(got, want)


def test_string_keys_through_dictionaries(frames):
    left, right = frames
    small = right.drop_duplicates("s2")[["s2", "w"]].rename(columns={"s2": "s"})
    got = hw.from_pandas(left).merge(hw.from_pandas(small), on="s", how="left")
    assert_frame_equal(got, left.merge(small, on="s", how="left"), check_dtype=False)
