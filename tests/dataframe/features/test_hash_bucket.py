"""HashBucket against independent computations of the same hashes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame

MASK64 = (1 << 64) - 1


def _splitmix(value: int, seed: int) -> int:
    """SplitMix64 written with Python ints, independent of the device code."""
    z = (value + 0x9E3779B97F4A7C15 * (seed + 1)) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


@pytest.mark.parametrize("seed", [0, 7])
def test_text_buckets_are_pandas_siphash(seed):
    pdf = pd.DataFrame({"s": ["apple", None, "kiwi", "apple", ""]})
    out = hw.features.HashBucket(columns=["s"], num_buckets=13, seed=seed).transform(frame(pdf))
    key = f"{seed:016d}"
    words = np.array(["apple", "kiwi", ""], dtype=object)
    per = dict(zip(words, pd.util.hash_array(words, hash_key=key) % np.uint64(13)))
    want = [np.nan if pd.isna(v) else float(per[v]) for v in pdf["s"]]
    assert_column(out, "s", want)


@pytest.mark.parametrize("seed", [0, 3])
def test_integer_buckets_are_splitmix64(seed):
    values = [0, 1, -1, 2**40, -(2**62), 12345]
    pdf = pd.DataFrame({"n": pd.array(values + [None], dtype="Int64")})
    out = hw.features.HashBucket(columns=["n"], num_buckets=1000, seed=seed).transform(frame(pdf))
    want = [_splitmix(v & MASK64, seed) % 1000 for v in values] + [np.nan]
    assert_column(out, "n", want)


def test_equal_numbers_hash_alike_across_types_and_frames():
    op = hw.features.HashBucket(columns=["v"], num_buckets=97)
    ints = op.transform(frame(pd.DataFrame({"v": [1, 2, 3]})))
    floats = op.transform(frame(pd.DataFrame({"v": [3.0, 2.0, 1.0, 1.5, -0.0]})))
    a = ints.to_pandas()["v"].tolist()
    b = floats.to_pandas()["v"].tolist()
    assert a == b[2::-1]
    zero = op.transform(frame(pd.DataFrame({"v": [0]}))).to_pandas()["v"].tolist()
    assert b[4] == zero[0]


def test_same_text_same_bucket_whatever_the_dictionary():
    op = hw.features.HashBucket(columns=["s"], num_buckets=50)
    one = op.transform(frame(pd.DataFrame({"s": ["x", "y", "z"]}))).to_pandas()["s"].tolist()
    two = op.transform(frame(pd.DataFrame({"s": ["z", "q", "x"]}))).to_pandas()["s"].tolist()
    assert (one[0], one[2]) == (two[2], two[0])


def test_buckets_spread_out():
    pdf = pd.DataFrame({"n": np.arange(20_000)})
    out = hw.features.HashBucket(columns=["n"], num_buckets=10).transform(frame(pdf))
    counts = np.bincount(out.to_pandas()["n"].to_numpy(), minlength=10)
    assert counts.min() > 1_700 and counts.max() < 2_300


def test_num_buckets_is_required():
    with pytest.raises(hw.features.FeatureOpError, match="num_buckets"):
        hw.features.HashBucket(columns=["s"])
