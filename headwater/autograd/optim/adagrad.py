"""Adagrad and Adadelta: per-coordinate step sizes from accumulated squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.autograd.function import xp_of
from headwater.autograd.optim.optimizer import Optimizer, decayed_grad

__all__ = ["Adagrad", "Adadelta"]


class Adagrad(Optimizer):
    """Adagrad with PyTorch's update rule: ``sum += g**2``,
    ``p -= lr / (1 + (t - 1) * lr_decay) * g / (sqrt(sum) + eps)``.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(1)); p.grad = hw.ones(1)
    >>> _ = hw.optim.Adagrad([p], lr=0.1).step(); [round(v, 4) for v in p.tolist()]
    [0.9]
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10, *, maximize: bool = False) -> None:
        for name, value in (("learning rate", lr), ("lr_decay", lr_decay), ("weight_decay", weight_decay),
                            ("initial_accumulator_value", initial_accumulator_value), ("eps", eps)):
            if value < 0:
                raise ValueError(f"Adagrad: invalid {name} {value}; it must be >= 0")
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps,
                                      maximize=maximize))
        # PyTorch fills the accumulator when the optimizer is built, not at the first step
        for group in self.param_groups:
            for p in group["params"]:
                xp = xp_of(p.array)
                self.state[p] = {"step": 0, "sum": xp.full_like(p.array, group["initial_accumulator_value"])}

    def _update(self, group: dict, param: Any, grad: Any, state: dict) -> None:
        xp = xp_of(grad)
        data = param.array
        if "sum" not in state:  # a parameter group added after construction
            state["step"] = 0
            state["sum"] = xp.full_like(data, group["initial_accumulator_value"])
        state["step"] += 1
        grad = decayed_grad(group, data, grad)
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        acc = state["sum"]
        acc += grad * grad
        std = xp.sqrt(acc)
        std += group["eps"]
        data -= clr * (grad / std)


class Adadelta(Optimizer):
    """Adadelta with PyTorch's update rule (``lr`` scales the unit-corrected step).

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(1)); p.grad = hw.ones(1)
    >>> _ = hw.optim.Adadelta([p]).step(); [round(v, 5) for v in p.tolist()]
    [0.99684]
    """

    def __init__(self, params: Iterable[Any], lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0.0, *, maximize: bool = False) -> None:
        if lr < 0:
            raise ValueError(f"Adadelta: invalid learning rate {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Adadelta: invalid rho {rho}; it must be in [0, 1]")
        if eps < 0 or weight_decay < 0:
            raise ValueError(f"Adadelta: eps ({eps}) and weight_decay ({weight_decay}) must be >= 0")
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize))

    def _update(self, group: dict, param: Any, grad: Any, state: dict) -> None:
        xp = xp_of(grad)
        data = param.array
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(data)
            state["acc_delta"] = xp.zeros_like(data)
        state["step"] += 1
        grad = decayed_grad(group, data, grad)
        sq, acc = state["square_avg"], state["acc_delta"]
        sq *= rho
        sq += (1 - rho) * (grad * grad)
        delta = xp.sqrt(acc + eps)
        delta /= xp.sqrt(sq + eps)
        delta *= grad
        acc *= rho
        acc += (1 - rho) * (delta * delta)
        data -= group["lr"] * delta
