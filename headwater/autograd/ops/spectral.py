"""The singular value and symmetric eigen decompositions and what is built on
them: svd svdvals eigh eigvalsh pinv matrix_rank lstsq.

Gradients of ``svd`` and ``eigh`` assume distinct singular values / eigenvalues,
as PyTorch's do; ``pinv``'s assumes the rank does not change under perturbation.
"""

from __future__ import annotations

from collections import namedtuple

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Function, Op, wrap, xp_of
from headwater.autograd.ops.decompositions import _T, _matrices, _square
from headwater.autograd.ops.linalg import matmul
from headwater.autograd.ops.shape import unsqueeze
from headwater.tensor.tensor import Tensor

__all__ = [
    "svd", "svdvals", "eigh", "eigvalsh", "pinv", "matrix_rank", "lstsq",
    "SVDResult", "EighResult", "LstsqResult",
]

SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
LstsqResult = namedtuple("LstsqResult", ["solution", "residuals", "rank", "singular_values"])


def _skew(x):
    return x - _T(x)


def _svd_grad(xp, u, s, vh, gu, gs, gvh):
    v = _T(vh)
    m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
    s2 = s * s
    e = s2[..., None, :] - s2[..., :, None]  # e[i, j] = s_j^2 - s_i^2
    eye = xp.eye(k, dtype=bool)
    e = xp.where(eye, 1, e)
    inner = xp.zeros(s.shape + (k,), s.dtype)
    if gu is not None:
        inner = inner + (_skew(_T(u) @ gu) / e) * s[..., None, :]
    if gvh is not None:
        gv = _T(gvh)
        inner = inner + s[..., :, None] * (_skew(_T(v) @ gv) / e)
    if gs is not None:
        inner = inner + xp.where(eye, gs[..., :, None], 0)
    ga = u @ inner @ vh
    if gu is not None and m > k:
        ga = ga + ((gu - u @ (_T(u) @ gu)) / s[..., None, :]) @ vh
    if gvh is not None and n > k:
        gv = _T(gvh)
        ga = ga + u @ _T((gv - v @ (_T(v) @ gv)) / s[..., None, :])
    return ga


class _SVD(Function):
    @staticmethod
    def forward(ctx, A, full_matrices):
        xp = xp_of(A.array)
        u, s, vh = xp.linalg.svd(A.array, full_matrices=full_matrices)
        ctx.u, ctx.s, ctx.vh, ctx.full = u, s, vh, full_matrices
        return wrap(u), wrap(s), wrap(vh)

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.u, ctx.s, ctx.vh
        xp = xp_of(s)
        k = s.shape[-1]
        if ctx.full and (u.shape[-1] != k or vh.shape[-2] != k):
            if gu is not None or gvh is not None:
                raise NotImplementedError(
                    "svd: the gradient through U or Vh with full_matrices=True of a non-square "
                    "matrix is not defined; use full_matrices=False"
                )
            u, vh = u[..., :k], vh[..., :k, :]
        return wrap(_svd_grad(xp, u, s, vh, None if gu is None else gu.array,
                              None if gs is None else gs.array, None if gvh is None else gvh.array)), None


def svd(A: Tensor, full_matrices: bool = True) -> SVDResult:
    """The singular value decomposition ``A = U diag(S) Vh``, singular values in
    descending order; ``full_matrices=False`` gives the reduced factors. The
    gradient assumes distinct singular values (as PyTorch's does).

    Examples
    --------
    >>> import headwater as hw
    >>> U, S, Vh = hw.linalg.svd(hw.as_tensor([[3.0, 0.0], [0.0, -4.0]]))
    >>> S.tolist()
    [4.0, 3.0]
    """
    return SVDResult(*_SVD.apply(_matrices(A, "svd"), full_matrices))


