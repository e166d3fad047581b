"""RMSprop, optionally centred and with momentum."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.autograd.function import xp_of
from headwater.autograd.optim.optimizer import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop with PyTorch's update rule.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(1)); p.grad = hw.ones(1)
    >>> _ = hw.optim.RMSprop([p], lr=0.01).step(); [round(v, 4) for v in p.tolist()]
    [0.9]
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False, maximize: bool = False) -> None:
        if lr < 0:
            raise ValueError(f"RMSprop: invalid learning rate {lr}")
        if not 0.0 <= alpha:
            raise ValueError(f"RMSprop: invalid alpha {alpha}")
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize))

    def _update(self, group: dict, param: Any, grad: Any, state: dict) -> None:
        xp = xp_of(grad)
        data = param.array
        alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
        if group["maximize"]:
            grad = -grad
        if not state:
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(data)
            if momentum > 0:
                state["momentum_buffer"] = xp.zeros_like(data)
            if group["centered"]:
                state["grad_avg"] = xp.zeros_like(data)
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * data
        sq = state["square_avg"]
        sq *= alpha
        sq += (1 - alpha) * (grad * grad)
        if group["centered"]:
            ga = state["grad_avg"]
            ga *= alpha
            ga += (1 - alpha) * grad
            avg = xp.sqrt(sq - ga * ga)
        else:
            avg = xp.sqrt(sq)
        avg += eps
        if momentum > 0:
            buf = state["momentum_buffer"]
            buf *= momentum
            buf += grad / avg
            data -= group["lr"] * buf
        else:
            data -= group["lr"] * (grad / avg)
