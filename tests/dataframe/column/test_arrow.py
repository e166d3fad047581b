"""Columns from and to Arrow: exact round trips, zero-copy on the CPU, one upload per buffer.

Edge cases: zero rows, all-null, NaN and inf, empty strings, integer bounds, sliced
(offset) arrays, every numeric width, time zones, ordered dictionaries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import headwater as hw
from headwater.dataframe.column import build_column, column_from_arrow, column_from_host
from headwater.dataframe.dtypes import DtypeError
from headwater.tensor.transfer import to_host

NUMERIC = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"]


@pytest.mark.parametrize("name", NUMERIC)
def test_numeric_round_trip_with_bounds_and_nulls(name):
    t = pa.from_numpy_dtype(np.dtype(name))
    if name.startswith(("int", "uint")):
        info = np.iinfo(name)
        values = [int(info.min), None, int(info.max), 0]
    else:
        values = [float(np.finfo(name).min), None, float("inf"), -float("inf")]
    arr = pa.array(values, t)
    col = column_from_arrow(arr)
    assert col.dtype == np.dtype(name)
    assert col.null_count == 1
    assert col.to_arrow().equals(arr)


@pytest.mark.parametrize(
    "arr",
    [
        pa.array([True, None, False] * 5),
        pa.array(["a", None, "", "a", "ü"]),
        pa.array(["a", "b"], pa.large_string()),
        pa.array([1, 2, None], pa.timestamp("ns")),
        pa.array([1, 2, None], pa.timestamp("ns", "Europe/Paris")),
        pa.array([5, None], pa.duration("ns")),
        pa.array([1_000_000, None], pa.timestamp("us")),
        pa.array([3, None], pa.timestamp("s", "UTC")),
        pa.array([18262, None], pa.date32()),
        pa.array([5, None], pa.duration("ms")),
        pa.DictionaryArray.from_arrays(pa.array([0, 1, None, 0], pa.int8()), pa.array(["lo", "hi"]), ordered=True),
        pa.array([], pa.int64()),
        pa.array([], pa.string()),
        pa.array([None, None], pa.string()),
        pa.array([None, None], pa.int32()),
    ],
    ids=lambda a: str(a.type),
)
def test_round_trip_is_exact(arr):
    assert column_from_arrow(arr).to_arrow().equals(arr)


def test_float_nan_kept_distinct_from_null_through_arrow():
    arr = pa.array([1.0, float("nan"), None])
    col = column_from_arrow(arr)
    assert col.null_count == 1
    back = col.to_arrow()
    assert back.is_null().to_pylist() == [False, False, True]
    assert np.isnan(back[1].as_py())


def test_sliced_arrays_respect_offsets():
    arr = pa.array([1, None, 3, None, 5, 6, 7, None, 9, 10])[3:9]
    assert column_from_arrow(arr).to_arrow().equals(arr)
    bools = pa.array([True, False, None, True, False, True, True, None, False])[2:8]
    assert column_from_arrow(bools).to_arrow().equals(bools)


def test_chunked_arrays_are_combined():
    chunked = pa.chunked_array([[1, 2], [None, 4]])
    assert column_from_arrow(chunked).to_arrow().equals(pa.array([1, 2, None, 4]))


@pytest.mark.host_only("Arrow buffers are shared with NumPy on the CPU; an upload copies")
def test_fixed_width_without_nulls_is_zero_copy_on_cpu(device):
    if device != "cpu":
        pytest.skip("zero-copy from host memory holds on the CPU only")
    host = np.arange(1000, dtype=np.int64)
    arr = pa.array(host)
    col = column_from_arrow(arr)
    assert np.shares_memory(col.data, host)
    assert col.mask is None


def test_one_upload_per_buffer():
    hw.reset_transfer_stats()
    column_from_arrow(pa.array(np.arange(100.0)))
    assert hw.transfer_stats().to_device_calls == 1
    hw.reset_transfer_stats()
    column_from_arrow(pa.array([1.0, None] * 50))
    stats = hw.transfer_stats()
    assert stats.to_device_calls == 2  # data, and the packed validity bitmap
    assert stats.to_device_bytes == 100 * 8 + 13


def test_plain_string_arrays_keep_arrows_layout():
    col = column_from_arrow(pa.array(["b", None, "a", "b", ""]))
    assert col.kind == "string" and col.layout == "plain"
    assert to_host(col.offsets).tolist() == [0, 1, 1, 2, 3, 3]
    assert bytes(to_host(col.chars)) == b"bab"


def test_dictionary_arrays_can_become_dictionary_string_columns():
    arr = pa.array(["b", None, "a", "b", ""]).dictionary_encode()
    col = column_from_arrow(arr, dictionary_as="string")
    assert col.kind == "string" and col.layout == "dictionary"
    assert col.data.dtype == np.int32
    assert col.dictionary.to_pylist() == ["b", "a", ""]
    assert to_host(col.data)[1] == 0 and not to_host(col.mask)[1]


def test_null_type_becomes_all_null_float():
    col = column_from_arrow(pa.array([None, None]))
    assert col.kind == "float" and col.null_count == 2


def test_unsupported_arrow_type_names_it():
    with pytest.raises(DtypeError, match="struct"):  # lists are a family now; structs are not
        column_from_arrow(pa.array([{"a": 1}, {"a": 2}]))


def test_direct_construction_is_refused():
    from headwater.dataframe.column import NumericColumn

    with pytest.raises(TypeError, match="build_column"):
        NumericColumn(np.arange(3), None, np.dtype("int64"))


def test_build_column_dispatches_on_dtype(xp):
    assert build_column(xp.arange(3)).kind == "int"
    assert build_column(xp.arange(3), dtype="datetime64[ns]").kind == "datetime"
    assert build_column(xp.zeros(2, dtype=np.int32), dictionary=pa.array(["a"])).kind == "string"
    assert build_column(xp.zeros(2, dtype=bool)).kind == "bool"


def test_from_host_treats_nan_as_null_like_pandas():
    col = column_from_host(pd.Series([1.0, np.nan, 3.0]))
    assert col.null_count == 1
    col = column_from_host(np.array([np.nan, np.inf]))
    assert col.null_count == 1


def test_from_host_dates_and_categoricals():
    assert column_from_host(pd.to_datetime(["2020-01-01", None])).kind == "datetime"
    cat = column_from_host(pd.Categorical(["a", "b", None], ordered=True))
    assert cat.kind == "categorical" and cat.dtype.ordered and cat.null_count == 1


def test_take_with_missing_gives_nulls(xp):
    col = column_from_host([10, 20, 30])
    out = col.take(xp.asarray([2, -1, 0]), allow_missing=True)
    assert out.to_arrow().to_pylist() == [30, None, 10]
    empty = column_from_host(pa.array([], pa.int64())).take(xp.asarray([-1, -1]), allow_missing=True)
    assert empty.to_arrow().to_pylist() == [None, None]


def test_filter_and_slice(xp):
    col = column_from_host(["a", None, "c", "d"])
    assert col.filter(xp.asarray([True, True, False, True])).to_arrow().to_pylist() == ["a", None, "d"]
    assert col.slice(1, 3).to_arrow().to_pylist() == [None, "c"]


def test_other_time_units_come_back_when_exact():
    col = column_from_arrow(pa.array([1, None], pa.timestamp("us")))
    assert col.dtype == np.dtype("datetime64[ns]")
    assert col.to_arrow().type == pa.timestamp("us")
    shifted = col.binary_op("add", pd.Timedelta(1, "ns"))
    assert shifted.to_arrow().type == pa.timestamp("ns")  # no longer exact in microseconds
