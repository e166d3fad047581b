"""Finite-difference checking of gradients: ``hw.autograd.gradcheck``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from headwater.autograd import grad_mode
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["gradcheck", "GradcheckError"]


class GradcheckError(AssertionError):
    """Analytic and numerical gradients disagree."""


def _project(out: Any, weights: list) -> Any:
    """A scalar from the output(s): sum of out * fixed random weights."""
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total = 0.0
    for o, w in zip(outs, weights):
        if isinstance(o, Tensor) and o.array.dtype.kind == "f":
            total = total + (o * w).sum()
    return total


def gradcheck(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    seed: int = 0,
) -> bool:
    """Compare backward's gradients with central finite differences.

    The output (or outputs) are reduced to a scalar with fixed random weights, and
    the gradient of that scalar with respect to every input that requires grad is
    checked element by element. Use float64 inputs.

    Raises
    ------
    GradcheckError
        With ``raise_exception=True``, when an element differs by more than
        ``atol + rtol * |numerical|``; the message names the input and position.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.randn(3, dtype=hw.float64, requires_grad=True)
    >>> hw.autograd.gradcheck(lambda t: (t * t).sin(), [x])
    True
    """
    inputs = list(inputs)
    with grad_mode.no_grad():
        first = fn(*inputs)
    outs = first if isinstance(first, (tuple, list)) else (first,)
    rng = np.random.default_rng(seed)
    weights = []
    for o in outs:
        if isinstance(o, Tensor):
            host = rng.standard_normal(o.shape).astype(o.array.dtype) if o.array.dtype.kind == "f" else None
            weights.append(None if host is None else Tensor(backend_of(o.array).to_device(host)))
        else:
            weights.append(None)
    for x in inputs:
        if isinstance(x, Tensor):
            x.grad = None
    loss = _project(fn(*inputs), weights)
    if not isinstance(loss, Tensor):
        raise GradcheckError("gradcheck: the function has no float Tensor output")
    loss.backward()
    for k, x in enumerate(inputs):
        if not isinstance(x, Tensor) or not x.requires_grad:
            continue
        if x.array.dtype != np.dtype("float64"):
            raise GradcheckError(f"gradcheck: input {k} is {x.dtype}; use float64 inputs")
        analytic = np.zeros(x.shape) if x.grad is None else to_host(x.grad.array).astype(np.float64)
        numeric = np.zeros(x.shape)
        flat = x.array.reshape(-1)
        for i in range(flat.size):
            orig = flat[i].copy()
            with grad_mode.no_grad():
                flat[i] = orig + eps
                plus = float(to_host(_project(fn(*inputs), weights).array))
                flat[i] = orig - eps
                minus = float(to_host(_project(fn(*inputs), weights).array))
                flat[i] = orig
            numeric.reshape(-1)[i] = (plus - minus) / (2 * eps)
        bad = np.abs(analytic - numeric) > atol + rtol * np.abs(numeric)
        if bad.any():
            if not raise_exception:
                return False
            pos = tuple(int(i) for i in np.argwhere(bad)[0])
            raise GradcheckError(
                f"gradcheck: gradient of input {k} (shape {x.shape}) differs at {pos}: "
                f"backward gave {analytic[pos]!r}, finite differences {numeric[pos]!r} "
                f"(max abs difference {np.abs(analytic - numeric).max():.3g})"
            )
    return True
