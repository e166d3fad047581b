"""Distances and similarities: cdist, pdist, pairwise_distance, cosine_similarity,
normalize. All are built from ``vector_norm`` (whose gradient is 0 where a norm is
0, as PyTorch's is at coincident points), arithmetic and indexing.
"""

from __future__ import annotations

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import wrap, xp_of
from headwater.autograd.ops.arithmetic import add, div, mul, sub
from headwater.autograd.ops.elementwise import clamp
from headwater.autograd.ops.indexing import getitem
from headwater.autograd.ops.norms import vector_norm
from headwater.autograd.ops.reduce import sum as _sum
from headwater.autograd.ops.shape import unsqueeze
from headwater.tensor.tensor import Tensor

__all__ = ["cdist", "pdist", "pairwise_distance", "cosine_similarity", "normalize"]


def _tensor(x: object, op: str, name: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: {name} must be a Tensor, got {type(x).__name__}")
    return x


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """The ``p``-norm distance between each row of ``x1`` (..., P, M) and each row
    of ``x2`` (..., R, M), as (..., P, R). Every ``compute_mode`` computes the
    distances directly (no matrix-product shortcut, so no cancellation error).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cdist(hw.as_tensor([[0.0, 0.0], [1.0, 1.0]]), hw.as_tensor([[3.0, 4.0]])).tolist()
    [[5.0], [3.605551242828369]]
    """
    _tensor(x1, "cdist", "x1"), _tensor(x2, "cdist", "x2")
    if x1.ndim < 2 or x2.ndim < 2 or x1.shape[-1] != x2.shape[-1]:
        raise ShapeError(f"cdist: expected (..., P, M) and (..., R, M), got {x1.shape} and {x2.shape}")
    if p < 0:
        raise ValueError(f"cdist: p must be non-negative, got {p}")
    if compute_mode not in ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                            "donot_use_mm_for_euclid_dist"):
        raise ValueError(f"cdist: unknown compute_mode {compute_mode!r}")
    return vector_norm(sub(unsqueeze(x1, -2), unsqueeze(x2, -3)), p, dim=-1)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """The ``p``-norm distance between every pair of rows ``i < j`` of the (N, M)
    ``input``, in row-major order: ``N * (N - 1) / 2`` values.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.pdist(hw.as_tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]])).tolist()
    [5.0, 1.0, 4.242640495300293]
    """
    _tensor(input, "pdist", "input")
    if input.ndim != 2:
        raise ShapeError(f"pdist: expected a 2-D input (N, M), got shape {input.shape}")
    xp = xp_of(input.array)
    n = input.shape[0]
    rows, cols = xp.triu_indices(n, 1, n) if n > 1 else (xp.zeros(0, "int64"), xp.zeros(0, "int64"))
    diff = sub(getitem(input, wrap(rows)), getitem(input, wrap(cols)))
    return vector_norm(diff, p, dim=-1)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """The ``p``-norm of ``x1 - x2 + eps`` over the last dimension (broadcasting).

    Examples
    --------
    >>> import headwater as hw
    >>> d = hw.nn.functional.pairwise_distance(hw.as_tensor([[0.0, 0.0]]), hw.as_tensor([[3.0, 4.0]]), eps=0.0)
    >>> d.tolist()
    [5.0]
    """
    _tensor(x1, "pairwise_distance", "x1"), _tensor(x2, "pairwise_distance", "x2")
    diff = sub(x1, x2)
    if eps:
        diff = add(diff, eps)
    dim = -1 if diff.ndim else None
    return vector_norm(diff, p, dim=dim, keepdim=keepdim)


def _clamped_norm(x: Tensor, dim: int, eps: float) -> Tensor:
    # the norm clamped to eps in value only: the gradient treats it as unclamped,
    # as torch does (its clamp runs under no_grad)
    n = vector_norm(x, 2, dim=dim, keepdim=True)
    xp = xp_of(n.array)
    return add(n, wrap(xp.maximum(n.array, eps) - n.array))


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """``x1 . x2 / (max(|x1|, eps) * max(|x2|, eps))`` along ``dim``, broadcasting.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.cosine_similarity(hw.as_tensor([[1.0, 0.0]]), hw.as_tensor([[1.0, 1.0]])).tolist()
    [0.7071067690849304]
    """
    _tensor(x1, "cosine_similarity", "x1"), _tensor(x2, "cosine_similarity", "x2")
    a = div(x1, _clamped_norm(x1, dim, eps))
    b = div(x2, _clamped_norm(x2, dim, eps))
    return _sum(mul(a, b), dim=dim)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """``input`` divided by its ``p``-norm along ``dim`` (at least ``eps``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.normalize(hw.as_tensor([[3.0, 4.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """
    _tensor(input, "normalize", "input")
    return div(input, clamp(vector_norm(input, p, dim=dim, keepdim=True), min=eps))
