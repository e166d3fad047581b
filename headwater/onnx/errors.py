"""The errors of ONNX export."""

from __future__ import annotations

__all__ = ["OnnxExportError", "UnsupportedOpError", "InexpressibleStepError"]


class OnnxExportError(ValueError):
    """A model or pipeline cannot be written as ONNX; the message says why and what to do."""


class UnsupportedOpError(OnnxExportError, NotImplementedError):
    """An op of the trace has no ONNX converter (or uses an option the converter cannot express);
    the message names the op and the module it ran in."""


class InexpressibleStepError(OnnxExportError):
    """A pipeline step cannot be written as ONNX; the message names the step and the way out."""
