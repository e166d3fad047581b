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
import operator
from collections.abc import Callable
from itertools import repeat
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
    (nothing done) the step goes parameter by parameter.

    What a step needs of the parameters and their state (the arrays, their flat views,
    the state dicts) is gathered once into a *plan* and, at later steps, only checked
    by identity (the same parameters, arrays and state dicts, at the step the plan
    left them); any change builds the plan again."""

    def __init__(self, opt: Any) -> None:
        self.opt = opt
        self.kernel = adam_group_kernel()
        self.plan: list | None = None  # per group: _GroupPlan

    def __call__(self) -> bool:
        opt = self.opt
        groups, states = opt.param_groups, opt.state
        for _ in range(2):  # the kept plan, else a new one
            plan = self.plan
            if plan is None or len(plan) != len(groups):
                plan = self.plan = self._build()
                if plan is None:
                    return False
            grads_of = [gp.grads(group, states) for gp, group in zip(plan, groups)]
            if all(g is not None for g in grads_of):
                break
            self.plan = None
        else:
            return False
        for gp, grads in zip(plan, grads_of):
            step = gp.step + 1
            self.kernel(gp.datas, grads, gp.ms, gp.vs, adam_coefficients(gp.group, step, gp.dtype, opt.decoupled))
            for state in gp.states:
                state["step"] = step
            for vc in gp.versions:
                vc[0] += 1
            gp.step = step
        return True

    def _build(self) -> list | None:
        states = self.opt.state
        plan = []
        for group in self.opt.param_groups:
            gp = _GroupPlan.build(group, states)
            if gp is None:
                return None
            plan.append(gp)
        return plan


_ARRAY = operator.attrgetter("array")
_GRAD = operator.attrgetter("grad")
_M = operator.itemgetter("exp_avg")
_V = operator.itemgetter("exp_avg_sq")
_STEP = operator.itemgetter("step")


class _GroupPlan:
    """One parameter group's part of an :class:`_AdamGroups` plan."""

    __slots__ = ("group", "params", "pids", "states", "state_ids", "arrays", "array_ids", "m", "m_ids", "v", "v_ids",
                 "datas", "ms", "vs", "shapes", "strides", "dtype", "step", "versions")

    @classmethod
    def build(cls, group: dict, states: Any) -> _GroupPlan | None:
        params = list(group["params"])
        if group["amsgrad"] or not params:
            return None
        dtype = params[0].array.dtype
        if dtype not in (np.float32, np.float64):
            return None
        kept, arrays, ms, vs = [], [], [], []
        for p in params:
            state = dict.get(states, id(p))  # the mapping's own get wraps Tensor keys; these are ids
            if not state:
                return None
            data, m, v = p.array, state.get("exp_avg"), state.get("exp_avg_sq")
            for a in (data, m, v):
                if type(a) is not np.ndarray or a.dtype != dtype or not a.flags.c_contiguous or a.shape != data.shape:
                    return None
            kept.append(state)
            arrays.append(data)
            ms.append(m)
            vs.append(v)
        steps = {s["step"] for s in kept}
        if len(steps) != 1:
            return None
        gp = cls()
        gp.group, gp.params, gp.pids, gp.states = group, params, tuple(map(id, params)), tuple(kept)
        gp.state_ids = tuple(map(id, kept))
        gp.arrays, gp.m, gp.v = arrays, ms, vs
        gp.array_ids, gp.m_ids, gp.v_ids = tuple(map(id, arrays)), tuple(map(id, ms)), tuple(map(id, vs))
        gp.datas = tuple(a.reshape(-1) for a in arrays)
        gp.ms = tuple(a.reshape(-1) for a in ms)
        gp.vs = tuple(a.reshape(-1) for a in vs)
        gp.shapes = [a.shape for a in arrays]
        gp.strides = [a.strides for a in arrays]  # C-contiguous, checked above
        gp.dtype, gp.step = dtype, steps.pop()
        gp.versions = [p._vc for p in params]
        return gp

    def grads(self, group: dict, states: Any) -> tuple | None:
        """The flat gradients of this step, or None where the plan no longer holds
        (other parameters, arrays or state, a missing or unusual gradient)."""
        params = group["params"]
        # identities compared as tuples of ids, one C-level comparison each: the plan
        # holds every object it compares, so an equal id is the same object
        if group is not self.group or group["amsgrad"] or tuple(map(id, params)) != self.pids \
                or tuple(map(id, map(dict.get, repeat(states, len(params)), self.pids))) != self.state_ids \
                or tuple(map(id, map(_ARRAY, params))) != self.array_ids \
                or tuple(map(id, map(_M, self.states))) != self.m_ids \
                or tuple(map(id, map(_V, self.states))) != self.v_ids \
                or tuple(map(_STEP, self.states)) != (self.step,) * len(params):
            return None
        out = []
        ndarray, dtype = np.ndarray, self.dtype
        # a gradient of the parameter's shape with C strides is C-contiguous; the dtype
        # by identity (NumPy's native dtypes are single objects), anything else declines
        for t, shape, strides in zip(map(_GRAD, params), self.shapes, self.strides):
            if t is None:
                return None
            g = t.array
            if type(g) is not ndarray or g.dtype is not dtype or g.shape != shape or g.strides != strides:
                return None
            out.append(g if len(shape) == 1 else g.reshape(-1))
        return tuple(out)


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
