"""read_parquet, read_csv and to_parquet: partitions per file or row-group span, filters, schema errors."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import headwater as hw
import headwater.dask as hwd
from tests.dask.dask_data import make_pandas, sort_pandas
from tests.dataframe.helpers import assert_frame_equal


@pytest.fixture
def parquet_dir(tmp_path) -> tuple[str, pd.DataFrame]:
    frames = [make_pandas(60, seed=i) for i in range(4)]
    for i, f in enumerate(frames):
        pq.write_table(pa.Table.from_pandas(f, preserve_index=False), tmp_path / f"part{i}.parquet",
                       row_group_size=20)
    return str(tmp_path), pd.concat(frames, ignore_index=True)


def test_read_parquet_glob_list_dir(compute, parquet_dir):
    folder, pdf = parquet_dir
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
    for source in (os.path.join(folder, "*.parquet"), files, folder):
        d = hwd.read_parquet(source)
        assert d.npartitions == 4
        got = compute(d)
        assert_frame_equal(got, pdf)
        assert_frame_equal(got, hw.read_parquet(files).to_pandas())


def test_read_parquet_columns_filters_row_groups(compute, parquet_dir):
    folder, pdf = parquet_dir
    d = hwd.read_parquet(os.path.join(folder, "*.parquet"), columns=["i", "s"], split_row_groups=1)
    assert d.npartitions == 12 and d.columns == ["i", "s"]
    assert_frame_equal(compute(d), pdf[["i", "s"]])
    spans = hwd.read_parquet(folder, split_row_groups=2)
    assert spans.npartitions == 8
    assert_frame_equal(compute(spans), pdf)
    filters = [("i", ">", 10), ("s", "in", ["ab", "c"])]
    got = compute(hwd.read_parquet(folder, filters=filters, split_row_groups=1))
    want = pdf[(pdf["i"] > 10) & pdf["s"].isin(["ab", "c"])]
    assert_frame_equal(got, want)
    assert_frame_equal(got, hw.read_parquet(folder, filters=filters).to_pandas())


def test_row_group_statistics_prune_partitions(tmp_path):
    table = pa.table({"x": np.arange(100), "y": np.arange(100) * 0.5})
    pq.write_table(table, tmp_path / "a.parquet", row_group_size=10)
    d = hwd.read_parquet(str(tmp_path / "a.parquet"), filters=[("x", ">=", 75)], split_row_groups=1)
    assert d.npartitions == 3  # row groups 70-79, 80-89, 90-99
    assert d.compute()["x"].tolist() == list(range(75, 100))


def test_to_parquet_roundtrip_and_partition_cols(compute, tmp_path, pdf, hdf):
    d = hwd.from_headwater(hdf, npartitions=3)
    plain = tmp_path / "plain"
    result = d.to_parquet(str(plain), compute=False)
    compute(result)
    assert sorted(os.listdir(plain)) == ["part.0.parquet", "part.1.parquet", "part.2.parquet"]
    assert_frame_equal(compute(hwd.read_parquet(str(plain))), pdf)
    hive = tmp_path / "hive"
    d[d["s"].notna()].to_parquet(str(hive), partition_cols=["s"])
    assert sorted(os.listdir(hive)) == ["s=ab", "s=c", "s=de", "s=f"]
    back = hwd.read_parquet(str(hive))
    assert back.columns == ["k", "f", "i", "b", "s"]
    cols = ["k", "f", "i", "b", "s"]
    want = sort_pandas(pdf[pdf["s"].notna()][cols], ["i", "f", "s"])
    assert_frame_equal(sort_pandas(compute(back).to_pandas(), ["i", "f", "s"]), want)
    only = compute(hwd.read_parquet(str(hive), filters=[("s", "=", "c")], columns=["i", "s"]))
    assert_frame_equal(only, pdf[pdf["s"] == "c"][["i", "s"]])


def test_differing_schemas_name_file_and_column(tmp_path):
    pq.write_table(pa.table({"a": [1, 2], "b": ["x", "y"]}), tmp_path / "0.parquet")
    pq.write_table(pa.table({"a": ["1", "2"], "b": ["x", "y"]}), tmp_path / "1.parquet")
    pq.write_table(pa.table({"b": ["x"]}), tmp_path / "2.parquet")
    with pytest.raises(hwd.SchemaMismatchError, match=r"1\.parquet: column 'a' is string, but .*0\.parquet has it as int64"):
        hwd.read_parquet(str(tmp_path / "*.parquet"))
    with pytest.raises(hwd.SchemaMismatchError, match=r"2\.parquet: has no column 'a'"):
        hwd.read_parquet([str(tmp_path / "0.parquet"), str(tmp_path / "2.parquet")])
    ok = hwd.read_parquet(str(tmp_path / "*.parquet"), columns=["b"])
    assert ok.compute()["b"].tolist() == ["x", "y", "x", "y", "x"]
    with pytest.raises(FileNotFoundError, match="no Parquet files"):
        hwd.read_parquet(str(tmp_path / "*.nothing"))


def test_read_csv(compute, tmp_path):
    frames = [make_pandas(30, seed=i)[["k", "s", "f", "i"]] for i in range(3)]
    for i, f in enumerate(frames):
        f.to_csv(tmp_path / f"{i}.csv", index=False)
    d = hwd.read_csv(str(tmp_path / "*.csv"))
    assert d.npartitions == 3
    want = pd.concat([pd.read_csv(tmp_path / f"{i}.csv") for i in range(3)], ignore_index=True)
    assert_frame_equal(compute(d), want, check_dtype=False)  # Headwater reads int columns with nulls as int
    single = hw.concat([hw.read_csv(str(tmp_path / f"{i}.csv")) for i in range(3)], ignore_index=True)
    assert_frame_equal(compute(d), single.to_pandas())
    pd.DataFrame({"k": [1], "other": [2]}).to_csv(tmp_path / "9.csv", index=False)
    bad = hwd.read_csv(str(tmp_path / "*.csv"))
    with pytest.raises(hwd.SchemaMismatchError, match=r"9\.csv: has no column 's'"):
        compute(bad)
    with pytest.raises(NotImplementedError, match="nrows"):
        hwd.read_csv(str(tmp_path / "*.csv"), nrows=3)
