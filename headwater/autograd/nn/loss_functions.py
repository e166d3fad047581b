"""Loss functions in functional form.

``cross_entropy`` is one fused op: log-softmax, class weights, ``ignore_index`` and
label smoothing in the forward, and the closed-form gradient ``rowsum(T) * softmax -
T`` (with ``T`` the weighted target distribution) in the backward.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd.amp import autocast_mode
from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops import abs, mean, mul, softplus, sub, sum, where
from headwater.autograd.ops.elementwise import float_input
from headwater.autograd.ops.shape import flatten, permute, reshape
from headwater.autograd.ops.softmax import log_softmax_array
from headwater.tensor.tensor import Tensor

__all__ = [
    "cross_entropy", "nll_loss", "mse_loss", "l1_loss", "huber_loss",
    "binary_cross_entropy_with_logits",
]

_REDUCTIONS = ("mean", "sum", "none")


def _reduction(reduction: str, op: str) -> str:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    return reduction


def _target_matrix(xp, target, n_classes, dtype, weight, ignore_index, smoothing):
    """The weighted target distribution T (N, C) and the mean's denominator."""
    if target.dtype.kind == "f":  # class probabilities
        dist = target.astype(dtype, copy=False)
        if smoothing:
            dist = dist * (1 - smoothing) + smoothing / n_classes
        if weight is not None:
            dist = dist * weight
        return dist, target.shape[0]
    valid = target != ignore_index
    safe = xp.where(valid, target, 0)
    # checked on the CPU only: on a GPU the test would cost a device sync per step
    if isinstance(safe, np.ndarray) and safe.size and ((safe < 0) | (safe >= n_classes)).any():
        raise IndexError(
            f"target holds class indices outside [0, {n_classes}) (ignore_index={ignore_index})"
        )
    onehot = (safe[:, None] == xp.arange(n_classes)).astype(dtype)
    row_w = valid.astype(dtype) if weight is None else weight[safe] * valid
    dist = onehot * ((1 - smoothing) * row_w)[:, None]
    if smoothing:
        per_class = 1.0 if weight is None else weight
        dist += (smoothing / n_classes) * per_class * valid[:, None]
    return dist, row_w.sum()


class CrossEntropy(Op):
    def forward(self, logits, target, weight=None, ignore_index=-100, smoothing=0.0, reduction="mean"):
        xp = xp_of(logits)
        logp = log_softmax_array(xp, logits, 1)
        dist, denom = _target_matrix(xp, target, logits.shape[1], logits.dtype, weight, ignore_index, smoothing)
        per_row = -(dist * logp).sum(axis=1)
        self.logp, self.dist, self.denom, self.reduction = logp, dist, denom, reduction
        if reduction == "none":
            return per_row
        total = per_row.sum()
        return total / denom if reduction == "mean" else total

    def backward(self, g):
        xp = xp_of(g)
        dist = self.dist
        grad = xp.exp(self.logp) * dist.sum(axis=1, keepdims=True) - dist
        if self.reduction == "none":
            grad *= g[:, None]
        elif self.reduction == "mean":
            grad *= g / self.denom
        else:
            grad *= g
        return grad, None, None


class NLL(Op):
    def forward(self, logp, target, weight=None, ignore_index=-100, reduction="mean"):
        xp = xp_of(logp)
        dist, denom = _target_matrix(xp, target, logp.shape[1], logp.dtype, weight, ignore_index, 0.0)
        per_row = -(dist * logp).sum(axis=1)
        self.dist, self.denom, self.reduction = dist, denom, reduction
        if reduction == "none":
            return per_row
        total = per_row.sum()
        return total / denom if reduction == "mean" else total

    def backward(self, g):
        if self.reduction == "none":
            return -self.dist * g[:, None], None, None
        scale = g / self.denom if self.reduction == "mean" else g
        return -self.dist * scale, None, None


def _classes_last(input: Tensor, target: Tensor, op: str) -> tuple[Tensor, Tensor, tuple | None]:
    """(N, C, d1, ...) inputs as (N*d1*..., C) rows; (C,) as one row."""
    if input.ndim == 1:
        return reshape(input, 1, -1), reshape(target, 1, *target.shape) if target.array.dtype.kind == "f" else reshape(target, 1), ()
    if input.ndim == 2:
        return input, target, None
    rest = input.shape[2:]
    axes = (0, *range(2, input.ndim), 1)
    rows = reshape(permute(input, axes), -1, input.shape[1])
    if target.array.dtype.kind == "f":
        target = reshape(permute(target, axes), -1, input.shape[1])
    else:
        target = flatten(target)
    return rows, target, (input.shape[0], *rest)


