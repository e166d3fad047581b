"""Discrete Fourier transforms (``hw.fft``, as ``torch.fft``) on ``xp.fft``.

Complex results are complex64 for float32 (and integer, which use the default
float dtype) inputs and complex128 for float64, as torch's. The one-dimensional
transforms (fft, ifft, rfft, irfft) record a gradient with torch's convention for
complex values (the conjugate Wirtinger derivative, so a real loss gets the same
gradients as in torch): each backward is the adjoint transform, the one with the
dual ``norm``. The n-dimensional transforms compute values only and refuse inputs
that require a gradient. Other ops' gradients on complex tensors are not
implemented throughout Headwater; ``abs`` is the one that follows torch's
convention, so ``rfft(x).abs()`` and ``irfft(rfft(x))`` train.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from headwater.autograd import grad_mode
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.reorder import roll
from headwater.tensor.creation import target
from headwater.tensor.devices import get_backend
from headwater.tensor.dtypes import get_default_dtype
from headwater.tensor.tensor import Tensor

__all__ = [
    "fft", "ifft", "rfft", "irfft", "fftn", "ifftn", "rfftn", "fft2", "ifft2", "rfft2",
    "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]

_NORMS = (None, "backward", "ortho", "forward")
_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}
_COMPLEX = {np.dtype("float32"): np.dtype("complex64"), np.dtype("float64"): np.dtype("complex128"),
            np.dtype("float16"): np.dtype("complex64")}


def _norm(norm: str | None, op: str) -> str:
    if norm not in _NORMS:
        raise ValueError(f"{op}: norm must be 'backward', 'ortho' or 'forward', got {norm!r}")
    return norm or "backward"


def _input(input: Any, op: str) -> Tensor:
    """The input as a float or complex tensor (integers and bools go to the default float)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    kind = input.array.dtype.kind
    if kind in "fc":
        return input
    if kind in "biu":
        return Tensor(input.array.astype(get_default_dtype()))
    raise TypeError(f"{op}: unsupported dtype {input.array.dtype}")


def _complex_of(dtype: np.dtype) -> np.dtype:
    return dtype if dtype.kind == "c" else _COMPLEX[np.dtype(dtype)]


def _real_of(dtype: np.dtype) -> np.dtype:
    return np.dtype("float32") if dtype == np.dtype("complex64") else np.dtype("float64")


def _fit(xp: Any, a: Any, n: int, axis: int) -> Any:
    """``a`` cut or zero-padded to length ``n`` along ``axis``."""
    size = a.shape[axis]
    if size == n:
        return a
    if size > n:
        index = [slice(None)] * a.ndim
        index[axis] = slice(0, n)
        return a[tuple(index)]
    width = [(0, 0)] * a.ndim
    width[axis] = (0, n - size)
    return xp.pad(a, width)


class _Transform(Op):
    """A 1-D transform along ``axis``; ``kind`` is fft, ifft, rfft or irfft."""

    kind = ""

    def forward(self, a, n=None, axis=-1, norm="backward"):
        xp = xp_of(a)
        self.axis, self.norm, self.size, self.in_dtype = axis, norm, a.shape[axis], a.dtype
        self.n = n
        out = getattr(xp.fft, self.kind)(a, n=n, axis=axis, norm=norm)
        if self.kind == "irfft":
            return out.astype(_real_of(a.dtype), copy=False)
        return out.astype(_complex_of(a.dtype), copy=False)


class FFT(_Transform):
    kind = "fft"

    def backward(self, g):
        xp = xp_of(g)
        n = g.shape[self.axis]
        grad = _fit(xp, xp.fft.ifft(g, n=n, axis=self.axis, norm=_DUAL[self.norm]), self.size, self.axis)
        return _as_input(xp, grad, self.in_dtype)


class IFFT(_Transform):
    kind = "ifft"

    def backward(self, g):
        xp = xp_of(g)
        n = g.shape[self.axis]
        grad = _fit(xp, xp.fft.fft(g, n=n, axis=self.axis, norm=_DUAL[self.norm]), self.size, self.axis)
        return _as_input(xp, grad, self.in_dtype)


