"""``Series.cat`` methods that change the categories, against pandas (nulls included)."""

from __future__ import annotations

import pandas as pd
import pytest

import headwater as hw

VALUES = ["b", "a", None, "c", "a"]


def both():
    return (hw.Series(VALUES).astype(hw.CategoricalDtype(["a", "b", "c"])),
            pd.Series(VALUES).astype(pd.CategoricalDtype(["a", "b", "c"])))


def same(got, want):
    assert got.cat.categories == list(want.cat.categories)
    assert got.cat.ordered == want.cat.ordered
    assert got.to_list() == [None if pd.isna(v) else v for v in want.tolist()]
    assert got.cat.codes.to_list() == want.cat.codes.tolist()


@pytest.mark.parametrize("call", [
    lambda s: s.cat.rename_categories({"a": "A"}),
    lambda s: s.cat.rename_categories(["x", "y", "z"]),
    lambda s: s.cat.rename_categories(str.upper),
    lambda s: s.cat.add_categories(["d"]),
    lambda s: s.cat.remove_categories(["b"]),
    lambda s: s.cat.remove_categories("c"),
    lambda s: s.cat.set_categories(["c", "a", "z"]),
    lambda s: s.cat.set_categories(["p", "q"], rename=True),
    lambda s: s.cat.set_categories(["c", "b", "a"], ordered=True),
    lambda s: s.cat.reorder_categories(["c", "b", "a"], ordered=True),
    lambda s: s.cat.as_ordered(),
    lambda s: s.cat.as_ordered().cat.as_unordered(),
    lambda s: s.cat.add_categories("zz").cat.remove_unused_categories(),
    lambda s: s.iloc[[0, 2]].cat.remove_unused_categories(),
])
def test_category_methods_match_pandas(call):
    ours, theirs = both()
    same(call(ours), call(theirs))


def test_ordered_after_reorder_compares_and_sorts_by_the_new_order():
    ours, theirs = both()
    o = ours.cat.reorder_categories(["c", "b", "a"], ordered=True)
    t = theirs.cat.reorder_categories(["c", "b", "a"], ordered=True)
    assert (o > "b").to_list() == (t > "b").tolist()  # a missing value compares False, as pandas
    assert o.sort_values().to_list() == [None if pd.isna(v) else v for v in t.sort_values().tolist()]


def test_bad_category_changes_raise():
    ours, _ = both()
    with pytest.raises(ValueError, match="already categories"):
        ours.cat.add_categories(["a"])
    with pytest.raises(ValueError, match="are not categories"):
        ours.cat.remove_categories(["zz"])
    with pytest.raises(ValueError, match="same categories"):
        ours.cat.reorder_categories(["a", "b"])
    with pytest.raises(ValueError, match="3 categories"):
        ours.cat.rename_categories(["x"])
