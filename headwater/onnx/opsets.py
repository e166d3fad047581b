"""Which ONNX opsets the exporter writes, and the IR version each one needs.

A model's ``ir_version`` must be one its reader knows. Writing the newest IR version
the installed ``onnx`` package supports would make a model that an older (or even the
current) onnxruntime refuses, so the exporter writes the *smallest* IR version that
can carry the opsets it imports: what ONNX's own versioning table says each release
introduced. onnxruntime loads every IR version up to the one of its release, so the
smallest one is the most widely readable.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MIN_OPSET", "MAX_OPSET", "ML_OPSET", "ir_version_for", "check_opset", "require_onnx"]

MIN_OPSET = 13  # Squeeze/Unsqueeze/Split/ReduceSum take axes as inputs from here on
MAX_OPSET = 21
ML_OPSET = 2  # ai.onnx.ml, for LabelEncoder over strings in pipeline exports

# opset of the default domain -> the IR version of the ONNX release that introduced it
_IR_FOR_OPSET = {13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10}
# ai.onnx.ml opset -> IR version
_IR_FOR_ML = {1: 3, 2: 6, 3: 8, 4: 9, 5: 10}


def check_opset(opset_version: Any) -> int:
    """``opset_version`` as an int, refused outside the range the converters support.

    Examples
    --------
    >>> from headwater.onnx.opsets import check_opset
    >>> check_opset(17)
    17
    """
    if isinstance(opset_version, bool) or not isinstance(opset_version, int):
        raise TypeError(f"opset_version must be an int, got {opset_version!r}")
    if not MIN_OPSET <= opset_version <= MAX_OPSET:
        raise ValueError(f"opset_version={opset_version} is not supported; the converters write opsets "
                         f"{MIN_OPSET} to {MAX_OPSET} (the default, 17, is read by every current onnxruntime)")
    return opset_version


def ir_version_for(opset_version: int, ml_opset: int | None = None) -> int:
    """The smallest IR version that can hold ``opset_version`` (and ``ai.onnx.ml`` at ``ml_opset``).

    Examples
    --------
    >>> from headwater.onnx.opsets import ir_version_for
    >>> ir_version_for(17), ir_version_for(13), ir_version_for(17, ml_opset=2)
    (8, 7, 8)
    """
    ir = _IR_FOR_OPSET[check_opset(opset_version)]
    if ml_opset is not None:
        ir = max(ir, _IR_FOR_ML[ml_opset])
    return ir


def require_onnx() -> Any:
    """The ``onnx`` module, or an ImportError naming the extra to install."""
    try:
        import onnx
    except ImportError:
        raise ImportError('ONNX export needs the onnx package; install it with pip install "headwater[onnx]"') from None
    return onnx
