"""One ONNX converter per autograd op, by family; importing the package fills
:data:`CONVERTERS`."""

from headwater.onnx.converters import (  # noqa: F401  (each module registers its converters)
    binary,
    conv,
    elementwise,
    linalg,
    normalization,
    recurrent,
    reduce,
    shape,
)
from headwater.onnx.converters.registry import CONVERTERS, converter

__all__ = ["CONVERTERS", "converter"]
