"""Optimizer updates as a replay runs them: the eager update rule's arithmetic, in the
same order, with scratch buffers kept between steps.

On NumPy each update is the rule's own sequence of ufuncs (``adam_arithmetic``,
``sgd_arithmetic``, shared with the eager optimizers) writing into two scratch buffers
allocated once per parameter, so the result is the eager one bit for bit; with numba
installed, Adam's ufuncs become one compiled loop doing the same operations in the same
order (:mod:`headwater.jit.cpu_kernels`), with the same result. On CuPy the
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
from headwater.jit.cpu_kernels import adam_cpu_update
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
        return _Fused(opt, _adam_param)
    if type(opt) is SGD:
        return _Fused(opt, _sgd_param)
    return None


class _Fused:
    """Optimizer.step's loop with a per-parameter rule and kept scratch buffers."""

    def __init__(self, opt: Any, rule: Callable) -> None:
        self.opt = opt
        self.rule = rule
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
