"""Arrow types in and out: every type round-trips exactly; decimals compute as Arrow and
DuckDB do (scaled int64, Arrow's result scales, overflow raises); unsupported types
raise naming the column, its type and the cast that would work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from headwater.dataframe.column.decimal_math import DecimalOverflowError

DEC = pa.decimal128(15, 2)


def _decimals(values, t=DEC):
    return pa.array([None if v is None else D(v) for v in values], t)


ROUND_TRIP = {
    "decimal128": _decimals(["1.23", None, "-4.50", "99999999.99"]),
    "decimal128_wide": _decimals(["1.2345", None, "-7.0000"], pa.decimal128(38, 4)),
    "decimal256": _decimals(["12.5", None, "-0.1"], pa.decimal256(40, 1)),
    "date32": pa.array([dt.date(2020, 1, 1), None, dt.date(1969, 12, 31)], pa.date32()),
    "date64": pa.array([dt.date(2020, 1, 1), None], pa.date64()),
    "string_view": pa.array(["a", None, "", "é"], pa.string_view()),
    "large_string": pa.array(["a", None, "b"], pa.large_string()),
    "time32_s": pa.array([dt.time(1, 2, 3), None], pa.time32("s")),
    "time32_ms": pa.array([dt.time(1, 2, 3, 4000), None], pa.time32("ms")),
    "time64_us": pa.array([dt.time(23, 59, 59, 999999), None], pa.time64("us")),
    "time64_ns": pa.array([1, None, 86_399_999_999_999], pa.time64("ns")),
    "duration_s": pa.array([1, None, -5], pa.duration("s")),
    "duration_ms": pa.array([1, None], pa.duration("ms")),
    "duration_us": pa.array([1, None], pa.duration("us")),
    "duration_ns": pa.array([1, None], pa.duration("ns")),
    "list_int": pa.array([[1, 2], None, []], pa.list_(pa.int64())),
    "list_float": pa.array([[1.5], [None, 2.0]], pa.list_(pa.float64())),
    "large_list": pa.array([[1, 2], None, []], pa.large_list(pa.int32())),
    "dict_int8": pa.array(["a", "b", None, "a"]).dictionary_encode().cast(pa.dictionary(pa.int8(), pa.string())),
    "dict_uint16": pa.array(["a", "b", None]).dictionary_encode().cast(pa.dictionary(pa.uint16(), pa.string())),
    "dict_int64": pa.array(["x", "y", "x"]).dictionary_encode().cast(pa.dictionary(pa.int64(), pa.string())),
    "timestamp_s_tz": pa.array([0, None], pa.timestamp("s", "UTC")),
}


@pytest.mark.parametrize("name", list(ROUND_TRIP))
def test_every_arrow_type_round_trips_exactly(name):
    arr = ROUND_TRIP[name]
    table = pa.table({name: arr})
    back = hw.from_arrow(table).to_arrow()
    assert back.schema.field(name).type == arr.type
    assert back.column(name).to_pylist() == arr.to_pylist()
    # and through a filter and a gather, which keep the column's family and type
    frame = hw.from_arrow(table)
    kept = frame[frame[name].notna()] if name not in ("list_int", "list_float", "large_list") else frame.head(2)
    assert kept.to_arrow().schema.field(name).type == arr.type


@pytest.mark.parametrize("name", ["decimal128", "decimal256", "date32", "time64_us", "duration_ms",
                                  "string_view", "dict_int8"])
def test_arrow_types_round_trip_through_parquet(tmp_path, name):
    arr = ROUND_TRIP[name]
    pq.write_table(pa.table({name: arr}), tmp_path / "t.parquet")
    back = hw.read_parquet(tmp_path / "t.parquet")
    assert back[name].to_list() == arr.to_pylist()
    assert hw.read_parquet(tmp_path / "t.parquet").to_arrow().column(name).to_pylist() == arr.to_pylist()


def test_dates_are_datetime64_at_midnight_and_go_back_to_date32():
    frame = hw.from_arrow(pa.table({"d": ROUND_TRIP["date32"]}))
    assert frame.dtypes["d"] == np.dtype("datetime64[ns]")
    assert frame["d"].to_list()[0] == dt.date(2020, 1, 1)  # as pandas reads date32: date objects
    assert frame["d"].min() == hw.Timestamp("1969-12-31")
    # a missing value compares False, as pandas' default dtypes
    assert (frame["d"] >= np.datetime64("2020-01-01")).to_list() == [True, False, False]
    assert frame.to_arrow().schema.field("d").type == pa.date32()


def test_times_compare_and_subtract():
    s = hw.Series(pa.array([dt.time(1, 0), None, dt.time(13, 30)], pa.time64("us")))
    assert s.dtype == "time"
    assert (s > dt.time(12, 0)).to_list() == [False, False, True]
    assert s.max() == dt.time(13, 30) and s.min() == dt.time(1, 0)
    gap = s - hw.Series(pa.array([dt.time(0, 30)] * 3, pa.time64("us")))
    assert gap.to_list()[0] == np.timedelta64(30, "m")
    assert s.to_list() == [dt.time(1, 0), None, dt.time(13, 30)]


# -- decimals: against pyarrow, Python's decimal module and DuckDB ----------------------------

def _pair():
    a = _decimals(["1.25", None, "-3.10", "1000.01", "0.00"])
    b = _decimals(["2.000", "1.000", None, "-0.005", "7.125"], pa.decimal128(12, 3))
    return a, b


@pytest.mark.parametrize("op", ["add", "subtract", "multiply"])
def test_decimal_arithmetic_matches_pyarrow(op):
    a, b = _pair()
    want = getattr(pc, op)(a, b)
    sa, sb = hw.Series(a), hw.Series(b)
    got = {"add": sa + sb, "subtract": sa - sb, "multiply": sa * sb}[op]
    assert got.to_list() == want.to_pylist()
    assert got.dtype.scale == want.type.scale
    assert got.dtype.precision == min(18, want.type.precision)


def test_decimal_division_and_floats_give_float64():
    a, b = _pair()
    sa, sb = hw.Series(a), hw.Series(b)
    q = sa / sb
    assert q.dtype == np.float64
    want = pc.divide(a.cast(pa.float64()), b.cast(pa.float64())).to_pylist()
    assert q.to_list() == pytest.approx(want, nan_ok=True) or q.to_list()[1:3] == [None, None]
    assert (sa * 0.5).dtype == np.float64 and (sa + hw.Series([1.0] * 5)).dtype == np.float64
    assert (sa + 1).to_list() == pc.add(a, pa.scalar(D("1"), pa.decimal128(1, 0))).to_pylist()
    assert (sa == D("1.250")).to_list() == [True, False, False, False, False]
    assert (sa < 1).to_list() == [False, False, True, False, True]


def test_decimal_reductions_and_casts():
    a, _ = _pair()
    s = hw.Series(a)
    assert s.sum() == D("998.16") and s.min() == D("-3.10") and s.max() == D("1000.01")
    assert s.mean() == pytest.approx(float(D("998.16") / 4))
    assert s.astype(float).to_list() == [1.25, None, -3.1, 1000.01, 0.0]
    assert s.astype("int64").to_list() == [1, None, -3, 1000, 0]
    assert s.astype(str).to_list() == ["1.25", None, "-3.10", "1000.01", "0.00"]
    assert s.astype("decimal(16, 3)").to_list() == a.to_pylist()
    with pytest.raises(hw.DtypeError, match="losing digits"):
        s.astype("decimal(15, 1)")
    assert hw.Series([1.234, None, 2.5]).astype("decimal(10, 2)").to_list() == [D("1.23"), None, D("2.50")]
    assert hw.Series(["1.5", None]).astype("decimal(5, 1)").to_list() == [D("1.5"), None]
    assert s.fillna(0).to_list()[1] == D("0.00")
    assert s.isin([1.25, D("0.00")]).to_list() == [True, False, False, False, True]
    assert s.cumsum().to_list() == [D("1.25"), None, D("-1.85"), D("998.16"), D("998.16")]


def test_decimal_round_matches_python_half_even():
    values = ["1.55", "-2.45", "2.50", "-0.05", None, "99.99"]
    s = hw.Series(_decimals(values))
    for places in (0, 1, 2, 5):
        want = [None if v is None else D(v).quantize(D(1).scaleb(-min(places, 2))).quantize(D("0.01"))
                for v in values]
        assert s.round(places).to_list() == want
        assert s.round(places).dtype == s.dtype
    with pytest.raises(TypeError, match="astype\\(float\\)"):
        hw.DataFrame({"d": s}).to_tensor()


def test_decimal_frames_sort_group_join_concat():
    t = pa.table({"k": [1, 1, 2, 2, 3], "v": _decimals(["1.10", "2.20", None, "3.30", None])})
    df = hw.from_arrow(t)
    assert df.sort_values("v")["v"].to_list() == [D("1.10"), D("2.20"), D("3.30"), None, None]
    g = df.groupby("k", as_index=False).agg(s=("v", "sum"), m=("v", "mean"), lo=("v", "min"),
                                            hi=("v", "max"), n=("v", "count"))
    assert g.to_dict() == {"k": [1, 2, 3], "s": [D("3.30"), D("3.30"), D("0.00")], "m": [1.65, 3.3, None],
                           "lo": [D("1.10"), D("3.30"), None], "hi": [D("2.20"), D("3.30"), None],
                           "n": [2, 1, 0]}
    assert df.merge(df, on="v").shape == (3 + 2 * 2, 3)  # the two null keys match each other, as in pandas
    other = hw.from_arrow(pa.table({"k": [9], "v": _decimals(["0.125"], pa.decimal128(5, 3))}))
    both = hw.concat([df, other])
    assert both["v"].dtype.scale == 3 and both["v"].to_list()[-1] == D("0.125")


def test_decimal_answers_match_duckdb():
    duckdb = pytest.importorskip("duckdb")
    rng = np.random.default_rng(0)
    n = 2000
    cents = rng.integers(-10**9, 10**9, n)
    t = pa.table({
        "k": rng.integers(0, 7, n),
        "p": pa.array([D(int(c)).scaleb(-2) for c in cents], DEC),
        "d": pa.array([D(int(c)).scaleb(-2) for c in rng.integers(0, 11, n)], DEC),
    })
    con = duckdb.connect()
    con.register("t", t)
    want = con.sql("select k, sum(p * (1 - d)) as s, sum(p) as sp, avg(p) as a, min(p) as lo "
                   "from t group by k order by k").to_arrow_table().to_pydict()
    df = hw.from_arrow(t)
    df = df.assign(x=df["p"] * (1 - df["d"]))
    got = df.groupby("k", as_index=False).agg(s=("x", "sum"), sp=("p", "sum"), a=("p", "mean"),
                                              lo=("p", "min")).sort_values("k").to_dict()
    assert got["s"] == want["s"] and got["sp"] == want["sp"] and got["lo"] == want["lo"]
    np.testing.assert_allclose(got["a"], want["a"], rtol=1e-12)
    assert df["x"].sum() == con.sql("select sum(p * (1 - d)) from t").fetchall()[0][0]


_INT64 = 2**63
_money = st.decimals(min_value=D("-9999999999999.99"), max_value=D("9999999999999.99"), places=2,
                     allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_money, _money), min_size=1, max_size=20))
def test_decimal_ops_are_exact_or_raise_on_overflow(pairs):
    a = hw.Series(pa.array([x for x, _ in pairs], DEC), name="a")
    b = hw.Series(pa.array([y for _, y in pairs], DEC), name="b")
    assert (a + b).to_list() == [x + y for x, y in pairs]
    assert (a - b).to_list() == [x - y for x, y in pairs]
    products = [x * y for x, y in pairs]
    if all(abs(int(p.scaleb(4))) < _INT64 - 1 for p in products):
        assert (a * b).to_list() == products
    else:
        with pytest.raises(DecimalOverflowError, match="'a'.*astype\\(float\\)"):
            a * b
    doubled = hw.Series(pa.array([x for x, _ in pairs] * 4000, DEC), name="big")
    total = sum(x for x, _ in pairs) * 4000
    if abs(int(total.scaleb(2))) < _INT64 - 1:
        assert doubled.sum() == total
    else:
        with pytest.raises(DecimalOverflowError, match="'big'"):
            doubled.sum()


def test_decimal_overflow_names_the_column():
    big = hw.DataFrame({"k": [1] * 40,
                        "big": hw.Series(_decimals(["99999999999999999.9"] * 40, pa.decimal128(18, 1)))})
    with pytest.raises(DecimalOverflowError, match="column 'big'.*astype\\(float\\)"):
        big.groupby("k").agg(s=("big", "sum"))
    with pytest.raises(DecimalOverflowError, match="'big'"):
        big["big"].sum()
    assert big["big"].astype(float).sum() == pytest.approx(4e18)


# -- what is not supported says what to do ------------------------------------------------------

@pytest.mark.parametrize("arr, hint", [
    (pa.array([b"x"]), r"cast\(pa.string\(\)\)"),
    (pa.array([{"x": 1}]), "flatten"),
    (pa.array([D("1")], pa.decimal128(38, 20)), "decimal='float'"),
    (pa.array([D("1" * 30)], pa.decimal128(38, 0)), "decimal='float'"),
])
def test_unsupported_types_name_column_type_and_cast(arr, hint):
    with pytest.raises(hw.DtypeError, match=rf"column 'c'.*{arr.type.__str__()[:7]}.*{hint}"):
        hw.from_arrow(pa.table({"c": arr}))


def test_wide_decimals_read_as_float_on_request(tmp_path):
    pq.write_table(pa.table({"c": pa.array([D("1" * 30), None], pa.decimal128(38, 0))}), tmp_path / "w.parquet")
    with pytest.raises(hw.DtypeError, match="column 'c'"):
        hw.read_parquet(tmp_path / "w.parquet")
    got = hw.read_parquet(tmp_path / "w.parquet", decimal="float")
    assert got["c"].dtype == np.float64 and got["c"].to_list() == [1.1111111111111111e29, None]
    with pytest.raises(ValueError, match="decimal must be"):
        hw.read_parquet(tmp_path / "w.parquet", decimal="fast")
