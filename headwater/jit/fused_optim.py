"""Optimizer updates as a replay runs them: the eager update rule's arithmetic, in the
same order, without temporaries.

On NumPy each update is the eager sequence of ufuncs writing into two scratch
buffers allocated once per parameter (``out=``), so the result is the eager one bit
for bit. On CuPy the whole Adam update of a parameter is one ``ElementwiseKernel``
doing the same operations in the same order, compiled without contracting multiply-
adds (``--fmad=false``), so it too rounds as the eager kernels do; the NumPy-style
path runs there as well when a kernel does not apply (AMSGrad) and serves as its
reference in the GPU tests. A parameter whose optimizer state does not exist yet
takes the eager update (which creates it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.autograd.function import xp_of
from headwater.autograd.optim.adam import Adam, AdamW
from headwater.autograd.optim.sgd import SGD

__all__ = ["fused_step", "adam_update", "adam_update_kernel"]


def fused_step(opt: Any) -> Callable[[], None] | None:
    """A callable doing ``opt.step()`` (without closure) fused, or None where the
    optimizer has no fused rule (the replay then calls its own ``step``)."""
    if type(opt) in (Adam, AdamW):
        return _Fused(opt, _adam_param)
    if type(opt) is SGD:
        return _Fused(opt, _sgd_param)
    return None


class _Fused:
    """Optimizer.step's loop with a fused per-parameter rule and scratch buffers."""

    def __init__(self, opt: Any, rule: Callable) -> None:
        self.opt = opt
        self.rule = rule
        self.scratch: dict[int, tuple] = {}

    def _buffers(self, p: Any) -> tuple:
        bufs = self.scratch.get(id(p))
        data = p.array
        if bufs is None or bufs[0].shape != data.shape or bufs[0].dtype != data.dtype or type(bufs[0]) is not type(data):
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


# -- Adam / AdamW ---------------------------------------------------------------------
def _adam_param(opt: Any, group: dict, p: Any, grad: Any, state: dict, bufs: tuple) -> None:
    if not state:  # the first update creates the state
        opt._update(group, p, grad, state)
        return
    lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
    state["step"] += 1
    args = (p.array, grad, state, bufs, state["step"], lr, b1, b2, eps, wd, opt.decoupled,
            group["amsgrad"], group["maximize"])
    if type(p.array).__module__ != "numpy" and not group["amsgrad"]:
        adam_update_kernel(*args)
    else:
        adam_update(*args)


def adam_update(data: Any, grad: Any, state: dict, bufs: tuple, step: int, lr: float, b1: float,
                b2: float, eps: float, wd: float, decoupled: bool, amsgrad: bool, maximize: bool) -> None:
    """One Adam update of ``data`` in place: the eager rule's ufuncs, into ``bufs``.

    Examples
    --------
    >>> import numpy as np
    >>> d, g = np.ones(2), np.full(2, 0.5)
    >>> st = {"exp_avg": np.zeros(2), "exp_avg_sq": np.zeros(2)}
    >>> adam_update(d, g, st, (np.empty(2), np.empty(2)), 1, 0.1, 0.9, 0.999, 1e-8, 0.0,
    ...             False, False, False)
    >>> d.round(4).tolist()
    [0.9, 0.9]
    """
    xp = xp_of(data)
    t1, t2 = bufs
    g = grad
    if maximize:
        xp.negative(g, out=t2)
        g = t2
    if wd:
        if decoupled:
            data *= 1 - lr * wd
        else:
            xp.multiply(data, wd, out=t1)
            xp.add(g, t1, out=t2)
            g = t2
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m *= b1
    xp.multiply(g, 1 - b1, out=t1)
    m += t1
    v *= b2
    xp.multiply(g, g, out=t1)
    t1 *= 1 - b2
    v += t1
    if amsgrad:
        xp.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        v = state["max_exp_avg_sq"]
    bias1 = 1 - b1**step
    bias2_sqrt = math.sqrt(1 - b2**step)
    xp.sqrt(v, out=t1)
    t1 /= bias2_sqrt
    t1 += eps
    xp.divide(m, t1, out=t1)
    t1 *= lr / bias1
    data -= t1


_ADAM_KERNELS: dict = {}

_ADAM_BODY = """
T gg = g;
if (maximize) gg = -gg;
if (wd_mode == 1) { data = data * decay; }
else if (wd_mode == 2) { T t = data * wd; gg = gg + t; }
m = m * b1; m = m + gg * c1;
v = v * b2; T sq = gg * gg; sq = sq * c2; v = v + sq;
T d = sqrt(v); d = d / bias2_sqrt; d = d + eps; d = m / d; d = d * step_size;
data = data - d;
"""


def adam_update_kernel(data: Any, grad: Any, state: dict, bufs: tuple, step: int, lr: float, b1: float,
                       b2: float, eps: float, wd: float, decoupled: bool, amsgrad: bool,
                       maximize: bool) -> None:
    """:func:`adam_update` as one CuPy ``ElementwiseKernel`` (no AMSGrad): the same
    operations in the same order, each rounded, no fused multiply-adds."""
    if amsgrad:
        raise ValueError("adam_update_kernel: AMSGrad runs through adam_update")
    import cupy

    kernel = _ADAM_KERNELS.get("adam")
    if kernel is None:
        kernel = _ADAM_KERNELS["adam"] = cupy.ElementwiseKernel(
            "T g, bool maximize, int32 wd_mode, T decay, T wd, T b1, T c1, T b2, T c2, "
            "T bias2_sqrt, T eps, T step_size",
            "T data, T m, T v", _ADAM_BODY, "headwater_adam", options=("--fmad=false",))
    dt = data.dtype.type
    wd_mode = 0 if not wd else 1 if decoupled else 2
    kernel(grad, bool(maximize), np.int32(wd_mode), dt(1 - lr * wd), dt(wd), dt(b1), dt(1 - b1),
           dt(b2), dt(1 - b2), dt(math.sqrt(1 - b2**step)), dt(eps), dt(lr / (1 - b1**step)),
           data, state["exp_avg"], state["exp_avg_sq"])


# -- SGD --------------------------------------------------------------------------------
def _sgd_param(opt: Any, group: dict, p: Any, grad: Any, state: dict, bufs: tuple) -> None:
    """SGD's eager rule (momentum, dampening, Nesterov, weight decay) into ``bufs``."""
    xp = xp_of(grad)
    t1, t2 = bufs
    data = p.array
    g = grad
    if group["maximize"]:
        xp.negative(g, out=t2)
        g = t2
    wd, momentum = group["weight_decay"], group["momentum"]
    if wd:
        xp.multiply(data, wd, out=t1)
        xp.add(g, t1, out=t2)
        g = t2
    if momentum:
        buf = state.get("momentum_buffer")
        if buf is None:
            opt._update(group, p, grad, state)
            return
        buf *= momentum
        xp.multiply(g, 1 - group["dampening"], out=t1)
        buf += t1
        if group["nesterov"]:
            xp.multiply(buf, momentum, out=t1)
            xp.add(g, t1, out=t2)
            g = t2
        else:
            g = buf
    xp.multiply(g, group["lr"], out=t1)
    data -= t1
