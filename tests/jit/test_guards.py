"""Host reads while hw.compile traces: branches on tensors become guards that retrace;
other reads (.item(), .tolist(), float(), int()) run eagerly with a message naming the
line, or raise under fullgraph=True; hw.jit.trace warns."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import headwater as hw
from tests.jit.jit_helpers import f64

LINE = r"test_guards\.py:\d+"


def _sign_branch(x):
    y = x * 1.5
    if y.sum() > 0:
        return y * 2
    return y - 3


def test_a_branch_becomes_a_guard_that_retraces_when_it_flips():
    g = hw.compile(_sign_branch)
    pos, neg = f64(3, low=0.1), -f64(3, low=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # guarded: no eager fallback, no warning
        for x, traces in [(pos, 1), (pos, 1), (neg, 2), (neg, 2), (pos, 2), (neg * 2, 2), (pos * 3, 2)]:
            out = g(x)
            assert np.array_equal(out.numpy(), _sign_branch(x).numpy())
            assert g.traces == traces
    assert len(g.graphs) == 2
    texts = [str(graph) for graph in g.graphs]
    assert all("guard.bool" in t for t in texts)
    assert sorted("expected=True" in t for t in texts) == [False, True]


def test_a_while_loop_on_a_tensor_traces_each_trip_count():
    def newton_sqrt(a):
        y = a * 0.5 + 0.5
        while ((y * y - a).abs() > 1e-10).any():
            y = (y + a / y) * 0.5
        return y

    g = hw.compile(newton_sqrt)
    for value in (2.0, 2.0, 9.0, 2.0, 9.0):
        a = hw.as_tensor(np.full(3, value))
        assert np.array_equal(g(a).numpy(), newton_sqrt(a).numpy())
    assert g.traces == 2


def test_bool_and_not_and_conditional_expressions_are_guarded():
    def f(x, y):
        pick = x if (x.max() > y.max()) and not (x.min() > 10) else y
        return pick * 2

    g = hw.compile(f)
    a, b = f64(4), f64(4, seed=1) + 5
    for args in [(a, b), (b, a), (a, b), (b + 20, a)]:
        assert np.array_equal(g(*args).numpy(), f(*args).numpy())
    assert 2 <= g.traces <= 4


def test_guards_restore_the_generator_so_dropout_matches_eager():
    def f(x):
        y = hw.nn.functional.dropout(x, 0.5, training=True)
        if y.sum() > 0:
            return y * 2
        return y * -1

    xs = [f64(20, seed=k, low=0.1) * (1 if k % 3 else -1) for k in range(8)]
    hw.manual_seed(5)
    eager = [f(x).numpy() for x in xs]
    g = hw.compile(f)
    hw.manual_seed(5)
    replay = [g(x).numpy() for x in xs]
    for a, b in zip(eager, replay):
        assert np.array_equal(a, b)
    assert g.traces == 2


def test_a_guard_on_the_tape_path_keeps_gradients():
    w = hw.nn.Parameter(f64(3, seed=4))

    def f(x):
        y = x * w
        if y.sum() > 0:
            return (y * y).sum()
        return y.sum()

    g = hw.compile(f)
    for x in (f64(3, low=1.0), -f64(3, low=1.0), f64(3, low=1.0) * 2, -f64(3, low=1.0)):
        w.grad = None
        g(x).backward()
        got = w.grad.numpy().copy()
        w.grad = None
        f(x).backward()
        assert np.array_equal(got, w.grad.numpy())
    assert g.traces == 2


def test_guard_retraces_count_towards_max_traces():
    def f(x):
        return x * 2 if x.sum() > 0 else x * 3

    g = hw.compile(f, max_traces=1)
    g(f64(2, low=0.1))
    with pytest.warns(hw.jit.CompileWarning, match="max_traces"):
        out = g(-f64(2, low=0.1))
    assert np.array_equal(out.numpy(), (-f64(2, low=0.1) * 3).numpy())


def test_a_branch_after_backward_runs_eagerly_naming_the_line():
    model = hw.nn.Linear(3, 1).to(hw.float64)
    opt = hw.optim.SGD(model.parameters(), lr=0.1)

    def step(x):
        opt.zero_grad()
        loss = (model(x) ** 2).mean()
        loss.backward()
        if loss > 1.0:  # after backward(): cannot be guarded
            opt.step()
        return loss

    g = hw.compile(step)
    with pytest.warns(hw.jit.CompileWarning, match=rf"branch on a tensor at .*{LINE} comes after backward"):
        g(f64(4, 3))
    assert g.graphs == []


@pytest.mark.parametrize("read", ["item", "tolist", "float", "int", "numpy"])
def test_other_host_reads_run_eagerly_naming_the_line(read):
    def f(x):
        s = x.sum()
        value = {"item": lambda: s.item(), "tolist": lambda: s.tolist(), "float": lambda: float(s),
                 "int": lambda: int(s), "numpy": lambda: float(s.numpy())}[read]()
        return x * value

    g = hw.compile(f)
    with pytest.warns(hw.jit.CompileWarning, match=rf"read on the host at .*{LINE}"):
        g(f64(3, low=0.5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for seed in (1, 2):  # eager for this signature: each call reads its own value
            x = f64(3, seed=seed, low=0.5)
            assert np.array_equal(g(x).numpy(), f(x).numpy())
    assert g.graphs == []
    with pytest.raises(hw.jit.TraceError, match=LINE):
        hw.compile(f, fullgraph=True)(f64(3, low=0.5))


def test_trace_warns_on_a_branch_and_bakes_it():
    with pytest.warns(hw.jit.TracerWarning, match=rf"Python branch on a tensor at .*{LINE}"):
        traced = hw.jit.trace(_sign_branch, f64(3, low=0.1))
    neg = -f64(3, low=0.1)
    assert np.array_equal(traced(neg).numpy(), (neg * 1.5 * 2).numpy())  # the traced branch
    assert "guard" not in str(traced.graph)
    with pytest.warns(hw.jit.TracerWarning, match=rf"read on the host at .*{LINE}"):
        hw.jit.trace(lambda x: x * x.sum().item(), f64(3))


def test_tracing_a_branch_reads_its_value_once_as_eager_does():
    # the recorder takes the branch's value from the read bool() makes (a GPU would
    # synchronise twice if it read the device array again)
    x = f64(3, low=0.1)
    hw.reset_transfer_stats()
    _sign_branch(x)
    eager = hw.transfer_stats().to_host_calls
    g = hw.compile(_sign_branch)
    hw.reset_transfer_stats()
    g(x)
    assert hw.transfer_stats().to_host_calls == eager == 1