class RFFT(_Transform):
    kind = "rfft"

    def backward(self, g):
        xp = xp_of(g)
        n = self.n if self.n is not None else self.size
        full = _fit(xp, g, n, self.axis)  # the bins rfft dropped get no gradient
        grad = xp.fft.ifft(full, n=n, axis=self.axis, norm=_DUAL[self.norm]).real
        return _fit(xp, grad, self.size, self.axis).astype(self.in_dtype, copy=False)


class IRFFT(_Transform):
    kind = "irfft"

    def backward(self, g):
        xp = xp_of(g)
        n = g.shape[self.axis]
        half = xp.fft.rfft(g, axis=self.axis, norm=_DUAL[self.norm])
        bins = half.shape[self.axis]
        weight = xp.full(bins, 2.0)
        weight[0] = 1.0
        if n % 2 == 0:
            weight[-1] = 1.0
        shape = [1] * half.ndim
        shape[self.axis] = bins
        grad = half * weight.reshape(shape)
        return _as_input(xp, _fit(xp, grad, self.size, self.axis), self.in_dtype)


def _as_input(xp: Any, grad: Any, dtype: np.dtype) -> Any:
    """A gradient for an input of ``dtype``: the real part for a real input."""
    if dtype.kind != "c":
        grad = grad.real
    return grad.astype(dtype, copy=False)


def _one_dim(cls: type, input: Tensor, n: int | None, dim: int, norm: str | None, op: str) -> Tensor:
    x = _input(input, op)
    if cls is RFFT and x.array.dtype.kind == "c":
        raise TypeError(f"{op}: expects a real input, got {x.array.dtype}; use fft for complex input")
    if not -x.ndim <= dim < max(x.ndim, 1):
        raise IndexError(f"{op}: dim {dim} is out of range for a tensor with {x.ndim} dimensions")
    if n is not None and int(n) < 1:
        raise ValueError(f"{op}: n must be positive, got {n}")
    return cls.apply(x, n=None if n is None else int(n), axis=dim % x.ndim, norm=_norm(norm, op))


def fft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The discrete Fourier transform along ``dim`` (cut or zero-padded to ``n``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.fft(hw.as_tensor([1.0, 0.0, 0.0, 0.0])).tolist()
    [(1+0j), (1+0j), (1+0j), (1+0j)]
    """
    return _one_dim(FFT, input, n, dim, norm, "fft")


def ifft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The inverse discrete Fourier transform along ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.ifft(hw.as_tensor([4.0, 0.0, 0.0, 0.0])).tolist()
    [(1+0j), (1+0j), (1+0j), (1+0j)]
    """
    return _one_dim(IFFT, input, n, dim, norm, "ifft")


def rfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The Fourier transform of a real input: the ``n // 2 + 1`` non-negative frequencies.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.rfft(hw.as_tensor([1.0, 2.0, 3.0, 4.0])).tolist()
    [(10+0j), (-2+2j), (-2+0j)]
    """
    return _one_dim(RFFT, input, n, dim, norm, "rfft")


def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The inverse of :func:`rfft`: a real signal of length ``n`` (default
    ``2 * (m - 1)`` for ``m`` input frequencies).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, 2.0, 3.0, 4.0])
    >>> [round(v, 6) for v in hw.fft.irfft(hw.fft.rfft(x), n=4).tolist()]
    [1.0, 2.0, 3.0, 4.0]
    """
    return _one_dim(IRFFT, input, n, dim, norm, "irfft")


def _n_dim(kind: str, input: Tensor, s: Sequence[int] | None, dim: Sequence[int] | None,
           norm: str | None, op: str) -> Tensor:
    x = _input(input, op)
    if x._requires_grad and grad_mode._enabled:
        raise NotImplementedError(
            f"{op}: gradients of the n-dimensional transforms are not implemented; apply the "
            f"1-D transform (hw.fft.fft / rfft) once per dimension, or call it under hw.no_grad()"
        )
    if kind == "rfftn" and x.array.dtype.kind == "c":
        raise TypeError(f"{op}: expects a real input, got {x.array.dtype}; use fftn for complex input")
    xp = xp_of(x.array)
    axes = None if dim is None else tuple(int(d) % x.ndim for d in ([dim] if isinstance(dim, int) else dim))
    if s is not None and axes is None:
        axes = tuple(range(x.ndim - len(s), x.ndim))
    out = getattr(xp.fft, kind)(x.array, s=None if s is None else tuple(s), axes=axes, norm=_norm(norm, op))
    return Tensor(out.astype(_complex_of(x.array.dtype), copy=False))


def fftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
         norm: str | None = None) -> Tensor:
    """The n-dimensional Fourier transform over ``dim`` (default all, or the last
    ``len(s)``); values only (no gradient).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.fftn(hw.ones(2, 2)).tolist()
    [[(4+0j), 0j], [0j, 0j]]
    """
    return _n_dim("fftn", input, s, dim, norm, "fftn")


def ifftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
          norm: str | None = None) -> Tensor:
    """The inverse of :func:`fftn`; values only (no gradient).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.ifftn(hw.fft.fftn(hw.ones(2, 2))).tolist()
    [[(1+0j), (1+0j)], [(1+0j), (1+0j)]]
    """
    return _n_dim("ifftn", input, s, dim, norm, "ifftn")


def rfftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
          norm: str | None = None) -> Tensor:
    """The n-dimensional transform of a real input (the last dimension halved, as
    :func:`rfft`); values only (no gradient).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.rfftn(hw.ones(2, 4)).shape
    (2, 3)
    """
    return _n_dim("rfftn", input, s, dim, norm, "rfftn")


def fft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
         norm: str | None = None) -> Tensor:
    """:func:`fftn` over the last two dimensions.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.fft2(hw.ones(2, 2))[0, 0].item()
    (4+0j)
    """
    return fftn(input, s, dim, norm)


def ifft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Tensor:
    """:func:`ifftn` over the last two dimensions.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.ifft2(hw.ones(2, 2))[0, 0].item()
    (1+0j)
    """
    return ifftn(input, s, dim, norm)


def rfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Tensor:
    """:func:`rfftn` over the last two dimensions.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.rfft2(hw.ones(2, 4)).shape
    (2, 3)
    """
    return rfftn(input, s, dim, norm)


def _frequencies(kind: str, n: int, d: float, dtype: Any, device: Any) -> Tensor:
    if int(n) < 0:
        raise ValueError(f"{kind}: n must be non-negative, got {n}")
    dev, dt = target(device, dtype)
    xp = get_backend(dev).xp
    return Tensor(getattr(xp.fft, kind)(int(n), d=d).astype(dt, copy=False))


def fftfreq(n: int, d: float = 1.0, *, dtype: Any = None, device: Any = None) -> Tensor:
    """The sample frequencies of an ``n``-point :func:`fft` with spacing ``d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.fftfreq(4).tolist()
    [0.0, 0.25, -0.5, -0.25]
    """
    return _frequencies("fftfreq", n, d, dtype, device)


def rfftfreq(n: int, d: float = 1.0, *, dtype: Any = None, device: Any = None) -> Tensor:
    """The sample frequencies of an ``n``-point :func:`rfft` with spacing ``d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.rfftfreq(4).tolist()
    [0.0, 0.25, 0.5]
    """
    return _frequencies("rfftfreq", n, d, dtype, device)


def _shift(input: Tensor, dim: Any, sign: int, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    dims = tuple(range(input.ndim)) if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
    if not dims:
        return input
    # fftshift moves by n // 2, ifftshift by -(n // 2): they differ for odd n
    shifts = tuple(sign * (input.shape[d] // 2) for d in dims)
    return roll(input, shifts, dims)


def fftshift(input: Tensor, dim: Any = None) -> Tensor:
    """The zero frequency moved to the centre of ``dim`` (default all dimensions).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.fftshift(hw.fft.fftfreq(5)).tolist()
    [-0.4, -0.2, 0.0, 0.2, 0.4]
    """
    return _shift(input, dim, 1, "fftshift")


def ifftshift(input: Tensor, dim: Any = None) -> Tensor:
    """The inverse of :func:`fftshift`.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fft.ifftshift(hw.fft.fftshift(hw.arange(5))).tolist()
    [0, 1, 2, 3, 4]
    """
    return _shift(input, dim, -1, "ifftshift")
