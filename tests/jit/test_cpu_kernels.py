"""The compiled CPU Adam loop (numba) against the eager ufunc sequence, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from headwater.autograd.optim.adam import adam_arithmetic
from headwater.jit import cpu_kernels

pytest.importorskip("numba")


@pytest.fixture(autouse=True)
def _numba_on(monkeypatch):
    """These tests compare the compiled loops with NumPy, so they turn numba on even in a
    run with ``HEADWATER_JIT_NUMBA=0`` (which the rest of the suite honours)."""
    monkeypatch.setenv("HEADWATER_JIT_NUMBA", "1")
    cpu_kernels.reset()
    yield
    monkeypatch.undo()
    cpu_kernels.reset()

GROUPS = [
    ({}, False), ({"weight_decay": 0.1}, False), ({"maximize": True}, False),
    ({"weight_decay": 0.05}, True), ({"maximize": True, "weight_decay": 0.2}, True),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("kw", "decoupled"), GROUPS)
def test_adam_loop_equals_the_ufunc_sequence(kw, decoupled, dtype):
    cpu_kernels.reset()
    rng = np.random.default_rng(3)
    group = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False)
    group.update(kw)
    shape = (33, 7)
    data = rng.standard_normal(shape).astype(dtype)
    runs = []
    for compiled in (False, True):
        d = data.copy()
        state = {"step": 0, "exp_avg": np.zeros(shape, dtype), "exp_avg_sq": np.zeros(shape, dtype)}
        grads = np.random.default_rng(4)
        for _ in range(6):
            # gradients over many magnitudes, zeros and subnormal-adjacent values included
            g = (grads.standard_normal(shape) * 10.0 ** grads.uniform(-30, 5, shape)).astype(dtype)
            g[0, :3] = 0
            if compiled:
                assert cpu_kernels.adam_cpu_update(d, g, state, group, decoupled)
            else:
                adam_arithmetic(d, g, state, (np.empty_like(d), np.empty_like(d)), group, decoupled)
        runs.append((d, state["exp_avg"], state["exp_avg_sq"], state["step"]))
    for a, b in zip(runs[0][:3], runs[1][:3]):
        assert a.dtype == b.dtype == np.dtype(dtype)
        assert np.array_equal(a, b)
    assert runs[0][3] == runs[1][3] == 6


def test_adam_loop_declines_what_it_does_not_cover(monkeypatch):
    cpu_kernels.reset()
    group = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=True, maximize=False)
    state = {"step": 0, "exp_avg": np.zeros(4), "exp_avg_sq": np.zeros(4), "max_exp_avg_sq": np.zeros(4)}
    assert not cpu_kernels.adam_cpu_update(np.ones(4), np.ones(4), state, group, False)
    group["amsgrad"] = False
    strided = np.ones(8)[::2]
    assert not cpu_kernels.adam_cpu_update(strided, np.ones(4), state, group, False)
    assert not cpu_kernels.adam_cpu_update(np.ones(4, np.float16), np.ones(4, np.float16), state, group, False)
    assert state["step"] == 0
    monkeypatch.setenv("HEADWATER_JIT_NUMBA", "0")
    cpu_kernels.reset()
    assert not cpu_kernels.numba_enabled()
    assert not cpu_kernels.adam_cpu_update(np.ones(4), np.ones(4), state, group, False)
    monkeypatch.delenv("HEADWATER_JIT_NUMBA")
    cpu_kernels.reset()
    assert cpu_kernels.numba_enabled()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_backward_loop_equals_the_op_backward(dtype):
    from headwater.autograd.ops.activations import Relu

    cpu_kernels.reset()
    fn = cpu_kernels.replay_backward(Relu)
    rng = np.random.default_rng(5)
    a = rng.standard_normal((17, 9)).astype(dtype)
    a[0, :4] = [np.nan, -0.0, 0.0, np.inf]
    g = rng.standard_normal((17, 9)).astype(dtype)
    g[1, :3] = [np.nan, -np.inf, -0.0]
    a[1, :3] = 1.0
    op = Relu.__new__(Relu)
    op.forward(a)
    want = op._run_backward(g)
    got = fn(op, g)
    assert got.dtype == want.dtype
    assert np.array_equal(got.view(np.uint8), want.view(np.uint8))  # the same bits, zeros' signs too
    assert fn(op, g.T.copy().T) is not None  # a strided gradient takes the op's own backward


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ignore", [-100, 2])
def test_cross_entropy_forward_loop_equals_the_op(dtype, reduction, ignore):
    from headwater.autograd.nn.loss_functions import CrossEntropy

    cpu_kernels.reset()
    fn = cpu_kernels.replay_forward(CrossEntropy)
    back = cpu_kernels.replay_backward(CrossEntropy)  # the compiled backward after the compiled forward
    rng = np.random.default_rng(6)
    logits = (rng.standard_normal((13, 5)) * 4).astype(dtype)
    logits[0, 1] = -np.inf
    logits[5, 3] = np.nan  # the row maximum is NaN, as NumPy's max says
    logits[6, 0] = np.inf
    logits[7] = [-0.0, 0.0, -0.0, -1.0, 0.0]
    logits[8, 4] = logits[8].max()  # a tie for the maximum
    target = rng.integers(0, 5, 13)
    target[3] = ignore
    target[9] = ignore
    logits[9] = 0.0  # an ignored row whose log-probabilities are all equal
    logits[10] = [0.0, -200.0, -200.0, -200.0, -200.0]  # a probability of 1 in float32: logp +0.0
    target[10] = 0
    g = np.asarray(0.7, dtype)
    runs = []
    for own in (True, False):
        op = CrossEntropy.__new__(CrossEntropy)
        op.needs = (True, False, False)
        args = (logits, target, None)
        kw = dict(ignore_index=ignore, smoothing=0.0, reduction=reduction)
        out = op.forward(*args, **kw) if own else fn(op, *args, **kw)
        seed = g if reduction != "none" else np.full(13, 0.7, dtype)
        grad = op._run_backward(seed)[0] if own else back(op, seed)[0]
        runs.append((np.asarray(out), grad, op.dist, np.asarray(op.denom)))
    for a, b in zip(*runs):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert np.array_equal(a, b, equal_nan=True)
        kept = ~np.isnan(a)
        assert np.array_equal(np.signbit(a[kept]), np.signbit(b[kept]))  # zeros' signs too
    bad = target.copy()
    bad[0] = 7
    with pytest.raises(IndexError, match="outside"):
        fn(CrossEntropy.__new__(CrossEntropy), logits, bad, None, ignore_index=ignore)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("gshape", [(32, 256), (1000, 8), (5, 300), (2, 3, 16), (1, 9), (40, 3), (40, 1)])
def test_linear_backward_loop_equals_the_op(dtype, gshape):
    from headwater.autograd.ops.linalg import Linear

    cpu_kernels.reset()
    fn = cpu_kernels.replay_backward(Linear)
    rng = np.random.default_rng(len(gshape) + gshape[-1])
    out_f, in_f = gshape[-1], 7
    x = rng.standard_normal((*gshape[:-1], in_f)).astype(dtype)
    w = rng.standard_normal((out_f, in_f)).astype(dtype)
    g = (rng.standard_normal(gshape) * 1e3).astype(dtype)
    g.reshape(-1, out_f)[:, 0] = -0.0  # a column of negative zeros sums to +0.0, as NumPy's
    if gshape[0] > 2:
        g.reshape(-1, out_f)[1, -1] = np.nan
    for needs in [(True, True, True), (False, True, True), (True, False, False)]:
        runs = []
        for own in (True, False):
            op = Linear.__new__(Linear)
            op.forward(x, w, np.zeros(out_f, dtype))
            op.needs = needs
            runs.append(op._run_backward(g) if own else fn(op, g))
            assert op.needs == needs
        for a, b in zip(*runs):
            assert (a is None) == (b is None)
            if a is not None:
                assert a.dtype == b.dtype and a.shape == b.shape
                assert a.tobytes() == b.tobytes()
