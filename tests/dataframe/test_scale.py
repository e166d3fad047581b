"""Million-row checks against pandas (marked slow; run with ``pytest -m slow``).

Edge cases at scale: many distinct strings (dictionary of 100,000 values), nulls in
every column, ties in sort keys, int64 values near the bounds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big():
    rng = np.random.default_rng(7)
    n = 2_000_000
    words = np.array([f"w{i}" for i in range(100_000)], dtype=object)
    s = words[rng.integers(0, 100_000, n)]
    s[rng.random(n) < 0.05] = None
    x = rng.normal(size=n).round(2)
    x[rng.random(n) < 0.1] = np.nan
    k = rng.integers(np.iinfo(np.int64).max - 1000, np.iinfo(np.int64).max, n)
    return pd.DataFrame({"s": pd.array(s, dtype="str"), "x": x, "k": k})


def test_sort_filter_distinct_at_scale(big):
    df = hw.DataFrame(big)
    want = big.sort_values(["s", "x"], ascending=[True, False], kind="stable").reset_index(drop=True)
    assert_frame_equal(df.sort_values(["s", "x"], ascending=[True, False]), want)
    assert_frame_equal(df[df["x"] > 1.5], big[big["x"] > 1.5].reset_index(drop=True))
    assert_frame_equal(df.drop_duplicates(["s"]), big.drop_duplicates(["s"]).reset_index(drop=True))
    assert df["s"].nunique() == big["s"].nunique()
    assert df["k"].max() == big["k"].max()
    got = df["s"].str.upper()
    assert got.to_list()[:1000] == [None if v is None or v != v else v.upper() for v in big["s"].tolist()[:1000]]
