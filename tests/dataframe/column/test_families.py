"""Column families below the frame: capabilities as data, dictionaries, casts, dtypes.

Edge cases: empty dictionaries (all-null string columns), dictionaries with unused
values after a filter, categories missing from a cast, integer bounds in casts,
unsupported operations named with the dtype.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from headwater.dataframe.column import UnsupportedOperation, column_from_host
from headwater.dataframe.column.cast import common_columns, concat_columns
from headwater.dataframe.column.dictionary import unify_dictionaries
from headwater.dataframe.dtypes import CategoricalDtype, DtypeError, StringDtype, parse_dtype
from headwater.tensor.transfer import to_host


def test_capabilities_are_declared_per_family():
    strings = column_from_host(["a"])
    assert "add" in strings._BINARY_OPS and "sub" not in strings._BINARY_OPS
    assert "sum" not in strings._REDUCTIONS
    with pytest.raises(UnsupportedOperation, match="'sub' is not supported for a str column.*supported: add"):
        strings.binary_op("sub", "x")
    with pytest.raises(UnsupportedOperation, match="cumsum\\(\\) is not supported for a datetime64"):
        column_from_host(pd.to_datetime(["2020-01-01"])).cumulative("cumsum")


def test_unify_dictionaries_maps_codes():
    a = column_from_host(["x", "y", None]).as_dictionary()
    b = column_from_host(["z", "x"]).as_dictionary()
    (ca, cb), dictionary = unify_dictionaries([a, b])
    values = dictionary.to_pylist()
    assert [values[i] for i in to_host(ca)[:2]] == ["x", "y"]
    assert [values[i] for i in to_host(cb)] == ["z", "x"]


def test_map_dictionary_nulls_and_empty_dictionary():
    col = column_from_host(["ab", None, "c"]).as_dictionary()
    out = col.map_dictionary(lambda d: pc.if_else(pc.equal(d, "c"), pa.scalar(None, pa.string()), d))
    assert out.to_arrow().to_pylist() == ["ab", None, None]
    empty = column_from_host(pa.array([None, None], pa.string())).as_dictionary()
    assert len(empty.dictionary) == 0
    assert empty.map_dictionary(pc.utf8_upper).to_arrow().to_pylist() == [None, None]
    assert empty.map_dictionary(pc.utf8_length).to_arrow().to_pylist() == [None, None]


def test_filtered_dictionary_keeps_unused_values_but_counts_right(xp):
    col = column_from_host(["a", "b", "a"]).as_dictionary().filter(xp.asarray([True, False, True]))
    assert col.dictionary.to_pylist() == ["a", "b"]
    assert col.reduce("nunique") == 1


def test_casts_between_dictionary_families():
    s = column_from_host(["b", None, "a"])
    cat = s.astype(CategoricalDtype(pa.array(["a"]), ordered=True))
    assert cat.to_arrow().to_pylist() == [None, None, "a"]  # "b" is not a category
    assert cat.dtype.ordered
    assert cat.astype(StringDtype()).to_arrow().to_pylist() == [None, None, "a"]


def test_common_columns_and_concat():
    i8 = column_from_host(np.array([1, 2], dtype=np.int8))
    f4 = column_from_host(np.array([0.5], dtype=np.float32))
    assert {str(c.dtype) for c in common_columns([i8, f4])} == {"float32"}
    joined = concat_columns([column_from_host(["a"]), column_from_host(["b", None])])
    assert joined.to_arrow().to_pylist() == ["a", "b", None]
    with pytest.raises(DtypeError, match="incompatible dtypes int8, str"):
        common_columns([i8, column_from_host(["a"])])


def test_int_cast_wraps_like_numpy_but_nulls_stay_null():
    big = column_from_host([np.iinfo(np.int64).max, None])
    assert big.astype(np.dtype("float64")).to_arrow().to_pylist()[1] is None


@pytest.mark.parametrize(
    "spec, expected",
    [("Int64", np.dtype("int64")), ("UInt8", np.dtype("uint8")), ("Float32", np.dtype("float32")),
     (float, np.dtype("float64")), (bool, np.dtype(bool)), ("boolean", np.dtype(bool)),
     ("datetime64[us]", np.dtype("datetime64[ns]")), ("string", StringDtype()), (str, StringDtype()),
     ("category", CategoricalDtype()), (pd.CategoricalDtype(["x"], ordered=True), CategoricalDtype(pa.array(["x"]), True))],
)
def test_parse_dtype(spec, expected):
    assert parse_dtype(spec) == expected


def test_parse_dtype_rejects_unknown():
    with pytest.raises(DtypeError, match="unsupported dtype 'complex64'"):
        parse_dtype("complex64")


def test_astype_category_keeps_existing_categories():
    col = column_from_host(pd.Categorical(["b", "a"], categories=["b", "a"]))
    assert col.astype(parse_dtype("category")).dictionary.to_pylist() == ["b", "a"]
