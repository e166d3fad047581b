"""``hw.nn.utils``: gradient clipping and flattening parameters into one vector.

``foreach=`` is accepted wherever PyTorch has it and changes nothing: Headwater has
one implementation, already a handful of array operations per parameter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from headwater.autograd.function import wrap, xp_of
from headwater.autograd.ops.join import cat
from headwater.tensor.devices import get_backend
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = [
    "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
    "parameters_to_vector", "vector_to_parameters",
]


def _tensors(parameters: Iterable[Tensor] | Tensor) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def get_total_norm(tensors: Iterable[Tensor] | Tensor, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """The ``norm_type``-norm of all ``tensors`` together (as if concatenated).

    Raises
    ------
    RuntimeError
        ``error_if_nonfinite=True`` and the norm is nan or inf (reads it on the host).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.utils.get_total_norm([hw.as_tensor([3.0]), hw.as_tensor([4.0])]).item()
    5.0
    """
    ts = [t for t in _tensors(tensors) if t is not None]
    if not ts:
        return Tensor(get_backend().xp.zeros(()))
    xp = xp_of(ts[0].array)
    norm_type = float(norm_type)
    if norm_type == math.inf:
        total = xp.max(xp.stack([xp.max(xp.abs(t.array)) for t in ts]))
    elif norm_type == -math.inf:
        total = xp.min(xp.stack([xp.min(xp.abs(t.array)) for t in ts]))
    else:
        total = xp.stack([(xp.abs(t.array) ** norm_type).sum() for t in ts]).sum() ** (1.0 / norm_type)
    total = xp.asarray(total, dtype=ts[0].array.dtype)
    if error_if_nonfinite and not bool(to_host(xp.isfinite(total))):
        raise RuntimeError(
            f"the total norm of order {norm_type} of the gradients is non-finite, so it cannot be "
            f"clipped; pass error_if_nonfinite=False to clip anyway (the gradients become nan)"
        )
    return wrap(total)


def clip_grads_with_norm_(parameters: Iterable[Tensor] | Tensor, max_norm: float, total_norm: Tensor,
                          foreach: bool | None = None) -> None:
    """Scale gradients in place by ``min(1, max_norm / (total_norm + 1e-6))``, as a
    device scalar (no host sync).

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.zeros(2)); p.grad = hw.as_tensor([3.0, 4.0])
    >>> hw.nn.utils.clip_grads_with_norm_([p], 1.0, hw.as_tensor(5.0)); [round(v, 3) for v in p.grad.tolist()]
    [0.6, 0.8]
    """
    grads = [p.grad for p in _tensors(parameters) if p.grad is not None]
    if not grads:
        return
    xp = xp_of(grads[0].array)
    coef = xp.minimum(max_norm / (total_norm.array + 1e-6), 1.0)
    for g in grads:
        g.array *= coef.astype(g.array.dtype)
        g._vc[0] += 1


def clip_grad_norm_(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale gradients in place so that their joint norm is at most ``max_norm``.

    Runs on the device without a host sync (unless ``error_if_nonfinite=True``): the
    scale ``min(1, max_norm / (norm + 1e-6))`` is applied as a device scalar.
    Returns the norm before clipping.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.zeros(2)); p.grad = hw.as_tensor([3.0, 4.0])
    >>> hw.nn.utils.clip_grad_norm_([p], 1.0).item()
    5.0
    >>> [round(v, 3) for v in p.grad.tolist()]
    [0.6, 0.8]
    """
    params = _tensors(parameters)
    total = get_total_norm([p.grad for p in params if p.grad is not None], norm_type, error_if_nonfinite)
    clip_grads_with_norm_(params, max_norm, total)
    return total


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float,
                     foreach: bool | None = None) -> None:
    """Clamp every gradient element to ``[-clip_value, clip_value]`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.zeros(2)); p.grad = hw.as_tensor([3.0, -4.0])
    >>> hw.nn.utils.clip_grad_value_([p], 1.0); p.grad.tolist()
    [1.0, -1.0]
    """
    clip_value = float(clip_value)
    for p in _tensors(parameters):
        if p.grad is not None:
            xp = xp_of(p.grad.array)
            xp.clip(p.grad.array, -clip_value, clip_value, out=p.grad.array)
            p.grad._vc[0] += 1


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated into one vector (differentiable).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.utils.parameters_to_vector(hw.nn.Linear(3, 2).parameters()).shape
    (8,)
    """
    params = _tensors(parameters)
    if not params:
        raise ValueError("parameters_to_vector got no parameters")
    device = params[0].device
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(f"parameters_to_vector expects Tensors, got {type(p).__name__}")
        if p.device != device:
            raise RuntimeError(
                f"parameters_to_vector: parameters are on {device} and {p.device}; move the model to one device"
            )
    return cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters' data (each parameter
    then views ``vec``'s memory, as in PyTorch).

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.nn.Linear(2, 1)
    >>> hw.nn.utils.vector_to_parameters(hw.arange(3.0), m.parameters())
    >>> m.weight.tolist(), m.bias.tolist()
    ([[0.0, 1.0]], [2.0])
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters expects a Tensor vector, got {type(vec).__name__}")
    params = _tensors(parameters)
    total = sum(p.numel() for p in params)
    if vec.ndim != 1 or vec.shape[0] != total:
        raise ValueError(f"vector_to_parameters: the vector has shape {vec.shape}, the parameters {total} elements")
    offset = 0
    for p in params:
        n = p.numel()
        if p.device != vec.device:
            raise RuntimeError(f"vector_to_parameters: the vector is on {vec.device}, a parameter on {p.device}")
        p.array = vec.array[offset:offset + n].reshape(p.shape).astype(p.dtype, copy=False)
        p._vc[0] += 1
        offset += n
