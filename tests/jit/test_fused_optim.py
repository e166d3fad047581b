"""Fused optimizer updates against the eager update rules, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.autograd.optim.adam import adam_arithmetic
from headwater.jit.fused_optim import adam_update_kernel, fused_step

CASES = [
    ("Adam", {}), ("Adam", {"weight_decay": 0.1}), ("Adam", {"maximize": True}),
    ("Adam", {"amsgrad": True}), ("AdamW", {"weight_decay": 0.05}),
    ("SGD", {}), ("SGD", {"momentum": 0.9}), ("SGD", {"momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"momentum": 0.5, "dampening": 0.3, "maximize": True}),
]


def _pair(name, kw, dtype, device):
    rng = np.random.default_rng(0)
    init = [rng.standard_normal((7, 5)), rng.standard_normal(5)]
    out = []
    for _ in range(2):
        ps = [hw.nn.Parameter(hw.as_tensor(a.astype(dtype), device=device)) for a in init]
        out.append((ps, getattr(hw.optim, name)(ps, lr=0.01, **kw)))
    return out, rng


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "kw"), CASES)
def test_fused_step_equals_eager_step(name, kw, dtype):
    ((eager_ps, eager), (fused_ps, opt)), rng = _pair(name, kw, dtype, hw.device())
    step = fused_step(opt)
    for _ in range(5):
        grads = [rng.standard_normal(p.shape).astype(dtype) for p in eager_ps]
        for ps in (eager_ps, fused_ps):
            for p, g in zip(ps, grads):
                p.grad = hw.as_tensor(g, device=hw.device())
        eager.step()
        step()
        for a, b in zip(eager_ps, fused_ps):
            assert np.array_equal(a.detach().numpy(), b.detach().numpy())
            assert b.dtype == np.dtype(dtype)
    assert eager.state_dict()["state"][0].keys() == opt.state_dict()["state"][0].keys()


@pytest.mark.gpu
@pytest.mark.parametrize("kw", [{}, {"weight_decay": 0.1}, {"maximize": True}, {"weight_decay": 0.1, "decoupled": True}])
def test_adam_kernel_equals_the_ufunc_path_on_cupy(kw):
    import cupy

    rng = np.random.default_rng(1)
    group = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=kw.get("weight_decay", 0.0),
                 amsgrad=False, maximize=kw.get("maximize", False))
    for dtype in (np.float32, np.float64):
        base = [cupy.asarray(rng.standard_normal(1000).astype(dtype)) for _ in range(4)]
        runs = []
        for kernel in (False, True):
            data, g, m, v = (a.copy() for a in base)
            st = {"step": 0, "exp_avg": m, "exp_avg_sq": cupy.abs(v)}
            bufs = (cupy.empty_like(data), cupy.empty_like(data))
            for _ in range(3):
                if kernel:
                    adam_update_kernel(data, g, st, group, kw.get("decoupled", False))
                else:
                    adam_arithmetic(data, g, st, bufs, group, kw.get("decoupled", False))
            runs.append((data, st["exp_avg"], st["exp_avg_sq"]))
        for a, b in zip(*runs):
            assert bool(cupy.array_equal(a, b)), dtype


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "kw"), [c for c in CASES if c[0] != "SGD" and not c[1].get("amsgrad")])
def test_adam_group_call_equals_eager_steps(name, kw, dtype):
    pytest.importorskip("numba")
    from headwater.jit import cpu_kernels
    from headwater.jit.fused_optim import _AdamGroups

    cpu_kernels.reset()
    if not cpu_kernels.numba_enabled() or type(hw.ones(1).array) is not np.ndarray:
        pytest.skip("the one-call Adam runs on NumPy memory with numba (not on a GPU or in strict mode)")
    ((eager_ps, eager), (fused_ps, opt)), rng = _pair(name, kw, dtype, hw.device())
    opt.add_param_group({"params": [hw.nn.Parameter(hw.ones(3, dtype=dtype))], "lr": 0.05})
    eager.add_param_group({"params": [hw.nn.Parameter(hw.ones(3, dtype=dtype))], "lr": 0.05})
    eager_ps, fused_ps = eager_ps + eager.param_groups[1]["params"], fused_ps + opt.param_groups[1]["params"]
    whole = _AdamGroups(opt)
    taken = []
    for k in range(6):
        grads = [rng.standard_normal(p.shape).astype(dtype) for p in eager_ps]
        for ps in (eager_ps, fused_ps):
            for p, g in zip(ps, grads):
                p.grad = hw.as_tensor(g, device=hw.device())
        eager.step()
        versions = [p._version for p in fused_ps]
        done = whole()
        if not done:  # the first step creates the state: the optimizer's own step
            opt.step()
        taken.append(done)
        assert [p._version for p in fused_ps] == [v + 1 for v in versions]
        for a, b in zip(eager_ps, fused_ps):
            assert np.array_equal(a.detach().numpy(), b.detach().numpy())
    assert taken == [False] + [True] * 5
    assert [s["step"] for s in opt.state.values()] == [6] * 3
    # what it does not cover is declined with nothing changed
    fused_ps[0].grad = None
    assert not whole()
    fused_ps[0].grad = hw.ones(*fused_ps[0].shape, dtype=dtype)
    fused_ps[1].grad = hw.as_tensor(np.ones((5, 2), dtype)[:, 0], device=hw.device())  # strided
    assert not whole()
    assert [s["step"] for s in opt.state.values()] == [6] * 3


def test_adam_group_plan_follows_replaced_state_and_arrays():
    """The kept plan is checked by identity: a loaded state dict, a parameter given a
    new array or an eager step in between make it rebuild, and the steps stay eager's."""
    pytest.importorskip("numba")
    from headwater.jit import cpu_kernels
    from headwater.jit.fused_optim import _AdamGroups

    cpu_kernels.reset()
    if not cpu_kernels.numba_enabled() or type(hw.ones(1).array) is not np.ndarray:
        pytest.skip("the one-call Adam runs on NumPy memory with numba")
    rng = np.random.default_rng(3)
    start = [rng.standard_normal((4, 3)), rng.standard_normal(3)]
    ps = [[hw.nn.Parameter(hw.tensor(a.copy())) for a in start] for _ in range(2)]
    eager, fused = hw.optim.Adam(ps[0], lr=0.1), hw.optim.Adam(ps[1], lr=0.1)
    whole = _AdamGroups(fused)

    def both(k):
        grads = [rng.standard_normal(a.shape) for a in start]
        for group in ps:
            for p, g in zip(group, grads):
                p.grad = hw.tensor(g)
        eager.step()
        done = k != 3 and whole()  # k == 3: an eager step of the fused optimizer in between
        if not done:
            fused.step()
        for a, b in zip(*ps):
            assert np.array_equal(a.detach().numpy(), b.detach().numpy())
        return done

    assert [both(k) for k in range(3)] == [False, True, True]  # the first step creates the state
    kept = whole.plan
    assert not both(3) and both(4) and whole.plan is not kept  # rebuilt after the eager step
    fused.load_state_dict(eager.state_dict())  # new state dicts and arrays, equal values
    kept = whole.plan
    assert both(5) and whole.plan is not kept
    with hw.no_grad():
        ps[1][0].data = hw.tensor(ps[1][0].detach().numpy().copy())  # a new array
    kept = whole.plan
    assert both(6) and whole.plan is not kept and both(7) and whole.plan[0].arrays[0] is ps[1][0].array
    assert [s["step"] for s in fused.state.values()] == [s["step"] for s in eager.state.values()] == [8, 8]
