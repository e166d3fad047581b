"""merge against pandas.merge, with every key dtype, several keys and many-to-many matches.

Null keys (None and NaN) match each other, as in pandas, so pandas.merge is the reference;
the semi and anti joins (not in pandas) follow SQL: null keys match nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataframe.groupby_data import random_frame, to_headwater
from dataframe.helpers import assert_frame_equal
from headwater.dataframe.errors import ColumnNotFoundError
from headwater.dataframe.join import MergeKeyError, merge

HOWS = ["inner", "left", "right", "outer"]


def _reference(left, right, how, left_on, right_on, suffixes=("_x", "_y")):
    """pandas.merge itself: null keys match each other, as Headwater's merge does."""
    if left_on == right_on:
        return left.merge(right, how=how, on=left_on, suffixes=suffixes)
    return left.merge(right, how=how, left_on=left_on, right_on=right_on, suffixes=suffixes)


@pytest.fixture(scope="module")
def sides():
    left = random_frame(rows=50, seed=11, groups=5)
    right = random_frame(rows=30, seed=12, groups=6)
    right = right.rename(columns={"i": "ri", "f": "rf"})
    return left, right, to_headwater(left), to_headwater(right)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("key", ["ki", "kf", "ks", "kb", "kt", "ku"])
def test_every_key_dtype(sides, how, key):
    left, right, hl, hr = sides
    got = merge(hl[[key, "i", "s"]], hr[[key, "ri", "s"]], how=how, on=key)
    want = _reference(left[[key, "i", "s"]], right[[key, "ri", "s"]], how, [key], [key])
    assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("keys", [["ki", "ks"], ["ks", "kb", "ku"]])
def test_several_keys(sides, how, keys):
    left, right, hl, hr = sides
    got = merge(hl[keys + ["i", "f"]], hr[keys + ["ri"]], how=how, on=keys)
    want = _reference(left[keys + ["i", "f"]], right[keys + ["ri"]], how, keys, keys)
    assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.parametrize("how", ["inner", "left"])
def test_left_on_right_on_and_suffixes(sides, how):
    left, right, hl, hr = sides
    got = merge(hl[["ku", "s", "f"]], hr[["ki", "s", "rf"]], how=how, left_on="ku", right_on="ki",
                suffixes=("_l", "_r"))
    want = _reference(left[["ku", "s", "f"]], right[["ki", "s", "rf"]], how, ["ku"], ["ki"], ("_l", "_r"))
    assert_frame_equal(got, want, check_dtype=False)


def test_categorical_keys_match_through_unified_dictionaries(sides):
    left, right, hl, hr = sides
    got = merge(hl[["kc", "i"]], hr[["kc", "ri"]], on="kc")
    want = _reference(left[["kc", "i"]].astype({"kc": object}), right[["kc", "ri"]].astype({"kc": object}),
                      "inner", ["kc"], ["kc"])
    assert_frame_equal(got, want, check_dtype=False)


def test_string_and_categorical_keys_match():
    a = pd.DataFrame({"k": pd.array(["x", "y", None, "z"], dtype="str"), "v": [1, 2, 3, 4]})
    b = pd.DataFrame({"k": pd.Categorical(["z", "x", "q"]), "w": [10, 20, 30]})
    got = merge(to_headwater(a), to_headwater(b), on="k").to_pandas()
    assert got["v"].tolist() == [1, 4] and got["w"].tolist() == [20, 10]


def test_many_to_many_keeps_left_order():
    a = pd.DataFrame({"k": [2, 1, 2, 3], "v": range(4)})
    b = pd.DataFrame({"k": [2, 2, 1, 2], "w": range(4)})
    got = merge(to_headwater(a), to_headwater(b), on="k")
    assert_frame_equal(got, a.merge(b, on="k"))
    assert len(got) == 7


