"""Shared helpers for the autograd tests: float64 inputs on the device under test."""

from __future__ import annotations

import numpy as np

import headwater as hw


def rand64(*shape, low=None, high=None, seed=0, requires_grad=True) -> hw.Tensor:
    """A float64 tensor on the default device: normal values, or uniform in [low, high)."""
    rng = np.random.default_rng(seed + 7 * len(shape) + int(np.prod(shape or (1,))))
    if low is None:
        host = rng.standard_normal(shape)
    else:
        host = rng.uniform(low, high, size=shape)
    return hw.as_tensor(host, dtype=hw.float64, requires_grad=requires_grad)


def away_from(t: hw.Tensor, points=(0.0,), gap=0.2) -> hw.Tensor:
    """Move values that sit within ``gap`` of a kink so finite differences are clean."""
    host = t.detach().numpy().copy()
    for p in points:
        near = np.abs(host - p) < gap
        host[near] = p + np.where(host[near] >= p, gap, -gap)
    return hw.as_tensor(host, requires_grad=t.requires_grad)


def ints(values, device=None) -> hw.Tensor:
    return hw.as_tensor(np.asarray(values, dtype=np.int64), device=device)
