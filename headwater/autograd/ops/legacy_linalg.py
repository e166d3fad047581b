"""torch's top-level linear-algebra forms, over ``hw.linalg``: ``svd`` (returns
``V``, ``some=``), ``qr`` (``some=``), ``pinverse`` (``rcond=``), ``cholesky``
(``upper=`` positional), ``inverse``, and ``cross`` (``dim=None`` picks the first
dimension of size 3), plus ``linalg.cross``, ``linalg.vecdot`` and
``linalg.multi_dot``."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence

from headwater.autograd.function import wrap, xp_of
from headwater.autograd.ops import decompositions as D
from headwater.autograd.ops import spectral as S
from headwater.autograd.ops.arithmetic import mul, sub
from headwater.autograd.ops.indexing import index_select
from headwater.autograd.ops.linalg import matmul
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.reduce import sum as _sum
from headwater.autograd.ops.shape import transpose
from headwater.tensor.tensor import Tensor

__all__ = ["torch_svd", "torch_qr", "pinverse", "torch_cholesky", "inverse", "cross",
           "linalg_cross", "vecdot", "multi_dot"]

TorchSVDResult = namedtuple("TorchSVDResult", ["U", "S", "V"])


def torch_svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> TorchSVDResult:
    """``torch.svd``: ``(U, S, V)`` with ``input = U diag(S) V^T`` (``V``, not
    ``Vh``); ``some=False`` gives the full factors, ``compute_uv=False`` zero ones.

    Examples
    --------
    >>> import headwater as hw
    >>> U, S, V = hw.svd(hw.as_tensor([[2.0, 0.0], [0.0, 1.0]]))
    >>> S.tolist()
    [2.0, 1.0]
    """
    if not compute_uv:
        s = S.svdvals(input)
        xp = xp_of(input.array)
        m, n = input.shape[-2:]
        k = min(m, n)
        zu = wrap(xp.zeros(input.shape[:-2] + (m, m if not some else k), input.dtype))
        zv = wrap(xp.zeros(input.shape[:-2] + (n, n if not some else k), input.dtype))
        return TorchSVDResult(zu, s, zv)
    u, s, vh = S.svd(input, full_matrices=not some)
    return TorchSVDResult(u, s, transpose(vh, -1, -2))


def torch_qr(input: Tensor, some: bool = True) -> D.QRResult:
    """``torch.qr``: the reduced factors, or with ``some=False`` the complete ones.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.qr(hw.ones(3, 2)).Q.shape
    (3, 2)
    """
    return D.qr(input, "reduced" if some else "complete")


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """``torch.pinverse``: the pseudo-inverse, treating singular values below
    ``rcond`` times the largest as zero.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.pinverse(hw.as_tensor([[4.0]])).tolist()
    [[0.25]]
    """
    return S.pinv(input, rtol=rcond)


def torch_cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """``torch.cholesky``: ``hw.linalg.cholesky`` with ``upper`` positional.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cholesky(hw.as_tensor([[4.0]])).tolist()
    [[2.0]]
    """
    return D.cholesky(input, upper=upper)


def inverse(input: Tensor) -> Tensor:
    """``torch.inverse``: the inverse of each square matrix.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.inverse(hw.as_tensor([[4.0]])).tolist()
    [[0.25]]
    """
    return D.inv(input)


def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """The cross product of 3-vectors along ``dim`` (broadcasting).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.cross(hw.as_tensor([1.0, 0.0, 0.0]), hw.as_tensor([0.0, 1.0, 0.0])).tolist()
    [0.0, 0.0, 1.0]
    """
    n = max(input.ndim, other.ndim)
    (axis,) = norm_dims(dim, n, "cross")
    axis -= n  # count from the end, so both operands agree after broadcasting
    if input.shape[axis] != 3 or other.shape[axis] != 3:
        raise ValueError(f"cross: dimension {dim} must have size 3, got shapes {input.shape} and {other.shape}")
    xp = xp_of(input.array)
    i1 = wrap(xp.asarray([1, 2, 0]))
    i2 = wrap(xp.asarray([2, 0, 1]))
    pick = lambda t, i: index_select(t, t.ndim + axis, i)  # noqa: E731
    return sub(mul(pick(input, i1), pick(other, i2)), mul(pick(input, i2), pick(other, i1)))


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """``torch.cross``: the cross product along ``dim``, by default the first
    dimension of size 3.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cross(hw.as_tensor([[0.0, 1.0, 0.0]]), hw.as_tensor([[0.0, 0.0, 1.0]])).tolist()
    [[1.0, 0.0, 0.0]]
    """
    if dim is None:
        sizes = [i for i, n in enumerate(input.shape) if n == 3]
        if not sizes:
            raise ValueError(f"cross: no dimension of size 3 in shape {input.shape}")
        dim = sizes[0] - input.ndim
    return linalg_cross(input, other, dim=dim)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """The dot product of vectors along ``dim`` (broadcasting).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.vecdot(hw.ones(2, 3), hw.as_tensor([1.0, 2.0, 3.0])).tolist()
    [6.0, 6.0]
    """
    return _sum(mul(x, y), dim=dim)


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """The product of a chain of matrices (the first may be a vector, and the
    last), left to right.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.multi_dot([hw.ones(2, 3), hw.ones(3, 4), hw.ones(4)]).tolist()
    [12.0, 12.0]
    """
    tensors = list(tensors)
    if len(tensors) < 2:
        raise ValueError(f"multi_dot: expected at least two tensors, got {len(tensors)}")
    out = tensors[0]
    for t in tensors[1:]:
        out = matmul(out, t)
    return out
