"""Similarity and distance layers: CosineSimilarity, PairwiseDistance."""

from __future__ import annotations

from headwater.autograd.nn.module import Module
from headwater.autograd.ops.distance import cosine_similarity, pairwise_distance
from headwater.tensor.tensor import Tensor

__all__ = ["CosineSimilarity", "PairwiseDistance"]


class CosineSimilarity(Module):
    """The cosine of the angle between ``x1`` and ``x2`` along ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.CosineSimilarity(dim=1)(hw.ones(2, 3), hw.ones(2, 3)).tolist()
    [1.0, 1.0]
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The ``p``-norm of ``x1 - x2 + eps`` over the last dimension.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.PairwiseDistance(eps=0.0)(hw.zeros(1, 2), hw.as_tensor([[3.0, 4.0]])).tolist()
    [5.0]
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