class SvdVals(Op):
    saves = (0,)

    def forward(self, a):
        xp = xp_of(a)
        self.u, s, self.vh = xp.linalg.svd(a, full_matrices=False)
        return s

    def backward(self, g):
        return (self.u * g[..., None, :]) @ self.vh


def svdvals(A: Tensor) -> Tensor:
    """The singular values of each matrix in ``A``, in descending order.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.svdvals(hw.as_tensor([[0.0, 2.0], [1.0, 0.0]])).tolist()
    [2.0, 1.0]
    """
    return SvdVals.apply(_matrices(A, "svdvals"))


class _Eigh(Function):
    @staticmethod
    def forward(ctx, A, uplo):
        xp = xp_of(A.array)
        w, v = xp.linalg.eigh(A.array, UPLO=uplo)
        ctx.w, ctx.v = w, v
        return wrap(w), wrap(v)

    @staticmethod
    def backward(ctx, gw, gv):
        w, v = ctx.w, ctx.v
        xp = xp_of(w)
        n = w.shape[-1]
        eye = xp.eye(n, dtype=bool)
        inner = xp.zeros(w.shape + (n,), w.dtype)
        if gv is not None:
            e = w[..., None, :] - w[..., :, None]  # e[i, j] = w_j - w_i
            inner = inner + xp.where(eye, 0, (_T(v) @ gv.array) / xp.where(eye, 1, e))
        if gw is not None:
            inner = inner + xp.where(eye, gw.array[..., :, None], 0)
        return wrap(v @ inner @ _T(v)), None


