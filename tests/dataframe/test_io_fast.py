"""The fast readers: what read_parquet and read_csv ask pyarrow to decode (columns,
filters, dictionaries), Hive-partitioned datasets both ways, lists of files, one device
copy per buffer, and the raw ``tpchgen-cli`` TPC-H files loading with their types and
answering as DuckDB does."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal
from headwater.dataframe.io import parquet as parquet_io
from headwater.dataframe.io import parquet_file
from headwater.dataframe.io.parquet_footer import DICTIONARY_MAX_RATIO, dictionary_encoded_columns


@pytest.fixture
def spy_read_table(monkeypatch):
    """The keyword arguments of each read: ``pq.read_table`` calls (datasets, filters) and
    the ``pq.ParquetFile`` that reads a single file (the one given ``read_dictionary``)."""
    calls = []
    real_read, real_file = pq.read_table, pq.ParquetFile

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_read(*args, **kwargs)

    class SpyFile(real_file):
        def __init__(self, *args, **kwargs):
            if "read_dictionary" in kwargs:
                calls.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(parquet_io.pq, "read_table", spy)
    monkeypatch.setattr(parquet_io.pq, "ParquetFile", SpyFile)
    return calls


def _mixed_file(path, row_group_size=250):
    n = 1000
    table = pa.table({
        "x": np.arange(n),
        "key": pa.array(["red", "green", None, "blue"] * (n // 4)),  # low cardinality
        "text": pa.array([f"free text number {i:06d} " * 3 for i in range(n)]),  # dictionary overflows
        "v": np.linspace(0, 1, n),
    })
    pq.write_table(table, path, row_group_size=row_group_size, dictionary_pagesize_limit=2000,
                   write_batch_size=10)
    return table


def test_dictionary_only_where_every_row_group_is_dictionary_encoded(tmp_path, spy_read_table):
    table = _mixed_file(tmp_path / "m.parquet")
    got = hw.read_parquet(tmp_path / "m.parquet")
    assert spy_read_table[-1]["read_dictionary"] == ["key"]
    assert_frame_equal(got, table.to_pandas())
    assert got["key"].value_counts().to_dict() == {"red": 250, "green": 250, "blue": 250}


def test_a_column_plain_in_one_file_is_read_plain(tmp_path, spy_read_table):
    pq.write_table(pa.table({"s": ["a", "b"] * 50}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"s": ["a", "b"] * 50}), tmp_path / "b.parquet", use_dictionary=False)
    got = hw.read_parquet([str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")])
    assert spy_read_table[-1]["read_dictionary"] is None
    assert got["s"].to_list() == ["a", "b"] * 100


def test_a_dictionary_of_mostly_distinct_values_is_read_plain(tmp_path):
    n = 1000
    table = pa.table({"name": [f"Customer#{i:09d}" for i in range(n)], "seg": ["A", "B", "C", "D"] * (n // 4)})
    pq.write_table(table, tmp_path / "c.parquet", row_group_size=250)  # both dictionary-encoded throughout
    with open(tmp_path / "c.parquet", "rb") as handle:
        assert dictionary_encoded_columns(handle, ["name", "seg"], max_ratio=float("inf")) == {"name", "seg"}
        assert dictionary_encoded_columns(handle, ["name", "seg"]) == {"seg"}
    got = hw.read_parquet(tmp_path / "c.parquet")
    assert got["name"]._column.layout == "plain" and got["seg"]._column.layout == "dictionary"
    assert got.to_arrow().equals(table)


@pytest.mark.parametrize("distinct,layout", [(50, "dictionary"), (51, "plain")])
def test_dictionary_size_rule_at_its_limit(tmp_path, distinct, layout):
    # at most DICTIONARY_MAX_RATIO (one half) dictionary entries per row stays a dictionary
    assert DICTIONARY_MAX_RATIO == 0.5
    values = [f"v{i % distinct}" for i in range(100)]
    pq.write_table(pa.table({"s": values}), tmp_path / "d.parquet")
    got = hw.read_parquet(tmp_path / "d.parquet")
    assert got["s"]._column.layout == layout and got["s"].to_list() == values


def test_dictionary_entries_add_up_over_row_groups(tmp_path):
    # 30 values in each of 4 row groups of 50 rows: 120 entries for 200 rows, more than half
    values = [f"v{i % 30}" for i in range(200)]
    pq.write_table(pa.table({"s": values}), tmp_path / "r.parquet", row_group_size=50)
    with open(tmp_path / "r.parquet", "rb") as handle:
        assert dictionary_encoded_columns(handle, ["s"], max_ratio=0.6) == {"s"}
        assert dictionary_encoded_columns(handle, ["s"], max_ratio=0.55) == set()


@pytest.fixture
def task_path(monkeypatch):
    """Small files decoded as large ones are: in tasks on two workers, big columns split."""
    monkeypatch.setattr(parquet_file, "INLINE_BYTES", 0)
    monkeypatch.setattr(parquet_file, "num_threads", lambda: 2)


def _every_kind(n):
    rng = np.random.default_rng(0)
    ints = pa.array([None if i % 11 == 0 else i for i in range(n)], pa.int64())
    return pa.table({
        "i": ints,
        "f": rng.standard_normal(n),
        "b": pa.array([None if i % 5 == 0 else i % 2 == 0 for i in range(n)]),
        "d": pa.array([None if i % 9 == 0 else D(i) / 100 for i in range(n)], pa.decimal128(12, 2)),
        "day": pa.array([None if i % 4 == 0 else dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(n)],
                        pa.date32()),
        "ts": pa.array(np.arange(n) * 10**9, pa.timestamp("ns", "UTC")),
        "k": pa.array([None if i % 13 == 0 else "abc"[i % 3] for i in range(n)], pa.string_view()),
        "text": pa.array([None if i % 7 == 0 else f"é{i} " * (i % 40) for i in range(n)], pa.string_view()),
        "big": pa.array([f"{i:08d} free text, long enough to be most of the file " * 4 for i in range(n)],
                        pa.large_string()),
        "lst": pa.array([[i, i + 1] if i % 3 else None for i in range(n)], pa.list_(pa.int32())),
    })


def test_columns_decoded_in_tasks_are_exact(tmp_path, task_path):
    table = _every_kind(3000)
    pq.write_table(table, tmp_path / "e.parquet", row_group_size=200, use_dictionary=["k"])
    meta = pq.ParquetFile(tmp_path / "e.parquet").metadata
    sizes = parquet_file._column_bytes(meta, table.schema, table.column_names)
    pieces = parquet_file._pieces(meta, table.column_names, sizes, 2)
    assert len(pieces["big"]) > 1 and pieces["i"] == [None]  # the big column is split in runs of row groups
    got = hw.read_parquet(tmp_path / "e.parquet")
    assert got.to_arrow().equals(table)
    assert got["k"]._column.layout == "dictionary" and got["text"]._column.layout == "plain"
    picked = hw.read_parquet(tmp_path / "e.parquet", columns=["big", "d", "k"])
    assert picked.columns == ["big", "d", "k"]
    assert picked.to_arrow().equals(table.select(["big", "d", "k"]))


def test_an_error_in_a_task_reaches_the_caller(tmp_path, task_path):
    wide = pa.array([D("1" * 30)] * 500 + [None], pa.decimal128(38, 0))
    pq.write_table(pa.table({"x": np.arange(501), "w": wide}), tmp_path / "w.parquet", row_group_size=100)
    with pytest.raises(hw.DtypeError, match="'w'.*decimal='float'"):
        hw.read_parquet(tmp_path / "w.parquet")
    assert hw.read_parquet(tmp_path / "w.parquet", decimal="float")["w"].notna().sum() == 500


def test_columns_and_filters_are_pushed_into_the_reader(tmp_path, spy_read_table):
    table = _mixed_file(tmp_path / "m.parquet")
    got = hw.read_parquet(tmp_path / "m.parquet", columns=["v", "key"], filters=[("x", ">=", 740)])
    assert spy_read_table[-1]["columns"] == ["v", "key"]
    assert spy_read_table[-1]["filters"] == [("x", ">=", 740)]
    want = table.to_pandas().query("x >= 740")[["v", "key"]]
    assert_frame_equal(got, want.reset_index(drop=True))
    either = hw.read_parquet(tmp_path / "m.parquet", columns=["x"],
                             filters=[[("x", "<", 2)], [("x", ">", 997)]])
    assert either["x"].to_list() == [0, 1, 998, 999]
    with pytest.raises(KeyError, match="nope"):
        hw.read_parquet(tmp_path / "m.parquet", columns=["nope"])


def test_filters_skip_row_groups_by_their_statistics(tmp_path):
    _mixed_file(tmp_path / "m.parquet")
    source = pq.ParquetFile(tmp_path / "m.parquet")
    assert source.metadata.num_row_groups == 4
    got = hw.read_parquet(tmp_path / "m.parquet", filters=[("x", "<", 10)])
    assert len(got) == 10  # the reader filters rows too, not only row groups


def test_hive_partitions_written_and_read_as_pandas_does(tmp_path):
    pdf = pd.DataFrame({"y": [2020, 2021, 2020, 2022] * 5, "m": ["a", "b"] * 10,
                        "v": np.arange(20.0), "s": [None, "u", "w", "u"] * 5})
    hw.DataFrame(pdf).to_parquet(tmp_path / "ds", partition_cols=["y", "m"])
    assert sorted(p.name for p in (tmp_path / "ds").iterdir()) == ["y=2020", "y=2021", "y=2022"]
    got = hw.read_parquet(tmp_path / "ds").sort_values("v")
    want = pd.read_parquet(tmp_path / "ds").sort_values("v")
    assert got.columns == list(want.columns)
    assert got["v"].to_list() == want["v"].tolist()
    assert got["s"].to_list() == [None if pd.isna(x) else x for x in want["s"]]
    assert got["y"].to_list() == want["y"].astype(int).tolist()
    assert got["m"].to_list() == want["m"].astype(str).tolist()
    only = hw.read_parquet(tmp_path / "ds", filters=[("y", "=", 2021)])
    assert sorted(only["v"].to_list()) == pdf.loc[pdf.y == 2021, "v"].tolist()
    with pytest.raises(KeyError, match="partition_cols"):
        hw.DataFrame(pdf).to_parquet(tmp_path / "bad", partition_cols=["zz"])


def test_one_upload_per_buffer(tmp_path):
    pq.write_table(pa.table({"i": np.arange(500), "d": pa.array([D("1.25")] * 500, pa.decimal128(9, 2)),
                             "t": pa.array([dt.date(2024, 1, 1)] * 500, pa.date32())}),
                   tmp_path / "u.parquet")
    hw.reset_transfer_stats()
    got = hw.read_parquet(tmp_path / "u.parquet")
    assert hw.transfer_stats().to_device_calls == 3  # no nulls: one data buffer each
    assert got["d"].sum() == D("625.00")


def test_one_file_reads_each_column_as_one_array(tmp_path):
    n = 2000
    table = pa.table({"i": np.arange(n), "t": pa.array([f"row {i} é" if i % 7 else None for i in range(n)],
                                                       pa.string_view()),
                      "k": pa.array(["a", "b"] * (n // 2), pa.string_view())})
    pq.write_table(table, tmp_path / "v.parquet", row_group_size=300, use_dictionary=["k"])
    assert pq.ParquetFile(tmp_path / "v.parquet").metadata.num_row_groups == 7
    got = hw.read_parquet(tmp_path / "v.parquet")
    col = got["t"]._column
    assert col.layout == "plain" and col.offsets.dtype == np.int32  # string_view decoded to offsets
    assert got["k"]._column.layout == "dictionary"
    assert got.to_arrow().equals(table)  # the file's types back, string_view included


def test_buffers_inside_the_mapped_file_are_copied(tmp_path):
    # an Arrow IPC file read from a memory map points into the map, as a Parquet column
    # never does: what read_parquet would copy
    table = pa.table({"i": np.arange(100), "s": pa.array(["ab", "c"] * 50).dictionary_encode(),
                      "l": pa.array([[1, 2]] * 100), "st": pa.array([{"a": 1}] * 100)})
    with pa.OSFile(str(tmp_path / "x.arrow"), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    with pa.memory_map(str(tmp_path / "x.arrow")) as mapped:
        start, size = mapped.read_buffer(1).address, mapped.size()
        mapped.seek(0)
        mapped_table = pa.ipc.open_file(mapped).read_all()

        def addresses(arr):
            out = [b.address for b in arr.buffers() if b is not None]
            return out + [a for child in parquet_file._children(arr) for a in addresses(child)]

        def inside(t):
            return sum(start <= a < start + size for c in t.columns for ch in c.chunks for a in addresses(ch))

        assert inside(mapped_table) > 0
        detached = parquet_file._detached(mapped_table, (start, size))
        assert inside(detached) == 0 and detached.equals(table)


def test_read_csv_pushes_the_selected_columns(tmp_path, monkeypatch):
    import pyarrow.csv as pacsv

    from headwater.dataframe.io import csv as csv_io

    path = tmp_path / "c.csv"
    path.write_text("a,b,c\n1,x,2.5\n2,y,\n")
    seen = []
    real = pacsv.read_csv

    def spy(*args, **kwargs):
        seen.append(kwargs["convert_options"].include_columns)
        return real(*args, **kwargs)

    monkeypatch.setattr(csv_io.pacsv, "read_csv", spy)
    got = hw.read_csv(path, usecols=["c", "a"])
    assert seen[-1] == ["a", "c"]
    assert_frame_equal(got, pd.read_csv(path, usecols=["c", "a"]))
    with pytest.raises(ValueError, match="Usecols"):
        hw.read_csv(path, usecols=["a", "zz"])


# -- the raw TPC-H files ------------------------------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

# q11, q14 and q17 multiply or divide a column's exact decimal total by a Python float:
# the total is a DecimalScalar, which gives a float there (decimal with float -> float64).
# Scale factor 0.02, as in tests/benchmarks/test_tpch.py: every query selects rows there (at
# 0.01 q17 selects none, and SQL's sum of no rows is NULL where pandas' is 0)
RAW_QUERIES = list(range(1, 23))


@pytest.fixture(scope="module")
def raw_tpch(tmp_path_factory):
    pytest.importorskip("duckdb")
    from tpch import data

    exe = shutil.which("tpchgen-cli") or str(Path(sys.executable).with_name("tpchgen-cli"))
    if not Path(exe).exists():
        pytest.skip("tpchgen-cli is not installed")
    directory = tmp_path_factory.mktemp("tpch-raw")
    subprocess.run([exe, "parquet", "-s", "0.02", f"--output-dir={directory}"], check=True,
                   capture_output=True)
    return directory, data.load_raw(directory, "headwater"), data.load_raw(directory, "duckdb")["__con__"]


def test_raw_tpch_files_load_with_their_types(raw_tpch):
    directory, tables, _ = raw_tpch
    li = tables["lineitem"]
    assert li.dtypes["l_extendedprice"] == "decimal(15, 2)"
    assert li.dtypes["l_shipdate"] == np.dtype("datetime64[ns]")
    assert li.dtypes["l_comment"] == "str" and li.dtypes["l_orderkey"] == np.int64
    raw = pq.read_table(directory / "lineitem.parquet")
    back = li.to_arrow()
    for name in ("l_extendedprice", "l_shipdate", "l_linenumber"):
        assert back.schema.field(name).type == raw.schema.field(name).type
        assert back.column(name).equals(raw.column(name))
    assert back.column("l_comment").to_pylist() == raw.column("l_comment").to_pylist()
    assert {t: len(f) for t, f in tables.items()} == {
        t: pq.ParquetFile(directory / f"{t}.parquet").metadata.num_rows for t in tables}


@pytest.mark.parametrize("q", RAW_QUERIES)
def test_raw_tpch_queries_match_duckdb(raw_tpch, q):
    from tpch import check, queries_pandas, queries_sql

    _, tables, con = raw_tpch
    reference = con.sql(queries_sql.SQL[q]).df()
    answer = queries_pandas.QUERIES[q](tables, hw)
    assert check.compare(answer, reference, q) == []


def test_read_csv_text_of_every_cardinality(tmp_path):
    n = 3000
    pdf = pd.DataFrame({"low": ["a", "b", None] * (n // 3), "high": [f"id-{i}" for i in range(n)],
                        "x": np.arange(n)})
    pdf.to_csv(tmp_path / "t.csv", index=False)
    got = hw.read_csv(tmp_path / "t.csv")
    assert got.dtypes["low"] == "str" and got.dtypes["high"] == "str"
    assert got["low"].to_list() == [None if pd.isna(v) else v for v in pdf["low"]]
    assert got["high"].to_list() == pdf["high"].tolist()
    assert got["low"].value_counts().to_dict() == {"a": 1000, "b": 1000}
    assert hw.read_csv(tmp_path / "t.csv", dtype={"low": "category"})["low"].dtype == "category"
