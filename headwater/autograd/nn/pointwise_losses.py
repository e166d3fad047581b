"""Elementwise losses: smooth_l1, binary_cross_entropy, kl_div, poisson_nll,
gaussian_nll, soft_margin, multilabel_soft_margin, hinge_embedding.

Each follows PyTorch's formula and arguments, including the legacy
``size_average`` / ``reduce`` pair (mapped to ``reduction`` as PyTorch maps it).
``binary_cross_entropy`` is one op with PyTorch's closed-form gradient and its
clamp of the logs at -100; the others are built from differentiable primitives.
"""

from __future__ import annotations

import math

import numpy as np

from headwater.autograd.broadcast import unbroadcast
from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.nn.loss_functions import (
    _reduce,
    _reduction,
    _same_shape,
    huber_loss,
    l1_loss,
)
from headwater.autograd.ops import add, exp, log, mul, sub, where, xlogy
from headwater.autograd.ops import sum as _sum
from headwater.autograd.ops.activations import softplus
from headwater.autograd.ops.elementwise import clamp, float_input
from headwater.autograd.ops.shape import unsqueeze
from headwater.autograd.ops.smooth_activations import logsigmoid
from headwater.tensor.tensor import Tensor

__all__ = [
    "legacy_reduction", "smooth_l1_loss", "binary_cross_entropy", "kl_div", "poisson_nll_loss",
    "gaussian_nll_loss", "soft_margin_loss", "multilabel_soft_margin_loss", "hinge_embedding_loss",
]


def legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str, op: str) -> str:
    """``reduction`` from PyTorch's deprecated ``size_average`` / ``reduce`` when
    either is given (``reduce=False`` -> "none", ``size_average=False`` -> "sum")."""
    if size_average is None and reduce is None:
        return _reduction(reduction, op)
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return "none" if not reduce else "mean" if size_average else "sum"


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """``0.5 d**2 / beta`` where ``|d| < beta``, ``|d| - 0.5 beta`` elsewhere
    (``d = input - target``); L1 for ``beta=0``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.smooth_l1_loss(hw.zeros(2), hw.as_tensor([0.5, 3.0])).item()
    1.3125
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "smooth_l1_loss")
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction)
    return _reduce(mul(huber_loss(input, target, "none", beta), 1.0 / beta), reduction)


class BinaryCrossEntropy(Op):
    saves = (0, 1)

    def forward(self, x, t, w=None):
        xp = xp_of(x)
        # checked on the CPU only: on a GPU the test would cost a device sync
        if isinstance(x, np.ndarray) and x.size and ((x < 0) | (x > 1)).any():
            raise ValueError("binary_cross_entropy: input values must lie in [0, 1]; "
                             "for logits use binary_cross_entropy_with_logits")
        self.log_x = xp.maximum(xp.log(x), -100)
        self.log_1mx = xp.maximum(xp.log1p(-x), -100)
        self.x, self.t, self.w = x, t, w
        self.plain = -(t * self.log_x + (1 - t) * self.log_1mx)
        return self.plain if w is None else self.plain * w

    def backward(self, g):
        xp = xp_of(g)
        x, t, w = self.x, self.t, self.w
        nx, nt, *nw = self.needs
        gw = g if w is None else g * w
        gx = gw * (x - t) / xp.maximum((1 - x) * x, 1e-12) if nx else None
        # the target's gradient reads the unclamped logs, as PyTorch's does
        gt = gw * (xp.log1p(-x) - xp.log(x)) if nt else None
        gwt = unbroadcast(g * self.plain, w.shape) if nw and nw[0] else None
        return gx, gt, gwt


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of probabilities ``input`` against ``target`` (logs
    clamped at -100, as PyTorch), optionally weighted elementwise.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.functional.binary_cross_entropy(hw.as_tensor([0.5, 0.9]), hw.as_tensor([1.0, 1.0])).item(), 4)
    0.3993
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "binary_cross_entropy")
    _same_shape(input, target, "binary_cross_entropy")
    input, target = float_input(input, "binary_cross_entropy"), float_input(target, "binary_cross_entropy")
    if weight is None:
        return _reduce(BinaryCrossEntropy.apply(input, target), reduction)
    return _reduce(BinaryCrossEntropy.apply(input, target, weight), reduction)


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence of ``target`` from the log-probabilities
    ``input``: ``target * (log(target) - input)`` (0 where ``target`` is 0), or with
    ``log_target=True`` ``exp(target) * (target - input)``. ``reduction`` may also be
    ``"batchmean"`` (the sum over the batch size, the true KL divergence).

    Examples
    --------
    >>> import headwater as hw
    >>> logq = hw.log(hw.as_tensor([[0.5, 0.5]]))
    >>> round(hw.nn.functional.kl_div(logq, hw.as_tensor([[0.9, 0.1]]), reduction="batchmean").item(), 4)
    0.3681
    """
    if reduction == "batchmean" and size_average is None and reduce is None:
        mode = "batchmean"
    else:
        mode = legacy_reduction(size_average, reduce, reduction, "kl_div")
    _same_shape(input, target, "kl_div")
    if log_target:
        loss = mul(exp(target), sub(target, input))
    else:
        loss = sub(xlogy(target, target), mul(target, input))
    if mode == "batchmean":
        total = _sum(loss)
        return mul(total, 1.0 / input.shape[0]) if input.ndim else total
    return _reduce(loss, mode)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of ``target`` under a Poisson with rate ``exp(input)``
    (``log_input=True``) or ``input``; ``full`` adds Stirling's term for targets
    above 1.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.poisson_nll_loss(hw.zeros(2), hw.as_tensor([1.0, 2.0])).item()
    1.0
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "poisson_nll_loss")
    _same_shape(input, target, "poisson_nll_loss")
    if log_input:
        loss = sub(exp(input), mul(target, input))
    else:
        loss = sub(input, mul(target, log(add(input, eps))))
    if full:
        big = target > 1
        safe = where(big, target, 1.0)
        stirling = add(sub(mul(safe, log(safe)), safe), mul(log(mul(safe, 2 * math.pi)), 0.5))
        loss = add(loss, where(big, stirling, 0.0))
    return _reduce(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of ``target`` under a normal with mean ``input`` and
    variance ``var``: ``0.5 (log(var) + (input - target)**2 / var)`` (+ ``0.5
    log(2 pi)`` with ``full``). ``var`` may have one dimension less than ``input``,
    or a last dimension of 1 (one variance for all features); it is clamped at
    ``eps`` in value only, as PyTorch does.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.gaussian_nll_loss(hw.zeros(2), hw.as_tensor([1.0, -1.0]), hw.ones(2)).item()
    0.5
    """
    _reduction(reduction, "gaussian_nll_loss")
    if not isinstance(var, Tensor):
        var = wrap(xp_of(input.array).full(input.shape, var, input.dtype))
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = unsqueeze(var, -1)
        elif not (input.shape[:-1] == var.shape[:-1] and var.shape[-1:] == (1,)):
            raise ShapeError(f"gaussian_nll_loss: var of shape {var.shape} does not fit input {input.shape}")
    if input.shape != target.shape:
        raise ShapeError(f"gaussian_nll_loss: input {input.shape} and target {target.shape} differ")
    xp = xp_of(var.array)
    if isinstance(var.array, np.ndarray) and (var.array < 0).any():
        raise ValueError("gaussian_nll_loss: var has negative entries; variances must be non-negative")
    var = add(var, wrap(xp.maximum(var.array, eps) - var.array))
    d = sub(input, target)
    loss = mul(add(log(var), mul(d, d) / var), 0.5)
    if full:
        loss = add(loss, 0.5 * math.log(2 * math.pi))
    return _reduce(loss, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """``log(1 + exp(-target * input))`` for targets of +-1.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.functional.soft_margin_loss(hw.zeros(2), hw.as_tensor([1.0, -1.0])).item(), 4)
    0.6931
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "soft_margin_loss")
    _same_shape(input, target, "soft_margin_loss")
    return _reduce(softplus(-mul(target, input)), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """One-vs-all logistic loss of (N, C) logits against 0/1 targets, averaged over
    the classes (``weight`` per class), then reduced over the samples.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.functional.multilabel_soft_margin_loss(hw.zeros(1, 2), hw.as_tensor([[1.0, 0.0]])).item(), 4)
    0.6931
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "multilabel_soft_margin_loss")
    _same_shape(input, target, "multilabel_soft_margin_loss")
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = mul(loss, weight)
    classes = input.shape[-1] if input.ndim else 1
    per_sample = mul(_sum(loss, dim=-1), 1.0 / classes) if input.ndim else loss
    return _reduce(per_sample, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """``input`` where ``target`` is 1, ``max(0, margin - input)`` where it is -1.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.hinge_embedding_loss(hw.as_tensor([0.3, 0.4]), hw.as_tensor([1.0, -1.0])).item()
    0.45
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "hinge_embedding_loss")
    _same_shape(input, target, "hinge_embedding_loss")
    below = clamp(sub(margin, input), min=0.0)
    loss = add(where(target != 1, below, 0.0), where(target != -1, input, 0.0))
    return _reduce(loss, reduction)

