"""Matrix functions and triangular/orthogonal decompositions for ``hw.linalg``:
inv det slogdet logdet solve cholesky qr matrix_power (the SVD family is in
:mod:`headwater.autograd.ops.spectral`).

Forward passes use the ``xp.linalg`` functions NumPy and CuPy share (batched over
leading dimensions); backward passes are the standard matrix-calculus results, in
the forms PyTorch uses. The gradient of ``det`` holds for singular matrices too
(through the SVD).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from headwater.autograd.broadcast import unbroadcast
from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Function, Op, wrap, xp_of
from headwater.autograd.ops.linalg import matmul
from headwater.autograd.ops.shape import transpose
from headwater.tensor.dtypes import DTypeError, is_floating
from headwater.tensor.tensor import Tensor

__all__ = [
    "LinAlgError", "inv", "det", "slogdet", "logdet", "solve", "cholesky", "qr", "matrix_power",
    "SlogdetResult", "QRResult",
]

SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
QRResult = namedtuple("QRResult", ["Q", "R"])


class LinAlgError(RuntimeError):
    """A matrix has no answer for the asked function (singular, or not
    positive-definite), as ``torch.linalg.LinAlgError``."""


def _lapack(fn, op: str, hint: str):
    """Run ``fn`` and turn the backend's LinAlgError (a ValueError in NumPy) into
    :class:`LinAlgError` with what to do about it (CuPy raises NumPy's class)."""
    try:
        return fn()
    except np.linalg.LinAlgError as exc:
        raise LinAlgError(f"{op}: {exc}; {hint}") from None


def _T(x):
    return x.swapaxes(-1, -2)


def _square(A: Any, op: str) -> Tensor:
    if not isinstance(A, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(A).__name__}")
    if not is_floating(A.array.dtype):
        raise DTypeError(f"{op}: expected a floating point tensor, got {A.dtype}; convert it with .float()")
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise ShapeError(f"{op}: expected square matrices (..., n, n), got shape {A.shape}")
    return A


def _matrices(A: Any, op: str) -> Tensor:
    if not isinstance(A, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(A).__name__}")
    if not is_floating(A.array.dtype):
        raise DTypeError(f"{op}: expected a floating point tensor, got {A.dtype}; convert it with .float()")
    if A.ndim < 2:
        raise ShapeError(f"{op}: expected matrices (..., m, n), got shape {A.shape}")
    return A


class Inv(Op):
    saves_output = True

    def forward(self, a):
        self.out = _lapack(lambda: xp_of(a).linalg.inv(a), "inv",
                           "the matrix is singular; hw.linalg.pinv gives a pseudo-inverse")
        return self.out

    def backward(self, g):
        t = _T(self.out)
        return -(t @ g @ t)


def inv(A: Tensor) -> Tensor:
    """The inverse of each square matrix in ``A`` (``hw.inverse`` too).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.inv(hw.as_tensor([[2.0, 0.0], [0.0, 4.0]])).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    return Inv.apply(_square(A, "inv"))


class Det(Op):
    saves = (0,)

    def forward(self, a):
        self.a = a
        return xp_of(a).linalg.det(a)

    def backward(self, g):
        # d det / dA is the cofactor matrix, det(U) det(Vh) U diag(prod_{j!=i} s_j) Vh,
        # which stays finite where A is singular (A^-T would not exist)
        xp = xp_of(g)
        u, s, vh = xp.linalg.svd(self.a)
        n = s.shape[-1]
        ones = xp.ones(s.shape[:-1] + (1,), s.dtype)
        before = xp.cumprod(xp.concatenate([ones, s[..., :-1]], axis=-1), axis=-1)
        after = xp.flip(xp.cumprod(xp.concatenate([ones, xp.flip(s, axis=-1)[..., :-1]], axis=-1), axis=-1), axis=-1)
        others = before * after if n else s
        sign = xp.linalg.det(u) * xp.linalg.det(vh)
        cof = (u * others[..., None, :]) @ vh
        return cof * (g * sign)[..., None, None]


def det(A: Tensor) -> Tensor:
    """The determinant of each square matrix in ``A``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.det(hw.as_tensor([[1.0, 2.0], [3.0, 4.0]])).item()
    -2.0...
    """
    return Det.apply(_square(A, "det"))


class LogAbsDet(Op):
    saves = (0,)

    def forward(self, a):
        xp = xp_of(a)
        self.a = a
        _, logabs = xp.linalg.slogdet(a)
        return logabs

    def backward(self, g):
        return g[..., None, None] * _T(xp_of(g).linalg.inv(self.a))


def slogdet(A: Tensor) -> SlogdetResult:
    """The sign and the log of the absolute value of each determinant, as
    ``(sign, logabsdet)`` (stable where the determinant itself would overflow).

    Examples
    --------
    >>> import headwater as hw
    >>> sign, logabs = hw.linalg.slogdet(hw.as_tensor([[-2.0, 0.0], [0.0, 1.0]]))
    >>> sign.item(), round(logabs.item(), 4)
    (-1.0, 0.6931)
    """
    A = _square(A, "slogdet")
    xp = xp_of(A.array)
    sign, _ = xp.linalg.slogdet(A.array)
    return SlogdetResult(wrap(xp.asarray(sign, dtype=A.dtype)), LogAbsDet.apply(A))


def logdet(A: Tensor) -> Tensor:
    """The log of each determinant (NaN where it is negative, as in PyTorch).

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.logdet(hw.as_tensor([[2.0, 0.0], [0.0, 3.0]])).item(), 4)
    1.7918
    """
    sign, logabs = slogdet(A)
    xp = xp_of(sign.array)
    bad = wrap(xp.where(sign.array < 0, xp.nan, xp.where(sign.array == 0, -xp.inf, 0)).astype(sign.dtype))
    return logabs + bad


class Solve(Op):
    saves = (0,)
    saves_output = True

    def forward(self, a, b, vector=False):
        xp = xp_of(a)
        self.sa, self.sb, self.vector = a.shape, b.shape, vector
        b2 = b[..., None] if vector else b
        batch = xp.broadcast_shapes(a.shape[:-2], b2.shape[:-2])
        a_full = xp.broadcast_to(a, batch + a.shape[-2:])
        b_full = xp.broadcast_to(b2, batch + b2.shape[-2:])
        self.a = a_full
        self.x = _lapack(lambda: xp.linalg.solve(a_full, b_full), "solve",
                         "A is singular; hw.linalg.lstsq gives a least-squares solution")
        return self.x[..., 0] if vector else self.x

    def backward(self, g):
        xp = xp_of(g)
        g2 = g[..., None] if self.vector else g
        gb = xp.linalg.solve(_T(self.a), g2)
        ga = -(gb @ _T(self.x))
        gb = gb[..., 0] if self.vector else gb
        na, nb = self.needs
        return (unbroadcast(ga, self.sa) if na else None, unbroadcast(gb, self.sb) if nb else None)


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """The solution ``X`` of ``A X = B`` (``X A = B`` with ``left=False``); ``B`` is a
    batch of vectors when it has one dimension less than ``A``. Batch dimensions
    broadcast.

    Examples
    --------
    >>> import headwater as hw
    >>> A = hw.as_tensor([[2.0, 0.0], [0.0, 4.0]])
    >>> hw.linalg.solve(A, hw.as_tensor([2.0, 2.0])).tolist()
    [1.0, 0.5]
    """
    A = _square(A, "solve")
    if not isinstance(B, Tensor):
        raise TypeError(f"solve: B must be a Tensor, got {type(B).__name__}")
    if not left:
        return transpose(solve(transpose(A, -1, -2), transpose(B, -1, -2)), -1, -2)
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    n = A.shape[-1]
    if (B.shape[-1] if vector else B.shape[-2] if B.ndim >= 2 else -1) != n:
        raise ShapeError(f"solve: A of shape {A.shape} does not fit B of shape {B.shape}")
    return Solve.apply(A, B, vector=vector)


class Cholesky(Op):
    saves_output = True

    def forward(self, a):
        xp = xp_of(a)
        self.out = _lapack(lambda: xp.linalg.cholesky(a), "cholesky",
                           "the input must be symmetric positive-definite (adding a small multiple "
                           "of the identity often helps)")
        return self.out

    def backward(self, g):
        xp = xp_of(g)
        L = self.out
        m = xp.tril(_T(L) @ g)
        m = 0.5 * (m + _T(xp.tril(m, -1)))  # tril(L^T gL) with its strict lower part mirrored
        l_inv = xp.linalg.inv(L)
        return _T(l_inv) @ m @ l_inv


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """The lower-triangular ``L`` with ``L @ L.mT == A`` for each symmetric
    positive-definite ``A`` (its upper transpose with ``upper=True``). Only the
    lower triangle of ``A`` is read.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.cholesky(hw.as_tensor([[4.0, 2.0], [2.0, 5.0]])).tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    """
    L = Cholesky.apply(_square(A, "cholesky"))
    return transpose(L, -1, -2) if upper else L


def _qr_grad(xp, q, r, gq, gr):
    # A = QR with m >= n: gA = (gQ + Q copyltu(M)) R^-T, M = R gR^T - gQ^T Q
    m = r @ _T(gr) - _T(gq) @ q
    copyltu = xp.tril(m) + _T(xp.tril(m, -1))
    return _T(xp.linalg.solve(r, _T(gq + q @ copyltu)))


class _QR(Function):
    @staticmethod
    def forward(ctx, A, mode):
        xp = xp_of(A.array)
        q, r = xp.linalg.qr(A.array, mode="complete" if mode == "complete" else "reduced")
        ctx.q, ctx.r, ctx.mode = q, r, mode
        return wrap(q), wrap(r)

    @staticmethod
    def backward(ctx, gq, gr):
        q, r = ctx.q, ctx.r
        xp = xp_of(q)
        m, n = q.shape[-2], r.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise NotImplementedError(
                "qr: the gradient of mode='complete' with more rows than columns is not defined; "
                "use mode='reduced'"
            )
        gq = xp.zeros_like(q) if gq is None else gq.array
        gr = xp.zeros_like(r) if gr is None else gr.array
        if m >= n:
            return wrap(_qr_grad(xp, q, r, gq, gr)), None
        # wide A = [X | Y] with X square: X = QU, Y = QV, so V = Q^T Y also moves with Q
        u, v, gu, gv = r[..., :m], r[..., m:], gr[..., :m], gr[..., m:]
        gx = _qr_grad(xp, q, u, gq + q @ v @ _T(gv), gu)
        return wrap(xp.concatenate([gx, q @ gv], axis=-1)), None


def qr(A: Tensor, mode: str = "reduced") -> QRResult:
    """``Q`` with orthonormal columns and upper-triangular ``R`` with ``A = Q R``;
    ``mode`` is ``"reduced"``, ``"complete"`` or ``"r"`` (``Q`` empty).

    Examples
    --------
    >>> import headwater as hw
    >>> Q, R = hw.linalg.qr(hw.as_tensor([[3.0, 1.0], [4.0, 2.0]], dtype=hw.float64))
    >>> [round(abs(v), 4) for v in R.flatten().tolist()]
    [5.0, 2.2, 0.0, 0.4]
    """
    A = _matrices(A, "qr")
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    q, r = _QR.apply(A, mode)
    if mode == "r":
        return QRResult(wrap(xp_of(q.array).zeros(0, A.dtype)), r)
    return QRResult(q, r)


def matrix_power(A: Tensor, n: int) -> Tensor:
    """``A`` multiplied by itself ``n`` times (the identity for 0, powers of the
    inverse for negative ``n``), by repeated squaring.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.matrix_power(hw.as_tensor([[1.0, 1.0], [0.0, 1.0]]), 3).tolist()
    [[1.0, 3.0], [0.0, 1.0]]
    """
    A = _square(A, "matrix_power")
    if not isinstance(n, int):
        raise TypeError(f"matrix_power: n must be an int, got {type(n).__name__}")
    if n < 0:
        A, n = inv(A), -n
    result = None
    base = A
    while n:
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    if result is None:
        xp = xp_of(A.array)
        return A * 0 + wrap(xp.broadcast_to(xp.eye(A.shape[-1], dtype=A.dtype), A.shape))
    return result
