"""The replay's fast paths: the fused linear + ReLU pass (bit for bit against the two
ops and eager training) and the signature check of positional tensor calls."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.jit import cpu_kernels
from headwater.jit.fused_linear import bias_relu_kernel, linear_relu_pairs


@pytest.fixture
def numba_on():
    pytest.importorskip("numba")
    cpu_kernels.reset()
    if not cpu_kernels.numba_enabled():
        pytest.skip("HEADWATER_JIT_NUMBA=0")
    yield
    cpu_kernels.reset()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bias_relu_pass_equals_the_ufuncs(numba_on, dtype):
    rng = np.random.default_rng(7)
    out = rng.standard_normal((9, 13)).astype(dtype)
    bias = rng.standard_normal(13).astype(dtype)
    out[0, :6] = [np.nan, -0.0, 0.0, np.inf, -np.inf, 1e-30]
    bias[:6] = [0.0, -0.0, -0.0, -np.inf, 1.0, -1e-30]  # sums of -0.0, NaN, +-inf, exact zeros
    out[1, 1], out[1, 2] = -0.0, 0.0
    want_out = out.copy()
    with np.errstate(invalid="ignore"):  # inf + -inf
        want_out += bias
    want = np.maximum(want_out, np.zeros_like(want_out))
    got_out, res = out.copy(), np.empty_like(out)
    bias_relu_kernel()(got_out, bias, res)
    assert np.array_equal(got_out.view(np.uint8), want_out.view(np.uint8))
    assert np.array_equal(res.view(np.uint8), want.view(np.uint8))  # zeros' signs and NaNs too


def _relu_mlp(dtype):
    hw.manual_seed(1)
    return hw.nn.Sequential(hw.nn.Linear(5, 12), hw.nn.ReLU(), hw.nn.Linear(12, 12), hw.nn.ReLU(),
                            hw.nn.Linear(12, 3)).to(dtype)


def _train(compiled: bool, dtype, steps: int = 21):
    model = _relu_mlp(dtype)
    opt = hw.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = hw.nn.CrossEntropyLoss()

    def step(x, y):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    run = hw.compile(step) if compiled else step
    rng = np.random.default_rng(2)
    for _ in range(steps):
        x = hw.as_tensor(rng.standard_normal((8, 5)).astype(dtype), device=hw.device())
        run(x, hw.as_tensor(rng.integers(0, 3, 8), device=hw.device()))
    return [p.detach().numpy() for p in model.parameters()], run


@pytest.mark.parametrize("numba", ["1", "0"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_mlp_training_replays_bit_for_bit(monkeypatch, numba, dtype):
    monkeypatch.setenv("HEADWATER_JIT_NUMBA", numba)
    cpu_kernels.reset()
    try:
        eager, _ = _train(False, dtype)
        replay, run = _train(True, dtype)
    finally:
        monkeypatch.delenv("HEADWATER_JIT_NUMBA")
        cpu_kernels.reset()
    assert run.traces == 1
    assert linear_relu_pairs(run.graphs[0]) == {0, 2}
    for a, b in zip(eager, replay):
        assert a.dtype == np.dtype(dtype)
        assert np.array_equal(a, b)


def test_pairs_leave_shared_outputs_and_chains_alone():
    class Shared(hw.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = hw.nn.Linear(3, 4), hw.nn.Linear(3, 4)

        def forward(self, x):
            h = self.a(x)
            return hw.relu(h) + h, hw.relu(self.b(x))  # the first output is read twice

    g = hw.jit.trace(Shared().to(hw.float64), hw.ones(2, 3, dtype=hw.float64)).graph
    assert linear_relu_pairs(g) == {3}
    net = hw.nn.Sequential(hw.nn.Linear(3, 4), hw.nn.ReLU()).to(hw.float64)
    chained = hw.compile(lambda x: hw.exp(net(x) * 2.0))
    x = hw.as_tensor(np.random.default_rng(0).standard_normal((2, 3)), device=hw.device())
    with hw.no_grad():  # relu -> mul -> exp is an elementwise chain: the chain runs, not the pair
        first, again, want = chained(x), chained(x), hw.exp(net(x) * 2.0)
    assert np.array_equal(again.numpy(), want.numpy()) and np.array_equal(first.numpy(), want.numpy())


def test_positional_tensor_calls_retrace_on_every_part_of_the_signature():
    model = hw.nn.Sequential(hw.nn.Linear(3, 2), hw.nn.Dropout(0.0)).to(hw.float64)
    f = hw.compile(lambda x, y: model(x) + y)
    x = hw.ones(4, 3, dtype=hw.float64)
    y = hw.ones(4, 2, dtype=hw.float64)
    f(x, y)
    f(x + 1, y + 1)
    assert f.traces == 1
    f(hw.ones(5, 3, dtype=hw.float64), hw.ones(5, 2, dtype=hw.float64))  # shape
    assert f.traces == 2
    model.to(hw.float32)
    f(hw.ones(4, 3), hw.ones(4, 2))  # dtype (and the parameters' dtype)
    assert f.traces == 3
    model.to(hw.float64)
    with hw.no_grad():  # grad mode
        f(x, y)
    assert f.traces == 4
    model.eval()  # training mode
    f(x, y)
    assert f.traces == 5
    model[0].weight = hw.nn.Parameter(hw.zeros(2, 3, dtype=hw.float64))  # parameter identity
    out = f(x, y)
    assert f.traces == 6 and np.array_equal(out.detach().numpy(), (model(x) + y).detach().numpy())
    f(x, y=y)  # a keyword call is another structure
    assert f.traces == 7
    y.requires_grad_(True)  # requires_grad of an argument
    f(x, y)
    assert f.traces == 8
    g = hw.compile(lambda a, b: a * 2 + b)
    g(y, y)  # one tensor in two positions is another graph than two tensors
    twice = g(y, y)
    other = g(hw.ones(4, 2, dtype=hw.float64), y)
    assert g.traces == 2
    assert np.array_equal(twice.detach().numpy(), np.full((4, 2), 3.0))
    assert np.array_equal(other.detach().numpy(), np.full((4, 2), 3.0))
