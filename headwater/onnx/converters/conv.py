"""Convolution and pooling: conv, conv_transpose, max_pool, avg_pool.

Headwater records padding as ``((before, after), ...)`` per spatial axis, which is
ONNX's ``pads`` (all befores, then all afters). Pooling windows that ``ceil_mode``
lets run past the input are recorded as extra right padding, so ONNX pools with
``ceil_mode=0`` over the same windows; average pooling divides by the divisor the
op recorded (a constant per output position: ``count_include_pad`` and
``divisor_override`` both end up there).
"""

from __future__ import annotations

import math

import numpy as np

from headwater.onnx.context import ConvertContext, ExportNode, Value
from headwater.onnx.graph_reader import host_array
from headwater.onnx.converters.registry import converter


def _pads(pairs) -> list[int]:
    return [int(lo) for lo, _ in pairs] + [int(hi) for _, hi in pairs]


@converter("conv")
def conv(ctx: ConvertContext, node: ExportNode) -> str:
    x, w = node.inputs[0], node.inputs[1]
    bias = node.inputs[2] if len(node.inputs) > 2 and isinstance(node.inputs[2], Value) else None
    ins = [x.name, w.name] + ([bias.name] if bias is not None else [])
    return ctx.b.op("Conv", ins, strides=[int(s) for s in node.params["stride"]], pads=_pads(node.params["pads"]),
                    dilations=[int(d) for d in node.params["dilation"]], group=int(node.params.get("groups", 1)),
                    kernel_shape=[int(k) for k in w.shape[2:]])


@converter("convtranspose")
def conv_transpose(ctx: ConvertContext, node: ExportNode) -> str:
    x, w = node.inputs[0], node.inputs[1]
    bias = node.inputs[2] if len(node.inputs) > 2 and isinstance(node.inputs[2], Value) else None
    ins = [x.name, w.name] + ([bias.name] if bias is not None else [])
    out_pad = [int(p) for p in node.params.get("output_padding") or ()] or None
    return ctx.b.op("ConvTranspose", ins, strides=[int(s) for s in node.params["stride"]],
                    pads=_pads(node.params["pads"]), dilations=[int(d) for d in node.params["dilation"]],
                    group=int(node.params.get("groups", 1)), kernel_shape=[int(k) for k in w.shape[2:]],
                    output_padding=out_pad)


def _check_windows(ctx: ConvertContext, node: ExportNode, dilation: list[int]) -> None:
    """ONNX (ceil_mode=0) must make exactly the windows the op made."""
    x = node.inputs[0]
    spatial = [int(n) for n in x.shape[2:]]
    for n, k, s, (lo, hi), d, o in zip(spatial, node.params["kernel"], node.params["stride"], node.params["pads"],
                                       dilation, node.params["out"]):
        if (n + lo + hi - d * (k - 1) - 1) // s + 1 != int(o):
            raise ctx.fail(node, f"the pooling windows (kernel {k}, stride {s}, pads {(lo, hi)}) do not give "
                                 f"{o} outputs in ONNX")


@converter("maxpool")
def max_pool(ctx: ConvertContext, node: ExportNode) -> str:
    dilation = [int(d) for d in node.params.get("dilation") or [1] * len(node.params["kernel"])]
    _check_windows(ctx, node, dilation)
    return ctx.b.op("MaxPool", [node.inputs[0].name], kernel_shape=[int(k) for k in node.params["kernel"]],
                    strides=[int(s) for s in node.params["stride"]], pads=_pads(node.params["pads"]),
                    dilations=dilation if any(d != 1 for d in dilation) else None)


@converter("avgpool")
def avg_pool(ctx: ConvertContext, node: ExportNode) -> str:
    kernel = [int(k) for k in node.params["kernel"]]
    _check_windows(ctx, node, [1] * len(kernel))
    # window sums: the mean over the whole (zero-padded) window, times its size
    mean = ctx.b.op("AveragePool", [node.inputs[0].name], kernel_shape=kernel,
                    strides=[int(s) for s in node.params["stride"]], pads=_pads(node.params["pads"]),
                    count_include_pad=1)
    size = math.prod(kernel)
    divisor = node.params.get("divisor")
    divisor = host_array(divisor).astype(np.float64) if divisor is not None else np.float64(size)
    if np.all(divisor == size):
        return mean
    scale = (size / divisor).astype(node.dtype)
    return ctx.b.op("Mul", [mean, ctx.b.const(scale, node.dtype)])
