"""The 22 TPC-H queries, written in idiomatic pandas, give DuckDB's answers on Headwater.

Scale factor 0.02 (about 120,000 lineitem rows): seconds, and every query returns
rows. The same pandas code also runs on pandas here, so a wrong reference or a wrong
query shows up as a pandas failure rather than a Headwater one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("duckdb")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from tpch import check, data, queries_pandas, queries_sql  # noqa: E402

import headwater as hw  # noqa: E402

SF = 0.02


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    try:
        directory = data.generate(SF, tmp_path_factory.mktemp("tpch"))
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    arrow = data.load_arrow(directory)
    con = data.to_engine(arrow, "duckdb")["__con__"]
    return {
        "arrow": arrow,
        "reference": {q: con.sql(queries_sql.SQL[q]).df() for q in queries_pandas.QUERIES},
        "pandas": data.to_engine(arrow, "pandas"),
        "headwater": data.to_engine(arrow, "headwater"),
    }


@pytest.mark.parametrize("q", list(queries_pandas.QUERIES))
def test_pandas_code_matches_duckdb_on_pandas(tables, q):
    answer = queries_pandas.QUERIES[q](tables["pandas"], pd)
    assert check.compare(answer, tables["reference"][q], q) == []


@pytest.mark.parametrize("q", list(queries_pandas.QUERIES))
def test_pandas_code_matches_duckdb_on_headwater(tables, q):
    answer = queries_pandas.QUERIES[q](tables["headwater"], hw)
    assert isinstance(answer, hw.DataFrame)
    assert check.compare(answer, tables["reference"][q], q) == []
