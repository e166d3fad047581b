"""Deferred gathers give exactly the eager gathers' results.

A checked ``take`` returns a pending column (its source and row numbers) whose buffers
are gathered on the first read. Every family (with nulls, both string layouts) is
gathered through chains of takes (with -1 = null rows), filters and slices, and each
way of reading a column is made the *first* read of a fresh chain, then compared with
the same chain run eagerly. Frame operations (merges of every kind, filters, sorts,
groupby) are compared with pandas and with the eager run.
"""

from __future__ import annotations

import datetime as dt
import decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from headwater.dataframe.column import column_from_arrow, deferred
from headwater.dataframe.dtypes import StringDtype
from headwater.tensor.transfer import to_host
from dataframe.helpers import assert_frame_equal

N = 40
_rng = np.random.default_rng(7)


def _with_nulls(values: list) -> list:
    return [None if i % 7 == 3 else v for i, v in enumerate(values)]


def _arrow_columns() -> dict[str, pa.Array]:
    words = ["apple", "", "kiwi", "banana split", "é-acute", "fig"]
    base = dt.datetime(2021, 3, 1)
    return {
        "int64": pa.array(_with_nulls(list(range(N))), pa.int64()),
        "float64": pa.array(_with_nulls([float("nan") if i % 5 == 0 else i / 3 for i in range(N)]), pa.float64()),
        "bool": pa.array(_with_nulls([i % 3 == 0 for i in range(N)]), pa.bool_()),
        "datetime": pa.array(_with_nulls([base + dt.timedelta(hours=i) for i in range(N)]), pa.timestamp("ns")),
        "datetime_tz": pa.array(_with_nulls([base + dt.timedelta(days=i) for i in range(N)]),
                                pa.timestamp("ns", tz="UTC")),
        "timedelta": pa.array(_with_nulls([dt.timedelta(minutes=i) for i in range(N)]), pa.duration("ns")),
        "decimal": pa.array(_with_nulls([decimal.Decimal(i) / 4 for i in range(N)]), pa.decimal128(12, 2)),
        "plain_string": pa.array(_with_nulls([words[i % 6] * (i % 3) for i in range(N)]), pa.string()),
        "dictionary_string": pa.array(_with_nulls([words[i % 6] for i in range(N)]), pa.string()),
        "categorical": pa.array(_with_nulls([words[i % 6] for i in range(N)]), pa.string()).dictionary_encode(),
        "list": pa.array(_with_nulls([list(range(i % 4)) for i in range(N)]), pa.list_(pa.int64())),
    }


FAMILIES = list(_arrow_columns())


def _column(name: str):
    col = column_from_arrow(_arrow_columns()[name])
    if name.endswith("_string"):
        col = col.astype(StringDtype(name.split("_")[0]))
    return col


def _chain(col, xp):
    """take with null rows -> filter -> slice -> take: the shapes a query's joins make."""
    rows = _rng.integers(-1, N, size=60)
    a = col.take(xp.asarray(rows), allow_missing=True, checked=True)
    keep = xp.asarray(_rng.random(len(a)) < 0.8)
    b = a.filter(keep)
    c = b.slice(1, len(b) - 1)
    back = xp.asarray(_rng.permutation(len(c)))
    return c.take(back, checked=True)


def _refusal(read):
    def run(col):
        try:
            return read(col)
        except (TypeError, NotImplementedError, ValueError) as exc:  # the same refusal either way
            return type(exc).__name__
    return run


def _both(name: str, xp, read):
    """``read`` applied as the first read of the same chain, deferred and eager."""
    read = _refusal(read)
    state = _rng.bit_generator.state
    with deferred.deferring(True):
        lazy = _chain(_column(name), xp)
        assert deferred.is_pending(lazy)
        got = read(lazy)
    _rng.bit_generator.state = state
    with deferred.deferring(False):
        eager = _chain(_column(name), xp)
        assert not deferred.is_pending(eager)
        want = read(eager)
    return got, want


def _host(value):
    if isinstance(value, tuple):
        return tuple(_host(v) for v in value)
    if isinstance(value, pa.Array):
        return value.to_pylist()
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return to_host(value).tolist()


READS = {
    "to_arrow": lambda c: c.to_arrow(),
    "len": len,
    "null_count": lambda c: c.null_count,
    "is_null": lambda c: c.is_null(),
    "is_missing": lambda c: c.is_missing(),
    "count": lambda c: c.reduce("count"),
    "nunique": lambda c: c.reduce("nunique"),
    "to_pandas": lambda c: [repr(v) for v in c.to_pandas()],
    "take_unchecked": lambda c: c.take(c.xp.asarray([0, -1, 2])).to_arrow(),
    "nbytes_positive": lambda c: c.nbytes > 0,
    "repr": lambda c: repr(c),
    "to_device": lambda c: c.to("cpu").to_arrow(),
}


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("read", list(READS))
def test_every_read_of_a_pending_column_matches_the_eager_gather(family, read, xp):
    got, want = _both(family, xp, READS[read])
    assert repr(_host(got)) == repr(_host(want))  # repr: NaN equals NaN


