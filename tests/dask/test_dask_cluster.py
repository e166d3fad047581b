"""The common operations on a dask.distributed LocalCluster (two worker processes), in the default suite."""

from __future__ import annotations

import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import headwater as hw
import headwater.dask as hwd
from tests.dask.dask_data import make_pandas
from tests.dataframe.helpers import assert_frame_equal


def test_pipeline_on_local_cluster(cluster_client, tmp_path):
    frames = [make_pandas(50, seed=i) for i in range(3)]
    for i, f in enumerate(frames):
        pq.write_table(pa.Table.from_pandas(f, preserve_index=False), tmp_path / f"{i}.parquet")
    pdf = pd.concat(frames, ignore_index=True)
    d = hwd.read_parquet(os.path.join(tmp_path, "*.parquet"))
    big = d[d["f"] > 8.0]
    big = big.assign(g=big["f"] * big["i"])
    grouped = big.groupby(["k", "s"], dropna=False, as_index=False).agg(g=("g", "sum"), sd=("f", "std"))
    small = hw.DataFrame({"s": ["ab", "c"], "w": [1.5, 2.5]})
    joined = big.merge(small, on="s")
    distinct = d.drop_duplicates(["k", "b"], keep="last")
    out_grouped, out_joined, out_distinct = cluster_client.compute([grouped, joined, distinct], sync=True)
    p = pdf[pdf["f"] > 8.0]
    p = p.assign(g=p["f"] * p["i"])
    want = p.groupby(["k", "s"], dropna=False, as_index=False).agg(g=("g", "sum"), sd=("f", "std"))
    assert_frame_equal(out_grouped, want)
    assert_frame_equal(out_joined, p.merge(small.to_pandas(), on="s"))
    assert_frame_equal(out_distinct, pdf.drop_duplicates(["k", "b"], keep="last"))
    assert len(d) == len(pdf)


def test_workers_hold_headwater_partitions(cluster_client):
    distributed = pytest.importorskip("distributed")
    d = cluster_client.persist(hwd.from_headwater(hw.DataFrame({"a": list(range(10))}), npartitions=4))
    cluster_client.gather(distributed.futures_of(d))  # waits until the partitions sit on the workers
    kinds = cluster_client.run(lambda dask_worker: sorted({type(v).__name__ for v in dask_worker.data.values()}))
    assert {k for ks in kinds.values() for k in ks} == {"DataFrame"}
    assert d.compute(scheduler=cluster_client)["a"].tolist() == list(range(10))


@pytest.mark.slow
def test_worker_killed_during_groupby_is_retried(tmp_path):
    distributed = pytest.importorskip("distributed")
    import signal
    import time

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        pdf = make_pandas(2000, seed=11)
        d = hwd.from_headwater(hw.from_pandas(pdf), npartitions=20)

        def slow(part):
            time.sleep(0.3)
            return part

        slowed = d.map_partitions(slow)
        result = slowed.groupby("k", as_index=False).agg(total=("f", "sum"), n=("i", "count"), m=("f", "mean"))
        future = client.compute(result)
        time.sleep(1.5)  # some partitions done, others running on both workers
        pids = client.run(os.getpid)  # worker address -> process id (on this machine)
        assert not future.done(), "the groupby finished before a worker could be killed"
        victim = pids[sorted(pids)[0]]
        os.kill(victim, signal.SIGKILL)
        got = future.result(timeout=120)
        assert_frame_equal(got, pdf.groupby("k", as_index=False).agg(total=("f", "sum"), n=("i", "count"),
                                                                     m=("f", "mean")))
        assert victim not in client.run(os.getpid).values()  # the killed process is gone (the nanny restarts one)
