"""Partitioned groupby against single-process Headwater and pandas (nulls in keys and values)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
import headwater.dask as hwd
from tests.dask.dask_data import make_pandas, sort_pandas
from tests.dataframe.helpers import assert_frame_equal

DECOMPOSABLE = ["sum", "count", "min", "max", "mean", "var", "std", "first", "last", "prod", "size"]


@pytest.mark.parametrize("dropna", [True, False])
def test_decomposable_named_aggs(compute, pdf, hdf, dropna):
    d = hwd.from_headwater(hdf, npartitions=7)
    spec = {f"{c}_{f}": (c, f) for c in ("f", "i") for f in DECOMPOSABLE if not (f == "prod" and c == "i")}
    got = compute(d.groupby(["k", "s"], dropna=dropna, as_index=False).agg(split_every=3, **spec))
    single = hdf.groupby(["k", "s"], dropna=dropna, as_index=False).agg(**spec)
    want = pdf.groupby(["k", "s"], dropna=dropna, as_index=False).agg(**spec)
    assert_frame_equal(got, want, rtol=1e-9)
    assert_frame_equal(got, single.to_pandas(), rtol=1e-9)


def test_as_index_series_and_dict_specs(compute, pdf, hdf):
    d = hwd.from_headwater(hdf, npartitions=4)
    got = compute(d.groupby("s")["f"].mean())
    want = pdf.groupby("s")["f"].mean()
    assert list(got._keys) == ["s"]
    assert got.index.tolist() == want.index.tolist()
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-12)
    frame = compute(d.groupby("k").agg({"f": ["min", "max"], "i": "sum"})).reset_index()
    assert_frame_equal(frame, hdf.groupby("k").agg({"f": ["min", "max"], "i": "sum"}).reset_index().to_pandas())
    sizes = compute(d.groupby(["k", "b"]).size())
    assert sizes.tolist() == pdf.groupby(["k", "b"]).size().tolist()


@pytest.mark.parametrize("split_out", [1, 3])
def test_split_out_and_sort(compute, pdf, hdf, split_out):
    d = hwd.from_headwater(hdf, npartitions=5)
    out = d.groupby("i", as_index=False).agg(total=("f", "sum"), n=("f", "count"), split_out=split_out)
    assert out.npartitions == split_out
    want = pdf.groupby("i", as_index=False).agg(total=("f", "sum"), n=("f", "count"))
    assert_frame_equal(compute(out), want)  # sort=True: globally sorted by key
    unsorted = d.groupby("i", as_index=False, sort=False).agg(total=("f", "sum"), split_out=split_out)
    assert_frame_equal(sort_pandas(compute(unsorted).to_pandas(), ["i"]), want[["i", "total"]])


@pytest.mark.parametrize("dropna", [True, False])
def test_shuffled_nunique_median(compute, pdf, hdf, dropna):
    d = hwd.from_headwater(hdf, npartitions=6)
    got = compute(d.groupby("s", dropna=dropna, as_index=False).agg(
        u=("k", "nunique"), med=("f", "median"), tot=("i", "sum")))
    want = pdf.groupby("s", dropna=dropna, as_index=False).agg(u=("k", "nunique"), med=("f", "median"),
                                                              tot=("i", "sum"))
    assert_frame_equal(got, want)
    assert compute(d.groupby("k")["f"].median(split_out=2)).tolist() == \
        pytest.approx(pdf.groupby("k")["f"].median().tolist(), nan_ok=True)


def test_variance_is_numerically_stable(compute):
    # A large offset: a sum-of-squares formula loses every digit here; Chan's does not.
    rng = np.random.default_rng(3)
    pdf = pd.DataFrame({"k": rng.integers(0, 3, 3000), "v": 1e9 + rng.normal(0, 1, 3000)})
    d = hwd.from_headwater(hw.from_pandas(pdf), npartitions=9)
    got = compute(d.groupby("k", as_index=False).agg(sd=("v", "std"), var=("v", "var")))
    want = pdf.groupby("k", as_index=False).agg(sd=("v", "std"), var=("v", "var"))
    assert_frame_equal(got, want, rtol=1e-6)


def test_groupby_empty_and_single_row_groups(compute):
    pdf = make_pandas(12, seed=5)
    d = hwd.from_headwater(hw.from_pandas(pdf), npartitions=12)
    got = compute(d.groupby("i", as_index=False).agg(sd=("f", "std"), m=("f", "mean")))
    want = pdf.groupby("i", as_index=False).agg(sd=("f", "std"), m=("f", "mean"))
    assert_frame_equal(got, want)
    none = d[d["i"] > 10**6]
    assert len(compute(none.groupby("k", as_index=False).agg(m=("f", "mean")))) == 0


def test_groupby_bad_inputs(hdf):
    d = hwd.from_headwater(hdf, npartitions=2)
    with pytest.raises(NotImplementedError, match="supported"):
        d.groupby("k").agg({"f": "skew"})
    with pytest.raises(TypeError, match="strings"):
        d.groupby("k").agg({"f": np.sum})
    with pytest.raises(TypeError, match="column name"):
        d.groupby(d["k"])
    with pytest.raises(KeyError, match="nope"):
        d.groupby("nope")
    with pytest.raises(TypeError, match="observed"):
        d.groupby("k", observed=True)