@pytest.mark.parametrize("how", ["semi", "anti"])
def test_semi_and_anti(sides, how):
    left, right, hl, hr = sides
    got = merge(hl, hr[["ks", "kb"]], how=how, on=["ks", "kb"])
    keys = right[["ks", "kb"]].dropna().drop_duplicates()
    hit = left[["ks", "kb"]].merge(keys.assign(_hit=True), how="left", on=["ks", "kb"])["_hit"]
    hit = hit.fillna(False).astype(bool).to_numpy() & left[["ks", "kb"]].notna().all(axis=1).to_numpy()
    want = left[hit if how == "semi" else ~hit].reset_index(drop=True)
    assert_frame_equal(got, want)


def test_cross():
    a = pd.DataFrame({"x": [1, 2, 3], "s": ["a", "b", None]})
    b = pd.DataFrame({"s": ["p", "q"], "y": [0.5, 1.5]})
    got = merge(to_headwater(a), to_headwater(b), how="cross")
    assert_frame_equal(got, a.merge(b, how="cross"), check_dtype=False)


def test_empty_sides_and_no_matches():
    a = pd.DataFrame({"k": pd.array([], dtype="Int64"), "v": pd.array([], dtype="float64")})
    b = pd.DataFrame({"k": [1, 2], "w": [1.0, 2.0]})
    for how in HOWS:
        got = merge(to_headwater(a), to_headwater(b), how=how, on="k")
        assert_frame_equal(got, a.merge(b, how=how, on="k"), check_dtype=False)
    c = pd.DataFrame({"k": [5, 6], "v": [1.0, 2.0]})
    for how in HOWS:
        got = merge(to_headwater(c), to_headwater(b), how=how, on="k")
        assert_frame_equal(got, c.merge(b, how=how, on="k"), check_dtype=False)


def test_all_unique_keys_many_to_one_fast_path():
    rng = np.random.default_rng(5)
    a = pd.DataFrame({"k": rng.integers(0, 2000, 5000), "v": rng.random(5000)})
    b = pd.DataFrame({"k": rng.permutation(3000)[:1500] * 3, "w": rng.random(1500)})
    for how in HOWS:
        got = merge(to_headwater(a), to_headwater(b), how=how, on="k")
        assert_frame_equal(got, a.merge(b, how=how, on="k"), check_dtype=False)


def test_null_keys_match_each_other_as_pandas():
    a = pd.DataFrame({"k": [None, 1.0, np.nan], "v": [1, 2, 3]})
    b = pd.DataFrame({"k": [np.nan, 1.0], "w": [10, 20]})
    s1 = pd.DataFrame({"k": pd.array(["a", None, "b", None], dtype="str"), "x": [1, 2, 3, 4]})
    s2 = pd.DataFrame({"k": pd.array([None, "a", None, "c"], dtype="str"), "y": [10, 20, 30, 40]})
    for how in HOWS:
        for x, y in ((a, b), (b, a), (s1, s2), (s2, s1)):
            got = merge(to_headwater(x), to_headwater(y), how=how, on="k")
            assert_frame_equal(got, x.merge(y, how=how, on="k"), check_dtype=False)
    assert len(merge(to_headwater(a), to_headwater(b), on="k")) == 3  # pandas matches NaN with NaN
    assert len(merge(to_headwater(a), to_headwater(b), how="anti", on="k")) == 2  # SQL: nulls never match


def test_errors_name_the_fix(sides):
    _, _, hl, hr = sides
    with pytest.raises(ColumnNotFoundError, match="did you mean 'ks'"):
        merge(hl, hr, on="kss")
    with pytest.raises(ValueError, match="did you mean 'inner'"):
        merge(hl, hr, on="ks", how="iner")
    with pytest.raises(MergeKeyError, match="astype"):
        merge(hl, hr, left_on="ks", right_on="ki")
    with pytest.raises(ValueError, match="one right key per left key"):
        merge(hl, hr, left_on=["ks", "ki"], right_on="ks")
    with pytest.raises(ValueError, match="drop on="):
        merge(hl, hr, how="cross", on="ks")
    with pytest.raises(ValueError, match="share no column"):
        merge(hl[["i"]], hr[["ri"]])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 4)), st.sampled_from(["a", "b"])), max_size=25),
    st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 5)), st.sampled_from(["a", "b", "c"])), max_size=25),
    st.sampled_from(HOWS),
    st.sampled_from([["k"], ["k", "s"]]),
)
def test_merge_property(lrows, rrows, how, on):
    left = pd.DataFrame({"k": pd.array([r[0] for r in lrows], dtype="Int64"),
                         "s": pd.array([r[1] for r in lrows], dtype="str"), "v": np.arange(len(lrows))})
    right = pd.DataFrame({"k": pd.array([r[0] for r in rrows], dtype="Int64"),
                          "s": pd.array([r[1] for r in rrows], dtype="str"), "w": np.arange(len(rrows))})
    got = merge(to_headwater(left), to_headwater(right), how=how, on=on)
    assert_frame_equal(got, _reference(left, right, how, on, on), check_dtype=False)


