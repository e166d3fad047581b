"""``Parameter``: a leaf Tensor that a Module registers as learnable."""

from __future__ import annotations

from typing import Any

from headwater.tensor.tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A Tensor that is a module's learnable weight (``requires_grad`` by default).

    Wraps the data of ``data`` without copying.

    Examples
    --------
    >>> import headwater as hw
    >>> p = hw.nn.Parameter(hw.zeros(2))
    >>> p.requires_grad, p.is_leaf
    (True, True)
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            from headwater.tensor.creation import empty

            data = empty(0)
        if isinstance(data, Tensor):
            data = data.array
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + Tensor.__repr__(self)
