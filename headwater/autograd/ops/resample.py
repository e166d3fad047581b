"""Resampling: ``interpolate`` (nearest, nearest-exact, linear, bilinear, bicubic,
trilinear, area) and ``pixel_shuffle`` / ``pixel_unshuffle``, as PyTorch's.

Interpolation is separable: one pass per spatial dimension, each an index gather (or
two, blended by fixed weights for the linear modes; four for bicubic, with Keys'
cubic kernel at a = -0.75 and the neighbours' indices clamped to the border, as
PyTorch), so it is differentiable through ``index_select`` and runs the same on
NumPy and CuPy. Source positions follow
PyTorch's rules for ``align_corners`` and ``scale_factor`` (given a scale factor and
``recompute_scale_factor`` unset, PyTorch maps positions with the scale itself, not
with the size ratio, and so does this).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from headwater.autograd.errors import ShapeError
from headwater.autograd.ops.indexing import index_select
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor

__all__ = ["interpolate", "pixel_shuffle", "pixel_unshuffle"]

_MODES = {"nearest": None, "nearest-exact": None, "linear": 1, "bilinear": 2, "trilinear": 3,
          "bicubic": 2, "area": None}


def _device(like: Tensor, host: np.ndarray, dtype=None) -> Tensor:
    return Tensor(backend_of(like.array).to_device(host if dtype is None else host.astype(dtype)))


def _source(n_out: int, n_in: int, scale: float | None, align_corners: bool, mode: str) -> np.ndarray:
    dst = np.arange(n_out, dtype=np.float64)
    if mode in ("nearest", "nearest-exact"):
        ratio = (1.0 / scale) if scale else n_in / n_out
        pos = dst * ratio if mode == "nearest" else (dst + 0.5) * ratio - 0.5 + 1e-9
        return np.minimum(np.floor(pos + (0.5 if mode == "nearest-exact" else 0.0)), n_in - 1).astype(np.int64)
    if align_corners:
        return dst * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    ratio = (1.0 / scale) if scale else n_in / n_out
    return np.maximum((dst + 0.5) * ratio - 0.5, 0.0)


_CUBIC_A = -0.75


def _cubic_weights(t: np.ndarray) -> list[np.ndarray]:
    """Keys' cubic convolution weights of the neighbours at -1, 0, 1, 2 for offsets ``t``."""
    a = _CUBIC_A

    def near(d):  # |d| <= 1
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d):  # 1 < |d| < 2
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _bicubic(x: Tensor, axis: int, n_out: int, scale: float | None, align_corners: bool) -> Tensor:
    n_in = x.shape[axis]
    dst = np.arange(n_out, dtype=np.float64)
    if align_corners:
        src = dst * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:  # not clamped at 0, unlike the linear modes
        src = (dst + 0.5) * ((1.0 / scale) if scale else n_in / n_out) - 0.5
    base = np.floor(src)
    weights = _cubic_weights(src - base)
    out = None
    for k, w in enumerate(weights):
        idx = np.clip(base.astype(np.int64) - 1 + k, 0, n_in - 1)
        term = index_select(x, axis, _device(x, idx)) * _device(
            x, w.reshape((n_out,) + (1,) * (x.ndim - 1 - axis)), x.dtype)
        out = term if out is None else out + term
    return out