@pytest.mark.parametrize("family", FAMILIES)
def test_series_methods_on_pending_columns_match(family, xp):
    calls = [lambda s: s.isna(), lambda s: s.value_counts(dropna=False).sort_index(),
             lambda s: s.sort_values(), lambda s: s.unique(), lambda s: s.astype(str)]
    if family not in ("list",):
        calls += [lambda s: s.fillna(s.dropna().iloc[0]) if s.notna().any() else s, lambda s: s.nunique(),
                  lambda s: s.drop_duplicates(), lambda s: s.rank()]
    for call in calls:
        def read(col):
            out = call(hw.Series._from_column(col, "x"))
            return out.to_pandas() if hasattr(out, "to_pandas") else out
        got, want = _both(family, xp, read)
        if isinstance(want, pd.Series):
            pd.testing.assert_series_equal(got, want)
        else:
            assert repr(_host(got)) == repr(_host(want))


def test_string_methods_and_comparisons_on_both_layouts(xp):
    for family in ("plain_string", "dictionary_string"):
        for call in (lambda s: s.str.upper(), lambda s: s.str.len(), lambda s: s == "kiwi",
                     lambda s: s.str.contains("an"), lambda s: s + "!", lambda s: s.str.slice(1, 3),
                     lambda s: s.isin(["fig", "apple"]), lambda s: s.str.startswith("b")):
            got, want = _both(family, xp, lambda c: call(hw.Series._from_column(c, "s")).to_pandas())
            pd.testing.assert_series_equal(got, want)


def test_a_short_result_of_a_long_source_is_gathered_at_once(xp):
    col = column_from_arrow(pa.array(np.arange(1000)))
    short = col.take(xp.arange(5), checked=True)
    assert not deferred.is_pending(short)  # it would pin 1000 rows for 5
    long = col.take(xp.arange(100), checked=True)
    assert deferred.is_pending(long)
    assert long.take(xp.arange(3), checked=True)._pending is None  # 3 rows would pin the source of 1000


def test_unchecked_gathers_still_check_their_rows(xp):
    col = column_from_arrow(pa.array(np.arange(100)))
    pending = col.take(xp.arange(90), checked=True)
    with pytest.raises(IndexError):
        pending.take(xp.asarray([95]))


def test_the_columns_of_one_frame_compose_their_rows_once(xp):
    df = hw.DataFrame({"a": np.arange(100), "b": np.arange(100) * 2.0, "s": [str(i) for i in range(100)]})
    x = df[df["a"] % 3 != 0]
    x = x[x["b"] > 20]
    # "b" was read (gathered) by the second filter; "a" and "s" share one composition
    assert not deferred.is_pending(x._columns["b"]._pending[0])
    assert x._columns["a"]._pending[1] is x._columns["s"]._pending[1]
    assert x["s"].tolist() == [str(i) for i in range(11, 100) if i % 3]


def _frames():
    rng = np.random.default_rng(3)
    n = 300
    left = pd.DataFrame({
        "k": pd.array(rng.integers(0, 40, n), dtype="Int64"),
        "v": rng.normal(size=n),
        "note": pd.array([None if i % 11 == 0 else f"note {i % 17}" for i in range(n)], dtype="string"),
        "d": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
    })
    left.loc[::13, "k"] = pd.NA
    right = pd.DataFrame({
        "k": pd.array(np.arange(0, 50, dtype=np.int64), dtype="Int64"),
        "name": pd.array([f"name {i}" if i % 9 else None for i in range(50)], dtype="string"),
        "w": np.arange(50) * 1.5,
    })
    return left, right


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("layout", ["plain", "dictionary"])
def test_merge_filter_sort_groupby_chains_match_pandas_and_eager(how, layout):
    left, right = _frames()

    def query(df_left, df_right):
        x = df_left.merge(df_right, on="k", how=how)
        x = x[x["v"] > -0.5]
        x = x.sort_values(["k", "v"], na_position="last").head(150)
        g = x.groupby("name", as_index=False, dropna=False)["w"].sum()
        return x.reset_index(drop=True), g.sort_values("name", na_position="last").reset_index(drop=True)

    def hw_frames():
        hl, hr = hw.DataFrame(left), hw.DataFrame(right)
        hl["note"] = hl["note"].astype(StringDtype(layout))
        hr["name"] = hr["name"].astype(StringDtype(layout))
        return hl, hr

    want = query(left, right)
    with deferred.deferring(True):
        lazy = query(*hw_frames())
    with deferred.deferring(False):
        eager = query(*hw_frames())
    for got, ref, plain in zip(lazy, want, eager):
        assert_frame_equal(got, ref)
        assert_frame_equal(got, plain.to_pandas())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=4)), min_size=1, max_size=30), st.data())
def test_random_chains_on_both_string_layouts(values, data):
    arr = pa.array(values, pa.string())
    n = len(values)
    steps = data.draw(st.lists(st.tuples(st.sampled_from(["take", "miss", "filter", "slice"]),
                                         st.integers(0, 2**31)), min_size=1, max_size=4))
    for layout in ("plain", "dictionary"):
        results = []
        for on in (True, False):
            with deferred.deferring(on):
                col = column_from_arrow(arr).astype(StringDtype(layout))
                up = col.backend.to_device  # a column takes device indices and masks
                for kind, seed in steps:
                    rng = np.random.default_rng(seed)
                    m = len(col)
                    if kind == "take" and m:
                        col = col.take(up(rng.integers(0, m, size=n)), checked=True)
                    elif kind == "miss":
                        col = col.take(up(rng.integers(-1, max(m, 1), size=n))
                                       if m else up(np.full(n, -1)), allow_missing=True, checked=True)
                    elif kind == "filter":
                        col = col.filter(up(rng.random(m) < 0.6))
                    else:
                        col = col.slice(int(rng.integers(0, m + 1)), None)
                results.append(col.to_arrow().to_pylist())
        assert results[0] == results[1]
