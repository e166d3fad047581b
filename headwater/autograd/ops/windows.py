"""Sliding windows over the spatial dimensions: im2col and its adjoint col2im.

Convolution, transposed convolution, ``unfold``/``fold`` and pooling all read an
input through the same windows: for every kernel offset ``(i, j, ...)`` the strided
slice ``x[..., i*d : i*d + s*(out-1) + 1 : s, ...]`` holds that offset's value for
every output position. ``window_view`` is all of them at once, one strided view with
the kernel and output axes (no copy); ``im2col`` copies it into one buffer (one copy,
no loop over offsets or output positions); ``col2im`` adds the columns back, one
strided slice-add per kernel offset (no scatter with repeated indices). Both are plain
``xp`` code, the same on NumPy and CuPy.

The im2col buffer holds ``N * C * prod(kernel) * prod(out)`` elements: for a 3x3
convolution with stride 1 that is nine times the input.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from headwater.autograd.errors import ShapeError

__all__ = ["ntuple", "out_size", "window_slices", "window_view", "im2col", "col2im", "pad_spatial", "crop_spatial"]


def ntuple(value: int | Sequence[int], n: int, name: str, op: str) -> tuple[int, ...]:
    """``value`` as an n-tuple of ints (an int is repeated), checked."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * n
    out = tuple(int(v) for v in value)
    if len(out) == 1:
        return out * n
    if len(out) != n:
        raise ValueError(f"{op}: {name} must be an int or a sequence of {n} ints, got {value!r}")
    return out


def out_size(size: int, kernel: int, stride: int, lo: int, hi: int, dilation: int, ceil: bool = False) -> int:
    """Output length of a window sweep (floor, or ceil as pooling's ``ceil_mode``)."""
    span = size + lo + hi - dilation * (kernel - 1) - 1
    if ceil:
        n = -(-span // stride) + 1
        if (n - 1) * stride >= size + lo:  # the last window must start inside the input
            n -= 1
        return n
    return span // stride + 1


def window_slices(offset: Sequence[int], stride: Sequence[int], dilation: Sequence[int],
                  out: Sequence[int]) -> tuple[slice, ...]:
    """The spatial slices that select kernel ``offset``'s value for each output."""
    return tuple(slice(i * d, i * d + s * (o - 1) + 1, s)
                 for i, s, d, o in zip(offset, stride, dilation, out))


def window_view(xp, x, kernel: Sequence[int], stride: Sequence[int], dilation: Sequence[int],
                out: Sequence[int], axis: int = 2):
    """A read-only strided view of the windows of ``x``, whose spatial dimensions are
    ``axis .. axis + len(kernel)`` (already padded): shape
    ``x.shape[:axis] + kernel + out + x.shape[axis + nd:]``, no copy."""
    nd = len(kernel)
    st = x.strides
    spatial = st[axis:axis + nd]
    shape = (*x.shape[:axis], *kernel, *out, *x.shape[axis + nd:])
    strides = (*st[:axis], *(s * d for s, d in zip(spatial, dilation)),
               *(s * k for s, k in zip(spatial, stride)), *st[axis + nd:])
    return xp.lib.stride_tricks.as_strided(x, shape=shape, strides=strides)


def im2col(xp, x, kernel: Sequence[int], stride: Sequence[int], dilation: Sequence[int],
           out: Sequence[int]):
    """Windows of ``x`` (N, C, *spatial, already padded) as an array (N, C, *kernel, *out).

    Batch-major, so that ``cols[n]`` reshaped to (C * K, L) is sample ``n``'s column
    matrix and the product with the weight lands directly in (N, O, L) order. One
    copy of the window view.
    """
    return xp.ascontiguousarray(window_view(xp, x, kernel, stride, dilation, out))


def col2im(xp, cols, shape: Sequence[int], stride: Sequence[int], dilation: Sequence[int]):
    """The adjoint of :func:`im2col`: add columns (N, C, *kernel, *out) into an array
    of ``shape`` (N, C, *spatial)."""
    nd = len(shape) - 2
    kernel, out = cols.shape[2:2 + nd], cols.shape[2 + nd:]
    x = xp.zeros(tuple(shape), dtype=cols.dtype)
    for offset in itertools.product(*(range(k) for k in kernel)):
        view = x[(slice(None), slice(None), *window_slices(offset, stride, dilation, out))]
        view += cols[(slice(None), slice(None), *offset)]
    return x


def pad_spatial(xp, x, pads: Sequence[tuple[int, int]], value: float = 0.0):
    """``x`` padded by ``(lo, hi)`` per spatial dimension with ``value``."""
    if not any(lo or hi for lo, hi in pads):
        return x
    shape = (*x.shape[:2], *(n + lo + hi for n, (lo, hi) in zip(x.shape[2:], pads)))
    out = xp.full(shape, value, dtype=x.dtype)
    out[crop_spatial(pads, x.shape[2:])] = x
    return out


def crop_spatial(pads: Sequence[tuple[int, int]], inner: Sequence[int]) -> tuple[slice, ...]:
    """The index that takes the unpadded ``inner`` region back out of a padded array."""
    return (slice(None), slice(None), *(slice(lo, lo + n) for (lo, _), n in zip(pads, inner)))


def check_window(op: str, size: Sequence[int], kernel: Sequence[int], pads, dilation) -> None:
    for n, k, (lo, hi), d in zip(size, kernel, pads, dilation):
        if n + lo + hi < d * (k - 1) + 1:
            raise ShapeError(
                f"{op}: kernel size {tuple(kernel)} (dilation {tuple(dilation)}) is larger than "
                f"the padded input {tuple(n + lo + hi for n, (lo, hi) in zip(size, pads))}; "
                f"use a smaller kernel or more padding"
            )
