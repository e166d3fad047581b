"""``hw.nn.utils``: gradient clipping."""

from __future__ import annotations

from collections.abc import Iterable

from headwater.autograd.function import wrap, xp_of
from headwater.tensor.devices import get_backend
from headwater.tensor.tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def clip_grad_norm_(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                    norm_type: float = 2.0) -> Tensor:
    """Scale gradients in place so that their joint norm is at most ``max_norm``.

    Runs on the device without a host sync: the scale ``min(1, max_norm / (norm +
    1e-6))`` is applied as a device scalar. Returns the norm before clipping.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.zeros(2)); p.grad = hw.as_tensor([3.0, 4.0])
    >>> hw.nn.utils.clip_grad_norm_([p], 1.0).item()
    5.0
    >>> [round(v, 3) for v in p.grad.tolist()]
    [0.6, 0.8]
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return Tensor(get_backend().xp.zeros(()))
    xp = xp_of(grads[0].array)
    norm_type = float(norm_type)
    if norm_type == float("inf"):
        total = xp.max(xp.stack([xp.max(abs(g.array)) for g in grads]))
    else:
        parts = xp.stack([(abs(g.array) ** norm_type).sum() for g in grads])
        total = parts.sum() ** (1.0 / norm_type)
    coef = xp.minimum(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        g.array *= coef.astype(g.array.dtype)
        g._vc[0] += 1
    return wrap(xp.asarray(total, dtype=grads[0].array.dtype))


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float) -> None:
    """Clamp every gradient element to ``[-clip_value, clip_value]`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.zeros(2)); p.grad = hw.as_tensor([3.0, -4.0])
    >>> hw.nn.utils.clip_grad_value_([p], 1.0); p.grad.tolist()
    [1.0, -1.0]
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    for p in parameters:
        if p.grad is not None:
            xp = xp_of(p.grad.array)
            xp.clip(p.grad.array, -clip_value, clip_value, out=p.grad.array)

