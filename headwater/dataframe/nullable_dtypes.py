"""pandas' nullable extension dtype constructors (``pd.Int64Dtype()``, ``pd.BooleanDtype()``,
...), for code that names them.

Every Headwater column has a validity mask, so every dtype is already nullable: these
return the NumPy dtype of the same width (``hw.Int64Dtype()`` is ``np.dtype("int64")``),
which ``astype``, constructors and readers accept as they accept pandas' objects.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "Int8Dtype", "Int16Dtype", "Int32Dtype", "Int64Dtype", "UInt8Dtype", "UInt16Dtype", "UInt32Dtype",
    "UInt64Dtype", "Float32Dtype", "Float64Dtype", "BooleanDtype",
]


def _nullable(name: str, numpy_name: str) -> type:
    def __new__(cls: type) -> np.dtype:  # noqa: N807 - a constructor that answers a NumPy dtype
        return np.dtype(numpy_name)

    doc = (f"pandas' ``{name}()``: here the NumPy dtype ``{numpy_name}`` (every Headwater dtype is nullable).\n\n"
           f"    Examples\n    --------\n    >>> import headwater as hw\n    >>> hw.{name}()\n"
           f"    dtype('{numpy_name}')\n    ")
    return type(name, (), {"__new__": __new__, "__doc__": doc, "__module__": __name__})


Int8Dtype = _nullable("Int8Dtype", "int8")
Int16Dtype = _nullable("Int16Dtype", "int16")
Int32Dtype = _nullable("Int32Dtype", "int32")
Int64Dtype = _nullable("Int64Dtype", "int64")
UInt8Dtype = _nullable("UInt8Dtype", "uint8")
UInt16Dtype = _nullable("UInt16Dtype", "uint16")
UInt32Dtype = _nullable("UInt32Dtype", "uint32")
UInt64Dtype = _nullable("UInt64Dtype", "uint64")
Float32Dtype = _nullable("Float32Dtype", "float32")
Float64Dtype = _nullable("Float64Dtype", "float64")
BooleanDtype = _nullable("BooleanDtype", "bool")
