"""Fixtures of the headwater.dask tests: the schedulers and a frame with nulls.

Every partitioned operation runs on three schedulers: synchronous, threads, and a
``distributed.LocalCluster(processes=True, n_workers=2)`` started once per session
(partitions then cross process boundaries as Arrow IPC). The cluster runs of every
test are ``slow`` (``-m slow``); test_dask_cluster.py runs the operations on the
cluster in the default suite, one test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

pytest.importorskip("dask")

import headwater as hw  # noqa: E402
from tests.dask.dask_data import make_pandas  # noqa: E402


@pytest.fixture(scope="session")
def cluster_client() -> Any:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=50)
    client = distributed.Client(cluster, set_as_default=False)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(params=["sync", "threads", pytest.param("distributed", marks=pytest.mark.slow)])
def compute(request: pytest.FixtureRequest) -> Callable[[Any], Any]:
    """``compute(collection)``: the collection computed on the scheduler under test."""
    if request.param == "distributed":
        client = request.getfixturevalue("cluster_client")
        return lambda c: c.compute(scheduler=client)
    return lambda c: c.compute(scheduler=request.param)


@pytest.fixture
def pdf() -> pd.DataFrame:
    return make_pandas()


@pytest.fixture
def hdf(pdf: pd.DataFrame) -> Any:
    return hw.from_pandas(pdf)
