"""The strict device mode (HEADWATER_DEVICE=cpu-strict): NumPy memory under CuPy's rules.

The arrays and the namespace are built directly here, so these tests run in every
mode; the last test runs Headwater code end to end under the environment variable.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import headwater as hw
from headwater.tensor.backend.strict import StrictArray, StrictBackend, cupy_names


@pytest.fixture
def be() -> StrictBackend:
    return StrictBackend()


def test_implicit_host_conversion_is_refused_as_cupy_does(be):
    x = be.to_device(np.arange(4.0))
    for convert in (np.asarray, np.array, pd.Series):
        with pytest.raises(TypeError, match="Implicit conversion to a NumPy array is not allowed"):
            convert(x)
    with pytest.raises((TypeError, pa.ArrowInvalid)):
        pa.array(x)
    with pytest.raises(TypeError):
        np.float64(1.0) + np.asarray(x)
    np.testing.assert_array_equal(hw.tensor([1.0]).numpy(), [1.0])  # the counted way out works


def test_scalar_reads_are_counted_crossings(be):
    x = be.to_device(np.array([1.5, 2.5]))
    total = x.sum()
    assert type(total) is StrictArray and total.ndim == 0  # reductions stay on the device
    hw.reset_transfer_stats()
    float(total), int(total), bool(total), total.item(), x.tolist(), repr(x)
    assert hw.transfer_stats().to_host_calls == 6
    with pytest.raises(TypeError):
        range(x[0])  # no __index__ on a CuPy array


def test_only_cupys_names_exist(be):
    xp = be.xp
    assert "busday_count" not in cupy_names() and hasattr(np, "busday_count")
    with pytest.raises(AttributeError, match="offers only CuPy's names"):
        xp.busday_count
    with pytest.raises(AttributeError, match="offers only CuPy's names"):
        be.to_device(np.arange(3)).ctypes
    assert xp.add.reduceat is not None and xp.random.default_rng is not None


def test_host_arrays_in_device_operations_are_refused(be):
    xp, x = be.xp, be.to_device(np.arange(3))
    with pytest.raises(TypeError, match="a NumPy array reached a device operation"):
        xp.concatenate([x, np.arange(3)])
    with pytest.raises(TypeError, match="a NumPy array reached a device operation"):
        x + np.arange(3)
    assert int((x + xp.asarray(np.arange(3))).sum()) == 6  # uploaded first: fine


def test_cupy_semantics_that_numpy_lacks(be):
    xp = be.xp
    keys = be.to_device(np.array([1, 0, 1, 0, 1]))
    assert xp.argsort(keys).tolist() == [1, 3, 0, 2, 4]  # CuPy sorts are stable
    x = be.to_device(np.arange(3, dtype=np.int64))
    assert x.astype(np.int64, copy=False) is x and xp.asarray(x) is x  # no-copy results are x itself
    host = np.arange(3.0)
    up = be.to_device(host)
    host[0] = 99.0
    assert float(up[0]) == 0.0  # an upload copies
    assert np.sum(up).ndim == 0 and type(np.exp(up)) is StrictArray  # NumPy's protocols dispatch to xp


def test_headwater_runs_end_to_end_under_the_strict_mode():
    """The same frame and training code gives the same answers with and without the mode."""
    script = textwrap.dedent("""
        import os, numpy as np, headwater as hw
        from headwater.tensor.backend.strict import StrictArray
        df = hw.DataFrame({"k": ["a", "b", "a", None], "v": [1.0, 2.0, None, 4.0], "n": [3, 1, 2, 5]})
        strict = os.environ["HEADWATER_DEVICE"] == "cpu-strict"
        assert (type(df["v"]._column.data) is StrictArray) == strict
        g = df.groupby("k", dropna=False, as_index=False).agg(s=("v", "sum"), n=("n", "max"))
        j = df.merge(g, on="k", how="left").sort_values(["k", "n_x"])
        hw.manual_seed(0)
        model = hw.nn.Sequential(hw.nn.Linear(2, 4), hw.nn.ReLU(), hw.nn.Linear(4, 1))
        opt = hw.optim.Adam(model.parameters(), lr=0.01)
        x = hw.tensor(np.random.default_rng(0).normal(size=(8, 2)), dtype=hw.float32)
        for _ in range(3):
            opt.zero_grad()
            loss = (model(x) ** 2).mean()
            loss.backward()
            opt.step()
        print(g.to_dict(), j["s"].to_list(), round(float(loss), 6))
    """)
    outputs = {}
    for mode in ("cpu", "cpu-strict"):
        env = {**os.environ, "HEADWATER_DEVICE": mode}
        run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        outputs[mode] = run.stdout
    assert outputs["cpu"] == outputs["cpu-strict"] and outputs["cpu"].strip()
