"""Recording an in-place write: ``write_in_place(t, fn, op, *args)`` makes ``t``
hold ``fn(t, *args)`` in its own storage.

When gradients are recorded, the tensor keeps its storage (views see the new
values) and takes the out-of-place op's node as its ``grad_fn``, with its old value,
copied, as that node's input; nodes that saved the old value see its version
change and refuse a wrong backward. A leaf that requires grad cannot be written in
place while gradients are recorded. This serves the indexing writes
(``masked_fill_``...) and the ``inplace=True`` activations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.autograd import function, grad_mode
from headwater.autograd.errors import AutogradError
from headwater.autograd.function import _check_devices, wrap, xp_of
from headwater.tensor.tensor import Tensor

__all__ = ["write_in_place"]


def write_in_place(self: Tensor, fn: Callable[..., Tensor], op: str, *args: Any, **kwargs: Any) -> Tensor:
    """Store ``fn(self, *args, **kwargs)`` into ``self`` and return ``self``, recorded
    for backward when gradients are (``op`` names the call in errors).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.autograd.ops.recorded_inplace import write_in_place
    >>> x = hw.as_tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 1
    >>> _ = write_in_place(y, hw.exp, "exp_")
    >>> y.sum().backward(); [round(v, 4) for v in x.grad.tolist()]
    [2.7183, 7.3891]
    """
    if not isinstance(self, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(self).__name__}")
    tensors = (self,) + tuple(a for a in args if isinstance(a, Tensor))
    _check_devices(op, tensors)
    recording = grad_mode._enabled and any(t._requires_grad for t in tensors)
    if not recording:
        out = fn(self, *args, **kwargs)
        self.array[...] = out.array
        self._vc[0] += 1
        if function._recorder is not None:  # graph mode: self now holds out's value
            function._recorder.rebind(self, out)
        return self
    if self._requires_grad and self.grad_fn is None:
        raise AutogradError(
            f"{op}: a leaf tensor that requires grad cannot be modified in place while "
            f"gradients are recorded; use the out-of-place {op[:-1]} or wrap the update "
            f"in `with hw.no_grad():`"
        )
    old = wrap(self.array.copy())
    if function._recorder is not None:  # graph mode: the copy is self's value so far
        function._recorder.rebind(old, self)
    old.grad_fn = self.grad_fn
    old._requires_grad = self._requires_grad
    if self.grad_fn is not None and self.grad_fn.n_out > 1:
        old._out_index = self._out_index
    out = fn(old, *args, **kwargs)
    xp_of(self.array).copyto(self.array, out.array)
    self.grad_fn = out.grad_fn
    self._requires_grad = out._requires_grad
    self._vc[0] += 1
    if function._recorder is not None:
        function._recorder.rebind(self, out)
    return self
