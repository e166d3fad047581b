"""Margin and embedding losses: cosine_embedding, margin_ranking, triplet_margin,
multi_margin, each as PyTorch computes it, built from differentiable primitives."""

from __future__ import annotations

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import wrap, xp_of
from headwater.autograd.nn.loss_functions import _reduce
from headwater.autograd.nn.pointwise_losses import legacy_reduction
from headwater.autograd.ops import add, gather, minimum, mul, sqrt, sub, where
from headwater.autograd.ops import sum as _sum
from headwater.autograd.ops.distance import pairwise_distance
from headwater.autograd.ops.elementwise import clamp
from headwater.autograd.ops.shape import unsqueeze
from headwater.tensor.tensor import Tensor

__all__ = ["cosine_embedding_loss", "margin_ranking_loss", "triplet_margin_loss", "multi_margin_loss"]

_EPS = 1e-12  # PyTorch's guard on the squared magnitudes of cosine_embedding_loss


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """``1 - cos(x1, x2)`` where ``target`` is 1, ``max(0, cos(x1, x2) - margin)``
    where it is -1, with the cosine over the last dimension.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> hw.nn.functional.cosine_embedding_loss(x, x, hw.as_tensor([1.0, -1.0])).item()
    0.5
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "cosine_embedding_loss")
    if input1.shape != input2.shape or input1.ndim not in (1, 2):
        raise ShapeError(f"cosine_embedding_loss: inputs must be 1-D or 2-D of one shape, got {input1.shape} and {input2.shape}")
    dim = input1.ndim - 1
    prod = _sum(mul(input1, input2), dim=dim)
    m1 = add(_sum(mul(input1, input1), dim=dim), _EPS)
    m2 = add(_sum(mul(input2, input2), dim=dim), _EPS)
    cos = prod / sqrt(mul(m1, m2))
    pos = where(target == 1, 1 - cos, 0.0)
    neg = where(target == -1, clamp(sub(cos, margin), min=0.0), 0.0)
    return _reduce(add(pos, neg), reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """``max(0, -target * (input1 - input2) + margin)`` for targets of +-1.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.margin_ranking_loss(hw.as_tensor([1.0]), hw.as_tensor([2.0]), hw.as_tensor([1.0])).item()
    1.0
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "margin_ranking_loss")
    if not (input1.shape == input2.shape == target.shape):
        raise ShapeError(
            f"margin_ranking_loss: input1 {input1.shape}, input2 {input2.shape} and target {target.shape} must match"
        )
    return _reduce(clamp(add(mul(-target, sub(input1, input2)), margin), min=0.0), reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-6, swap: bool = False,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """``max(d(a, p) - d(a, n) + margin, 0)`` with ``d`` the pairwise ``p``-norm
    distance; ``swap`` uses ``min(d(a, n), d(p, n))`` for the negative distance.

    Examples
    --------
    >>> import headwater as hw
    >>> a, p, n = hw.zeros(1, 2), hw.as_tensor([[0.0, 1.0]]), hw.as_tensor([[3.0, 4.0]])
    >>> hw.nn.functional.triplet_margin_loss(a, p, n, eps=0.0).item()
    0.0
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "triplet_margin_loss")
    if not (anchor.ndim == positive.ndim == negative.ndim) or anchor.ndim not in (1, 2):
        raise ShapeError(
            f"triplet_margin_loss: anchor, positive and negative must all be 1-D or 2-D, got "
            f"{anchor.shape}, {positive.shape} and {negative.shape}"
        )
    if margin <= 0:
        raise ValueError(f"triplet_margin_loss: margin must be positive, got {margin}")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce(clamp(add(sub(d_pos, d_neg), margin), min=0.0), reduction)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average: bool | None = None,
                      reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss of (N, C) scores against class indices: the mean over
    classes ``i != y`` of ``max(0, margin - x[y] + x[i]) ** p`` (times ``weight[y]``).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[0.1, 0.2, 0.4, 0.8]])
    >>> round(hw.nn.functional.multi_margin_loss(x, hw.as_tensor([3])).item(), 4)
    0.325
    """
    reduction = legacy_reduction(size_average, reduce, reduction, "multi_margin_loss")
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: p must be 1 or 2, got {p}")
    squeeze = input.ndim == 1
    if squeeze:
        input, target = unsqueeze(input, 0), target.reshape(1)
    if input.ndim != 2 or target.shape != input.shape[:1]:
        raise ShapeError(f"multi_margin_loss: expected input (N, C) and target (N,), got {input.shape} and {target.shape}")
    xp = xp_of(input.array)
    classes = input.shape[1]
    picked = gather(input, 1, unsqueeze(target, 1))
    z = clamp(add(sub(input, picked), margin), min=0.0)
    if p == 2:
        z = mul(z, z)
    others = wrap(target.array[:, None] != xp.arange(classes))
    z = where(others, z, 0.0)
    if weight is not None:
        z = mul(z, unsqueeze(weight[target], 1))
    per_sample = mul(_sum(z, dim=1), 1.0 / classes)
    return _reduce(per_sample.reshape(()) if squeeze else per_sample, reduction)
