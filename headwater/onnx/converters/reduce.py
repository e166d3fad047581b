"""Reductions: sum, max/min, any/all, prod, logsumexp, argmax/argmin, cumsum."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.onnx.context import ConvertContext, ExportNode
from headwater.onnx.converters.registry import converter

_REDUCE = {"sum": "ReduceSum", "amax": "ReduceMax", "amin": "ReduceMin", "prod": "ReduceProd",
           "any": "ReduceMax", "all": "ReduceMin"}


def _axes(value: Any, ndim: int) -> list[int] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, int) else list(value)
    return sorted(v + ndim if v < 0 else v for v in values)


@converter(*_REDUCE)
def reduce(ctx: ConvertContext, node: ExportNode) -> str:
    x = node.inputs[0]
    axes = _axes(node.params.get("axes", node.params.get("axis")), x.ndim)
    keep = bool(node.params.get("keepdim", False))
    if node.op in ("any", "all"):  # over bools: max is any, min is all
        src = ctx.b.cast(ctx.as_dtype(x, np.bool_), np.int32)
        out = ctx.b.reduce(_REDUCE[node.op], src, axes, keep)
        return ctx.b.cast(out, np.bool_)
    src = ctx.as_dtype(x, node.dtype)
    if x.ndim == 0:
        return ctx.b.op("Identity", [src])
    return ctx.b.reduce(_REDUCE[node.op], src, axes, keep)


@converter("logsumexp")
def logsumexp(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, ctx.as_dtype(node.inputs[0], node.dtype)
    axes = _axes(node.params.get("axes"), node.inputs[0].ndim)
    keep = bool(node.params.get("keepdim", False))
    m = b.reduce("ReduceMax", x, axes, True)
    m = b.op("Where", [b.op("IsInf", [m]), b.const(0.0, node.dtype), m])  # all -inf: no shift
    total = b.reduce("ReduceSum", b.op("Exp", [b.op("Sub", [x, m])]), axes, True)
    out = b.op("Add", [b.op("Log", [total]), m])
    if keep:
        return out
    return b.squeeze(out, axes if axes is not None else list(range(node.inputs[0].ndim)))


@converter("argmax", "argmin")
def argextreme(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, node.inputs[0]
    axis, keep = node.params.get("axis"), bool(node.params.get("keepdim", False))
    src = x.name
    if axis is None:
        src, axis = b.op("Reshape", [src, b.ints([-1])]), 0
        out = b.op("ArgMax" if node.op == "argmax" else "ArgMin", [src], axis=0, keepdims=0, select_last_index=0)
        return b.op("Reshape", [out, b.ints([1] * x.ndim)]) if keep else out
    return b.op("ArgMax" if node.op == "argmax" else "ArgMin", [src], axis=ctx.axis(axis, x.ndim),
                keepdims=int(keep), select_last_index=0)


@converter("cumsum")
def cumsum(ctx: ConvertContext, node: ExportNode) -> str:
    x = ctx.as_dtype(node.inputs[0], node.dtype)
    return ctx.b.op("CumSum", [x, ctx.b.const(int(node.params.get("axis", 0)), np.int64)])
