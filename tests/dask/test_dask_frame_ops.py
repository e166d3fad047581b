"""Partition-wise operations against single-process Headwater and pandas."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import headwater as hw
import headwater.dask as hwd
from tests.dask.dask_data import make_pandas
from tests.dataframe.helpers import assert_frame_equal, assert_series_equal


def test_roundtrip_and_partitions(compute, pdf, hdf):
    d = hwd.from_headwater(hdf, npartitions=5)
    assert d.npartitions == 5
    assert len(d) == len(pdf)
    assert d.columns == list(pdf.columns)
    assert_frame_equal(compute(d), pdf)


def test_elementwise_filters_assign(compute, pdf, hdf):
    d = hwd.from_headwater(hdf, npartitions=4)
    sel = d[(d["f"] > 9.0) | (d["k"] == 2)]
    out = sel.assign(g=sel["f"] * 2 - sel["i"], h=sel["i"] // 3, t=1.5, u=lambda x: x["i"] % 7,
                     m=~sel["b"])
    got = compute(out[["k", "f", "g", "h", "t", "u", "m"]])
    p = pdf[(pdf["f"] > 9.0) | (pdf["k"] == 2).fillna(False)]
    want = p.assign(g=p["f"] * 2 - p["i"], h=p["i"] // 3, t=1.5, u=p["i"] % 7, m=~p["b"])
    assert_frame_equal(got, want[["k", "f", "g", "h", "t", "u", "m"]])
    single = hdf[(hdf["f"] > 9.0) | (hdf["k"] == 2)]
    assert_frame_equal(got[["g"]], single.assign(g=single["f"] * 2 - single["i"])[["g"]].to_pandas())


def test_reflected_comparisons_and_series(compute, pdf, hdf):
    d = hwd.from_headwater(hdf, npartitions=3)
    assert_series_equal(compute(10 - d["i"]), 10 - pdf["i"])
    assert_series_equal(compute(d["f"] >= d["i"]), pdf["f"] >= pdf["i"],  # NaN compares False, as pandas
                        check_dtype=False, check_name=False)
    assert_series_equal(compute(d["k"].isna()), pdf["k"].isna())
    assert float(compute(d["f"].sum())) == pytest.approx(pdf["f"].sum())
    assert float(compute(d["f"].mean())) == pytest.approx(pdf["f"].mean())
    assert int(compute(d["k"].count())) == pdf["k"].count()
    assert compute(d["i"].min()) == pdf["i"].min() and compute(d["i"].max()) == pdf["i"].max()


def test_astype_fillna(compute, pdf, hdf):
    d = hwd.from_headwater(hdf, npartitions=4)
    got = compute(d.astype({"i": "float32"}).fillna({"f": 0.0, "k": -1}))
    want = pdf.astype({"i": "float32"}).fillna({"f": 0.0, "k": -1})
    assert_frame_equal(got, want)
    assert got.dtypes["i"] == np.float32
    assert_series_equal(compute(d["k"].fillna(7).astype("int32")), pdf["k"].fillna(7).astype("int32"))


def test_map_partitions_and_meta(compute, hdf):
    d = hwd.from_headwater(hdf, npartitions=3)
    out = d.map_partitions(lambda p, c: p[["i"]].assign(j=p["i"] + c), 5)
    assert out.columns == ["i", "j"]
    assert compute(out)["j"].tolist() == (hdf["i"] + 5).tolist()
    with pytest.raises(ValueError, match="pass meta="):
        d.map_partitions(lambda p: p["no such column"])
    counted = d.map_partitions(lambda p: hw.DataFrame({"n": [len(p)]}), meta=hw.DataFrame({"n": [0]}).head(0))
    assert sum(compute(counted)["n"].tolist()) == len(hdf)


def test_head_len_persist(compute, pdf, hdf):
    d = hwd.from_headwater(hdf, npartitions=8)
    assert_frame_equal(d.head(70), pdf.head(70))
    assert_frame_equal(d.head(), pdf.head())
    assert len(d.head(10**6)) == len(pdf)
    assert len(d[d["i"] > 0]) == int((pdf["i"] > 0).sum())
    p = d[d["i"] > 0].persist()
    assert_frame_equal(compute(p), pdf[pdf["i"] > 0])


def test_get_partition_and_empty_partitions(compute):
    pdf = make_pandas(5)
    d = hwd.from_headwater(hw.from_pandas(pdf), npartitions=5)
    empty = d[d["i"] > 10**6]
    assert len(compute(empty)) == 0 and compute(empty).columns == list(pdf.columns)
    assert_frame_equal(compute(d.get_partition(-1)), pdf.iloc[4:])


def test_bad_inputs(hdf):
    d = hwd.from_headwater(hdf, npartitions=3)
    other = hwd.from_headwater(hdf, npartitions=2)
    with pytest.raises(ValueError, match="partitions"):
        d["i"] + other["i"]
    with pytest.raises(KeyError, match="nope"):
        d[["i", "nope"]]
    with pytest.raises(TypeError, match="from_headwater"):
        d["i"] + hdf["i"]
    with pytest.raises(TypeError, match="Headwater DataFrame"):
        hwd.from_headwater([1, 2])
    with pytest.raises(ValueError, match="npartitions"):
        hwd.from_headwater(hdf, npartitions=0)
    with pytest.raises(AttributeError, match="nope"):
        _ = d.nope
    with pytest.raises(NotImplementedError, match="head"):
        d.head(3, compute=False)


def test_partitions_pickle_as_arrow_ipc(hdf):
    keyed = hdf.groupby("s").agg({"f": "sum"})
    for obj in (hdf, hdf["f"], keyed):
        data = pickle.dumps(obj)
        assert b"ARROW" in data or b"\xff\xff\xff\xff" in data  # an IPC stream inside, not column objects
        back = pickle.loads(data)
        assert back.to_pandas().equals(obj.to_pandas())
    assert list(pickle.loads(pickle.dumps(keyed))._keys) == ["s"]


def test_distributed_serializer_is_arrow_ipc(hdf):
    protocol = pytest.importorskip("distributed.protocol")
    header, frames = protocol.serialize(hdf, serializers=["dask"])
    assert header["serializer"] == "dask" and header["sub-header"]["format"] == "arrow-ipc"
    assert protocol.deserialize(header, frames).to_pandas().equals(hdf.to_pandas())


def test_partition_wise_chains_are_fused_into_one_task_per_partition(monkeypatch, compute, pdf, hdf):
    d = hwd.from_headwater(hdf, npartitions=4)
    f = d["f"].fillna(0.0)
    chain = d[["k"]].assign(x=f * 2, y=f * f, z=d["i"] % 7)
    graph, keys = chain.__dask_graph__(), chain.__dask_keys__()

    def tasks(dsk):  # entries that call something (not data, not a key's alias)
        return sum(1 for v in dict(dsk).values() if isinstance(v, tuple) and v and callable(v[0]))

    fused = chain.__dask_optimize__(graph, keys)
    # eight steps per partition become two: the fill (read by two products) and the rest
    assert tasks(graph) == 4 * 8 and tasks(fused) == 4 * 2
    monkeypatch.setenv("HEADWATER_DASK_FUSE", "0")
    assert tasks(chain.__dask_optimize__(graph, keys)) == tasks(graph)
    plain = compute(chain)
    monkeypatch.delenv("HEADWATER_DASK_FUSE")
    got = compute(chain)
    p = pdf[["k"]].assign(x=pdf["f"].fillna(0.0) * 2, y=pdf["f"].fillna(0.0) ** 2, z=pdf["i"] % 7)
    assert_frame_equal(got, p)
    assert_frame_equal(plain, p)


def test_fusion_never_runs_two_partitions_in_one_task(hdf):
    from dask.core import get_dependencies

    d = hwd.from_headwater(hdf, npartitions=4)
    q = d.assign(g=d["f"].fillna(0.0) * 2).groupby("k", as_index=False, dropna=False).agg({"g": "sum"})
    fused = q.__dask_optimize__(q.__dask_graph__(), q.__dask_keys__())
    source = {k for k in fused if isinstance(k, tuple) and str(k[0]).startswith("from-headwater")}
    assert len(source) == 4
    for key in fused:
        assert len(get_dependencies(fused, key) & source) <= 1, key
