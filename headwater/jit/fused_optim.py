"""Optimizer updates as a replay runs them: the eager update rule's arithmetic, in the
same order, with scratch buffers kept between steps.

On NumPy each update is the rule's own sequence of ufuncs (``adam_arithmetic``,
``sgd_arithmetic``, shared with the eager optimizers) writing into two scratch buffers
allocated once per parameter, so the result is the eager one bit for bit; with numba
installed, Adam's ufuncs become one compiled loop doing the same operations in the same
order (:mod:`headwater.jit.cpu_kernels`), with the same result, called once for all the
parameters of a group where they allow it (:class:`_AdamGroups`). On CuPy the
whole Adam update of a parameter is one ``ElementwiseKernel`` doing the same operations
in the same order, compiled without contracting multiply-adds (``--fmad=false``), so it
too rounds as the eager kernels do; the ufunc sequence runs there as well where the
kernel does not apply (AMSGrad) and is its reference in the GPU tests. A parameter
whose optimizer state does not exist yet takes the eager update (which creates it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.autograd.function import xp_of
from headwater.autograd.optim.adam import Adam, AdamW, adam_arithmetic
from headwater.autograd.optim.sgd import SGD, sgd_arithmetic
from headwater.autograd.optim.adam_kernel import adam_coefficients
from headwater.jit.cpu_kernels import adam_cpu_update, adam_group_kernel
from headwater.tensor.devices import array_device

__all__ = ["fused_step", "adam_update_kernel"]


def fused_step(opt: Any) -> Callable[[], None] | None:
    """A callable doing ``opt.step()`` (without closure) with kept scratch buffers, or
    None where the optimizer has no fused rule (the replay then calls its ``step``).

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(2)); p.grad = hw.ones(2)
    >>> step = fused_step(hw.optim.SGD([p], lr=0.5)); step(); p.tolist()
    [0.5, 0.5]
    """
    if type(opt) in (Adam, AdamW):
        return _Fused(opt, _adam_param, _AdamGroups(opt) if adam_group_kernel() is not None else None)
    if type(opt) is SGD:
        return _Fused(opt, _sgd_param)
    return None


class _Fused:
    """Optimizer.step's loop with a per-parameter rule and kept scratch buffers."""

    def __init__(self, opt: Any, rule: Callable, whole: Callable[[], bool] | None = None) -> None:
        self.opt = opt
        self.rule = rule
        self.whole = whole  # the whole step at once where it applies (True: done)
        self.scratch: dict[int, tuple] = {}

    def _buffers(self, p: Any) -> tuple:
        bufs = self.scratch.get(id(p))
        data = p.array
        if bufs is None or bufs[0].shape != data.shape or bufs[0].dtype != data.dtype \
                or type(bufs[0]) is not type(data):
            xp = xp_of(data)
            bufs = self.scratch[id(p)] = (xp.empty_like(data), xp.empty_like(data))
        return bufs

    def __call__(self) -> None:
        if self.whole is not None and self.whole():
            return
        opt = self.opt
        states = opt.state
        for group in opt.param_groups:
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                state = states.get(id(p))
                if state is None:
                    state = states[id(p)] = {}
                self.rule(opt, group, p, grad.array, state, self._buffers(p))
                p._vc[0] += 1


