"""Groupby of rows stored in key order (the sorted-runs path) and of float columns whose
NaN-freeness is known, against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal


def _compare(pdf, by, **kw):
    aggs = {"s": ("v", "sum"), "m": ("v", "mean"), "c": ("v", "count"), "mx": ("w", "max"), "n": ("w", "size")}
    got = hw.from_pandas(pdf).groupby(by, as_index=False, **kw).agg(**aggs)
    want = pdf.groupby(by, as_index=False, **kw).agg(**aggs)
    assert_frame_equal(got, want, rtol=1e-9)


@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("size", [1, 2, 1500, 70_000])
def test_keys_in_order_group_as_pandas(sort, size):
    rng = np.random.default_rng(size)
    key = np.sort(rng.integers(-5, max(size // 3, 2), size))
    v = rng.random(size)
    v[rng.random(size) < 0.1] = np.nan
    pdf = pd.DataFrame({"k": key, "k2": key // 4, "v": v, "w": rng.integers(0, 9, size)})
    _compare(pdf, ["k"], sort=sort)
    _compare(pdf, ["k2", "k"], sort=sort)


def test_keys_in_order_with_null_keys_and_text_keys():
    n = 5000
    key = pd.array(np.repeat(np.arange(n // 10), 10), dtype="Int64")
    key[-10:] = pd.NA  # the null group sorts last, as the order already has it
    text = pd.array(np.repeat([f"k{i:04d}" for i in range(n // 10)], 10), dtype="str")
    pdf = pd.DataFrame({"k": key, "t": text, "v": np.arange(n, dtype=float), "w": np.arange(n) % 7})
    _compare(pdf, ["k"], dropna=False)
    _compare(pdf, ["k"], dropna=True)
    _compare(pdf, ["t"])
    _compare(pdf, ["t"], sort=False)


def test_keys_almost_in_order_take_the_general_path():
    n = 4000
    key = np.arange(n) // 3
    key[-1] = 0  # out of order only on the last row: past the probe
    pdf = pd.DataFrame({"k": key, "v": np.ones(n), "w": np.arange(n)})
    _compare(pdf, ["k"])
    _compare(pdf, ["k"], sort=False)


def test_nan_freeness_follows_gathers_but_not_arithmetic():
    pdf = pd.DataFrame({"k": [1, 2, 1, 2, 3, 3], "v": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    df = hw.from_pandas(pdf)
    assert df["v"].sum() == 21.0  # found NaN-free once
    picked = df[df["k"] > 1]
    inf = picked.assign(v=(picked["v"] - 3.5) / 0.0 * 0.0)  # NaN made by arithmetic on a NaN-free column
    want = pdf[pdf["k"] > 1]
    want = want.assign(v=(want["v"] - 3.5) / 0.0 * 0.0)
    assert_frame_equal(inf.groupby("k", as_index=False)["v"].sum(), want.groupby("k", as_index=False)["v"].sum())
    assert inf["v"].isna().tolist() == want["v"].isna().tolist()
    assert_frame_equal(picked.groupby("k", as_index=False)["v"].mean(),
                       pdf[pdf["k"] > 1].groupby("k", as_index=False)["v"].mean())
