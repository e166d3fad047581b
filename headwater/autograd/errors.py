"""The exception types autograd raises, each naming what went wrong and the fix."""

from __future__ import annotations

from headwater.tensor.devices import DeviceMismatchError
from headwater.tensor.dtypes import DTypeError

__all__ = [
    "AutogradError",
    "GraphFreedError",
    "InplaceModificationError",
    "ShapeError",
    "DTypeError",
    "DeviceMismatchError",
]


class AutogradError(RuntimeError):
    """``backward`` cannot run as asked (for example a non-scalar output without
    ``gradient``, or a tensor that does not require grad)."""


class GraphFreedError(AutogradError):
    """``backward`` reached a part of the graph that an earlier ``backward`` freed;
    pass ``retain_graph=True`` to the first call to walk the graph twice."""


class InplaceModificationError(AutogradError):
    """A tensor that ``backward`` needs was modified in place after it was used."""


class ShapeError(ValueError):
    """Tensor shapes do not fit an operation (the message names the op and shapes)."""
