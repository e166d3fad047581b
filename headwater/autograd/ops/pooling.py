"""Pooling: max and average over windows, adaptive pooling, Lp pooling, max_unpool.

Max and average pooling read the input through the same strided window slices as
convolution (``windows.window_slices``): one pass per kernel offset keeps a running
maximum or a running sum, so nothing of kernel size is materialised; backward adds
the gradient back one strided slice per offset (for the maximum, to the first offset
that reached it).
Argument names and output sizes (``ceil_mode``, ``count_include_pad``,
``divisor_override``, ``return_indices`` with PyTorch's flat indices) are PyTorch's.
Adaptive average pooling is a product with an averaging matrix per dimension.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.linalg import matmul
from headwater.autograd.ops.windows import (
    crop_spatial,
    ntuple,
    out_size,
    pad_spatial,
    window_slices,
)
from headwater.tensor.backend.blend import blend
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor

__all__ = [
    "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
    "adaptive_max_pool2d", "lp_pool1d", "lp_pool2d", "max_unpool1d", "max_unpool2d",
]


def _geometry(op: str, x: Tensor, nd: int, kernel_size: Any, stride: Any, padding: Any,
              dilation: Any, ceil_mode: bool):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    if x.ndim not in (nd + 1, nd + 2):
        raise ShapeError(f"{op}: expected a {nd + 1}-d or {nd + 2}-d input, got shape {x.shape}")
    kernel = ntuple(kernel_size, nd, "kernel_size", op)
    stride = kernel if stride is None or stride == [] or stride == () else ntuple(stride, nd, "stride", op)
    pad = ntuple(padding, nd, "padding", op)
    dilation = ntuple(dilation, nd, "dilation", op)
    for k, p in zip(kernel, pad):
        if p > k // 2:
            raise ValueError(f"{op}: padding {pad} should be at most half of the kernel size {kernel}")
    spatial = x.shape[-nd:]
    out = tuple(out_size(n, k, s, p, p, d, ceil_mode) for n, k, s, p, d in zip(spatial, kernel, stride, pad, dilation))
    if any(o < 1 for o in out):
        raise ShapeError(f"{op}: kernel {kernel} (padding {pad}, dilation {dilation}) is larger than the "
                         f"input {tuple(spatial)}; the output would be {out}")
    # right padding so that every window of a ceil_mode output lies inside the array
    pads = tuple((p, max(p, (o - 1) * s + d * (k - 1) + 1 - n - p))
                 for n, k, s, p, d, o in zip(spatial, kernel, stride, pad, dilation, out))
    return kernel, stride, pads, dilation, out


def _batched(x: Tensor, nd: int) -> tuple[Tensor, bool]:
    if x.ndim == nd + 1:
        return x.unsqueeze(0), True
    return x, False


def _tiles(kernel, stride, pads, dilation) -> bool:
    """Whether the windows tile the input: stride == kernel, no padding or dilation."""
    return (tuple(kernel) == tuple(stride) and all(d == 1 for d in dilation)
            and not any(lo or hi for lo, hi in pads))


class MaxPool(Op):
    """Max pooling as a running ``maximum`` over the kernel offsets' strided views.

    Forward keeps no indices: backward (and ``return_indices``) finds, per window,
    the first offset whose value equals the maximum (or is NaN, which ``maximum``
    propagates), as PyTorch's arg-max does, from the input and output it already
    holds (the input is usually kept by the ReLU before it anyway).
    """

    saves = (0,)
    saves_output = True

    def forward(self, x, kernel=(), stride=(), pads=(), dilation=(), out=()):
        xp = xp_of(x)
        fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        xpad = pad_spatial(xp, x, pads, fill)
        best = None
        for v in self._views(xpad, kernel, stride, dilation, out):
            if best is None:
                best = v.copy()
            else:
                xp.maximum(best, v, out=best)
        self.xpad, self.best = xpad, best
        self.conf = (x.shape, kernel, stride, pads, dilation, out)
        return best

    @staticmethod
    def _views(xpad, kernel, stride, dilation, out):
        for offset in itertools.product(*(range(k) for k in kernel)):
            yield xpad[(slice(None), slice(None), *window_slices(offset, stride, dilation, out))]

    def first_hits(self):
        """For each kernel offset, where it is the window's (first) arg-max."""
        xp = xp_of(self.best)
        _, kernel, stride, _, dilation, out = self.conf
        floats = self.best.dtype.kind == "f"
        taken = None
        for v in self._views(self.xpad, kernel, stride, dilation, out):
            hit = v == self.best
            if floats:
                hit |= xp.isnan(v)
            if taken is None:
                taken = hit.copy()
            else:
                hit = xp.greater(hit, taken)  # hit and not taken before
                taken |= hit
            yield hit

    def offsets(self):
        """The arg-max offset (row-major over the kernel) of every window."""
        xp = xp_of(self.best)
        arg = xp.zeros(self.best.shape, dtype=xp.int64)
        for n, hit in enumerate(self.first_hits()):
            if n:
                arg += hit * n
        return arg

    def backward(self, g):
        xp = xp_of(g)
        shape, kernel, stride, pads, dilation, out = self.conf
        tiled = _tiles(kernel, stride, pads, dilation)  # each input in one window at most
        gpad = xp.zeros(self.xpad.shape, dtype=g.dtype)
        for offset, hit in zip(itertools.product(*(range(k) for k in kernel)), self.first_hits()):
            view = gpad[(slice(None), slice(None), *window_slices(offset, stride, dilation, out))]
            if tiled:
                view[...] = blend(xp, hit, g, 0)
            else:
                view += blend(xp, hit, g, 0)
        return gpad if tiled else gpad[crop_spatial(pads, shape[2:])]


