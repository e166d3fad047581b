"""Convolution: ``conv1d/2d/3d``, ``conv_transpose1d/2d/3d``, ``unfold`` and ``fold``.

A convolution is im2col (one copy of a strided window view) and one matrix product
per group, in one of two layouts (see :class:`Conv`): batch-first, a batched product
``(g, O/g, C/g * K) @ (N, g, C/g * K, L)`` landing in (N, O, L), when output rows are
long; batch-last, ``(g, O/g, K * C/g) @ (g, K * C/g, L * N)``, when they are short, so
that no copy runs over rows of a few elements. Its backward is two more products and
the matching col2im (one strided slice-add per kernel offset).
The transposed convolution is the same pair of maps used the other way round. Shapes,
argument names and weight layouts are PyTorch's: weight ``(out, in/groups, *kernel)``
for convolution and ``(in, out/groups, *kernel)`` for the transposed one.

Memory: the forward keeps the im2col buffer for the weight gradient,
``N * C * prod(kernel) * prod(out)`` elements (nine times the input for a 3x3 kernel
at stride 1), as PyTorch's own CPU im2col path does per batch element.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops import join
from headwater.autograd.ops.windows import (
    check_window,
    col2im,
    crop_spatial,
    im2col,
    ntuple,
    out_size,
    pad_spatial,
    window_slices,
    window_view,
)
from headwater.tensor.tensor import Tensor

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold", "fold", "convolution"]

_PAD_MODES = {"zeros": None, "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


def _nk(shape: Sequence[int]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


# NCHW im2col copies runs as long as the output's last extent; below this many
# elements per run, NumPy's per-run overhead dominates and the batch-last layout wins.
_SHORT_ROWS = 16


class Conv(Op):
    """im2col and one product per group, in one of two layouts (the same result).

    Batch-first (the columns ``(N, g, C/g * K, L)``, a batched product landing in
    (N, O, L)) when the output rows are long; batch-last otherwise: the input is
    copied once to (C, *spatial, N) (padding in the same copy), its windows to
    columns ``(g, K * C/g, L * N)``, so every copy and every col2im slice-add runs
    over whole (width x batch) rows, and one large product per group gives
    (O, L * N), transposed to (N, O, L) in the copy that adds the bias.
    """

    saves = (0, 1)

    def forward(self, x, w, b=None, stride=(), pads=(), dilation=(), groups=1):
        xp = xp_of(x)
        n, c = x.shape[:2]
        o, kernel = w.shape[0], w.shape[2:]
        nd = len(kernel)
        out = tuple(out_size(size, k, s, lo, hi, d) for size, k, s, (lo, hi), d
                    in zip(x.shape[2:], kernel, stride, pads, dilation))
        g = groups
        self.w, self.xshape = w, x.shape
        self.conf = (stride, pads, dilation, g, out)
        self.last = out[-1] < _SHORT_ROWS
        if not self.last:
            xpad = pad_spatial(xp, x, pads)
            cols = im2col(xp, xpad, kernel, stride, dilation, out).reshape(n, g, -1, _nk(out))
            y = xp.matmul(w.reshape(g, o // g, -1), cols).reshape(n, o, *out)  # (N, g, O/g, L)
            if b is not None:
                y += b.reshape(1, o, *(1,) * nd)
            self.cols, self.padded = cols, xpad.shape
            return y
        padded = tuple(size + lo + hi for size, (lo, hi) in zip(x.shape[2:], pads))
        xt = xp.zeros((c, *padded, n), dtype=x.dtype)
        xt[(slice(None), *(slice(lo, lo + size) for (lo, _), size in zip(pads, x.shape[2:])))] = \
            xp.moveaxis(x, 0, -1)
        self.padded = padded
        view = window_view(xp, xt.reshape(g, c // g, *padded, n), kernel, stride, dilation, out)
        # (g, C/g, *kernel, *out, N) -> (g, *kernel, C/g, *out, N)
        view = xp.moveaxis(view, 1, 1 + nd)
        cols = xp.ascontiguousarray(view).reshape(g, -1, _nk(out) * n)
        wr = self._weight_rows(xp, w, g)
        y = xp.matmul(wr, cols).reshape(o, *out, n)
        result = xp.empty((n, o, *out), dtype=y.dtype)
        moved = xp.moveaxis(y, -1, 0)
        if b is None:
            result[...] = moved
        else:
            xp.add(moved, b.reshape(o, *(1,) * nd), out=result)
        self.cols = cols
        return result

    @staticmethod
    def _weight_rows(xp, w, g):
        """(O, C/g, *kernel) as (g, O/g, K * C/g), kernel-major as the batch-last columns."""
        o, cg = w.shape[:2]
        return xp.moveaxis(w.reshape(g, o // g, cg, -1), 2, 3).reshape(g, o // g, -1)

    def backward(self, gy):
        if not self.last:
            return self._backward_first(gy)
        xp = xp_of(gy)
        stride, pads, dilation, g, out = self.conf
        w, cols = self.w, self.cols
        nx, nw, *nb = self.needs
        n, o, kernel = gy.shape[0], w.shape[0], w.shape[2:]
        c = self.xshape[1]
        go = xp.ascontiguousarray(xp.moveaxis(gy, 0, -1)).reshape(g, o // g, -1)  # (g, O/g, L * N)
        gx = gw = gb = None
        if nw:
            gw = xp.matmul(go, cols.transpose(0, 2, 1))  # (g, O/g, K * C/g)
            gw = xp.moveaxis(gw.reshape(g, o // g, _nk(kernel), c // g), 3, 2).reshape(w.shape)
        if nx:
            gcols = xp.matmul(self._weight_rows(xp, w, g).transpose(0, 2, 1), go)
            gcols = gcols.reshape(g, *kernel, c // g, *out, n)
            gxt = xp.zeros((g, c // g, *self.padded, n), dtype=gy.dtype)
            for offset in itertools.product(*(range(k) for k in kernel)):
                view = gxt[(slice(None), slice(None), *window_slices(offset, stride, dilation, out))]
                view += gcols[(slice(None), *offset)]
            gxt = gxt.reshape(c, *self.padded, n)
            inner = gxt[(slice(None), *(slice(lo, lo + size) for (lo, _), size in zip(pads, self.xshape[2:])))]
            gx = xp.ascontiguousarray(xp.moveaxis(inner, -1, 0))
        if nb and nb[0]:
            gb = go.reshape(o, -1).sum(axis=1)
        return gx, gw, gb

    def _backward_first(self, gy):
        xp = xp_of(gy)
        stride, pads, dilation, g, out = self.conf
        w, cols = self.w, self.cols
        nx, nw, *nb = self.needs
        n, o, kernel = gy.shape[0], w.shape[0], w.shape[2:]
        go = gy.reshape(n, g, o // g, -1)
        gx = gw = gb = None
        if nw:
            gw = xp.matmul(go, cols.transpose(0, 1, 3, 2)).sum(axis=0).reshape(w.shape)
        if nx:
            gcols = xp.matmul(w.reshape(g, o // g, -1).transpose(0, 2, 1), go)
            gcols = gcols.reshape(n, self.xshape[1], *kernel, *out)
            gpad = col2im(xp, gcols, self.padded, stride, dilation)
            gx = gpad[crop_spatial(pads, self.xshape[2:])]
        if nb and nb[0]:
            gb = gy.sum(axis=(0, *range(2, gy.ndim)))
        return gx, gw, gb


class ConvTranspose(Op):
    saves = (0, 1)

    def forward(self, x, w, b=None, stride=(), pads=(), dilation=(), groups=1, output_padding=()):
        xp = xp_of(x)
        n, c = x.shape[:2]
        g = groups
        og, kernel = w.shape[1], w.shape[2:]
        spatial = x.shape[2:]
        full = tuple((size - 1) * s + d * (k - 1) + 1 + op
                     for size, s, d, k, op in zip(spatial, stride, dilation, kernel, output_padding))
        xg = x.reshape(n, g, c // g, -1)
        wg = w.reshape(g, c // g, og * _nk(kernel))
        cols = xp.matmul(wg.transpose(0, 2, 1), xg).reshape(n, og * g, *kernel, *spatial)
        y = col2im(xp, cols, (n, og * g, *full), stride, dilation)
        self.xg, self.w, self.xshape, self.full = xg, w, x.shape, full
        self.conf = (stride, pads, dilation, g)
        y = xp.ascontiguousarray(y[crop_spatial(pads, tuple(f - lo - hi for f, (lo, hi) in zip(full, pads)))])
        if b is not None:
            y += b.reshape(1, -1, *(1,) * len(spatial))
        return y

    def backward(self, gy):
        xp = xp_of(gy)
        stride, pads, dilation, g = self.conf
        w, xg = self.w, self.xg
        nx, nw, *nb = self.needs
        n, c = self.xshape[:2]
        og, kernel = w.shape[1], w.shape[2:]
        spatial = self.xshape[2:]
        gfull = pad_spatial(xp, gy, pads)
        gcols = im2col(xp, gfull, kernel, stride, dilation, spatial).reshape(n, g, og * _nk(kernel), -1)
        gx = gw = gb = None
        if nx:
            gx = xp.matmul(w.reshape(g, c // g, -1), gcols).reshape(self.xshape)
        if nw:
            gw = xp.matmul(xg, gcols.transpose(0, 1, 3, 2)).sum(axis=0).reshape(w.shape)
        if nb and nb[0]:
            gb = gy.sum(axis=(0, *range(2, gy.ndim)))
        return gx, gw, gb


def _check_conv(op: str, x: Tensor, w: Tensor, b: Tensor | None, nd: int, groups: int,
                transposed: bool) -> None:
    if not isinstance(x, Tensor) or not isinstance(w, Tensor):
        raise TypeError(f"{op}: input and weight must be Tensors")
    if w.ndim != nd + 2:
        raise ShapeError(f"{op}: weight must have {nd + 2} dimensions (out, in/groups, *kernel), got {w.shape}")
    if x.ndim != nd + 2:
        raise ShapeError(
            f"{op}: expected a {nd + 2}-d input (N, C, {', '.join('LHW'[-nd:] if nd < 3 else 'DHW')}), "
            f"got shape {x.shape}; add a batch dimension with .unsqueeze(0)"
        )
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    c = x.shape[1]
    if transposed:
        if c != w.shape[0]:
            raise ShapeError(f"{op}: input has {c} channels but weight {w.shape} expects {w.shape[0]}")
        if c % groups:
            raise ValueError(f"{op}: in_channels {c} is not divisible by groups={groups}")
        out_c = w.shape[1] * groups
    else:
        if c % groups or w.shape[0] % groups:
            raise ValueError(
                f"{op}: in_channels {c} and out_channels {w.shape[0]} must be divisible by groups={groups}")
        if c // groups != w.shape[1]:
            raise ShapeError(
                f"{op}: weight of shape {w.shape} expects input with {w.shape[1] * groups} channels "
                f"(groups={groups}), but got input of shape {x.shape}"
            )
        out_c = w.shape[0]
    if b is not None and tuple(b.shape) != (out_c,):
        raise ShapeError(f"{op}: bias must have shape ({out_c},), got {b.shape}")


def _pads(op: str, padding: Any, kernel: Sequence[int], dilation: Sequence[int], stride: Sequence[int],
          nd: int) -> tuple[tuple[int, int], ...]:
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{op}: padding='same' is not supported for strided convolutions (stride={tuple(stride)})")
            total = [d * (k - 1) for k, d in zip(kernel, dilation)]
            return tuple((t // 2, t - t // 2) for t in total)
        raise ValueError(f"{op}: padding must be an int, a tuple, 'same' or 'valid', got {padding!r}")
    p = ntuple(padding, nd, "padding", op)
    if any(v < 0 for v in p):
        raise ValueError(f"{op}: padding must be non-negative, got {padding!r}")
    return tuple((v, v) for v in p)


def convolution(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any,
                dilation: Any, groups: int, nd: int, padding_mode: str = "zeros",
                op: str = "conv") -> Tensor:
    """The N-d convolution behind ``conv1d/2d/3d`` and the ``Conv`` modules."""
    _check_conv(op, input, weight, bias, nd, groups, transposed=False)
    kernel = tuple(weight.shape[2:])
    stride = ntuple(stride, nd, "stride", op)
    dilation = ntuple(dilation, nd, "dilation", op)
    if any(s < 1 for s in stride) or any(d < 1 for d in dilation):
        raise ValueError(f"{op}: stride and dilation must be positive, got {stride} and {dilation}")
    pads = _pads(op, padding, kernel, dilation, stride, nd)
    if padding_mode not in _PAD_MODES:
        raise ValueError(f"{op}: padding_mode must be one of {sorted(_PAD_MODES)}, got {padding_mode!r}")
    if padding_mode != "zeros" and any(lo or hi for lo, hi in pads):
        flat = [v for lo_hi in reversed(pads) for v in lo_hi]
        input = join.pad(input, flat, mode=_PAD_MODES[padding_mode])
        pads = ((0, 0),) * nd
    check_window(op, input.shape[2:], kernel, pads, dilation)
    args = (input, weight) if bias is None else (input, weight, bias)
    return Conv.apply(*args, stride=stride, pads=pads, dilation=dilation, groups=groups)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-d convolution over (N, C, L), as ``torch.nn.functional.conv1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> x, w = hw.ones(1, 1, 5), hw.ones(1, 1, 3)
    >>> hw.nn.functional.conv1d(x, w, padding=1).tolist()
    [[[2.0, 3.0, 3.0, 3.0, 2.0]]]
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 1, op="conv1d")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-d convolution over (N, C, H, W), as ``torch.nn.functional.conv2d``
    (``padding`` an int, a pair, ``"same"`` or ``"valid"``; ``groups`` includes depthwise).

    Examples
    --------
    >>> import headwater as hw
    >>> x, w = hw.ones(1, 1, 4, 4), hw.ones(2, 1, 3, 3)
    >>> hw.nn.functional.conv2d(x, w).shape, hw.nn.functional.conv2d(x, w, padding="same").shape
    ((1, 2, 2, 2), (1, 2, 4, 4))
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 2, op="conv2d")


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-d convolution over (N, C, D, H, W), as ``torch.nn.functional.conv3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.conv3d(hw.ones(1, 2, 3, 3, 3), hw.ones(4, 2, 2, 2, 2)).shape
    (1, 4, 2, 2, 2)
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 3, op="conv3d")


def conv_transposed(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any,
                    output_padding: Any, groups: int, dilation: Any, nd: int, op: str) -> Tensor:
    """The N-d transposed convolution behind ``conv_transpose1d/2d/3d``."""
    _check_conv(op, input, weight, bias, nd, groups, transposed=True)
    stride = ntuple(stride, nd, "stride", op)
    dilation = ntuple(dilation, nd, "dilation", op)
    pad = ntuple(padding, nd, "padding", op)
    output_padding = ntuple(output_padding, nd, "output_padding", op)
    for p, s, d in zip(output_padding, stride, dilation):
        if p >= max(s, d):
            raise ValueError(
                f"{op}: output_padding {output_padding} must be smaller than stride {stride} or dilation {dilation}")
    kernel = weight.shape[2:]
    for size, s, d, k, p, q in zip(input.shape[2:], stride, dilation, kernel, pad, output_padding):
        if (size - 1) * s + d * (k - 1) + 1 + q - 2 * p < 1:
            raise ShapeError(f"{op}: padding {pad} leaves no output for input {input.shape} and kernel {tuple(kernel)}")
    args = (input, weight) if bias is None else (input, weight, bias)
    return ConvTranspose.apply(*args, stride=stride, pads=tuple((p, p) for p in pad), dilation=dilation,
                               groups=groups, output_padding=output_padding)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """1-d transposed convolution, as ``torch.nn.functional.conv_transpose1d``
    (weight ``(in, out/groups, k)``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.conv_transpose1d(hw.ones(1, 1, 3), hw.ones(1, 1, 2), stride=2).tolist()
    [[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]]
    """
    return conv_transposed(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                           "conv_transpose1d")


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """2-d transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.conv_transpose2d(hw.ones(1, 3, 4, 4), hw.ones(3, 2, 3, 3), stride=2).shape
    (1, 2, 9, 9)
    """
    return conv_transposed(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                           "conv_transpose2d")


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """3-d transposed convolution, as ``torch.nn.functional.conv_transpose3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.conv_transpose3d(hw.ones(1, 1, 2, 2, 2), hw.ones(1, 1, 2, 2, 2)).shape
    (1, 1, 3, 3, 3)
    """
    return conv_transposed(input, weight, bias, stride, padding, output_padding, groups, dilation, 3,
                           "conv_transpose3d")


class Unfold(Op):
    def forward(self, x, kernel=(), dilation=(), pads=(), stride=()):
        xp = xp_of(x)
        n, c = x.shape[:2]
        out = tuple(out_size(size, k, s, lo, hi, d) for size, k, s, (lo, hi), d
                    in zip(x.shape[2:], kernel, stride, pads, dilation))
        xpad = pad_spatial(xp, x, pads)
        cols = im2col(xp, xpad, kernel, stride, dilation, out)  # (N, C, *k, *out)
        self.conf = (x.shape, xpad.shape, kernel, stride, dilation, pads, out)
        return cols.reshape(n, c * _nk(kernel), _nk(out))

    def backward(self, g):
        xp = xp_of(g)
        shape, padded, kernel, stride, dilation, pads, out = self.conf
        n, c = shape[:2]
        cols = g.reshape(n, c, *kernel, *out)
        return col2im(xp, cols, padded, stride, dilation)[crop_spatial(pads, shape[2:])]


class Fold(Op):
    def forward(self, x, output_size=(), kernel=(), dilation=(), pads=(), stride=()):
        xp = xp_of(x)
        n, ck, _ = x.shape
        c = ck // _nk(kernel)
        out = tuple(out_size(size, k, s, lo, hi, d) for size, k, s, (lo, hi), d
                    in zip(output_size, kernel, stride, pads, dilation))
        padded = (n, c, *(size + lo + hi for size, (lo, hi) in zip(output_size, pads)))
        cols = x.reshape(n, c, *kernel, *out)
        self.conf = (kernel, stride, dilation, out, c)
        self.pads = pads
        return col2im(xp, cols, padded, stride, dilation)[crop_spatial(pads, output_size)]

    def backward(self, g):
        xp = xp_of(g)
        kernel, stride, dilation, out, c = self.conf
        n = g.shape[0]
        gpad = pad_spatial(xp, g, self.pads)
        return im2col(xp, gpad, kernel, stride, dilation, out).reshape(n, c * _nk(kernel), _nk(out))


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Sliding local blocks of (N, C, H, W) as (N, C * kh * kw, L), as ``F.unfold``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.unfold(hw.ones(2, 3, 4, 4), 2).shape
    (2, 12, 9)
    """
    if input.ndim != 4:
        raise ShapeError(f"unfold: expected a 4-d input (N, C, H, W), got shape {input.shape}")
    kernel = ntuple(kernel_size, 2, "kernel_size", "unfold")
    dilation = ntuple(dilation, 2, "dilation", "unfold")
    pads = tuple((p, p) for p in ntuple(padding, 2, "padding", "unfold"))
    check_window("unfold", input.shape[2:], kernel, pads, dilation)
    return Unfold.apply(input, kernel=kernel, dilation=dilation, pads=pads,
                        stride=ntuple(stride, 2, "stride", "unfold"))


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """Sum sliding local blocks (N, C * kh * kw, L) back into (N, C, H, W), as ``F.fold``.

    Examples
    --------
    >>> import headwater as hw
    >>> F = hw.nn.functional
    >>> F.fold(F.unfold(hw.ones(1, 1, 3, 3), 2), (3, 3), 2).tolist()
    [[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]]
    """
    kernel = ntuple(kernel_size, 2, "kernel_size", "fold")
    size = ntuple(output_size, 2, "output_size", "fold")
    dilation = ntuple(dilation, 2, "dilation", "fold")
    stride = ntuple(stride, 2, "stride", "fold")
    pads = tuple((p, p) for p in ntuple(padding, 2, "padding", "fold"))
    if input.ndim != 3 or input.shape[1] % _nk(kernel):
        raise ShapeError(
            f"fold: expected input (N, C * {kernel[0]} * {kernel[1]}, L), got shape {input.shape}")
    blocks = _nk(out_size(s, k, st, lo, hi, d) for s, k, st, (lo, hi), d in zip(size, kernel, stride, pads, dilation))
    if input.shape[2] != blocks:
        raise ShapeError(f"fold: output_size {size} with kernel {kernel} gives {blocks} blocks, "
                         f"but the input has {input.shape[2]}")
    return Fold.apply(input, output_size=size, kernel=kernel, dilation=dilation, pads=pads, stride=stride)
