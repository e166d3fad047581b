"""Elementwise ops of two or three tensors: arithmetic, comparisons, logic, ``where``.

Operands are cast to the dtype the trace recorded for the result, which is how
Headwater's type promotion (PyTorch's) resolved them, so ONNX never sees mixed types.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.onnx.context import ConvertContext, ExportNode, Value
from headwater.onnx.converters.registry import converter

_ARITH = {"add": "Add", "mul": "Mul", "div": "Div", "pow": "Pow", "maximum": "Max", "minimum": "Min"}
_COMPARE = {"eq": "Equal", "lt": "Less", "le": "LessOrEqual", "gt": "Greater", "ge": "GreaterOrEqual"}
_LOGIC = {"logical_and": "And", "logical_or": "Or", "logical_xor": "Xor"}


def _pair(ctx: ConvertContext, node: ExportNode, dtype: Any) -> list[str]:
    return [ctx.as_dtype(x, dtype) for x in node.inputs[:2]]


@converter(*_ARITH)
def arithmetic(ctx: ConvertContext, node: ExportNode) -> str:
    a, b = _pair(ctx, node, node.dtype)
    if node.op == "div" and node.dtype.kind in "iu":
        raise ctx.fail(node, "true division of integers into integers has no ONNX counterpart")
    return ctx.b.op(_ARITH[node.op], [a, b])


def _common(node: ExportNode) -> np.dtype:
    """The dtype both sides of a comparison are compared in."""
    tensors = [x.dtype for x in node.inputs[:2] if isinstance(x, Value)]
    common = np.result_type(*tensors) if tensors else np.dtype(np.float64)
    scalars = [x for x in node.inputs[:2] if not isinstance(x, Value)]
    if any(isinstance(s, float) for s in scalars) and common.kind in "iub":
        common = np.dtype(np.float64)
    return common


@converter(*_COMPARE, "ne")
def compare(ctx: ConvertContext, node: ExportNode) -> str:
    a, b = _pair(ctx, node, _common(node))
    if node.op == "ne":
        return ctx.b.op("Not", [ctx.b.op("Equal", [a, b])])
    return ctx.b.op(_COMPARE[node.op], [a, b])


@converter(*_LOGIC)
def logic(ctx: ConvertContext, node: ExportNode) -> str:
    a, b = _pair(ctx, node, np.bool_)
    return ctx.b.op(_LOGIC[node.op], [a, b])


@converter("where")
def where(ctx: ConvertContext, node: ExportNode) -> str:
    cond = ctx.as_dtype(node.inputs[0], np.bool_)
    a, b = (ctx.as_dtype(x, node.dtype) for x in node.inputs[1:3])
    return ctx.b.op("Where", [cond, a, b])


@converter("div_floor", "div_trunc", "floor_divide", "remainder", "fmod")
def integer_division(ctx: ConvertContext, node: ExportNode) -> str:
    b = ctx.b
    x, y = _pair(ctx, node, node.dtype)
    if node.op == "fmod":
        return b.op("Mod", [x, y], fmod=1)
    if node.dtype.kind in "iu" and node.op == "remainder":
        return b.op("Mod", [x, y], fmod=0)  # integer Mod takes the divisor's sign, as Python's %
    xf, yf = (b.cast(v, np.float64) for v in (x, y)) if node.dtype.kind in "iu" else (x, y)
    q = b.op("Div", [xf, yf])
    rounded = b.op("Floor", [q]) if node.op in ("div_floor", "floor_divide", "remainder") else \
        b.op("Mul", [b.op("Sign", [q]), b.op("Floor", [b.op("Abs", [q])])])
    if node.op == "remainder":
        return b.op("Sub", [x, b.op("Mul", [rounded, y])])
    return b.cast(rounded, node.dtype) if node.dtype.kind in "iu" else rounded
