"""Keys where pandas has labels: groupby/value_counts/set_index results, reset_index,
.index, loc/at/iat, to_dict, sort_index, alignment, and the refusals on reordered rows."""

from __future__ import annotations

import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal
from headwater.dataframe.join import MergeError
from headwater.dataframe.keys import NoRowLabelsError


@pytest.fixture
def pair():
    pdf = pd.DataFrame({"k": ["b", "a", "b", None, "c", "a"], "j": [1, 1, 2, 2, 1, None],
                        "v": [1.0, None, 3.0, 4.0, 5.0, 6.0], "w": [1, 2, 3, 4, 5, 6]})
    return pdf, hw.DataFrame(pdf)


@pytest.mark.parametrize("dropna", [True, False])
@pytest.mark.parametrize("by", ["k", ["k", "j"]])
def test_groupby_as_index_reset_index_gives_pandas_columns(pair, by, dropna):
    pdf, df = pair
    got = df.groupby(by, dropna=dropna).sum()
    want = pdf.groupby(by, dropna=dropna).sum()
    assert got.columns == list(want.columns)
    assert got.index.names == list(want.index.names)
    assert_frame_equal(got.reset_index(), want.reset_index())
    assert_frame_equal(df.groupby(by, as_index=False, dropna=dropna).sum(),
                       pdf.groupby(by, as_index=False, dropna=dropna).sum())
    assert_frame_equal(df.groupby(by, dropna=dropna).size().reset_index(name="n"),
                       pdf.groupby(by, dropna=dropna).size().reset_index(name="n"))
    s = df.groupby(by, dropna=dropna)["v"].mean()
    assert_series_equal(s, pdf.groupby(by, dropna=dropna)["v"].mean())
    assert s.to_pandas().index.names == pdf.groupby(by, dropna=dropna)["v"].mean().index.names


def test_value_counts_is_keyed(pair):
    pdf, df = pair
    got, want = df["k"].value_counts(), pdf["k"].value_counts()
    assert got.name == want.name and got.index.name == want.index.name
    assert got.to_dict() == want.to_dict()
    assert_frame_equal(got.reset_index(), want.reset_index())
    assert_frame_equal(df[["k", "j"]].value_counts().reset_index(), pdf[["k", "j"]].value_counts().reset_index())


def test_set_index_loc_at_and_sort_index(pair):
    pdf, df = pair
    p, h = pdf.dropna(subset=["k"]).set_index("k"), df.dropna(subset=["k"]).set_index("k")
    assert h.index.tolist() == p.index.tolist()
    assert h.loc["c", "w"] == p.loc["c", "w"]
    assert h.at["c", "w"] == p.at["c", "w"]
    assert_frame_equal(h.loc["b"].reset_index(), p.loc["b"].reset_index())
    assert_frame_equal(h.loc[["c", "a"]].reset_index(), p.loc[["c", "a"]].reset_index())
    assert_frame_equal(h.sort_index().reset_index(), p.sort_index(kind="stable").reset_index())
    assert h.reset_index().columns == list(p.reset_index().columns)
    with pytest.raises(KeyError, match="'zz'"):
        h.loc["zz"]
    two = df.dropna().set_index(["k", "j"])
    assert two.loc[("b", 2), "w"] == pdf.dropna().set_index(["k", "j"]).loc[("b", 2), "w"]
    g = df.groupby("k").sum()
    assert g.to_dict() == pdf.groupby("k").sum().to_dict()


def test_labels_of_original_rows_are_positions(pair):
    pdf, df = pair
    assert df.index.tolist() == pdf.index.tolist()
    assert df.loc[2, "w"] == pdf.loc[2, "w"] and df.at[3, "v"] == pdf.at[3, "v"]
    assert df.iat[4, 3] == pdf.iat[4, 3]
    assert_frame_equal(df.loc[1:3], pdf.loc[1:3])
    assert_frame_equal(df.reset_index(), pdf.reset_index())
    assert [i for i, _ in df.iterrows()] == [i for i, _ in pdf.iterrows()]
    assert df["w"].to_dict() == pdf["w"].to_dict()
    assert_frame_equal(df.drop(index=[0, 2]), pdf.drop(index=[0, 2]).reset_index(drop=True))


