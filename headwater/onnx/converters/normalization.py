"""Softmax, log-softmax and the fused normalisation op of batch/instance/group norm."""

from __future__ import annotations

from headwater.onnx.context import ConvertContext, ExportNode
from headwater.onnx.converters.registry import converter


@converter("softmax", "logsoftmax")
def softmax(ctx: ConvertContext, node: ExportNode) -> str:
    x = ctx.as_dtype(node.inputs[0], node.dtype)
    axis = ctx.axis(int(node.params.get("axis", -1)), len(node.shape))
    return ctx.b.op("Softmax" if node.op == "softmax" else "LogSoftmax", [x], axis=axis)


@converter("normalize", "normalizetracking")
def normalize(ctx: ConvertContext, node: ExportNode) -> str:
    """``(x - mean) / sqrt(var + eps)`` over ``axes`` (biased variance), as the op computes it
    (in training mode too: the running statistics' update has no ONNX form and is left out)."""
    b, x = ctx.b, node.inputs[0].name
    axes = sorted(ctx.axis(int(a), len(node.shape)) for a in node.params["axes"])
    centred = b.op("Sub", [x, b.reduce("ReduceMean", x, axes, True)])
    var = b.reduce("ReduceMean", b.op("Mul", [centred, centred]), axes, True)
    rstd = b.op("Reciprocal", [b.op("Sqrt", [b.op("Add", [var, b.const(float(node.params["eps"]), node.dtype)])])])
    return b.op("Mul", [centred, rstd])
