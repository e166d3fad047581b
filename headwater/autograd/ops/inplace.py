"""In-place updates: ``add_ sub_ mul_ div_ zero_ fill_ copy_ clamp_`` and
``t[key] = value``.

They change ``.array`` in place and bump the version counter, which the engine
checks: a backward that needs the old values raises instead of computing a wrong
gradient. They are not recorded in the graph, so on a tensor that requires grad
they must run under ``hw.no_grad()`` (as optimizers and ``nn.init`` do), and a value
that requires grad cannot be written in place while gradients are recorded.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd import grad_mode
from headwater.autograd.errors import AutogradError
from headwater.autograd.function import _check_devices, xp_of
from headwater.autograd.ops.conversion import move
from headwater.autograd.ops.indexing import index_key
from headwater.tensor.dtypes import DTypeError
from headwater.tensor.tensor import Tensor

__all__ = [
    "add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_", "setitem", "inplace_of",
]


def _writable(t: Tensor, op: str) -> None:
    if grad_mode._enabled and t._requires_grad:
        kind = "a leaf tensor" if t.grad_fn is None else "a tensor in the graph"
        raise AutogradError(
            f"{op}: {kind} that requires grad cannot be modified in place while "
            f"gradients are recorded; wrap the update in `with hw.no_grad():` or use "
            f"the out-of-place op"
        )


def _operand(t: Tensor, other: Any, op: str) -> Any:
    if isinstance(other, Tensor):
        _check_devices(op, (t, other))
        _untracked_source(other, op)
        return other.array
    return other


def _untracked_source(src: Tensor, op: str) -> None:
    if grad_mode._enabled and src._requires_grad:
        raise AutogradError(
            f"{op}: the value requires grad, but in-place ops are not recorded, so its "
            f"gradient would be lost; build the result out of place (hw.where, hw.cat, "
            f"+, *) or wrap the update in `with hw.no_grad():`"
        )


def add_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
    """``self += alpha * other`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.zeros(2); _ = x.add_(1.5); x.tolist()
    [1.5, 1.5]
    """
    _writable(self, "add_")
    value = _operand(self, other, "add_")
    self.array += value if alpha == 1 else value * alpha
    self._vc[0] += 1
    return self


def sub_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
    """``self -= alpha * other`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ones(2).sub_(1).tolist()
    [0.0, 0.0]
    """
    _writable(self, "sub_")
    value = _operand(self, other, "sub_")
    self.array -= value if alpha == 1 else value * alpha
    self._vc[0] += 1
    return self


def mul_(self: Tensor, other: Any) -> Tensor:
    """``self *= other`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ones(2).mul_(3).tolist()
    [3.0, 3.0]
    """
    _writable(self, "mul_")
    self.array *= _operand(self, other, "mul_")
    self._vc[0] += 1
    return self


def div_(self: Tensor, other: Any) -> Tensor:
    """``self /= other`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ones(2).div_(4).tolist()
    [0.25, 0.25]
    """
    _writable(self, "div_")
    self.array /= _operand(self, other, "div_")
    self._vc[0] += 1
    return self


def fill_(self: Tensor, value: Any) -> Tensor:
    """Set every element to ``value`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2).fill_(7).tolist()
    [7.0, 7.0]
    """
    _writable(self, "fill_")
    self.array[...] = _operand(self, value, "fill_")
    self._vc[0] += 1
    return self


def zero_(self: Tensor) -> Tensor:
    """Set every element to zero in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ones(2).zero_().tolist()
    [0.0, 0.0]
    """
    return fill_(self, 0)


def copy_(self: Tensor, src: Tensor) -> Tensor:
    """Copy ``src`` (broadcast to this shape) into this tensor; a copy from another
    device is one counted transfer.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2).copy_(hw.as_tensor([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    _writable(self, "copy_")
    if isinstance(src, Tensor):
        _untracked_source(src, "copy_")
        xp = xp_of(self.array)
        value = move(src.array, self.device)
        xp.copyto(self.array, xp.broadcast_to(value, self.array.shape).astype(self.array.dtype, copy=False))
    else:
        self.array[...] = src
    self._vc[0] += 1
    return self


def clamp_(self: Tensor, min: float | None = None, max: float | None = None) -> Tensor:
    """Clamp the values in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.as_tensor([-2.0, 2.0]).clamp_(-1, 1).tolist()
    [-1.0, 1.0]
    """
    _writable(self, "clamp_")
    xp = xp_of(self.array)
    xp.clip(self.array, min, max, out=self.array)
    self._vc[0] += 1
    return self


def setitem(self: Tensor, key: Any, value: Any) -> None:
    """``self[key] = value`` in place (not recorded by autograd).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.zeros(3); x[1] = 5.0; x.tolist()
    [0.0, 5.0, 0.0]
    """
    _writable(self, "setitem")
    key, _ = index_key(key, self.array)
    self.array[key] = _operand(self, value, "setitem")
    self._vc[0] += 1


def _can_cast(src: Any, dst: Any) -> bool:
    """PyTorch's rule for writing a result into a tensor in place."""
    if dst.kind == "b":
        return src.kind == "b"
    return not (dst.kind in "iu" and src.kind == "f")


def inplace_of(fn: Any, name: str) -> Any:
    """The in-place method ``name`` (``exp2_``, ``fmod_``...) made from the
    out-of-place ``fn``: the result is computed, checked to fit this tensor's shape
    and dtype, and written into ``.array``.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.5, -1.5])
    >>> _ = x.floor_(); x.tolist()
    [1.0, -2.0]
    """

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        _writable(self, name)
        for arg in args:
            if isinstance(arg, Tensor):
                _check_devices(name, (self, arg))
                _untracked_source(arg, name)
        with grad_mode.no_grad():
            out = fn(self, *args, **kwargs)
        if out.shape != self.shape:
            raise ValueError(
                f"{name}: the result has shape {out.shape}, which does not fit this tensor's "
                f"shape {self.shape}; use the out-of-place {name[:-1]} to broadcast"
            )
        if not _can_cast(out.array.dtype, self.array.dtype):
            raise DTypeError(
                f"{name}: the result is {out.array.dtype}, which cannot be written into this "
                f"{self.array.dtype} tensor; use the out-of-place {name[:-1]} or cast first"
            )
        self.array[...] = out.array
        self._vc[0] += 1
        return self

    method.__name__ = name
    method.__doc__ = f"In-place :func:`{name[:-1]}`: writes the result into this tensor and returns it."
    return method
