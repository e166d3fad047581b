"""Construction and interop: dict, records, pandas, Arrow, NumPy; to_pandas/arrow/dict/numpy.

Edge cases: zero rows, all-null columns, NaN and inf, empty strings, integer bounds,
scalars broadcast, length mismatches (nothing mutated on error).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal


def test_round_trip_through_pandas_keeps_every_family(mixed_pandas):
    df = hw.DataFrame(mixed_pandas)
    assert df.shape == (6, 6)
    assert [str(d) for d in df.dtypes] == ["int64", "float64", "bool", "str", "datetime64[ns]", "category"]
    assert_frame_equal(df, mixed_pandas)


def test_round_trip_through_arrow_is_exact(mixed_pandas):
    table = pa.Table.from_pandas(mixed_pandas, preserve_index=False)
    assert hw.from_arrow(table).to_arrow().select(["i", "b", "s"]).equals(table.select(["i", "b", "s"]))


def test_dict_list_of_dicts_and_scalars():
    df = hw.DataFrame({"a": [1, 2, 3], "b": "x", "c": 1.5})
    assert df.to_dict() == {"a": [1, 2, 3], "b": ["x", "x", "x"], "c": [1.5, 1.5, 1.5]}
    recs = hw.DataFrame([{"a": 1, "b": "x"}, {"a": None, "c": True}])
    assert recs.to_dict() == {"a": [1, None], "b": ["x", None], "c": [None, True]}
    assert recs.to_dict("records")[0] == {"a": 1, "b": "x", "c": None}


def test_numpy_2d_and_columns_argument():
    df = hw.DataFrame(np.arange(6).reshape(3, 2), columns=["x", "y"])
    assert df.to_dict() == {"x": [0, 2, 4], "y": [1, 3, 5]}
    assert hw.DataFrame({"a": [1], "b": [2]}, columns=["b"]).columns == ["b"]


def test_zero_rows_and_empty_frame():
    df = hw.DataFrame({"a": pd.Series([], dtype="int64"), "s": pd.Series([], dtype="str")})
    assert df.shape == (0, 2)
    assert_frame_equal(df, pd.DataFrame({"a": pd.Series([], dtype="int64"), "s": pd.Series([], dtype="str")}))
    assert hw.DataFrame().shape == (0, 0)
    assert "Empty DataFrame" in repr(hw.DataFrame())


def test_all_null_nan_inf_and_integer_bounds():
    big = np.iinfo(np.int64)
    pdf = pd.DataFrame({
        "nulls": pd.array([None, None], dtype="Int64"),
        "inf": [np.inf, -np.inf],
        "nan": [np.nan, 1.0],
        "bounds": [big.min, big.max],
        "u": np.array([0, np.iinfo(np.uint64).max], dtype=np.uint64),
        "empty": ["", ""],
    })
    df = hw.DataFrame(pdf)
    assert_frame_equal(df, pdf)
    assert df["nan"].null_count == 1 and df["inf"].null_count == 0


def test_length_mismatch_names_columns_and_leaves_frame_unchanged():
    with pytest.raises(hw.LengthMismatchError, match="'a': 2.*'b': 3"):
        hw.DataFrame({"a": [1, 2], "b": [1, 2, 3]})
    df = hw.DataFrame({"a": [1, 2]})
    with pytest.raises(hw.LengthMismatchError, match="'c'.*3 values.*2 rows"):
        df["c"] = [1, 2, 3]
    assert df.columns == ["a"]


def test_series_construction_and_conversion():
    s = hw.Series([1.5, None, np.inf], name="x")
    assert s.name == "x" and s.dtype == np.float64 and len(s) == 3
    assert_series_equal(s, pd.Series([1.5, np.nan, np.inf], name="x"))
    np.testing.assert_array_equal(s.to_numpy(), np.array([1.5, np.nan, np.inf]))
    assert hw.Series(pd.Series([1, 2], name="p")).name == "p"
    assert hw.Series(["a", "b"], dtype="category").dtype == "category"
    assert hw.Series([1, 2], dtype="float32").dtype == np.float32
    assert hw.from_pandas(pd.Series([True, None], dtype="boolean")).to_list() == [True, None]


def test_to_numpy_and_to_device():
    df = hw.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
    np.testing.assert_array_equal(df.to_numpy(), np.array([[1, 0.5], [2, 1.5]]))
    assert df.to("cpu").device == "cpu"


def test_pandas_index_is_dropped():
    pdf = pd.DataFrame({"a": [1, 2]}, index=[10, 20])
    assert hw.from_pandas(pdf)["a"].to_list() == [1, 2]


def test_to_pandas_counts_one_crossing_per_buffer():
    df = hw.DataFrame({"a": np.arange(10), "b": np.arange(10.0)})
    hw.reset_transfer_stats()
    df.to_pandas()
    assert hw.transfer_stats().to_host_calls == 2


def test_cudf_round_trip():
    cudf = pytest.importorskip("cudf")
    df = hw.DataFrame({"a": [1, None]})
    back = hw.from_cudf(df.to_cudf())
    assert back.to_dict() == df.to_dict()
    assert isinstance(df.to_cudf(), cudf.DataFrame)


def test_unsupported_data_is_a_clear_error():
    with pytest.raises(TypeError, match="dict of columns"):
        hw.DataFrame(42)


def test_duplicate_column_names_are_refused():
    pdf = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(ValueError, match="repeated: \\['a'\\]"):
        hw.DataFrame(pdf)


def test_frames_pickle_and_copy(mixed_pandas):
    import copy
    import pickle

    df = hw.DataFrame(mixed_pandas)
    assert_frame_equal(pickle.loads(pickle.dumps(df)), mixed_pandas)
    assert copy.deepcopy(df["s"]).to_list() == df["s"].to_list()