def _flat_indices(xp, arg, shape, kernel, stride, pads, dilation, out):
    """PyTorch's max-pool indices: the flat position in each (n, c) input plane."""
    spatial = shape[2:]
    flat = xp.zeros(arg.shape, dtype=xp.int64)
    rest = arg
    strides_k = [math.prod(kernel[i + 1:]) for i in range(len(kernel))]
    for dim, (_k, s, (lo, _), d, o, n) in enumerate(zip(kernel, stride, pads, dilation, out, spatial)):
        off = rest // strides_k[dim]
        rest = rest % strides_k[dim]
        base = xp.arange(o, dtype=xp.int64).reshape((o,) + (1,) * (len(kernel) - dim - 1)) * s - lo
        pos = base + off * d
        flat = flat * n + pos
    return flat


def _max_pool(op: str, nd: int, input: Tensor, kernel_size, stride, padding, dilation, ceil_mode,
              return_indices):
    x, squeeze = _batched(input, nd)
    kernel, stride, pads, dilation, out = _geometry(op, x, nd, kernel_size, stride, padding, dilation, ceil_mode)
    y = MaxPool.apply(x, kernel=kernel, stride=stride, pads=pads, dilation=dilation, out=out)
    if return_indices:
        node = y.grad_fn
        xp = xp_of(x.array)
        if node is None:  # not recorded: recompute the arg-max offsets
            node = MaxPool()
            node.forward(x.array, kernel=kernel, stride=stride, pads=pads, dilation=dilation, out=out)
        idx = Tensor(_flat_indices(xp, node.offsets(), x.shape, kernel, stride, pads, dilation, out))
        return (y.squeeze(0), idx.squeeze(0)) if squeeze else (y, idx)
    return y.squeeze(0) if squeeze else y


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """1-d max pooling over (N, C, L), as ``torch.nn.functional.max_pool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.max_pool1d(hw.as_tensor([[[1.0, 3.0, 2.0, 5.0, 4.0]]]), 2).tolist()
    [[[3.0, 5.0]]]
    """
    return _max_pool("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """2-d max pooling over (N, C, H, W), as ``torch.nn.functional.max_pool2d``;
    with ``return_indices`` also the flat index of each maximum in its input plane.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.arange(16.0).reshape(1, 1, 4, 4)
    >>> hw.nn.functional.max_pool2d(x, 2).tolist()
    [[[[5.0, 7.0], [13.0, 15.0]]]]
    """
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """3-d max pooling over (N, C, D, H, W), as ``torch.nn.functional.max_pool3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.max_pool3d(hw.ones(1, 1, 4, 4, 4), 2).shape
    (1, 1, 2, 2, 2)
    """
    return _max_pool("max_pool3d", 3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


class AvgPool(Op):
    def forward(self, x, kernel=(), stride=(), pads=(), out=(), divisor=None):
        xp = xp_of(x)
        xpad = pad_spatial(xp, x, pads)
        ones = (1,) * len(kernel)
        total = None
        for offset in itertools.product(*(range(k) for k in kernel)):
            v = xpad[(slice(None), slice(None), *window_slices(offset, stride, ones, out))]
            total = v.astype(x.dtype, copy=True) if total is None else total + v
        self.divisor = divisor
        self.conf = (x.shape, xpad.shape, kernel, stride, pads, out)
        return total / divisor

    def backward(self, g):
        xp = xp_of(g)
        shape, padded, kernel, stride, pads, out = self.conf
        share = g / self.divisor
        gpad = xp.zeros(padded, dtype=g.dtype)
        ones = (1,) * len(kernel)
        for offset in itertools.product(*(range(k) for k in kernel)):
            view = gpad[(slice(None), slice(None), *window_slices(offset, stride, ones, out))]
            view += share
        return gpad[crop_spatial(pads, shape[2:])]


def _divisor(like, spatial, kernel, stride, pad, out, count_include_pad):
    """How many elements each window averages (per output position), as PyTorch counts."""
    counts = None
    for dim, (n, k, s, p, o) in enumerate(zip(spatial, kernel, stride, pad, out)):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, n)
        c = (end - start).astype(np.float64).reshape((o,) + (1,) * (len(kernel) - dim - 1))
        counts = c if counts is None else counts * c
    return backend_of(like).to_device(counts.astype(like.dtype))


def _avg_pool(op: str, nd: int, input: Tensor, kernel_size, stride, padding, ceil_mode,
              count_include_pad, divisor_override):
    x, squeeze = _batched(input, nd)
    if x.dtype.kind != "f":
        raise TypeError(f"{op}: expected a floating-point input, got {x.dtype}; convert with .float()")
    kernel, stride, pads, _, out = _geometry(op, x, nd, kernel_size, stride, padding, 1, ceil_mode)
    pad = tuple(lo for lo, _ in pads)
    if divisor_override is not None:
        if divisor_override == 0:
            raise ValueError(f"{op}: divisor_override must be non-zero")
        divisor = float(divisor_override)
    else:
        divisor = _divisor(x.array, x.shape[2:], kernel, stride, pad, out, count_include_pad)
    y = AvgPool.apply(x, kernel=kernel, stride=stride, pads=pads, out=out, divisor=divisor)
    return y.squeeze(0) if squeeze else y


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """1-d average pooling, as ``torch.nn.functional.avg_pool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.avg_pool1d(hw.as_tensor([[[1.0, 3.0, 2.0, 6.0]]]), 2).tolist()
    [[[2.0, 4.0]]]
    """
    return _avg_pool("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """2-d average pooling, as ``torch.nn.functional.avg_pool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.avg_pool2d(hw.arange(16.0).reshape(1, 1, 4, 4), 2).tolist()
    [[[[2.5, 4.5], [10.5, 12.5]]]]
    """
    return _avg_pool("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """3-d average pooling, as ``torch.nn.functional.avg_pool3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.avg_pool3d(hw.ones(1, 1, 2, 2, 2), 2).tolist()
    [[[[[1.0]]]]]
    """
    return _avg_pool("avg_pool3d", 3, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def _bounds(n_in: int, n_out: int) -> list[tuple[int, int]]:
    return [((i * n_in) // n_out, -(-((i + 1) * n_in) // n_out)) for i in range(n_out)]


def _averaging_matrix(like: Tensor, n_in: int, n_out: int) -> Tensor:
    a = np.zeros((n_out, n_in))
    for i, (lo, hi) in enumerate(_bounds(n_in, n_out)):
        a[i, lo:hi] = 1.0 / (hi - lo)
    return Tensor(backend_of(like.array).to_device(a.astype(like.dtype)))


def _adaptive_avg(op: str, nd: int, input: Tensor, output_size: Any) -> Tensor:
    x, squeeze = _batched(input, nd)
    if x.ndim != nd + 2:
        raise ShapeError(f"{op}: expected a {nd + 1}-d or {nd + 2}-d input, got shape {input.shape}")
    size = ntuple(output_size, nd, "output_size", op) if not isinstance(output_size, int) else (output_size,) * nd
    size = tuple(n if s is None else s for s, n in zip(size, x.shape[2:]))
    y = x
    for dim in range(nd):
        axis = 2 + dim
        n_in, n_out = x.shape[axis], size[dim]
        if n_out < 1:
            raise ValueError(f"{op}: output_size must be positive, got {output_size!r}")
        if n_in == n_out:
            continue
        a = _averaging_matrix(x, n_in, n_out)  # (out, in)
        moved = y.transpose(axis, -1)
        y = matmul(moved, a.transpose(0, 1)).transpose(axis, -1)
    return y.squeeze(0) if squeeze else y


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output length, as ``F.adaptive_avg_pool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.adaptive_avg_pool1d(hw.as_tensor([[[1.0, 2.0, 3.0, 4.0, 5.0]]]), 2).tolist()
    [[[2.0, 4.0]]]
    """
    return _adaptive_avg("adaptive_avg_pool1d", 1, input, output_size)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed (H, W), as ``F.adaptive_avg_pool2d`` (``None`` keeps a size).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.adaptive_avg_pool2d(hw.ones(2, 3, 7, 5), 1).shape
    (2, 3, 1, 1)
    """
    return _adaptive_avg("adaptive_avg_pool2d", 2, input, output_size)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed (D, H, W), as ``F.adaptive_avg_pool3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.adaptive_avg_pool3d(hw.ones(1, 2, 4, 4, 4), 2).shape
    (1, 2, 2, 2, 2)
    """
    return _adaptive_avg("adaptive_avg_pool3d", 3, input, output_size)


def _adaptive_max(op: str, nd: int, input: Tensor, output_size: Any, return_indices: bool):
    x, squeeze = _batched(input, nd)
    size = (output_size,) * nd if isinstance(output_size, int) else ntuple(output_size, nd, "output_size", op)
    size = tuple(n if s is None else s for s, n in zip(size, x.shape[2:]))
    spatial = x.shape[2:]
    if all(n % s == 0 for n, s in zip(spatial, size)):
        k = tuple(n // s for n, s in zip(spatial, size))
        out = _max_pool(op, nd, x, k, k, 0, 1, False, return_indices)
    else:
        from headwater.autograd.ops.join import stack
        from headwater.autograd.ops.reduce import amax

        if return_indices:
            raise NotImplementedError(
                f"{op}: return_indices=True needs the input size {tuple(spatial)} to be a multiple of "
                f"output_size {size}; pool with max_pool{nd}d(..., return_indices=True) instead")
        cells = []
        for index in itertools.product(*(_bounds(n, s) for n, s in zip(spatial, size))):
            key = (slice(None), slice(None), *(slice(lo, hi) for lo, hi in index))
            cells.append(amax(x[key], dim=tuple(range(2, 2 + nd))))
        out = stack(cells, dim=-1).reshape(*x.shape[:2], *size)
    if squeeze:
        return tuple(o.squeeze(0) for o in out) if return_indices else out.squeeze(0)
    return out


def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a fixed output length, as ``F.adaptive_max_pool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.adaptive_max_pool1d(hw.as_tensor([[[1.0, 5.0, 3.0, 4.0]]]), 2).tolist()
    [[[5.0, 4.0]]]
    """
    return _adaptive_max("adaptive_max_pool1d", 1, input, output_size, return_indices)


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a fixed (H, W), as ``F.adaptive_max_pool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.adaptive_max_pool2d(hw.arange(25.0).reshape(1, 1, 5, 5), 2).tolist()
    [[[[12.0, 14.0], [22.0, 24.0]]]]
    """
    return _adaptive_max("adaptive_max_pool2d", 2, input, output_size, return_indices)


def _lp_pool(op: str, nd: int, input: Tensor, norm_type: float, kernel_size: Any, stride: Any,
             ceil_mode: bool) -> Tensor:
    kernel = ntuple(kernel_size, nd, "kernel_size", op)
    pooled = _avg_pool(op, nd, input ** norm_type, kernel, stride, 0, ceil_mode, True, None)
    return (pooled.sign() * pooled.abs().relu() * math.prod(kernel)) ** (1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling ``(sum x**p)**(1/p)`` over windows, as ``F.lp_pool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.lp_pool1d(hw.as_tensor([[[3.0, 4.0]]]), 2, 2).tolist()
    [[[5.0]]]
    """
    return _lp_pool("lp_pool1d", 1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over 2-d windows, as ``F.lp_pool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.lp_pool2d(hw.ones(1, 1, 2, 2), 2, 2).tolist()
    [[[[2.0]]]]
    """
    return _lp_pool("lp_pool2d", 2, input, norm_type, kernel_size, stride, ceil_mode)


class MaxUnpool(Op):
    def forward(self, x, indices=None, plane=0):
        xp = xp_of(x)
        n, c = x.shape[:2]
        base = (xp.arange(n * c, dtype=xp.int64) * plane).reshape(n, c, *(1,) * (x.ndim - 2))
        self.flat = (base + indices).reshape(-1)
        out = xp.zeros(n * c * plane, dtype=x.dtype)
        out[self.flat] = x.reshape(-1)
        self.shape = x.shape
        return out.reshape(n, c, -1)

    def backward(self, g):
        return g.reshape(-1)[self.flat].reshape(self.shape)


def _max_unpool(op: str, nd: int, input: Tensor, indices: Tensor, kernel_size: Any, stride: Any,
                padding: Any, output_size: Any) -> Tensor:
    x, squeeze = _batched(input, nd)
    idx = indices.unsqueeze(0) if squeeze else indices
    if tuple(idx.shape) != tuple(x.shape):
        raise ShapeError(f"{op}: indices of shape {indices.shape} must match the input {input.shape}")
    kernel = ntuple(kernel_size, nd, "kernel_size", op)
    stride = kernel if stride is None else ntuple(stride, nd, "stride", op)
    pad = ntuple(padding, nd, "padding", op)
    if output_size is None:
        size = tuple((n - 1) * s - 2 * p + k for n, s, p, k in zip(x.shape[2:], stride, pad, kernel))
    else:
        size = tuple(output_size)[-nd:]
    y = MaxUnpool.apply(x, indices=idx.array, plane=math.prod(size)).reshape(*x.shape[:2], *size)
    return y.squeeze(0) if squeeze else y


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """The partial inverse of ``max_pool1d``: maxima back at their indices, zeros elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> F = hw.nn.functional
    >>> y, i = F.max_pool1d(hw.as_tensor([[[1.0, 3.0, 4.0, 2.0]]]), 2, return_indices=True)
    >>> F.max_unpool1d(y, i, 2).tolist()
    [[[0.0, 3.0, 4.0, 0.0]]]
    """
    return _max_unpool("max_unpool1d", 1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """The partial inverse of ``max_pool2d``, as ``F.max_unpool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> F = hw.nn.functional
    >>> y, i = F.max_pool2d(hw.arange(16.0).reshape(1, 1, 4, 4), 2, return_indices=True)
    >>> F.max_unpool2d(y, i, 2).shape
    (1, 1, 4, 4)
    """
    return _max_unpool("max_unpool2d", 2, input, indices, kernel_size, stride, padding, output_size)
