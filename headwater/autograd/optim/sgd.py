"""Stochastic gradient descent with momentum, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.autograd.function import xp_of
from headwater.autograd.optim.optimizer import Optimizer

__all__ = ["SGD", "sgd_arithmetic"]


class SGD(Optimizer):
    """SGD, with PyTorch's update rule.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.ones(2)); p.grad = hw.ones(2)
    >>> opt = hw.optim.SGD([p], lr=0.5)
    >>> _ = opt.step(); p.tolist()
    [0.5, 0.5]
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False,
                 maximize: bool = False) -> None:
        if lr < 0:
            raise ValueError(f"SGD: invalid learning rate {lr}")
        if momentum < 0:
            raise ValueError(f"SGD: invalid momentum {momentum}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: nesterov momentum needs momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov, maximize=maximize))

    def _update(self, group: dict, param: Any, grad: Any, state: dict) -> None:
        xp = xp_of(grad)
        data = param.array
        sgd_arithmetic(data, grad, state, (xp.empty_like(data), xp.empty_like(data)), group)


def sgd_arithmetic(data: Any, grad: Any, state: dict, scratch: tuple, group: dict) -> None:
    """One SGD step of ``data`` in place: PyTorch's rule (momentum, dampening, Nesterov,
    weight decay, maximize) as a fixed sequence of ufuncs, temporaries written into the
    two ``scratch`` arrays; eager steps and graph-mode replays share it.

    Examples
    --------
    >>> import numpy as np
    >>> d, st = np.ones(2), {}
    >>> group = dict(lr=0.5, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False)
    >>> sgd_arithmetic(d, np.ones(2), st, (np.empty(2), np.empty(2)), group); d.tolist()
    [0.5, 0.5]
    """
    xp = xp_of(data)
    t1, t2 = scratch
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
            buf = state["momentum_buffer"] = g.copy()
        else:
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
