"""groupby per-row methods and callables against pandas, with null keys and values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal


def _frame(seed: int = 0, n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    k = rng.choice(["a", "b", "c", None], n)
    v = rng.normal(size=n).round(3)
    v[rng.random(n) < 0.2] = np.nan
    return pd.DataFrame({"k": k, "j": rng.integers(0, 3, n), "v": v, "i": rng.integers(-5, 5, n)})


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(0, 30), dropna=st.booleans(), periods=st.sampled_from([1, 2, -1]))
def test_shift_diff_scans_match_pandas(seed, n, dropna, periods):
    pdf = _frame(seed, n)
    df = hw.DataFrame(pdf)
    pg, hg = pdf.groupby(["k", "j"], dropna=dropna), df.groupby(["k", "j"], dropna=dropna)
    assert_series_equal(hg["v"].shift(periods), pg["v"].shift(periods), check_dtype=False)
    assert_series_equal(hg["v"].diff(periods), pg["v"].diff(periods), check_dtype=False)
    for name in ("cumsum", "cummax", "cummin"):
        assert_series_equal(getattr(hg["v"], name)(), getattr(pg["v"], name)(), check_dtype=False)
        assert_series_equal(getattr(hg["i"], name)(), getattr(pg["i"], name)(), check_dtype=False)


def test_cumprod_pct_change_ngroup_nth():
    pdf = _frame(1)
    df = hw.DataFrame(pdf)
    pg, hg = pdf.groupby("k"), df.groupby("k")
    assert_series_equal(hg["i"].cumprod(), pg["i"].cumprod(), check_dtype=False)
    assert_series_equal(hg["v"].pct_change(), pg["v"].pct_change(fill_method=None), check_dtype=False)
    want = pg.ngroup()
    got = hg.ngroup().to_pandas()
    kept = pdf["k"].notna().to_numpy()
    assert got[kept].tolist() == want[kept].tolist() and got[~kept].isna().all()
    for n in (0, 1, -1, [0, 2]):
        assert_frame_equal(hg.nth(n), pg.nth(n).reset_index(drop=True))
    assert_frame_equal(hg[["v"]].shift(), pg[["v"]].shift())


def test_agg_with_functions_lists_dicts_namedagg():
    pdf = _frame(2).dropna(subset=["k"])
    df = hw.DataFrame(pdf)
    got = df.groupby("k").agg({"v": ["sum", "max"], "i": "mean"})
    want = pdf.groupby("k").agg({"v": ["sum", "max"], "i": "mean"})
    want.columns = ["v_sum", "v_max", "i_mean"]
    assert_frame_equal(got.reset_index(), want.reset_index())
    got = df.groupby("k").agg(lo=hw.NamedAgg("v", "min"), rng=("i", lambda s: s.max() - s.min()))
    want = pdf.groupby("k").agg(lo=pd.NamedAgg("v", "min"), rng=("i", lambda s: s.max() - s.min()))
    assert_frame_equal(got.reset_index(), want.reset_index(), check_dtype=False)
    assert_series_equal(df.groupby("k")["v"].agg(np.sum), pdf.groupby("k")["v"].agg("sum"))
    assert_frame_equal(df.groupby("k", as_index=False)["i"].agg(lambda s: s.sum() * 2),
                       pdf.groupby("k", as_index=False)["i"].agg(lambda s: s.sum() * 2), check_dtype=False)


def test_apply_transform_filter_callables():
    pdf = _frame(3).dropna(subset=["k"])
    df = hw.DataFrame(pdf)
    got = df.groupby("k").apply(lambda g: g["i"].max() - g["i"].min())
    want = pdf.groupby("k")[["i", "v"]].apply(lambda g: g["i"].max() - g["i"].min())
    assert got.to_dict() == want.to_dict()
    got = df.groupby("k")["v"].transform(lambda s: s - s.mean())
    want = pdf.groupby("k")["v"].transform(lambda s: s - s.mean())
    assert_series_equal(got, want)
    got = df.groupby("k")["i"].transform(lambda s: s.max())
    assert_series_equal(got, pdf.groupby("k")["i"].transform(lambda s: s.max()), check_dtype=False)
    got = df.groupby("k").filter(lambda g: g["i"].sum() > 0)
    want = pdf.groupby("k").filter(lambda g: g["i"].sum() > 0)
    assert_frame_equal(got, want.reset_index(drop=True))


def test_group_methods_keep_row_labels_and_refuse_bad_arguments():
    pdf = _frame(4)
    df = hw.DataFrame(pdf)
    out = df.groupby("k")["v"].cumsum()
    assert out.index.tolist() == pdf.groupby("k")["v"].cumsum().index.tolist()
    df["c"] = df.groupby("k")["v"].cumsum()  # same rows: positional
    with pytest.raises(NotImplementedError, match="freq"):
        df.groupby("k").shift(freq="D")
    with pytest.raises(TypeError):
        df.groupby("k").sum(bogus=True)
