"""Adam and AdamW (decoupled weight decay)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from headwater.autograd.function import xp_of
from headwater.autograd.optim.optimizer import Optimizer

__all__ = ["Adam", "AdamW"]


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
        lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        data = param.array
        if group["maximize"]:
            grad = -grad
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(data)
            state["exp_avg_sq"] = xp.zeros_like(data)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = xp.zeros_like(data)
        state["step"] += 1
        step = state["step"]
        if wd:
            if self.decoupled:
                data *= 1 - lr * wd
            else:
                grad = grad + wd * data
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= b1
        m += (1 - b1) * grad
        v *= b2
        v += (1 - b2) * (grad * grad)
        if group["amsgrad"]:
            xp.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        bias1 = 1 - b1**step
        bias2_sqrt = math.sqrt(1 - b2**step)
        denom = xp.sqrt(v)
        denom /= bias2_sqrt
        denom += eps
        xp.divide(m, denom, out=denom)
        denom *= lr / bias1
        data -= denom


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
