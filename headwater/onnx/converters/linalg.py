"""Products and lookups: linear, matmul, einsum, embedding, one_hot."""

from __future__ import annotations

import numpy as np

from headwater.onnx.context import ConvertContext, ExportNode, Value
from headwater.onnx.converters.registry import converter


def weight_t(ctx: ConvertContext, w: Value) -> str:
    """``w.T`` of a 2-d weight: folded into a new initializer when ``w`` is a constant."""
    if w.const is not None:
        return ctx.b.initializer(np.ascontiguousarray(np.asarray(w.const).T), "weight_t")
    return ctx.b.op("Transpose", [w.name], perm=[1, 0])


@converter("linear")
def linear(ctx: ConvertContext, node: ExportNode) -> str:
    x, w = node.inputs[0], node.inputs[1]
    bias = node.inputs[2] if len(node.inputs) > 2 and isinstance(node.inputs[2], Value) else None
    if x.ndim == 2:
        ins = [x.name, w.name] + ([bias.name] if bias is not None else [])
        return ctx.b.op("Gemm", ins, transB=1)
    out = ctx.b.op("MatMul", [x.name, weight_t(ctx, w)])
    return ctx.b.op("Add", [out, bias.name]) if bias is not None else out


@converter("matmul")
def matmul(ctx: ConvertContext, node: ExportNode) -> str:
    a, b = (ctx.as_dtype(v, node.dtype) for v in node.inputs[:2])
    return ctx.b.op("MatMul", [a, b])


@converter("einsum")
def einsum(ctx: ConvertContext, node: ExportNode) -> str:
    equation = ",".join(node.params["terms"]) + "->" + node.params["out"]
    parts = [ctx.as_dtype(v, node.dtype) for v in node.inputs if isinstance(v, Value)]
    return ctx.b.op("Einsum", parts, equation=equation)


@converter("embedding")
def embedding(ctx: ConvertContext, node: ExportNode) -> str:
    weight, index = node.inputs[0], node.inputs[1]
    return ctx.b.op("Gather", [weight.name, ctx.as_dtype(index, np.int64)], axis=0)


@converter("onehot")
def one_hot(ctx: ConvertContext, node: ExportNode) -> str:
    b = ctx.b
    depth = b.const(int(node.params["n"]), np.int64)
    return b.op("OneHot", [ctx.as_dtype(node.inputs[0], np.int64), depth, b.const([0, 1], np.int64)], axis=-1)
