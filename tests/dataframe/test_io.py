"""read_csv / read_parquet / to_parquet / to_csv vs pandas.

Edge cases: nulls and empty fields, na_values, sep, header=None, dtype and parse_dates,
column selection, Parquet directories, lists and filters, malformed files (the error
names the file and row), zero-row files, one upload per buffer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal

CSV = "a,b,c,d\n1,x,2024-01-01,1.5\n,y,2024-01-02,\n3,,2024-01-03,-inf\n4,NA,,nan\n"


@pytest.fixture
def csv_path(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(CSV)
    return path


def test_read_csv_matches_pandas(csv_path):
    want = pd.read_csv(csv_path, parse_dates=["c"], dtype_backend="numpy_nullable")
    want["c"] = want["c"].astype("datetime64[ns]")
    got = hw.read_csv(csv_path, parse_dates=["c"])
    assert_frame_equal(got, want)


def test_read_csv_options(tmp_path, csv_path):
    got = hw.read_csv(csv_path, columns=["a", "b"], dtype={"a": "float32"}, na_values=["x"])
    assert got.columns == ["a", "b"] and got.dtypes["a"] == np.float32
    assert got["b"].to_list() == [None, "y", None, None]
    semi = tmp_path / "semi.csv"
    semi.write_text("1;2\n3;4\n")
    assert hw.read_csv(semi, sep=";", header=None).to_dict() == {"0": [1, 3], "1": [2, 4]}
    assert hw.read_csv(csv_path, dtype={"b": "category"})["b"].dtype == "category"


def test_malformed_csv_names_file_and_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(hw.ReadError, match="bad.csv.*line 3"):
        hw.read_csv(bad)


def test_parquet_round_trip_every_family(tmp_path, mixed_pandas):
    df = hw.DataFrame(mixed_pandas)
    path = tmp_path / "m.parquet"
    df.to_parquet(path)
    back = hw.read_parquet(path)
    assert_frame_equal(back, mixed_pandas)
    fixed = ["i", "f", "b", "s", "t"]  # Parquet gives dictionaries back as string, not large_string
    assert back.to_arrow().select(fixed).schema.equals(df.to_arrow().select(fixed).schema)


def test_parquet_directory_list_columns_filters(tmp_path):
    for k in range(3):
        hw.DataFrame({"k": [k] * 4, "s": ["a", "b", "a", None], "v": np.arange(4.0)}).to_parquet(tmp_path / f"p{k}.parquet")
    files = sorted(str(p) for p in tmp_path.glob("*.parquet"))
    assert len(hw.read_parquet(tmp_path)) == 12
    assert len(hw.read_parquet(files[:2])) == 8
    got = hw.read_parquet(tmp_path, columns=["k", "s"], filters=[("k", ">=", 1)])
    assert got.columns == ["k", "s"] and sorted(set(got["k"].to_list())) == [1, 2]
    assert got["s"].to_list()[:4] == ["a", "b", "a", None]


def test_parquet_written_by_pandas(tmp_path):
    pdf = pd.DataFrame({"a": [1, 2], "s": ["x", None]}, index=[5, 6])
    pdf.to_parquet(tmp_path / "p.parquet")
    got = hw.read_parquet(tmp_path / "p.parquet")
    assert_frame_equal(got, pdf.reset_index(drop=True))


def test_malformed_parquet_names_file(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(hw.ReadError, match="bad.parquet"):
        hw.read_parquet(bad)


def test_zero_rows(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("a,b\n")
    assert hw.read_csv(path).shape == (0, 2)
    hw.DataFrame({"a": pd.Series([], dtype="int64")}).to_parquet(tmp_path / "e.parquet")
    assert hw.read_parquet(tmp_path / "e.parquet").shape == (0, 1)


def test_to_csv_round_trip(tmp_path):
    df = hw.DataFrame({"a": [1, None], "s": ["x", ""], "c": pd.Categorical(["u", "v"])})
    text = df.to_csv(index=False)  # pandas' text, written by pandas
    assert text == df.to_pandas().to_csv(index=False) and text.splitlines()[0] == "a,s,c"
    df.to_csv(tmp_path / "o.csv", index=False)
    assert hw.read_csv(tmp_path / "o.csv")["a"].to_list() == [1, None]


def test_read_parquet_uploads_once_per_buffer(tmp_path):
    hw.DataFrame({"a": np.arange(1000), "s": ["x", "y"] * 500}).to_parquet(tmp_path / "u.parquet")
    hw.reset_transfer_stats()
    hw.read_parquet(tmp_path / "u.parquet")
    assert hw.transfer_stats().to_device_calls == 2
