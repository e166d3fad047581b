"""Spatial transformers: ``grid_sample`` (bilinear or nearest, zeros or border
padding) and ``affine_grid``, for 4-D inputs, as ``torch.nn.functional``'s.

``grid_sample`` reads ``input`` (N, C, H, W) at the normalised positions of
``grid`` (N, Ho, Wo, 2), ``grid[..., 0]`` along the width and ``grid[..., 1]``
along the height, in ``[-1, 1]``: with ``align_corners=True`` -1 and 1 are the
centres of the corner pixels, otherwise their outer edges. Its backward sends
gradients to the input (scatter-added) and, for bilinear sampling, to the grid.
``affine_grid`` is a differentiable matrix product of ``theta`` with the base grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.linalg import matmul
from headwater.autograd.ops.shape import reshape, transpose
from headwater.tensor.tensor import Tensor

__all__ = ["grid_sample", "affine_grid"]

_MODES = ("bilinear", "nearest")
_PADDINGS = ("zeros", "border")


def _unnormalise(xp: Any, g: Any, size: int, align_corners: bool) -> tuple[Any, float]:
    """Pixel coordinates of normalised ``g`` and d(pixel)/d(g)."""
    if align_corners:
        scale = (size - 1) / 2
        return (g + 1) * scale, scale
    return ((g + 1) * size - 1) / 2, size / 2


class GridSample(Op):
    saves = (0, 1)

    def forward(self, a, grid, mode="bilinear", padding_mode="zeros", align_corners=False):
        xp = xp_of(a)
        n, c, h, w = a.shape
        self.shape, self.mode, self.padding = a.shape, mode, padding_mode
        out_hw = grid.shape[1:3]
        gx, gy = grid[..., 0].reshape(n, -1), grid[..., 1].reshape(n, -1)
        x, sx = _unnormalise(xp, gx, w, align_corners)
        y, sy = _unnormalise(xp, gy, h, align_corners)
        # border padding clips to the edge pixels, where the coordinate gets no gradient
        self.inside_x = self.inside_y = None
        if padding_mode == "border":
            self.inside_x = (x > 0) & (x < w - 1)
            self.inside_y = (y > 0) & (y < h - 1)
            x, y = xp.clip(x, 0, w - 1), xp.clip(y, 0, h - 1)
        self.scale = (sx, sy)
        flat = a.reshape(n, c, h * w)
        if mode == "nearest":
            corners = [(xp.round(x), xp.round(y), xp.ones_like(x))]
        else:
            x0, y0 = xp.floor(x), xp.floor(y)
            fx, fy = x - x0, y - y0
            self.frac = (fx, fy)
            corners = [(x0, y0, (1 - fx) * (1 - fy)), (x0 + 1, y0, fx * (1 - fy)),
                       (x0, y0 + 1, (1 - fx) * fy), (x0 + 1, y0 + 1, fx * fy)]
        self.corners = []
        out = xp.zeros((n, c, x.shape[1]), dtype=a.dtype)
        for cx, cy, weight in corners:
            valid = (cx >= 0) & (cx <= w - 1) & (cy >= 0) & (cy <= h - 1)
            index = (xp.clip(cy, 0, h - 1) * w + xp.clip(cx, 0, w - 1)).astype(np.int64)
            values = xp.take_along_axis(flat, xp.broadcast_to(index[:, None, :], (n, c, index.shape[1])), axis=2)
            values = xp.where(valid[:, None, :], values, 0)
            self.corners.append((index, valid, weight, values))
            out = out + weight[:, None, :].astype(a.dtype) * values
        return out.reshape(n, c, *out_hw)

    def backward(self, g):
        xp = xp_of(g)
        n, c, h, w = self.shape
        g = g.reshape(n, c, -1)
        need_input, need_grid = self.needs
        grad_input = grad_grid = None
        if need_input:
            total = xp.zeros(n * c * h * w, dtype=g.dtype)
            base = (xp.arange(n * c, dtype=np.int64) * (h * w)).reshape(n, c, 1)
            for index, valid, weight, _ in self.corners:
                contribution = g * xp.where(valid, weight, 0)[:, None, :].astype(g.dtype)
                xp.add.at(total, (base + index[:, None, :]).reshape(-1), contribution.reshape(-1))
            grad_input = total.reshape(self.shape)
        if need_grid:
            shape = self.inputs[1].shape
            if self.mode == "nearest":
                grad_grid = xp.zeros(shape, dtype=g.dtype)
            else:
                fx, fy = self.frac
                signs = [(-(1 - fy), -(1 - fx)), ((1 - fy), -fx), (-fy, (1 - fx)), (fy, fx)]
                dx = xp.zeros(fx.shape, dtype=g.dtype)
                dy = xp.zeros(fx.shape, dtype=g.dtype)
                for (_, _, _, values), (wx, wy) in zip(self.corners, signs):
                    seen = (g * values).sum(axis=1)
                    dx = dx + wx * seen
                    dy = dy + wy * seen
                dx, dy = dx * self.scale[0], dy * self.scale[1]
                if self.inside_x is not None:
                    dx, dy = xp.where(self.inside_x, dx, 0), xp.where(self.inside_y, dy, 0)
                grad_grid = xp.stack([dx, dy], axis=-1).reshape(shape).astype(g.dtype, copy=False)
        return grad_input, grad_grid


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Tensor:
    """Sample ``input`` (N, C, H, W) at the normalised ``grid`` positions (N, Ho, Wo, 2),
    as ``torch.nn.functional.grid_sample``; the result is (N, C, Ho, Wo).

    ``mode`` is ``"bilinear"`` or ``"nearest"``; ``padding_mode`` ``"zeros"`` (outside
    reads 0) or ``"border"`` (outside reads the edge). ``align_corners`` defaults to
    False, as torch's. 5-D (volumetric) inputs, ``"bicubic"`` and ``"reflection"``
    raise NotImplementedError.

    Examples
    --------
    >>> import headwater as hw
    >>> import headwater.nn.functional as F
    >>> image = hw.arange(4.0).reshape(1, 1, 2, 2)
    >>> grid = hw.as_tensor([[[[-1.0, -1.0], [1.0, 1.0], [0.0, 0.0]]]])
    >>> F.grid_sample(image, grid, align_corners=True).tolist()
    [[[[0.0, 3.0, 1.5]]]]
    """
    if not isinstance(input, Tensor) or not isinstance(grid, Tensor):
        raise TypeError("grid_sample: input and grid must be Tensors")
    if mode not in _MODES:
        raise NotImplementedError(f"grid_sample: mode={mode!r} is not implemented; use 'bilinear' or 'nearest'")
    if padding_mode not in _PADDINGS:
        raise NotImplementedError(
            f"grid_sample: padding_mode={padding_mode!r} is not implemented; use 'zeros' or 'border'"
        )
    if input.ndim != 4:
        raise NotImplementedError(
            f"grid_sample: only 4-D (N, C, H, W) inputs are implemented, got shape {input.shape}"
        )
    if grid.ndim != 4 or grid.shape[-1] != 2 or grid.shape[0] != input.shape[0]:
        raise ShapeError(
            f"grid_sample: grid must be (N, H_out, W_out, 2) with N = {input.shape[0]}, got shape {grid.shape}"
        )
    if input.dtype != grid.dtype:
        raise TypeError(f"grid_sample: input ({input.dtype}) and grid ({grid.dtype}) must have the same dtype")
    return GridSample.apply(input, grid, mode=mode, padding_mode=padding_mode,
                            align_corners=bool(align_corners))


def affine_grid(theta: Tensor, size: Sequence[int], align_corners: bool | None = None) -> Tensor:
    """The sampling grid (N, H, W, 2) of the affine maps ``theta`` (N, 2, 3) for an
    output of ``size`` (N, C, H, W), as ``torch.nn.functional.affine_grid``; feed it
    to :func:`grid_sample`.

    Examples
    --------
    >>> import headwater as hw
    >>> import headwater.nn.functional as F
    >>> identity = hw.as_tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    >>> F.affine_grid(identity, (1, 1, 1, 2), align_corners=True).tolist()
    [[[[-1.0, 0.0], [1.0, 0.0]]]]
    """
    if not isinstance(theta, Tensor):
        raise TypeError(f"affine_grid: theta must be a Tensor, got {type(theta).__name__}")
    size = tuple(int(s) for s in size)
    if len(size) != 4:
        raise NotImplementedError(f"affine_grid: only 4-D sizes (N, C, H, W) are implemented, got {size}")
    if theta.ndim != 3 or theta.shape[1:] != (2, 3) or theta.shape[0] != size[0]:
        raise ShapeError(f"affine_grid: theta must be ({size[0]}, 2, 3) for size {size}, got {theta.shape}")
    if theta.dtype.kind != "f":
        raise TypeError(f"affine_grid: theta must be a float tensor, got {theta.dtype}")
    xp = xp_of(theta.array)
    n, _, h, w = size

    def axis(k: int) -> Any:
        if align_corners:
            return xp.linspace(-1, 1, k) if k > 1 else xp.zeros(1)
        return (xp.arange(k) * 2 + 1) / k - 1

    base = xp.stack(xp.broadcast_arrays(axis(w)[None, :], axis(h)[:, None], xp.ones((1, 1))), axis=-1)
    base = wrap(base.reshape(1, h * w, 3).astype(theta.dtype))
    return reshape(matmul(base, transpose(theta, 1, 2)), (n, h, w, 2))