def _resize(x: Tensor, axis: int, n_out: int, scale: float | None, mode: str, align_corners: bool) -> Tensor:
    n_in = x.shape[axis]
    if mode == "bicubic":
        return _bicubic(x, axis, n_out, scale, align_corners)
    if mode in ("nearest", "nearest-exact"):
        return index_select(x, axis, _device(x, _source(n_out, n_in, scale, False, mode)))
    if mode == "area":
        from headwater.autograd.ops.linalg import matmul
        from headwater.autograd.ops.pooling import _averaging_matrix

        a = _averaging_matrix(x, n_in, n_out)
        return matmul(x.transpose(axis, -1), a.transpose(0, 1)).transpose(axis, -1)
    src = _source(n_out, n_in, scale, align_corners, mode)
    lo = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    w = (src - lo).reshape((n_out,) + (1,) * (x.ndim - 1 - axis))
    a = index_select(x, axis, _device(x, lo))
    b = index_select(x, axis, _device(x, hi))
    wt = _device(x, w, x.dtype)
    return a + (b - a) * wt


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize (N, C, *spatial) to ``size`` or by ``scale_factor``, as ``F.interpolate``.

    Modes: ``nearest``, ``nearest-exact``, ``linear`` (3-d input), ``bilinear`` and
    ``bicubic`` (4-d), ``trilinear`` (5-d), ``area``. ``antialias=True`` is not
    implemented and raises.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[[1.0, 2.0]]])
    >>> hw.nn.functional.interpolate(x, scale_factor=2).tolist()
    [[[1.0, 1.0, 2.0, 2.0]]]
    >>> hw.nn.functional.interpolate(x, size=3, mode="linear", align_corners=True).tolist()
    [[[1.0, 1.5, 2.0]]]
    >>> hw.nn.functional.interpolate(hw.ones(1, 1, 2, 2), scale_factor=2, mode="bicubic").shape
    (1, 1, 4, 4)
    """
    if mode not in _MODES:
        raise ValueError(f"interpolate: mode must be one of {sorted(_MODES)}, got {mode!r}")
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not implemented; use antialias=False "
                                  "(or mode='area' to downsample)")
    nd = input.ndim - 2
    if nd < 1:
        raise ShapeError(f"interpolate: expected (N, C, *spatial), got shape {input.shape}")
    if _MODES[mode] is not None and _MODES[mode] != nd:
        raise ValueError(f"interpolate: mode {mode!r} expects a {_MODES[mode] + 2}-d input, got {input.ndim}-d")
    if align_corners is not None and _MODES[mode] is None:
        raise ValueError(f"interpolate: align_corners only applies to the linear modes, not {mode!r}")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    spatial = input.shape[2:]
    if size is not None:
        sizes = (size,) * nd if isinstance(size, int) else tuple(size)
        scales: tuple = (None,) * nd
    else:
        factors = (scale_factor,) * nd if isinstance(scale_factor, (int, float)) else tuple(scale_factor)
        sizes = tuple(int(math.floor(n * f)) for n, f in zip(spatial, factors))
        scales = (None,) * nd if recompute_scale_factor else tuple(float(f) for f in factors)
    if len(sizes) != nd:
        raise ValueError(f"interpolate: size {size!r} has {len(sizes)} values for {nd} spatial dimension(s)")
    out = input
    for axis, (n_out, scale) in enumerate(zip(sizes, scales), start=2):
        if n_out != out.shape[axis] or scale not in (None, 1.0):
            out = _resize(out, axis, n_out, scale, mode, bool(align_corners))
    return out


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C * r**2, H, W) -> (*, C, H * r, W * r), as ``F.pixel_shuffle``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.pixel_shuffle(hw.randn(1, 8, 3, 3), 2).shape
    (1, 2, 6, 6)
    """
    r = upscale_factor
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise ShapeError(f"pixel_shuffle: {c} channels are not divisible by upscale_factor**2 = {r * r}")
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    k = len(lead)
    x = x.permute(*range(k), k, k + 3, k + 1, k + 4, k + 2)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H * r, W * r) -> (*, C * r**2, H, W), as ``F.pixel_unshuffle``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.pixel_unshuffle(hw.randn(1, 2, 6, 6), 2).shape
    (1, 8, 3, 3)
    """
    r = downscale_factor
    *lead, c, h, w = input.shape
    if h % r or w % r:
        raise ShapeError(f"pixel_unshuffle: spatial size ({h}, {w}) is not divisible by downscale_factor {r}")
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    k = len(lead)
    x = x.permute(*range(k), k, k + 2, k + 4, k + 1, k + 3)
    return x.reshape(*lead, c * r * r, h // r, w // r)
