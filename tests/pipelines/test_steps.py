"""Every step: its transform against pandas, and its fitted state through JSON."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from headwater.pipelines.steps import STEPS, ColumnSet


def _step(name, options, target="label"):
    step = STEPS[name].from_config(options)
    step.target = target
    return step


def _reloaded(step):
    """A fresh step of the same config with the state saved as JSON and read back."""
    state = json.loads(json.dumps(step.state()))
    again = STEPS[step.name].from_config(step.config()[step.name])
    again.target = step.target
    again.load_state(state)
    return again


@pytest.fixture
def train_test():
    rng = np.random.default_rng(0)
    n = 60
    pdf = pd.DataFrame({
        "num": np.where(rng.random(n) < 0.1, np.nan, rng.normal(10, 3, n)),
        "cat": rng.choice(["a", "b", "c"], n),
        "g": rng.choice(["p", "q"], n),
        "t": pd.date_range("2024-01-01", periods=n, freq="13h"),
        "label": rng.integers(0, 2, n).astype(float),
    })
    test = pdf.sample(20, random_state=1).reset_index(drop=True)
    test.loc[0, "cat"] = "unseen"
    return pdf, test


def test_every_issue_step_is_registered():
    expected = {"select", "drop", "filter", "derive", "fillna", "categorify", "one_hot", "normalize",
                "target_encode", "datetime_parts", "bucketize", "group_stats", "rolling", "lag"}
    assert expected <= set(STEPS)


def test_select_keeps_the_target(train_test):
    pdf, _ = train_test
    out = _step("select", ["num", "g"]).transform(hw.DataFrame(pdf))
    assert list(out.columns) == ["num", "g", "label"]
    assert _step("select", ["num"]).columns_after(ColumnSet(list(pdf))).names == ["num", "label"]


def test_drop(train_test):
    pdf, _ = train_test
    out = _step("drop", ["cat", "t"]).transform(hw.DataFrame(pdf))
    assert list(out.columns) == ["num", "g", "label"]


def test_filter_drops_false_and_null_rows(train_test):
    pdf, _ = train_test
    out = _step("filter", "num > 10 and g == 'p'").transform(hw.DataFrame(pdf))
    expected = pdf[(pdf.num > 10) & (pdf.g == "p")]
    np.testing.assert_allclose(out["num"].to_numpy(), expected.num.to_numpy())


def test_derive_in_order(train_test):
    pdf, _ = train_test
    step = _step("derive", {"double": "num * 2", "quad": "double * 2"})
    assert step.reads() == ["num"]
    out = step.transform(hw.DataFrame(pdf)).to_pandas()
    pd.testing.assert_series_equal(out["quad"], pdf.num * 4, check_names=False, check_dtype=False)


def test_fillna_learns_on_train_and_applies_to_test(train_test):
    pdf, test = train_test
    step = _step("fillna", {"columns": ["num"], "strategy": "median", "indicator": True})
    step.fit(hw.DataFrame(pdf))
    out = _reloaded(step).transform(hw.DataFrame(test)).to_pandas()
    expected = test.num.fillna(pdf.num.median())
    np.testing.assert_allclose(out["num"], expected)
    assert out["num_missing"].tolist() == test.num.isna().tolist()


def test_categorify_codes_and_cardinality(train_test):
    pdf, test = train_test
    step = _step("categorify", ["cat"])
    step.fit(hw.DataFrame(pdf))
    assert step.categorical() == {"cat": 4}  # a, b, c and the bucket 0 for unseen
    out = _reloaded(step).transform(hw.DataFrame(test))["cat"].tolist()
    mapping = {"a": 1, "b": 2, "c": 3}
    assert out == [mapping.get(v, 0) for v in test.cat]


def test_one_hot_matches_get_dummies(train_test):
    pdf, test = train_test
    step = _step("one_hot", ["cat"])
    step.fit(hw.DataFrame(pdf))
    out = _reloaded(step).transform(hw.DataFrame(test)).to_pandas()
    expected = pd.get_dummies(test.cat).reindex(columns=["a", "b", "c"], fill_value=False).astype("float32")
    for value in "abc":
        np.testing.assert_array_equal(out[f"cat_{value}"].to_numpy(), expected[value].to_numpy())
    assert "cat" not in out.columns
    assert step.columns_after(ColumnSet(["cat", "num"])).open


@pytest.mark.parametrize("method", ["standard", "minmax", "robust"])
def test_normalize_matches_scikit_learn(train_test, method):
    from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

    pdf, test = train_test
    scaler = {"standard": StandardScaler, "minmax": MinMaxScaler, "robust": RobustScaler}[method]()
    scaler.fit(pdf[["num"]].dropna())
    step = _step("normalize", {"columns": ["num"], "method": method})
    step.fit(hw.DataFrame(pdf))
    got = _reloaded(step).transform(hw.DataFrame(test))["num"].to_numpy()
    expected = scaler.transform(test[["num"]]).ravel()
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_target_encode_defaults_to_the_pipeline_target(train_test):
    pdf, test = train_test
    step = _step("target_encode", {"columns": ["cat"], "smoothing": 0.0})
    assert step.reads() == ["cat", "label"]
    step.fit(hw.DataFrame(pdf))
    got = _reloaded(step).transform(hw.DataFrame(test))["cat"].to_numpy()
    means = pdf.groupby("cat").label.mean()
    expected = test.cat.map(means).fillna(pdf.label.mean()).to_numpy()
    np.testing.assert_allclose(got, expected)


def test_target_encode_training_rows_are_out_of_fold(train_test):
    pdf, _ = train_test
    step = _step("target_encode", {"columns": ["cat"], "smoothing": 0.0, "folds": 3})
    oof = step.fit_transform(hw.DataFrame(pdf))["cat"].to_numpy()
    full = step.transform(hw.DataFrame(pdf))["cat"].to_numpy()
    assert not np.allclose(oof, full)  # a row's own label never feeds its encoding


def test_datetime_parts(train_test):
    pdf, _ = train_test
    step = _step("datetime_parts", {"columns": ["t"], "parts": ["hour", "dayofweek"]})
    out = step.transform(hw.DataFrame(pdf)).to_pandas()
    assert out["t_hour"].tolist() == pdf.t.dt.hour.tolist()
    assert out["t_dayofweek"].tolist() == pdf.t.dt.day_of_week.tolist()
    assert "t" not in out.columns  # drop: true by default: the model cannot take datetimes
    assert step.columns_after(ColumnSet(["t", "x"])).names == ["x", "t_hour", "t_dayofweek"]


def test_bucketize_quantiles_from_train(train_test):
    pdf, test = train_test
    step = _step("bucketize", {"columns": ["num"], "bins": 4})
    step.fit(hw.DataFrame(pdf))
    got = _reloaded(step).transform(hw.DataFrame(test))["num"].to_pandas()
    edges = np.nanquantile(pdf.num, [0, 0.25, 0.5, 0.75, 1.0])
    expected = np.clip(np.searchsorted(edges, test.num, side="right") - 1, 0, 3)
    valid = test.num.notna()
    np.testing.assert_array_equal(got[valid].astype(int), expected[valid])


def test_group_stats_learned_on_train(train_test):
    pdf, test = train_test
    step = _step("group_stats", {"columns": ["num"], "by": ["g"], "stats": ["mean", "max"]})
    step.fit(hw.DataFrame(pdf))
    out = _reloaded(step).transform(hw.DataFrame(test)).to_pandas()
    means = pdf.groupby("g").num.mean()
    np.testing.assert_allclose(out["num_mean_by_g"], test.g.map(means))
    np.testing.assert_allclose(out["num_max_by_g"], test.g.map(pdf.groupby("g").num.max()))


def test_rolling_sorts_by_time_within_groups(train_test):
    pdf, _ = train_test
    shuffled = pdf.sample(frac=1.0, random_state=3).reset_index(drop=True)
    step = _step("rolling", {"columns": ["num"], "by": ["g"], "order_by": ["t"], "window": 3,
                             "stats": ["sum"], "min_periods": 1})
    out = step.transform(hw.DataFrame(shuffled)).to_pandas()
    ordered = shuffled.sort_values(["g", "t"], kind="stable")
    expected = ordered.groupby("g").num.rolling(3, min_periods=1).sum().reset_index(level=0, drop=True)
    np.testing.assert_allclose(out["num_rolling_sum_3"].to_numpy(), expected.loc[ordered.index].to_numpy())


def test_lag_per_group(train_test):
    pdf, _ = train_test
    step = _step("lag", {"columns": ["num"], "by": ["g"], "order_by": ["t"], "periods": [1, 2]})
    out = step.transform(hw.DataFrame(pdf)).to_pandas()
    ordered = pdf.sort_values(["g", "t"], kind="stable")
    for p in (1, 2):
        expected = ordered.groupby("g").num.shift(p)
        np.testing.assert_allclose(out[f"num_lag{p}"].to_numpy(), expected.to_numpy())
    assert step.columns_after(ColumnSet(["num"])).names == ["num", "num_lag1", "num_lag2"]


def test_learning_step_must_be_fitted_first(train_test):
    pdf, _ = train_test
    with pytest.raises(RuntimeError, match="was not fitted"):
        _step("normalize", ["num"]).transform(hw.DataFrame(pdf))
