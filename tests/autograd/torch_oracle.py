"""Tables written once as ``fn(lib, *inputs)``, with ``lib`` torch or headwater (both spell
these ops alike): :func:`helper_test_op` runs one through :mod:`op_oracle` in both libraries,
:func:`check_grad` gradchecks its headwater side, and ``idx`` / ``mask`` build index tensors
in either library."""

from __future__ import annotations

import functools

import numpy as np
import op_oracle

import headwater as hw


def idx(lib, values):
    """An int64 index tensor in ``lib`` (torch or headwater)."""
    return lib.as_tensor(np.asarray(values, dtype=np.int64))


def mask(lib, values):
    """A bool tensor in ``lib``."""
    return lib.as_tensor(np.asarray(values, dtype=bool))


def helper_test_op(shapes, fn, **options) -> None:
    """``op_oracle.helper_test_op`` for ``fn(lib, *inputs)``: same inputs in both libraries,
    outputs and gradients compared (``hosts=`` gives the inputs instead of ``shapes``)."""
    import torch

    op_oracle.helper_test_op(shapes, functools.partial(fn, torch), functools.partial(fn, hw), **options)


def check_grad(shapes, fn, *, low=-2.0, high=2.0, seed=0, hosts=None, **kwargs) -> None:
    """Finite-difference gradcheck of ``fn(hw, *inputs)`` in float64."""
    rng = np.random.default_rng(seed)
    if hosts is None:
        hosts = [rng.uniform(low, high, size=s) for s in shapes]
    inputs = [hw.as_tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in hosts]
    assert hw.autograd.gradcheck(lambda *a: fn(hw, *a), inputs, **kwargs)