def test_host_crossings_are_few_and_do_not_grow_with_rows():
    import headwater as hw

    counts = []
    for rows in (100, 20_000):
        left, right = random_frame(rows=rows, seed=5), random_frame(rows=rows // 2, seed=6)
        hl, hr = to_headwater(left), to_headwater(right[["ki", "kt", "f"]])
        hw.reset_transfer_stats()
        merge(hl, hr, on=["ki", "kt"], how="left")
        stats = hw.transfer_stats()
        counts.append(stats.to_host_calls)
        assert stats.to_host_bytes < 1024
    assert counts[0] == counts[1] and counts[0] <= 8


# -- the direct lookup path (lookup.py): unique build-side keys, one table gather ----------
# (scale, offset): slots are the values; value - min; value - min; a range too wide (factorized)
_SPREADS = [(1, 0), (1, -40), (1, 1_000), (2**40, 3)]


def _keyed(keys, spread, as_text):
    scale, offset = spread
    values = [None if k is None else k * scale + offset for k in keys]
    if as_text:
        return pd.array([None if v is None else f"k{v}" for v in values], dtype="str")
    return pd.array(values, dtype="Int64")


def _reference_on_k(left, right, how):
    if how in ("semi", "anti"):
        hit = left["k"].isin(right["k"].dropna()).to_numpy() & left["k"].notna().to_numpy()
        return left[hit if how == "semi" else ~hit].reset_index(drop=True)
    return _reference(left, right, how, ["k"], ["k"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 12)), max_size=30),
    st.lists(st.integers(0, 15), unique=True, max_size=12),
    st.sampled_from(["unique", "nulls", "repeated"]),  # repeated right keys fall back to match()
    st.sampled_from(_SPREADS),
    st.booleans(),
    st.sampled_from(HOWS + ["semi", "anti"]),
)
def test_lookup_property(lkeys, rkeys, kind, spread, as_text, how):
    if kind == "nulls":
        rkeys = [None if i % 4 == 3 else k for i, k in enumerate(rkeys)]
    elif kind == "repeated":
        rkeys = rkeys + rkeys[::3]
    left = pd.DataFrame({"k": _keyed(lkeys, spread, as_text), "v": np.arange(len(lkeys))})
    right = pd.DataFrame({"k": _keyed(rkeys, spread, as_text), "w": np.arange(len(rkeys)) * 1.5})
    got = merge(to_headwater(left), to_headwater(right), how=how, on="k")
    assert_frame_equal(got, _reference_on_k(left, right, how), check_dtype=False)


@pytest.mark.parametrize("how", HOWS)
def test_string_keys_with_dictionaries_of_different_sizes(how):
    # the smaller dictionary gives the slots: each side in turn, and values only one side has
    big = pd.DataFrame({"k": pd.array(["a", "b", "c", "d", "e", None, "f"], dtype="str"), "v": range(7)})
    small = pd.DataFrame({"k": pd.Categorical(["c", "z", "a"]), "w": [1.0, 2.0, 3.0]})
    for left, right in ((big, small), (small, big)):
        got = merge(to_headwater(left), to_headwater(right), how=how, on="k")
        want = _reference(left.astype({"k": "str"}), right.astype({"k": "str"}), how, ["k"], ["k"])
        assert_frame_equal(got, want, check_dtype=False)


