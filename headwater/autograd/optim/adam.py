"""Adam and AdamW (decoupled weight decay)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from headwater.autograd.function import xp_of
from headwater.autograd.optim.adam_kernel import adam_cpu_update
from headwater.autograd.optim.optimizer import Optimizer

__all__ = ["Adam", "AdamW", "adam_arithmetic"]


class Adam(Optimizer):
    """Adam with bias correction, optional AMSGrad and L2 ``weight_decay``, with
    PyTorch's update rule.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(2)); p.grad = hw.ones(2)
    >>> opt = hw.optim.Adam([p], lr=0.1)
    >>> _ = opt.step(); [round(v, 4) for v in p.tolist()]
    [0.9, 0.9]
    """

    decoupled = False

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, maximize: bool = False) -> None:
        if lr < 0:
            raise ValueError(f"{type(self).__name__}: invalid learning rate {lr}")
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError(f"{type(self).__name__}: invalid betas {betas}; each must be in [0, 1)")
        if eps < 0:
            raise ValueError(f"{type(self).__name__}: invalid eps {eps}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize))

    def _update(self, group: dict, param: Any, grad: Any, state: dict) -> None:
        xp = xp_of(grad)
        data = param.array
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(data)
            state["exp_avg_sq"] = xp.zeros_like(data)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = xp.zeros_like(data)
        if type(data) is np.ndarray and adam_cpu_update(data, grad, state, group, self.decoupled):
            return  # one compiled pass, the same bits as the ufuncs below (adam_kernel)
        adam_arithmetic(data, grad, state, (xp.empty_like(data), xp.empty_like(data)), group, self.decoupled)


def adam_arithmetic(data: Any, grad: Any, state: dict, scratch: tuple, group: dict, decoupled: bool) -> None:
    """One Adam step of ``data`` in place (``state`` initialised): PyTorch's rule as a
    fixed sequence of ufuncs, temporaries written into the two ``scratch`` arrays (of
    ``data``'s shape and dtype). Eager steps and graph-mode replays (which keep the
    scratch arrays between steps) share it, so they round alike.

    Examples
    --------
    >>> import numpy as np
    >>> d, st = np.ones(2), {"step": 0, "exp_avg": np.zeros(2), "exp_avg_sq": np.zeros(2)}
    >>> group = dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False)
    >>> adam_arithmetic(d, np.full(2, 0.5), st, (np.empty(2), np.empty(2)), group, False)
    >>> d.round(4).tolist(), st["step"]
    ([0.9, 0.9], 1)
    """
    xp = xp_of(data)
    lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
    t1, t2 = scratch
    g = grad
    if group["maximize"]:
        xp.negative(g, out=t2)
        g = t2
    state["step"] += 1
    step = state["step"]
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
    if group["amsgrad"]:
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


class AdamW(Adam):
    """Adam with decoupled weight decay (``weight_decay=0.01`` by default).

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(1)); p.grad = hw.zeros(1)
    >>> _ = hw.optim.AdamW([p], lr=0.1, weight_decay=0.5).step(); [round(v, 4) for v in p.tolist()]
    [0.95]
    """

    decoupled = True

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, maximize: bool = False) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize)
