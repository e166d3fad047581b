"""read_csv's pandas options (usecols, dtype, parse_dates, nrows, skiprows, names) and
read_json vs pandas on the same files."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal

TEXT = "# comment\nid,a,b,when\n1,1.5,x,2024-01-01\n2,,y,2024-01-02\n3,3.5,,2024-01-03\n4,4.5,w,2024-01-04\n"


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text(TEXT)
    return p


@pytest.mark.parametrize("kw", [
    {"skiprows": 1}, {"skiprows": 1, "usecols": ["b", "a"]}, {"skiprows": 1, "usecols": [0, 2]},
    {"skiprows": 1, "nrows": 2}, {"skiprows": [0, 3]}, {"skiprows": [0, 2, 4], "nrows": 1},
    {"skiprows": 1, "dtype": {"id": "float64", "b": "str"}}, {"skiprows": 1, "parse_dates": ["when"]},
    {"skiprows": 2, "header": None}, {"skiprows": 2, "names": ["i", "x", "y", "z"]},
    {"skiprows": 1, "usecols": lambda c: c != "a"}, {"skiprows": 1, "na_values": ["x"]},
    {"skiprows": 1, "keep_default_na": False, "usecols": ["b"]},
])
def test_read_csv_options_match_pandas(path, kw):
    want = pd.read_csv(path, **kw)
    want.columns = [str(c) for c in want.columns]
    if "when" in want.columns and want["when"].dtype.kind == "M":
        want["when"] = want["when"].dt.as_unit("ns")
    got = hw.read_csv(path, **kw)
    for name in got.columns:  # pyarrow recognises ISO dates without parse_dates (a documented difference)
        if got[name].dtype.kind == "M" and "parse_dates" not in kw:
            got[name] = got[name].dt.strftime("%Y-%m-%d")
    assert_frame_equal(got, want)


def test_read_csv_errors(path):
    with pytest.raises(ValueError, match="Usecols"):
        hw.read_csv(path, skiprows=1, usecols=["nope"])
    with pytest.raises(TypeError):
        hw.read_csv(path, chunksize=10)
    with pytest.raises(NotImplementedError, match="function"):
        hw.read_csv(path, skiprows=lambda i: i == 0)


def test_read_json_matches_pandas():
    records = '[{"a": 1, "b": "x", "t": "2024-01-01"}, {"a": null, "b": null, "t": "2024-01-02"}]'
    assert_frame_equal(hw.read_json(io.StringIO(records)), pd.read_json(io.StringIO(records)))
    lines = '{"a": 1.5, "s": "p"}\n{"a": 2.5, "s": "q"}\n'
    assert_frame_equal(hw.read_json(io.StringIO(lines), lines=True), pd.read_json(io.StringIO(lines), lines=True))
    columns = '{"a": {"0": 1, "1": 2}, "b": {"0": "x", "1": "y"}}'
    assert_frame_equal(hw.read_json(io.StringIO(columns)), pd.read_json(io.StringIO(columns)))


def test_to_csv_matches_pandas(tmp_path):
    p = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "s": ["x", None, "z,w"], "f": [0.5, 1.25, None],
                      "t": pd.to_datetime(["2024-01-01", "2024-01-02 10:00", None], format="mixed").as_unit("ns")})
    h = hw.DataFrame(p)
    for kw in [{"index": False}, {}, {"index": False, "sep": ";", "na_rep": "NA"}, {"columns": ["s", "a"]},
               {"index": False, "header": False, "float_format": "%.1f"}]:
        assert h.to_csv(**kw) == p.to_csv(**kw)
    h.to_csv(tmp_path / "out.csv", index=False)
    assert (tmp_path / "out.csv").read_text() == p.to_csv(index=False)
    keyed = h.set_index("s")
    assert keyed.to_csv() == p.set_index("s").to_csv()
    with pytest.raises(ValueError, match="index=False"):
        h[h["f"] > 1].to_csv()
    assert h[h["f"] > 1].to_csv(index=False) == p[p["f"] > 1].to_csv(index=False)


def test_read_csv_index_col(path):
    want = pd.read_csv(path, skiprows=1, index_col="id")
    got = hw.read_csv(path, skiprows=1, index_col="id")
    assert got.index.tolist() == want.index.tolist()
    assert got.reset_index().columns == list(want.reset_index().columns)
    assert hw.read_csv(path, skiprows=1, index_col=0).index.tolist() == want.index.tolist()
