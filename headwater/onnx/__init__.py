"""ONNX export: models (``hw.onnx.export``) and whole pipelines (``headwater export``).

Both are built from the trace of the op tape (:mod:`headwater.jit`): one converter
per op (:data:`CONVERTERS`). ``onnx`` (and ``onnxruntime``, to run the result) are
an optional extra, ``pip install "headwater[onnx]"``, imported only when exporting.
"""

from headwater.onnx.converters import CONVERTERS
from headwater.onnx.errors import InexpressibleStepError, OnnxExportError, UnsupportedOpError
from headwater.onnx.module_export import export

__all__ = ["export", "CONVERTERS", "OnnxExportError", "UnsupportedOpError", "InexpressibleStepError"]
