"""DistributedDataParallel on the loopback group: the same gradients, buckets, no_sync."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
import headwater.distributed as dist


@pytest.fixture
def loopback():
    dist.init_process_group("loopback")
    yield
    dist.destroy_process_group()


def model():
    hw.manual_seed(0)
    return hw.nn.Sequential(hw.nn.Linear(4, 8), hw.nn.Tanh(), hw.nn.Linear(8, 2)).double()


def grads(m):
    return [p.grad.numpy().copy() for p in m.parameters()]


@pytest.mark.parametrize("cap", [25, 1e-6])
def test_gradients_equal_the_plain_model(loopback, cap):
    x = hw.tensor(np.random.default_rng(0).normal(size=(16, 4)))
    plain = model()
    (plain(x) ** 2).mean().backward()
    wrapped = hw.nn.parallel.DistributedDataParallel(model(), bucket_cap_mb=cap)
    assert len(wrapped._buckets) == (1 if cap == 25 else 4)
    for _ in range(2):  # the hooks reset after each backward
        for p in wrapped.parameters():
            p.grad = None
        (wrapped(x) ** 2).mean().backward()
        for a, b in zip(grads(plain), grads(wrapped.module)):
            np.testing.assert_allclose(a, b, rtol=1e-12)


def test_no_sync_accumulates_and_the_next_backward_reduces(loopback):
    x = hw.tensor(np.random.default_rng(1).normal(size=(8, 4)))
    plain = model()
    (plain(x) ** 2).mean().backward()
    (plain(x) ** 2).mean().backward()
    wrapped = hw.nn.parallel.DistributedDataParallel(model(), bucket_cap_mb=1e-6)
    with wrapped.no_sync():
        (wrapped(x) ** 2).mean().backward()
    (wrapped(x) ** 2).mean().backward()
    for a, b in zip(grads(plain), grads(wrapped.module)):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_refusals(loopback):
    with pytest.raises(NotImplementedError, match="find_unused_parameters"):
        hw.nn.parallel.DistributedDataParallel(model(), find_unused_parameters=True)
    net = hw.nn.ModuleDict({"a": hw.nn.Linear(2, 2), "b": hw.nn.Linear(2, 2)}).double()
    wrapped = hw.nn.parallel.DistributedDataParallel(net, bucket_cap_mb=1e-6)
    wrapped.module["a"](hw.ones(1, 2, dtype=hw.float64)).sum().backward()  # b gets no gradient
    with pytest.raises(RuntimeError, match="did not reach every parameter"):
        wrapped(hw.ones(1, 2))
