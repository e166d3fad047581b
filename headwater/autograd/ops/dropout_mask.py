"""Dropout as one op: the keep-mask is drawn inside ``forward``, so a recorded graph
(``hw.jit``) that replays the op draws a fresh mask from the generator, as eager
calls do."""

from __future__ import annotations

from typing import Any

from headwater.autograd.function import Op
from headwater.tensor.random import uniform_array
from headwater.tensor.tensor import Tensor

__all__ = ["dropout_mask"]


class Dropout(Op):
    def forward(self, a: Any, p: float, device: Any, mask_shape: tuple | None = None) -> Any:
        keep = uniform_array(a.shape if mask_shape is None else mask_shape, 0.0, 1.0, a.dtype, device) >= p
        self.mask = keep.astype(a.dtype) * (1.0 / (1.0 - p))
        return a * self.mask

    def backward(self, g: Any) -> Any:
        return g * self.mask


def dropout_mask(input: Tensor, p: float, mask_shape: tuple | None = None) -> Tensor:
    """``input`` times a mask that keeps each entry (or each entry of ``mask_shape``,
    broadcast, for channel dropout) with probability ``1 - p``, scaled by ``1/(1-p)``;
    ``0 <= p < 1`` (callers handle ``p == 1``).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.autograd.ops.dropout_mask import dropout_mask
    >>> sorted(set(dropout_mask(hw.ones(100), 0.5).tolist()))
    [0.0, 2.0]
    """
    return Dropout.apply(input, p, device=input.device, mask_shape=mask_shape)