def test_lookup_keeps_left_order_and_skips_nothing():
    a = pd.DataFrame({"k": [3, 1, 2, 3, 1], "v": range(5)})
    b = pd.DataFrame({"k": [1, 2, 3], "w": ["x", "y", "z"]})
    for how in ("inner", "left"):  # every left row matches: the left side is not gathered
        assert_frame_equal(merge(to_headwater(a), to_headwater(b), how=how, on="k"),
                           a.merge(b, how=how, on="k"))
    assert_frame_equal(merge(to_headwater(b), to_headwater(a), how="right", on="k"),
                       b.merge(a, how="right", on="k"))


def test_lookup_empty_and_unmatched():
    a = pd.DataFrame({"k": pd.array([7, 8], dtype="Int64"), "v": [1.0, 2.0]})
    b = pd.DataFrame({"k": pd.array([1, 2], dtype="Int64"), "w": [1.0, 2.0]})
    for how in HOWS:
        for left, right in ((a, b), (a.iloc[:0], b), (a, b.iloc[:0]), (a.iloc[:0], b.iloc[:0])):
            got = merge(to_headwater(left), to_headwater(right), how=how, on="k")
            assert_frame_equal(got, left.merge(right, how=how, on="k"), check_dtype=False)


def test_lookup_null_slot_of_narrow_keys():
    # int8 keys up to 127: the null rows' slot (128) must not wrap onto a real key
    a = pd.DataFrame({"k": pd.array([127, None, 1], dtype="Int8"), "v": [1, 2, 3]})
    b = pd.DataFrame({"k": pd.array([127, 1], dtype="Int8"), "w": [1.0, 2.0]})
    for how in ("inner", "left", "right"):
        got = merge(to_headwater(a), to_headwater(b), how=how, on="k")
        assert_frame_equal(got, _reference(a, b, how, ["k"], ["k"]), check_dtype=False)


def test_lookup_all_null_keys():
    a = pd.DataFrame({"k": pd.array([None, None], dtype="Int64"), "v": [1, 2]})
    b = pd.DataFrame({"k": pd.array([1, None], dtype="Int64"), "w": [1.0, 2.0]})
    for how in HOWS:
        got = merge(to_headwater(a), to_headwater(b), on="k", how=how)
        assert_frame_equal(got, a.merge(b, on="k", how=how), check_dtype=False)
    assert len(merge(to_headwater(b), to_headwater(a), on="k", how="semi")) == 0


@pytest.mark.parametrize("how", HOWS + ["semi", "anti"])
@pytest.mark.parametrize("spread", _SPREADS)
@pytest.mark.parametrize("as_text", [False, True])
def test_lookup_repeated_keys_fall_back(how, spread, as_text):
    lkeys, rkeys = [3, 1, None, 2, 3, 7], [2, 3, 2, None, 1, 3, 3]
    left = pd.DataFrame({"k": _keyed(lkeys, spread, as_text), "v": np.arange(6)})
    right = pd.DataFrame({"k": _keyed(rkeys, spread, as_text), "w": np.arange(7) * 1.5})
    got = merge(to_headwater(left), to_headwater(right), how=how, on="k")
    assert_frame_equal(got, _reference_on_k(left, right, how), check_dtype=False)


@pytest.mark.parametrize("repeat", [False, True])
def test_lookup_table_filled_on_threads(repeat):
    # a build side past the threaded-scatter threshold; with a repeated key the threads race
    # for its slot, which must still be seen as a repeat (and fall back to match())
    rng = np.random.default_rng(8)
    n = (1 << 20) + 4099
    keys = rng.permutation(n) * 3 + 7
    if repeat:
        keys[n - 1] = keys[5]
    right = pd.DataFrame({"k": keys, "w": rng.random(n)})
    left = pd.DataFrame({"k": rng.integers(0, 3 * n, n // 2), "v": np.arange(n // 2)})
    for how in ("inner", "left"):
        got = merge(to_headwater(left), to_headwater(right), how=how, on="k")
        assert_frame_equal(got, left.merge(right, how=how, on="k"))
