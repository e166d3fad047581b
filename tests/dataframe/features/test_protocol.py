"""The protocol every feature op shares: construction, fit/transform, JSON state."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from headwater.dataframe.features import FeatureOp, registry
from tests.dataframe.features.helpers import assert_column, frame

PDF = pd.DataFrame({
    "x": [1.0, np.nan, 3.0, 8.0, 2.0, 5.0],
    "n": [4, 1, 1, 9, 3, 3],
    "s": ["a", "b", None, "a", "c", "b"],
    "t": pd.to_datetime(["2021-01-01", "2021-06-30", "2022-02-03", "2020-12-31", "2021-01-02", "2023-07-04"]),
    "y": [0.0, 1.0, 1.0, 0.0, 1.0, 0.0],
})

EXAMPLES = {
    "normalize": lambda: hw.features.Normalize(columns=["x", "n"], method="robust"),
    "fill_missing": lambda: hw.features.FillMissing(columns=["x"], strategy="median", indicator=True),
    "log1p": lambda: hw.features.Log1p(columns=["x"]),
    "clip": lambda: hw.features.Clip(columns=["x"], quantiles=[0.1, 0.9]),
    "onehot": lambda: hw.features.OneHot(columns=["s"], dtype="float32"),
    "categorify": lambda: hw.features.Categorify(columns=["s", "n"], min_frequency=2),
    "bucketize": lambda: hw.features.Bucketize(columns=["x"], bins=3),
    "hash_bucket": lambda: hw.features.HashBucket(columns=["s"], num_buckets=5),
    "datetime_parts": lambda: hw.features.DatetimeParts(columns=["t"], parts=["year", "month"]),
    "target_encode": lambda: hw.features.TargetEncode(columns=["s"], target="y", folds=2),
    "group_stats": lambda: hw.features.GroupStats(columns=["x"], by=["s"], stats=["mean", "count"]),
    "lag": lambda: hw.features.Lag(columns=["x"], by="s", periods=[1, 2]),
    "rolling": lambda: hw.features.Rolling(columns=["x"], window=2, stats=["max"], min_periods=1),
}


def test_every_registered_op_has_an_example():
    assert set(registry) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_json_round_trip_gives_the_same_transform(name):
    op = EXAMPLES[name]()
    assert op.name == name
    assert repr(op).startswith(type(op).__name__ + "(columns=")
    train, later = frame(PDF), frame(PDF.iloc[::-1].reset_index(drop=True))
    op.fit(train)
    saved = json.dumps(op.to_dict())
    again = FeatureOp.from_dict(json.loads(saved))
    assert type(again) is type(op) and again.options == op.options and again.fitted
    a, b = op.transform(later).to_pandas(), again.transform(later).to_pandas()
    pd.testing.assert_frame_equal(a, b)
    assert json.dumps(op.to_dict()) == saved  # transforming never refits


def test_unfitted_ops_serialise_without_state_and_refuse_to_transform():
    d = hw.features.Normalize(columns="x").to_dict()
    assert d == {"op": "normalize", "columns": ["x"],
                 "options": {"method": "standard", "feature_range": [0.0, 1.0], "quantile_range": [25.0, 75.0]},
                 "state": None}
    with pytest.raises(hw.features.NotFittedError, match="fit"):
        FeatureOp.from_dict(d).transform(frame(PDF))


def test_from_dict_errors():
    with pytest.raises(hw.features.FeatureOpError, match="unknown feature op 'nope'"):
        FeatureOp.from_dict({"op": "nope", "columns": ["x"]})
    with pytest.raises(hw.features.FeatureOpError, match="use Log1p.from_dict"):
        hw.features.Normalize.from_dict(hw.features.Log1p(columns=["x"]).to_dict())
    with pytest.raises(hw.features.FeatureOpError, match="'op'"):
        FeatureOp.from_dict({"columns": ["x"]})


def test_missing_columns_and_empty_columns_are_named():
    with pytest.raises(KeyError, match="'zz'"):
        hw.features.Log1p(columns=["zz"]).transform(frame(PDF))
    with pytest.raises(hw.features.FeatureOpError, match="at least one column"):
        hw.features.Log1p(columns=[])


def test_fitting_on_a_slice_treats_dictionary_entries_it_never_saw_as_unseen():
    df = frame(pd.DataFrame({"s": ["a", "b", "a", "z"], "y": [1.0, 2.0, 3.0, 40.0]}))
    train = df.head(3)  # shares the dictionary, which also holds "z"
    out = hw.features.Categorify(columns=["s"]).fit(train).transform(df)
    assert out["s"].tolist() == [1, 2, 1, 0]
    te = hw.features.TargetEncode(columns=["s"], target="y", smoothing=0.0).fit(train)
    assert_column(te.transform(df), "s", [2.0, 2.0, 2.0, 2.0])
    gs = hw.features.GroupStats(columns=["y"], by="s", stats=["count"]).fit(train)
    assert_column(gs.transform(df), "y_count_by_s", [2, 1, 2, np.nan])


def test_fitting_text_and_numeric_ops_reads_nothing_back_from_the_device():
    df = frame(PDF)
    df["s"] = df["s"].astype(hw.StringDtype("dictionary"))  # plain strings are encoded on the host
    ops = [hw.features.FillMissing(columns=["x"]), hw.features.Normalize(columns=["x"]),
           hw.features.Log1p(columns=["x"]), hw.features.GroupStats(columns=["x"], by="s"),
           hw.features.TargetEncode(columns=["s"], target="y", folds=2, suffix="_te"),
           hw.features.Categorify(columns=["s"]), hw.features.DatetimeParts(columns=["t"])]
    hw.reset_transfer_stats()
    for op in ops:
        df = op.fit_transform(df)
    assert hw.transfer_stats().to_host_calls == 0, hw.transfer_stats()
