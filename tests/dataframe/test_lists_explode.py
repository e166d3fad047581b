"""List columns (from Arrow, Python lists, str.split, str.findall) and explode vs pandas."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal

TAGS = [["x", "y"], [], None, ["z"], ["x", "x", "w"]]


def test_list_column_round_trips_and_filters():
    s = hw.Series(TAGS, name="t")
    assert s.to_list() == TAGS
    assert str(s.dtype) == "list<string>"
    assert s[s.str.len() > 1].to_list() == [["x", "y"], ["x", "x", "w"]]
    assert hw.from_arrow(pa.table({"l": pa.array([[1, 2], None], pa.large_list(pa.int64()))}))["l"].to_list() == [[1, 2], None]
    assert s.to_arrow().to_pylist() == TAGS
    with pytest.raises(TypeError, match="explode it first"):
        hw.DataFrame({"t": TAGS}).groupby("t").size()


@pytest.mark.parametrize("ignore_index", [False, True])
def test_explode_matches_pandas(ignore_index):
    p = pd.DataFrame({"k": [1, 2, 3, 4, 5], "t": TAGS, "n": [[1, 2], [], None, [3], [4, 5, 6]]})
    h = hw.DataFrame(p)
    want = p.explode("t", ignore_index=ignore_index).reset_index(drop=True)
    got = h.explode("t", ignore_index=ignore_index)
    assert_frame_equal(got[["k", "t"]], want[["k", "t"]])
    both = p.explode(["t", "n"]).reset_index(drop=True)
    got_both = h.explode(["t", "n"])
    assert_frame_equal(got_both[["k", "t"]], both[["k", "t"]])
    assert got_both["n"].to_list() == [None if pd.isna(v) else v for v in both["n"]]
    assert_series_equal(hw.Series(p["t"]).explode(), p["t"].explode().reset_index(drop=True))
    with pytest.raises(ValueError, match="matching element counts"):
        hw.DataFrame({"a": [[1, 2]], "b": [[1]]}).explode(["a", "b"])
    with pytest.raises(TypeError, match="list column"):
        h.explode("k")


def test_split_and_findall_give_lists():
    p = pd.Series(["a,b,c", None, "", "d", "e,f"], dtype="string", name="s")
    h = hw.Series(p)
    parts = h.str.split(",")
    assert parts.to_list() == [None if v is pd.NA else v for v in p.str.split(",")]
    for i in (0, 1, -1, 5):
        assert_series_equal(parts.str[i], p.str.split(",").str[i], check_dtype=False)
    assert_series_equal(parts.str.len(), p.str.split(",").str.len(), check_dtype=False)
    assert_series_equal(parts.str.join("+"), p.str.split(",").str.join("+"))
    assert parts.str.slice(0, 2).to_list() == [None if v is pd.NA else v[:2] for v in p.str.split(",")]
    assert_series_equal(h.str.split(",").explode(), p.str.split(",").explode().reset_index(drop=True),
                        check_dtype=False)
    found = h.str.findall(r"[a-e]")
    assert found.str.len().to_list() == [3, None, 0, 1, 1]
    with pytest.raises(TypeError, match="needs a str column"):
        parts.str.upper()
