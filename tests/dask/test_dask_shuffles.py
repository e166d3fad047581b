"""merge, sort_values and drop_duplicates against single-process Headwater and pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
import headwater.dask as hwd
from tests.dask.dask_data import sort_pandas
from tests.dataframe.helpers import assert_frame_equal, to_nullable


@pytest.fixture
def right() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame({"k": rng.integers(0, 8, 40), "s": rng.choice(["ab", "c", "zz"], 40), "r": rng.random(40)})


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("broadcast", [None, False])
def test_merge(compute, pdf, hdf, right, how, broadcast):
    d = hwd.from_headwater(hdf, npartitions=4)
    r = hwd.from_headwater(hw.from_pandas(right), npartitions=1 if broadcast is None else 3)
    got = compute(d.merge(r, on="k", how=how, broadcast=broadcast))
    want = pdf.merge(right, on="k", how=how)
    cols = list(want.columns)
    assert_frame_equal(sort_pandas(got.to_pandas(), cols), sort_pandas(to_nullable(want), cols))
    single = hw.merge(hdf, hw.from_pandas(right), on="k", how=how)
    assert_frame_equal(sort_pandas(got.to_pandas(), cols), sort_pandas(single.to_pandas(), cols))


def test_merge_null_keys_as_single_process(compute, hdf):
    # Null join keys land in one bucket on both sides, so the partitioned join gives
    # what hw.merge gives in one process.
    d = hwd.from_headwater(hdf, npartitions=4)
    other = hdf[["k", "f"]].rename(columns={"f": "g"}).iloc[:50]
    got = compute(d.merge(hwd.from_headwater(other, npartitions=2), on="k", how="outer", broadcast=False))
    single = hw.merge(hdf, other, on="k", how="outer")
    cols = list(single.columns)
    assert_frame_equal(sort_pandas(got.to_pandas(), cols), sort_pandas(single.to_pandas(), cols))


def test_merge_two_keys_left_on_right_on_sorted(compute, pdf, hdf, right):
    d = hwd.from_headwater(hdf, npartitions=3)
    r = hwd.from_headwater(hw.from_pandas(right.rename(columns={"k": "kk", "s": "ss"})), npartitions=2)
    got = compute(d.merge(r, left_on=["k", "s"], right_on=["kk", "ss"], sort=True))
    want = pdf.merge(right.rename(columns={"k": "kk", "s": "ss"}), left_on=["k", "s"], right_on=["kk", "ss"])
    cols = list(want.columns)
    assert_frame_equal(got[["k", "s"]], sort_pandas(want[cols], ["k", "s"])[["k", "s"]])
    assert_frame_equal(sort_pandas(got.to_pandas(), cols), sort_pandas(want, cols))


def test_broadcast_keeps_left_order(compute, pdf, hdf, right):
    d = hwd.from_headwater(hdf, npartitions=4)
    small = hw.from_pandas(right.drop_duplicates("k").dropna())
    got = compute(d.merge(small, on="k", how="left"))
    assert_frame_equal(got, to_nullable(pdf.merge(right.drop_duplicates("k").dropna(), on="k", how="left")))


@pytest.mark.parametrize("by,ascending,na_position", [
    ("f", True, "last"), ("f", False, "first"), (["s", "i"], [True, False], "last"),
    (["k", "f"], True, "first"), (["b", "s"], [False, True], "last")])
def test_sort_values(compute, pdf, hdf, by, ascending, na_position):
    d = hwd.from_headwater(hdf, npartitions=5)
    got = compute(d.sort_values(by, ascending=ascending, na_position=na_position))
    want = pdf.sort_values(by, ascending=ascending, na_position=na_position, kind="stable")
    assert_frame_equal(got, want)
    single = hdf.sort_values(by, ascending=ascending, na_position=na_position, kind="stable")
    assert_frame_equal(got, single.to_pandas())


def test_sort_values_more_output_partitions_and_skew(compute):
    pdf = pd.DataFrame({"x": np.r_[np.zeros(300), np.arange(50.0)], "y": np.arange(350)})
    d = hwd.from_headwater(hw.from_pandas(pdf), npartitions=4)
    out = d.sort_values("x", npartitions=6)
    assert_frame_equal(compute(out), pdf.sort_values("x", kind="stable"))


@pytest.mark.parametrize("keep,subset", [("first", None), ("last", "k"), (False, ["k", "s"]), ("first", ["b", "f"]),
                                         ("last", ["k", "s"]), (False, "k")])
def test_drop_duplicates(compute, pdf, hdf, keep, subset):
    d = hwd.from_headwater(hdf, npartitions=5)
    got = compute(d.drop_duplicates(subset, keep=keep))
    assert_frame_equal(got, pdf.drop_duplicates(subset, keep=keep))
    assert_frame_equal(got, hdf.drop_duplicates(subset, keep=keep).to_pandas())


def test_shuffle_bad_inputs(hdf):
    d = hwd.from_headwater(hdf, npartitions=2)
    with pytest.raises(ValueError, match="how"):
        d.merge(d, on="k", how="cross")
    with pytest.raises(NotImplementedError, match="indicator"):
        d.merge(d, on="k", indicator=True)
    with pytest.raises(ValueError, match="outer"):
        d.merge(d, on="k", how="outer", broadcast=True)
    with pytest.raises(ValueError, match="keep"):
        d.drop_duplicates(keep="middle")
    with pytest.raises(NotImplementedError, match="key"):
        d.sort_values("f", key=abs)
    with pytest.raises(ValueError, match="na_position"):
        d.sort_values("f", na_position="middle")


def test_hash_buckets_follow_values_not_codes():
    from headwater.dask.partition import hash_buckets

    a = hw.DataFrame({"s": ["zz", "a", None, "b"], "n": [1, 2, 3, 4]})
    b = hw.DataFrame({"s": ["b", "q", "zz", "a", None], "n": [4.0, 9.0, 1.0, 2.0, 3.0]})  # other dictionary
    ha, hb = hash_buckets(a, ["s", "n"], 7).tolist(), hash_buckets(b, ["s", "n"], 7).tolist()
    assert ha == [hb[2], hb[3], hb[4], hb[0]]  # equal (text, number) pairs share a bucket; 4 and 4.0 alike
    assert all(0 <= h < 7 for h in ha + hb)
