"""GroupStats against pandas' groupby().transform() and a merge for later frames."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame

RNG = np.random.default_rng(2)
N = 60
TRAIN = pd.DataFrame({
    "g": RNG.choice(np.array(["x", "y", "z", None], dtype=object), size=N),
    "h": RNG.integers(0, 3, size=N),
    "v": np.where(RNG.random(N) < 0.15, np.nan, RNG.normal(size=N)),
})
TEST = pd.DataFrame({"g": ["z", "q", None, "x"], "h": [1, 0, 2, 9], "v": [0.0] * 4})
STATS = ["mean", "sum", "count", "min", "max", "std", "var", "median"]


@pytest.mark.parametrize("by", [["g"], ["h"], ["g", "h"]])
def test_training_frame_matches_groupby_transform(by):
    op = hw.features.GroupStats(columns=["v"], by=by, stats=STATS)
    out = op.fit_transform(frame(TRAIN))
    grouped = TRAIN.groupby(by, dropna=True)["v"]
    for stat in STATS:
        want = grouped.transform(stat).to_numpy(dtype=float, na_value=np.nan)
        assert_column(out, op.output_name("v", stat), want)


@pytest.mark.parametrize("by", [["g"], ["g", "h"]])
def test_later_frame_gets_the_training_groups_by_merge(by):
    op = hw.features.GroupStats(columns=["v"], by=by, stats=["mean", "max"]).fit(frame(TRAIN))
    again = hw.features.GroupStats.from_dict(json.loads(json.dumps(op.to_dict())))
    table = TRAIN.dropna(subset=by).groupby(by)["v"].agg(["mean", "max"]).reset_index()
    want = TEST[by].merge(table, on=by, how="left")
    for used in (op, again):
        out = used.transform(frame(TEST))
        for stat in ("mean", "max"):
            assert_column(out, used.output_name("v", stat), want[stat].to_numpy(dtype=float))


def test_options_are_checked():
    with pytest.raises(hw.features.FeatureOpError, match="by="):
        hw.features.GroupStats(columns=["v"])
    with pytest.raises(hw.features.FeatureOpError, match="choose from"):
        hw.features.GroupStats(columns=["v"], by="g", stats=["mode"])


def test_transform_needs_only_the_keys():
    op = hw.features.GroupStats(columns=["v"], by="g", stats=["mean"]).fit(frame(TRAIN))
    out = op.transform(frame(pd.DataFrame({"g": ["x", "q"]})))
    want = TRAIN.dropna(subset=["g"]).groupby("g")["v"].mean()
    assert_column(out, "v_mean_by_g", [want["x"], np.nan])
    with pytest.raises(KeyError, match="'g'"):
        op.transform(frame(pd.DataFrame({"v": [1.0]})))