def _check_target(input: Tensor, target: Tensor, op: str) -> None:
    if not isinstance(target, Tensor):
        raise TypeError(f"{op}: target must be a Tensor, got {type(target).__name__}")
    kind = target.array.dtype.kind
    if kind == "f":
        if target.shape != input.shape:
            raise ShapeError(f"{op}: probability target of shape {target.shape} must match input {input.shape}")
        return
    if kind not in "iu":
        raise TypeError(f"{op}: target must hold int64 class indices or float probabilities, got {target.dtype}")
    expected = input.shape[:1] + input.shape[2:] if input.ndim > 1 else ()
    if target.shape != expected:
        raise ShapeError(
            f"{op}: input of shape {input.shape} expects a target of shape {expected}, got {target.shape}"
        )


def _restore(out: Tensor, shape: tuple | None, reduction: str) -> Tensor:
    if reduction != "none" or shape is None:
        return out
    return reshape(out, shape) if shape else reshape(out, ())


def cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None = None, ignore_index: int = -100,
    reduction: str = "mean", label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy of logits ``input`` (N, C[, d...]) against class indices
    (N[, d...]) or class probabilities (same shape as ``input``).

    Examples
    --------
    >>> import headwater as hw
    >>> logits = hw.zeros(2, 4)
    >>> round(hw.nn.functional.cross_entropy(logits, hw.as_tensor([0, 3])).item(), 4)
    1.3863
    """
    _reduction(reduction, "cross_entropy")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    input = float_input(input, "cross_entropy")
    if autocast_mode.active:
        (input,) = autocast_mode.full_precision(input)
    _check_target(input, target, "cross_entropy")
    rows, tgt, shape = _classes_last(input, target, "cross_entropy")
    w = None if weight is None else weight.array
    out = CrossEntropy.apply(rows, tgt, w, ignore_index=ignore_index, smoothing=label_smoothing,
                             reduction=reduction)
    return _restore(out, shape, reduction)


def nll_loss(
    input: Tensor, target: Tensor, weight: Tensor | None = None, ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of log-probabilities ``input`` (N, C[, d...]) at the
    class indices ``target``.

    Examples
    --------
    >>> import headwater as hw
    >>> logp = hw.log_softmax(hw.zeros(2, 2), dim=1)
    >>> round(hw.nn.functional.nll_loss(logp, hw.as_tensor([0, 1])).item(), 4)
    0.6931
    """
    _reduction(reduction, "nll_loss")
    _check_target(input, target, "nll_loss")
    if target.array.dtype.kind == "f":
        raise TypeError("nll_loss: target must hold class indices (int64)")
    rows, tgt, shape = _classes_last(input, target, "nll_loss")
    w = None if weight is None else weight.array
    out = NLL.apply(rows, tgt, w, ignore_index=ignore_index, reduction=reduction)
    return _restore(out, shape, reduction)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return mean(loss)
    if reduction == "sum":
        return sum(loss)
    return loss


def _same_shape(input: Any, target: Any, op: str) -> None:
    if not isinstance(input, Tensor) or not isinstance(target, Tensor):
        raise TypeError(f"{op}: input and target must be Tensors")
    if input.shape != target.shape:
        raise ShapeError(
            f"{op}: input shape {input.shape} and target shape {target.shape} differ; "
            f"reshape one so they match (silent broadcasting hides bugs)"
        )


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.mse_loss(hw.zeros(2), hw.as_tensor([1.0, 3.0])).item()
    5.0
    """
    _reduction(reduction, "mse_loss")
    _same_shape(input, target, "mse_loss")
    d = sub(input, target)
    return _reduce(mul(d, d), reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.l1_loss(hw.zeros(2), hw.as_tensor([1.0, -3.0])).item()
    2.0
    """
    _reduction(reduction, "l1_loss")
    _same_shape(input, target, "l1_loss")
    return _reduce(abs(sub(input, target)), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """Squared error below ``delta``, linear above it.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.huber_loss(hw.zeros(2), hw.as_tensor([0.5, 3.0])).item()
    1.3125
    """
    _reduction(reduction, "huber_loss")
    _same_shape(input, target, "huber_loss")
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    d = sub(input, target)
    a = abs(d)
    loss = where(a < delta, mul(mul(d, d), 0.5), mul(sub(a, 0.5 * delta), delta))
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(
    input: Tensor, target: Tensor, weight: Tensor | None = None, reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Binary cross-entropy of logits, computed stably as
    ``(1 - y) x + (1 + (pos_weight - 1) y) softplus(-x)``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.functional.binary_cross_entropy_with_logits(hw.zeros(2), hw.ones(2)).item(), 4)
    0.6931
    """
    _reduction(reduction, "binary_cross_entropy_with_logits")
    _same_shape(input, target, "binary_cross_entropy_with_logits")
    target = float_input(target, "binary_cross_entropy_with_logits")
    soft = softplus(-input)
    if pos_weight is not None:
        soft = mul(soft, (pos_weight - 1) * target + 1)
    loss = (1 - target) * input + soft
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)