class _AdamGroups:
    """Adam's step on NumPy memory as one compiled call per parameter group: the
    one-parameter loop of :mod:`headwater.autograd.optim.adam_kernel` for each
    parameter in turn (so the same bits as eager), without a Python pass per
    parameter. It applies when every parameter of every group has a gradient and
    optimizer state, all are C-contiguous NumPy arrays of one float dtype per group,
    the parameters of a group are at the same step, and AMSGrad is off; otherwise
    (nothing done) the step goes parameter by parameter."""

    def __init__(self, opt: Any) -> None:
        self.opt = opt
        self.kernel = adam_group_kernel()
        self.flat: dict[int, tuple] = {}  # id(param) -> (data, m, v, and their flat views)

    def _flat(self, pid: int, data: Any, m: Any, v: Any) -> tuple | None:
        """``(data, m, v, flat views)`` of a parameter, kept while they are the same arrays."""
        dtype = data.dtype
        for a in (data, m, v):
            if type(a) is not np.ndarray or a.dtype != dtype or not a.flags.c_contiguous or a.shape != data.shape:
                return None
        if dtype not in (np.float32, np.float64):
            return None
        hit = self.flat[pid] = (data, m, v, data.reshape(-1), m.reshape(-1), v.reshape(-1))
        return hit

    def __call__(self) -> bool:
        opt = self.opt
        states = opt.state
        get = dict.get  # the state mapping's own get wraps Tensor keys; these are ids
        flats = self.flat
        ndarray = np.ndarray
        calls = []
        for group in opt.param_groups:
            params = group["params"]
            if group["amsgrad"] or not params:
                return False
            dtype = params[0].array.dtype
            step = None
            datas, grads, ms, vs, kept = [], [], [], [], []
            for p in params:
                grad = p.grad
                pid = id(p)
                state = get(states, pid)
                if grad is None or not state:
                    return False
                g, data = grad.array, p.array
                if type(g) is not ndarray or g.dtype != dtype or data.dtype != dtype or g.shape != data.shape \
                        or not g.flags.c_contiguous:
                    return False
                m, v = state.get("exp_avg"), state.get("exp_avg_sq")
                flat = get(flats, pid)
                if flat is None or flat[0] is not data or flat[1] is not m or flat[2] is not v:
                    flat = self._flat(pid, data, m, v)
                    if flat is None:
                        return False
                if step is None:
                    step = state["step"]
                elif state["step"] != step:
                    return False
                datas.append(flat[3])
                ms.append(flat[4])
                vs.append(flat[5])
                grads.append(g.reshape(-1))
                kept.append(state)
            calls.append((group, params, kept, step + 1, dtype, tuple(datas), tuple(grads), tuple(ms), tuple(vs)))
        for group, params, kept, step, dtype, datas, grads, ms, vs in calls:
            self.kernel(datas, grads, ms, vs, adam_coefficients(group, step, dtype, opt.decoupled))
            for p, state in zip(params, kept):
                state["step"] = step
                p._vc[0] += 1
        return True


def _adam_param(opt: Any, group: dict, p: Any, grad: Any, state: dict, bufs: tuple) -> None:
    if not state:  # the first update creates the state
        opt._update(group, p, grad, state)
    elif type(p.array) is np.ndarray and adam_cpu_update(p.array, grad, state, group, opt.decoupled):
        pass
    elif array_device(p.array) == "cuda" and not group["amsgrad"]:
        adam_update_kernel(p.array, grad, state, group, opt.decoupled)
    else:
        adam_arithmetic(p.array, grad, state, bufs, group, opt.decoupled)


def _sgd_param(opt: Any, group: dict, p: Any, grad: Any, state: dict, bufs: tuple) -> None:
    sgd_arithmetic(p.array, grad, state, bufs, group)


_ADAM_KERNELS: dict = {}

_ADAM_BODY = """
T gg = g;
if (maximize) gg = -gg;
if (wd_mode == 1) { data = data * decay; }
else if (wd_mode == 2) { T t = data * wd; gg = gg + t; }
m = m * b1; T t1 = gg * c1; m = m + t1;
v = v * b2; T sq = gg * gg; sq = sq * c2; v = v + sq;
T d = sqrt(v); d = d / bias2_sqrt; d = d + eps; d = m / d; d = d * step_size;
data = data - d;
"""


def adam_update_kernel(data: Any, grad: Any, state: dict, group: dict, decoupled: bool) -> None:
    """``adam_arithmetic`` (without AMSGrad) as one CuPy ``ElementwiseKernel``: the
    same operations in the same order, each rounded, no fused multiply-adds."""
    if group["amsgrad"]:
        raise ValueError("adam_update_kernel: AMSGrad runs through adam_arithmetic")
    import cupy

    kernel = _ADAM_KERNELS.get("adam")
    if kernel is None:
        kernel = _ADAM_KERNELS["adam"] = cupy.ElementwiseKernel(
            "T g, bool maximize, int32 wd_mode, T decay, T wd, T b1, T c1, T b2, T c2, "
            "T bias2_sqrt, T eps, T step_size",
            "T data, T m, T v", _ADAM_BODY, "headwater_adam", options=("--fmad=false",))
    lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
    state["step"] += 1
    step = state["step"]
    dt = data.dtype.type
    wd_mode = 0 if not wd else 1 if decoupled else 2
    kernel(grad, bool(group["maximize"]), np.int32(wd_mode), dt(1 - lr * wd), dt(wd), dt(b1), dt(1 - b1),
           dt(b2), dt(1 - b2), dt(math.sqrt(1 - b2**step)), dt(eps), dt(lr / (1 - b1**step)),
           data, state["exp_avg"], state["exp_avg_sq"])
