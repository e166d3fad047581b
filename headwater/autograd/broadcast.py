"""Reducing a broadcast gradient back to the shape of the input it flows to."""

from __future__ import annotations

from typing import Any

__all__ = ["unbroadcast"]


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` over the axes that broadcasting added or stretched.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.autograd.broadcast import unbroadcast
    >>> unbroadcast(np.ones((4, 2, 3)), (2, 1)).tolist()
    [[12.0], [12.0]]
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1
    )
    out = grad.sum(axis=axes, keepdims=True) if axes else grad
    return out.reshape(shape) if lead or out.shape != shape else out
