"""Adamax, NAdam and RAdam: the Adam variants (infinity norm, Nesterov momentum,
rectified variance)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from headwater.autograd.function import xp_of
from headwater.autograd.optim.optimizer import Optimizer

__all__ = ["Adamax", "NAdam", "RAdam"]


def _check(name: str, lr: float, betas: tuple[float, float], eps: float, weight_decay: float) -> None:
    if lr < 0:
        raise ValueError(f"{name}: invalid learning rate {lr}")
    if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
        raise ValueError(f"{name}: invalid betas {betas}; each must be in [0, 1)")
    if eps < 0 or weight_decay < 0:
        raise ValueError(f"{name}: eps ({eps}) and weight_decay ({weight_decay}) must be >= 0")


def _moments(group: dict, param: Any, grad: Any, state: dict) -> Any:
    """Shared start of NAdam and RAdam: count the step, apply weight decay (L2 or
    decoupled) and update both moments; returns the decayed gradient."""
    xp = xp_of(grad)
    data = param.array
    if group["maximize"]:
        grad = -grad
    if not state:
        state["step"] = 0
        state["exp_avg"] = xp.zeros_like(data)
        state["exp_avg_sq"] = xp.zeros_like(data)
    state["step"] += 1
    wd = group["weight_decay"]
    if wd:
        if group["decoupled_weight_decay"]:
            data *= 1 - group["lr"] * wd
        else:
            grad = grad + wd * data
    b1, b2 = group["betas"]
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m += (1 - b1) * (grad - m)
    v *= b2
    v += (1 - b2) * (grad * grad)
    return grad


class Adamax(Optimizer):
    """Adamax (Adam with the infinity norm) with PyTorch's update rule.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(1)); p.grad = hw.ones(1)
    >>> _ = hw.optim.Adamax([p], lr=0.1).step(); [round(v, 4) for v in p.tolist()]
    [0.9]
    """

    def __init__(self, params: Iterable[Any], lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, *, maximize: bool = False) -> None:
        _check("Adamax", lr, betas, eps, weight_decay)
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      maximize=maximize))

    def _update(self, group: dict, param: Any, grad: Any, state: dict) -> None:
        xp = xp_of(grad)
        data = param.array
        b1, b2 = group["betas"]
        if group["maximize"]:
            grad = -grad
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(data)
            state["exp_inf"] = xp.zeros_like(data)
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * data
        m, u = state["exp_avg"], state["exp_inf"]
        m += (1 - b1) * (grad - m)
        u *= b2
        xp.maximum(u, xp.abs(grad) + group["eps"], out=u)
        clr = group["lr"] / (1 - b1 ** state["step"])
        data -= clr * (m / u)


class NAdam(Optimizer):
    """Adam with Nesterov momentum and PyTorch's momentum-decay schedule;
    ``decoupled_weight_decay=True`` gives NAdamW.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(1)); p.grad = hw.ones(1)
    >>> _ = hw.optim.NAdam([p], lr=0.1).step(); [round(v, 4) for v in p.tolist()]
    [0.9]
    """

    def __init__(self, params: Iterable[Any], lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, maximize: bool = False) -> None:
        _check("NAdam", lr, betas, eps, weight_decay)
        if momentum_decay < 0:
            raise ValueError(f"NAdam: invalid momentum_decay {momentum_decay}; it must be >= 0")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay, maximize=maximize))

    def _update(self, group: dict, param: Any, grad: Any, state: dict) -> None:
        xp = xp_of(grad)
        first = not state
        grad = _moments(group, param, grad, state)
        if first:
            state["mu_product"] = 1.0
        step, lr, (b1, b2) = state["step"], group["lr"], group["betas"]
        mu = b1 * (1.0 - 0.5 * 0.96 ** (step * group["momentum_decay"]))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * group["momentum_decay"]))
        state["mu_product"] *= mu
        mu_product = state["mu_product"]
        denom = xp.sqrt(state["exp_avg_sq"] / (1 - b2**step))
        denom += group["eps"]
        data = param.array
        data -= (lr * (1.0 - mu) / (1.0 - mu_product)) * (grad / denom)
        data -= (lr * mu_next / (1.0 - mu_product * mu_next)) * (state["exp_avg"] / denom)


class RAdam(Optimizer):
    """Rectified Adam: plain momentum steps until the variance estimate is reliable
    (``rho_t > 5``), then rectified adaptive steps; ``decoupled_weight_decay=True``
    gives RAdamW.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(1)); p.grad = hw.ones(1)
    >>> _ = hw.optim.RAdam([p], lr=0.1).step(); [round(v, 4) for v in p.tolist()]
    [0.9]
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, decoupled_weight_decay: bool = False,
                 *, maximize: bool = False) -> None:
        _check("RAdam", lr, betas, eps, weight_decay)
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      decoupled_weight_decay=decoupled_weight_decay, maximize=maximize))

    def _update(self, group: dict, param: Any, grad: Any, state: dict) -> None:
        xp = xp_of(grad)
        _moments(group, param, grad, state)
        step, lr, (b1, b2) = state["step"], group["lr"], group["betas"]
        bias1, bias2 = 1 - b1**step, 1 - b2**step
        rho_inf = 2 / (1 - b2) - 1
        rho_t = rho_inf - 2 * step * b2**step / bias2
        update = state["exp_avg"] / bias1
        if rho_t > 5.0:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            denom = xp.sqrt(state["exp_avg_sq"])
            denom += group["eps"]
            update = update * (lr * rect * math.sqrt(bias2)) / denom
        else:
            update = update * lr
        param.array -= update
