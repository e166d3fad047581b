"""Groups one at a time (iteration, get_group, groups, indices, pipe) and the per-group
summaries and fills (describe, value_counts, sem, ffill, bfill), against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from headwater.dataframe.keys import NoRowLabelsError
from tests.dataframe.helpers import assert_frame_equal, assert_series_equal

DATA = {
    "k": ["b", "a", "b", None, "a", "b", "a", "c"],
    "j": [1, 1, 2, 2, 1, 2, 1, 1],
    "v": [1.0, None, 3.0, 4.0, 5.0, None, 2.0, 7.0],
    "w": [3, 1, 3, 1, 1, 2, 1, 5],
}


def frames():
    return hw.DataFrame(DATA), pd.DataFrame(DATA)


@pytest.mark.parametrize("by", ["k", ["k"], ["k", "j"]])
@pytest.mark.parametrize("sort", [True, False])
def test_iteration_names_and_rows_match_pandas(by, sort):
    ours, theirs = frames()
    got = [(name, group.to_pandas()) for name, group in ours.groupby(by, sort=sort)]
    want = list(theirs.groupby(by, sort=sort))
    assert [g[0] for g in got] == [w[0] for w in want]
    for (_, g), (_, w) in zip(got, want):
        assert_frame_equal(g, w.reset_index(drop=True), check_dtype=False)


def test_selected_column_iteration_gives_series():
    ours, theirs = frames()
    for (gk, gs), (wk, ws) in zip(ours.groupby("k")["v"], theirs.groupby("k")["v"]):
        assert gk == wk
        assert_series_equal(gs, ws.reset_index(drop=True), check_dtype=False)


def test_get_group_groups_indices():
    ours, theirs = frames()
    assert_frame_equal(ours.groupby("k").get_group("b"), theirs.groupby("k").get_group("b").reset_index(drop=True),
                       check_dtype=False)
    assert_frame_equal(ours.groupby(["k", "j"]).get_group(("a", 1)),
                       theirs.groupby(["k", "j"]).get_group(("a", 1)).reset_index(drop=True), check_dtype=False)
    assert ours.groupby("k").groups == {k: list(v) for k, v in theirs.groupby("k").groups.items()}
    got = ours.groupby("j").indices
    want = theirs.groupby("j").indices
    assert list(got) == list(want) and all(np.array_equal(got[k], want[k]) for k in want)
    with pytest.raises(KeyError, match="no group 'zz'"):
        ours.groupby("k").get_group("zz")
    with pytest.raises(NoRowLabelsError, match="indices"):
        ours.sort_values("v").groupby("k").groups


def test_pipe_and_sem():
    ours, theirs = frames()
    f = lambda g, col: g[col].sum()  # noqa: E731
    assert_series_equal(ours.groupby("k").pipe(f, "w"), theirs.groupby("k").pipe(f, "w"))
    assert_series_equal(ours.groupby("k")["v"].sem(), theirs.groupby("k")["v"].sem(), check_dtype=False)


def test_describe_one_column():
    ours, theirs = frames()
    got = ours.groupby("k")["v"].describe()
    want = theirs.groupby("k")["v"].describe()
    assert list(got.columns) == list(want.columns)
    assert_frame_equal(got.reset_index(), want.reset_index(), check_dtype=False)
    with pytest.raises(NotImplementedError, match="describe one column"):
        ours.groupby("k").describe()


@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("sort", [True, False])
def test_value_counts(normalize, sort):
    ours, theirs = frames()
    got = ours.groupby("k", sort=sort)["w"].value_counts(normalize=normalize)
    want = theirs.groupby("k", sort=sort)["w"].value_counts(normalize=normalize)
    assert got.name == want.name
    assert got.to_dict() == pytest.approx(want.to_dict())
    assert list(got.to_dict()) == list(want.to_dict())  # the same order


@pytest.mark.parametrize("method", ["ffill", "bfill"])
@pytest.mark.parametrize("limit", [None, 1])
def test_fills_within_groups(method, limit):
    ours, theirs = frames()
    got = getattr(ours.groupby("j")["v"], method)(limit=limit)
    want = getattr(theirs.groupby("j")["v"], method)(limit=limit)
    assert_series_equal(got, want, check_dtype=False)
    got = getattr(ours.groupby("k")[["v", "w"]], method)()
    want = getattr(theirs.groupby("k")[["v", "w"]], method)()
    assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.parametrize("group_sort", [True, False])
@pytest.mark.parametrize("sort,ascending", [(True, False), (True, True), (False, False)])
def test_value_counts_order_with_ties(group_sort, sort, ascending):
    data = {"k": ["b"] * 3 + ["a"] * 6, "w": [9, 8, 9, 3, 1, 2, 1, 3, 2]}
    got = hw.DataFrame(data).groupby("k", sort=group_sort)["w"].value_counts(sort=sort, ascending=ascending)
    want = pd.DataFrame(data).groupby("k", sort=group_sort)["w"].value_counts(sort=sort, ascending=ascending)
    assert list(got.to_dict().items()) == list(want.to_dict().items())