def eigh(A: Tensor, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and orthonormal eigenvectors of each symmetric
    matrix in ``A``, reading its lower (``UPLO="L"``) or upper triangle. The
    gradient assumes distinct eigenvalues.

    Examples
    --------
    >>> import headwater as hw
    >>> w, V = hw.linalg.eigh(hw.as_tensor([[2.0, 1.0], [1.0, 2.0]]))
    >>> [round(x, 4) for x in w.tolist()]
    [1.0, 3.0]
    """
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    return EighResult(*_Eigh.apply(_square(A, "eigh"), UPLO))


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """The eigenvalues (ascending) of each symmetric matrix in ``A``.

    Examples
    --------
    >>> import headwater as hw
    >>> [round(x, 4) for x in hw.linalg.eigvalsh(hw.as_tensor([[2.0, 0.0], [0.0, 1.0]])).tolist()]
    [1.0, 2.0]
    """
    return eigh(A, UPLO).eigenvalues


def _cutoff(xp, s, shape, atol, rtol):
    """The singular-value threshold of pinv / matrix_rank, as PyTorch sets it."""
    smax = s[..., :1] if s.shape[-1] else xp.zeros(s.shape[:-1] + (1,), s.dtype)
    if atol is None and rtol is None:
        rtol = xp.finfo(s.dtype).eps * max(shape[-2:])
    elif rtol is None:
        rtol = 0.0
    return xp.maximum(0.0 if atol is None else atol, rtol * smax)


class Pinv(Op):
    saves = (0,)
    saves_output = True

    def forward(self, a, atol=None, rtol=None):
        xp = xp_of(a)
        u, s, vh = xp.linalg.svd(a, full_matrices=False)
        keep = s > _cutoff(xp, s, a.shape, atol, rtol)
        s_inv = xp.where(keep, 1 / xp.where(keep, s, 1), 0)
        self.a = a
        self.out = (_T(vh) * s_inv[..., None, :]) @ _T(u)
        return self.out

    def backward(self, g):
        # constant-rank pseudo-inverse: -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A)
        xp = xp_of(g)
        a, p = self.a, self.out
        pt, gt = _T(p), _T(g)
        eye_m = xp.eye(a.shape[-2], dtype=a.dtype)
        eye_n = xp.eye(a.shape[-1], dtype=a.dtype)
        return -(pt @ g @ pt) + (eye_m - a @ p) @ gt @ p @ pt + pt @ p @ gt @ (eye_n - p @ a)


def pinv(A: Tensor, *, atol: float | None = None, rtol: float | None = None,
         hermitian: bool = False) -> Tensor:
    """The Moore-Penrose pseudo-inverse of each matrix in ``A``, from its SVD;
    singular values at or below ``max(atol, rtol * largest)`` count as zero (by
    default ``rtol = eps * max(m, n)``, as PyTorch). ``hermitian`` is accepted (the
    SVD serves both).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.pinv(hw.as_tensor([[2.0, 0.0], [0.0, 0.0]])).tolist()
    [[0.5, 0.0], [0.0, 0.0]]
    """
    return Pinv.apply(_matrices(A, "pinv"), atol=atol, rtol=rtol)


def matrix_rank(A: Tensor, *, atol: float | None = None, rtol: float | None = None,
                hermitian: bool = False) -> Tensor:
    """The number of singular values of each matrix above ``max(atol, rtol *
    largest)`` (by default ``rtol = eps * max(m, n)``), as int64.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.matrix_rank(hw.as_tensor([[1.0, 2.0], [2.0, 4.0]])).item()
    1
    """
    A = _matrices(A, "matrix_rank")
    xp = xp_of(A.array)
    s = xp.linalg.svd(A.array, compute_uv=False)
    return wrap((s > _cutoff(xp, s, A.shape, atol, rtol)).sum(axis=-1).astype("int64"))


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None) -> LstsqResult:
    """The least-squares solution ``X`` minimising ``||A X - B||`` for each matrix
    (the minimum-norm one where ``A`` is rank-deficient), through the
    pseudo-inverse, so it is differentiable and batched. As with PyTorch's drivers:
    ``rank`` is given except for ``"gels"``; ``residuals`` (squared residual norms,
    for tall full-rank ``A``) and ``singular_values`` only for ``"gelsd"`` and
    ``"gelss"``; otherwise they are empty.

    Examples
    --------
    >>> import headwater as hw
    >>> A = hw.as_tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=hw.float64)
    >>> B = hw.as_tensor([[1.0], [2.0], [3.0]], dtype=hw.float64)
    >>> [round(v, 4) for v in hw.linalg.lstsq(A, B).solution.flatten().tolist()]
    [1.0, 2.0]
    """
    A = _matrices(A, "lstsq")
    if driver not in (None, "gels", "gelsy", "gelsd", "gelss"):
        raise ValueError(f"lstsq: driver must be one of 'gels', 'gelsy', 'gelsd', 'gelss', got {driver!r}")
    if not isinstance(B, Tensor) or B.ndim < 1 or B.shape[-2 if B.ndim > 1 else 0] != A.shape[-2]:
        raise ShapeError(f"lstsq: B of shape {getattr(B, 'shape', None)} does not fit A of shape {A.shape}")
    vector = B.ndim == 1
    rtol = None if rcond is None or rcond < 0 else rcond
    x = matmul(pinv(A, rtol=rtol), unsqueeze(B, -1) if vector else B)
    x = x.squeeze(-1) if vector else x
    xp = xp_of(A.array)
    empty = wrap(xp.zeros(0, A.dtype))
    full_rank = matrix_rank(A, rtol=rtol)
    rank = wrap(xp.zeros(0, "int64")) if driver == "gels" else full_rank
    s = wrap(xp.linalg.svd(A.array, compute_uv=False)) if driver in ("gelsd", "gelss") else empty
    m, n = A.shape[-2:]
    residuals = empty
    if driver in ("gels", "gelsd", "gelss") and m > n and bool((full_rank.array == n).all()):
        r = matmul(A, x.unsqueeze(-1) if vector else x) - (B.unsqueeze(-1) if vector else B)
        residuals = (r * r).sum(dim=-2)
        residuals = residuals.squeeze(-1) if vector else residuals
    return LstsqResult(x, residuals, rank, s)
