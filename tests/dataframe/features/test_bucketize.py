"""Bucketize against scikit-learn's KBinsDiscretizer and NumPy's searchsorted."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import KBinsDiscretizer

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame

RNG = np.random.default_rng(5)
TRAIN = pd.DataFrame({"x": RNG.normal(size=201)})  # 198 values: no edge lands on a value
TRAIN.loc[[3, 50, 120], "x"] = np.nan
TEST = pd.DataFrame({"x": [-10.0, 0.0, np.nan, 0.3, 10.0]})


def _kbins(strategy: str, bins: int, train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kb = KBinsDiscretizer(n_bins=bins, encode="ordinal", strategy=strategy, quantile_method="linear")
    ok = ~np.isnan(train)
    kb.fit(train[ok].reshape(-1, 1))
    out = []
    for x in (train, test):
        got = np.full(len(x), np.nan)
        keep = ~np.isnan(x)
        got[keep] = kb.transform(x[keep].reshape(-1, 1))[:, 0]
        out.append(got)
    return out[0], out[1]


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
@pytest.mark.parametrize("bins", [2, 4, 7])
def test_learned_edges_match_kbins_discretizer(strategy, bins):
    op = hw.features.Bucketize(columns=["x"], bins=bins, strategy=strategy)
    out_train = op.fit_transform(frame(TRAIN))
    out_test = op.transform(frame(TEST))
    want_train, want_test = _kbins(strategy, bins, TRAIN["x"].to_numpy(), TEST["x"].to_numpy())
    assert_column(out_train, "x", want_train)
    assert_column(out_test, "x", want_test)
    assert out_test._columns["x"].dtype == np.int32


def test_quantile_bins_hold_equal_counts_like_qcut():
    pdf = pd.DataFrame({"x": np.arange(1, 101, dtype=float)})
    out = hw.features.Bucketize(columns=["x"], bins=4).fit_transform(frame(pdf))
    codes = out.to_pandas()["x"].to_numpy()
    assert np.bincount(codes).tolist() == [25, 25, 25, 25]
    qcut = pd.qcut(pdf["x"] + 1e-9, 4, labels=False)  # qcut closes bins on the right
    np.testing.assert_array_equal(codes, qcut.to_numpy())


def test_fixed_edges_need_no_fit_and_match_searchsorted():
    edges = [-1.0, 0.0, 0.5, 2.0]
    op = hw.features.Bucketize(columns=["x"], bins=edges)
    x = TEST["x"].to_numpy()
    want = np.searchsorted(edges[1:-1], x, side="right").astype(float)
    want[np.isnan(x)] = np.nan
    assert_column(op.transform(frame(TEST)), "x", want)
    assert op.edges("x") == edges


def test_state_round_trip():
    op = hw.features.Bucketize(columns=["x"], bins=3).fit(frame(TRAIN))
    again = hw.features.Bucketize.from_dict(json.loads(json.dumps(op.to_dict())))
    assert again.edges("x") == pytest.approx(op.edges("x"))
    a = op.transform(frame(TEST)).to_pandas()["x"]
    b = again.transform(frame(TEST)).to_pandas()["x"]
    pd.testing.assert_series_equal(a, b)


def test_bad_bins():
    with pytest.raises(hw.features.FeatureOpError, match="increasing"):
        hw.features.Bucketize(columns=["x"], bins=[1.0, 0.0])
    with pytest.raises(hw.features.FeatureOpError, match="positive int"):
        hw.features.Bucketize(columns=["x"], bins=0)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=5, max_size=60, unique=True), st.integers(2, 6))
def test_random_uniform_bins_match_sklearn(items, bins):
    x = np.array(items)
    out = hw.features.Bucketize(columns=["x"], bins=bins, strategy="uniform").fit_transform(
        frame(pd.DataFrame({"x": x}))
    )
    assert_column(out, "x", _kbins("uniform", bins, x, x)[0])


def test_a_value_on_a_uniform_edge_falls_where_sklearn_puts_it():
    # the edges are np.linspace's (i * step + low), where low + (high - low) * i / bins
    # rounds the inner edge to exactly 0.0 and moves the value 0.0 up a bin
    x = np.array([0.0, 1.0, 2.0, 999.9999999999999, -499.9999999999999])
    out = hw.features.Bucketize(columns=["x"], bins=3, strategy="uniform").fit_transform(frame(pd.DataFrame({"x": x})))
    assert_column(out, "x", _kbins("uniform", 3, x, x)[0])
    assert out["x"].tolist()[0] == 0