def test_reordered_rows_refuse_label_reads(pair):
    _, df = pair
    for sub in (df[df["w"] > 2], df.sort_values("w", ascending=False), df.sample(frac=1.0, seed=0), df.tail(2)):
        with pytest.raises(NoRowLabelsError, match=r"reset_index\(drop=True\)"):
            sub.reset_index()
        with pytest.raises(NoRowLabelsError, match="iloc"):
            sub.loc[0, "w"]
        with pytest.raises(NoRowLabelsError):
            list(sub.iterrows())
        with pytest.raises(NoRowLabelsError):
            sub["w"] + df["w"]  # pandas would align on labels
        sub["twice"] = sub["w"] * 2  # the same rows: positional
        assert sub.reset_index(drop=True).index.tolist() == list(range(len(sub)))
    assert df.head(3).reset_index()["index"].to_list() == [0, 1, 2]


def test_mask_loc_always_works_and_assigns(pair):
    pdf, df = pair
    sub = df.sort_values("w")
    assert_frame_equal(sub.loc[sub["w"] > 3, ["k", "w"]],
                       pdf.sort_values("w").loc[lambda d: d["w"] > 3, ["k", "w"]].reset_index(drop=True))
    pdf2 = pdf.copy()
    pdf2.loc[pdf2["w"] > 3, "v"] = 0.5
    pdf2.loc[pdf2["w"] > 4, "new"] = 7.0
    df.loc[df["w"] > 3, "v"] = 0.5
    df.loc[df["w"] > 4, "new"] = 7.0
    assert_frame_equal(df, pdf2)
    df.loc[:, "w"] = 0
    df.iloc[0, 3] = 9
    df.iat[1, 3] = 8
    assert df["w"].to_list() == [9, 8, 0, 0, 0, 0]


def test_keyed_arithmetic_aligns_on_keys():
    a = pd.Series([1.0, 2.0, 3.0], index=pd.Index(["x", "y", "z"], name="k"), name="v")
    b = pd.Series([10.0, 20.0], index=pd.Index(["z", "x"], name="k"), name="v")
    ha = hw.DataFrame({"k": ["x", "y", "z"], "v": [1.0, 2.0, 3.0]}).set_index("k")["v"]
    hb = hw.DataFrame({"k": ["z", "x"], "v": [10.0, 20.0]}).set_index("k")["v"]
    got, want = ha + hb, a + b
    assert got.index.tolist() == want.index.tolist()
    assert_series_equal(got, want)
    frame = ha.to_frame()
    frame["b"] = hb  # aligned on the keys, null where missing
    assert frame["b"].to_list() == [20.0, None, 10.0]
    with pytest.raises(NoRowLabelsError, match="keyed"):
        ha.reset_index(drop=True).iloc[::-1] + ha


def test_inplace_and_unknown_keywords(pair):
    pdf, df = pair
    assert df.drop(columns="j", inplace=True) is None and "j" not in df.columns
    df.rename(columns={"w": "W"}, inplace=True)
    assert df.columns == ["k", "v", "W"]
    with pytest.raises(TypeError):
        df.drop(columns="v", bogus=1)
    with pytest.raises(TypeError):
        df.rename(columns={}, bogus=1)
    with pytest.raises(NotImplementedError, match="index"):
        df.rename(index={0: 1})


def test_stats_against_pandas(pair):
    pdf, df = pair
    num = pdf[["v", "w"]]
    got = df[["v", "w"]].corr()
    assert_frame_equal(got.reset_index(), num.corr().reset_index())
    assert_frame_equal(df[["v", "w"]].cov().reset_index(), num.cov().reset_index())
    assert_frame_equal(df[["v", "w"]].corr(method="spearman").reset_index(), num.corr(method="spearman").reset_index())
    assert df["v"].corr(df["w"]) == pytest.approx(pdf["v"].corr(pdf["w"]))
    assert df[["v", "w"]].corrwith(df["w"]).to_dict() == pytest.approx(num.corrwith(pdf["w"]).to_dict())
    assert df["v"].argmax() == pdf["v"].argmax() and df["v"].idxmin() == pdf["v"].idxmin()
    assert df[["v", "w"]].idxmax().to_dict() == num.idxmax().to_dict()
    assert df["j"].mode().to_list() == pdf["j"].mode().tolist()
    assert_frame_equal(df[["j", "k"]].mode(), pdf[["j", "k"]].mode())
    with pytest.raises(NoRowLabelsError, match="argmax"):
        df.sort_values("w")["v"].idxmax()


@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_merge_indicator_validate_concat_and_inplace(pair):
    pdf, df = pair
    left, right = pdf[["k", "w"]], pdf[["k", "j"]].dropna().drop_duplicates("k")
    got = df[["k", "w"]].merge(hw.DataFrame(right), on="k", how="outer", indicator=True)
    want = left.merge(right, on="k", how="outer", indicator=True)
    assert_frame_equal(got.astype({"_merge": "str"}), want.astype({"_merge": "str"}), check_dtype=False)
    with pytest.raises(MergeError):
        df.merge(df, on="k", validate="one_to_one")
    assert_frame_equal(hw.concat([df, df], ignore_index=True), pd.concat([pdf, pdf], ignore_index=True))
    with pytest.raises(NoRowLabelsError):
        hw.concat([df, df]).reset_index()
    p2, d2 = pdf.copy(), df.copy()
    for op in (lambda d: d.fillna({"v": 0.0}, inplace=True), lambda d: d.dropna(inplace=True),
               lambda d: d.sort_values("w", ascending=False, inplace=True),
               lambda d: d.drop_duplicates(subset=["k"], inplace=True),
               lambda d: d.replace({"k": {"a": "A"}}, inplace=True),
               lambda d: d.reset_index(drop=True, inplace=True)):
        op(p2), op(d2)
        assert_frame_equal(d2, p2.reset_index(drop=True))
    assert_frame_equal(df.sort_values("w", ignore_index=True), pdf.sort_values("w", ignore_index=True))


def test_query_eval_map_apply(pair):
    pdf, df = pair
    low = 2  # noqa: F841 (read by @low in the query)
    assert_frame_equal(df.query("w > @low and k == 'b'"), pdf.query("w > @low and k == 'b'").reset_index(drop=True))
    assert_frame_equal(df.query("k in ['a', 'c']"), pdf.query("k in ['a', 'c']").reset_index(drop=True))
    assert_series_equal(df.eval("v * w"), pdf.eval("v * w"), check_name=False)
    assert_frame_equal(df.eval("x = w + 1"), pdf.eval("x = w + 1"))
    assert_series_equal(df["k"].map({"a": 1, "b": 2}), pdf["k"].map({"a": 1, "b": 2}), check_dtype=False)
    assert_series_equal(df["w"].map(lambda v: v % 3), pdf["w"].map(lambda v: v % 3))
    assert_series_equal(df["w"].apply(lambda v: v * 2), pdf["w"].apply(lambda v: v * 2))
    assert_series_equal(df.apply(lambda r: r["w"] * 2 + r["j"], axis=1),
                        pdf.apply(lambda r: r["w"] * 2 + r["j"], axis=1), check_name=False)
    assert_series_equal(df.apply(lambda r: r["w"] if r["w"] > 3 else -1, axis=1),
                        pdf.apply(lambda r: r["w"] if r["w"] > 3 else -1, axis=1), check_name=False, check_dtype=False)
    assert_frame_equal(df[["w"]].map(lambda v: v + 1), pdf[["w"]].map(lambda v: v + 1))
    assert df[["v", "w"]].apply(lambda c: c.max()).to_dict() == pdf[["v", "w"]].apply(lambda c: c.max()).to_dict()
    keyed = df.groupby("k")["w"].sum()
    assert_series_equal(df["k"].map(keyed), pdf["k"].map(pdf.groupby("k")["w"].sum()), check_dtype=False)
    assert_frame_equal(df[["v", "w"]].agg(["min", "max"]).reset_index(), pdf[["v", "w"]].agg(["min", "max"]).reset_index())
