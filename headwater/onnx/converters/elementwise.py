"""Elementwise ops of one tensor: math functions and activations."""

from __future__ import annotations

import math

import numpy as np

from headwater.onnx.context import ConvertContext, ExportNode
from headwater.onnx.converters.registry import converter

_DIRECT = {
    "abs": "Abs", "neg": "Neg", "exp": "Exp", "log": "Log", "sqrt": "Sqrt", "sin": "Sin", "cos": "Cos",
    "tan": "Tan", "tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "Relu", "erf": "Erf", "floor": "Floor",
    "ceil": "Ceil", "sign": "Sign", "reciprocal": "Reciprocal", "asin": "Asin", "acos": "Acos", "atan": "Atan",
    "sinh": "Sinh", "cosh": "Cosh", "asinh": "Asinh", "acosh": "Acosh", "atanh": "Atanh", "softsign": "Softsign",
}


def _input(ctx: ConvertContext, node: ExportNode) -> str:
    return ctx.as_dtype(node.inputs[0], node.dtype)


def _c(ctx: ConvertContext, node: ExportNode, value: float) -> str:
    return ctx.b.const(value, node.dtype)


def _softplus(ctx: ConvertContext, node: ExportNode, x: str) -> str:
    """``log(1 + exp(x))`` as ``max(x, 0) + log(1 + exp(-|x|))``: no overflow, and every dtype
    (onnxruntime's Softplus kernel is float32 only)."""
    b = ctx.b
    tail = b.op("Log", [b.op("Add", [b.op("Exp", [b.op("Neg", [b.op("Abs", [x])])]), _c(ctx, node, 1.0)])])
    return b.op("Add", [b.op("Max", [x, _c(ctx, node, 0.0)]), tail])


@converter(*_DIRECT)
def direct(ctx: ConvertContext, node: ExportNode) -> str:
    return ctx.b.op(_DIRECT[node.op], [_input(ctx, node)])


@converter("clone", "contiguous", "todevice")
def identity(ctx: ConvertContext, node: ExportNode) -> str:
    return ctx.b.op("Identity", [ctx.tensor(node.inputs[0], node.dtype)])


@converter("log1p", "expm1", "log2", "log10", "exp2", "rsqrt", "square")
def composite(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    if node.op == "log1p":
        return b.op("Log", [b.op("Add", [x, _c(ctx, node, 1.0)])])
    if node.op == "expm1":
        return b.op("Sub", [b.op("Exp", [x]), _c(ctx, node, 1.0)])
    if node.op in ("log2", "log10"):
        base = 2.0 if node.op == "log2" else 10.0
        return b.op("Div", [b.op("Log", [x]), _c(ctx, node, math.log(base))])
    if node.op == "exp2":
        return b.op("Pow", [_c(ctx, node, 2.0), x])
    if node.op == "rsqrt":
        return b.op("Reciprocal", [b.op("Sqrt", [x])])
    return b.op("Mul", [x, x])


@converter("silu")
def silu(ctx: ConvertContext, node: ExportNode) -> str:
    x = _input(ctx, node)
    return ctx.b.op("Mul", [x, ctx.b.op("Sigmoid", [x])])


@converter("gelu")
def gelu(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    half = b.op("Mul", [x, _c(ctx, node, 0.5)])
    if node.params.get("approximate", "none") == "tanh":
        cube = b.op("Mul", [b.op("Mul", [x, x]), x])
        inner = b.op("Add", [x, b.op("Mul", [cube, _c(ctx, node, 0.044715)])])
        t = b.op("Tanh", [b.op("Mul", [inner, _c(ctx, node, math.sqrt(2.0 / math.pi))])])
    else:
        t = b.op("Erf", [b.op("Mul", [x, _c(ctx, node, 1.0 / math.sqrt(2.0))])])
    return b.op("Mul", [half, b.op("Add", [t, _c(ctx, node, 1.0)])])


@converter("softplus")
def softplus(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    beta, threshold = float(node.params.get("beta", 1.0)), float(node.params.get("threshold", 20.0))
    scaled = b.op("Mul", [x, _c(ctx, node, beta)]) if beta != 1.0 else x
    soft = _softplus(ctx, node, scaled)
    if beta != 1.0:
        soft = b.op("Div", [soft, _c(ctx, node, beta)])
    # above the threshold the function is the identity, as in PyTorch
    return b.op("Where", [b.op("Greater", [scaled, _c(ctx, node, threshold)]), x, soft])


@converter("leakyrelu")
def leaky_relu(ctx: ConvertContext, node: ExportNode) -> str:
    return ctx.b.op("LeakyRelu", [_input(ctx, node)], alpha=float(node.params.get("slope", 0.01)))


@converter("elu")
def elu(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    alpha, scale = float(node.params["alpha"]), float(node.params["scale"])
    input_scale = float(node.params["input_scale"])
    neg = b.op("Min", [x, _c(ctx, node, 0.0)])
    if input_scale != 1.0:
        neg = b.op("Mul", [neg, _c(ctx, node, input_scale)])
    em1 = b.op("Mul", [b.op("Sub", [b.op("Exp", [neg]), _c(ctx, node, 1.0)]), _c(ctx, node, alpha)])
    out = b.op("Where", [b.op("Greater", [x, _c(ctx, node, 0.0)]), x, em1])
    return b.op("Mul", [out, _c(ctx, node, scale)]) if scale != 1.0 else out


@converter("hardtanh")
def hardtanh(ctx: ConvertContext, node: ExportNode) -> str:
    return ctx.b.op("Clip", [_input(ctx, node), _c(ctx, node, node.params["lo"]), _c(ctx, node, node.params["hi"])])


@converter("hardsigmoid", "hardswish")
def hard_gates(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    gate = b.op("Div", [b.op("Clip", [b.op("Add", [x, _c(ctx, node, 3.0)]), _c(ctx, node, 0.0), _c(ctx, node, 6.0)]),
                        _c(ctx, node, 6.0)])
    return gate if node.op == "hardsigmoid" else b.op("Mul", [x, gate])


@converter("threshold")
def threshold(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    return b.op("Where", [b.op("Greater", [x, _c(ctx, node, node.params["th"])]), x, _c(ctx, node, node.params["value"])])


@converter("softshrink", "hardshrink")
def shrink(ctx: ConvertContext, node: ExportNode) -> str:
    lambd = float(node.params["lambd"])
    if node.op == "softshrink":
        return ctx.b.op("Shrink", [_input(ctx, node)], lambd=lambd, bias=lambd)
    return ctx.b.op("Shrink", [_input(ctx, node)], lambd=lambd, bias=0.0)


@converter("mish", "logsigmoid", "tanhshrink")
def smooth(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    if node.op == "mish":
        return b.op("Mul", [x, b.op("Tanh", [_softplus(ctx, node, x)])])
    if node.op == "tanhshrink":
        return b.op("Sub", [x, b.op("Tanh", [x])])
    return b.op("Neg", [_softplus(ctx, node, b.op("Neg", [x]))])


@converter("clamp")
def clamp(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    for key, op in (("lo", "Max"), ("hi", "Min")):
        bound = node.params.get(key)
        if bound is not None:
            x = b.op(op, [x, ctx.as_dtype(bound, node.dtype)])
    return x


@converter("round", "trunc", "frac")
def rounding(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, _input(ctx, node)
    if node.op == "round":
        decimals = int(node.params.get("decimals", 0))
        if decimals == 0:
            return b.op("Round", [x])
        scale = _c(ctx, node, 10.0 ** decimals)
        return b.op("Div", [b.op("Round", [b.op("Mul", [x, scale])]), scale])
    # trunc(x) = sign(x) * floor(|x|)
    trunc = b.op("Mul", [b.op("Sign", [x]), b.op("Floor", [b.op("Abs", [x])])])
    return trunc if node.op == "trunc" else b.op("Sub", [x, trunc])


@converter("isnan", "isinf", "isposinf", "isneginf", "isfinite", "logical_not")
def tests(ctx: ConvertContext, node: ExportNode) -> str:
    b, x = ctx.b, node.inputs[0]
    kind = np.dtype(x.dtype).kind
    if node.op == "logical_not":
        return b.op("Not", [ctx.as_dtype(x, np.bool_)])
    if kind != "f":  # integers and bools are never NaN or infinite
        value = node.op == "isfinite"
        return b.op("Expand", [b.const(value, np.bool_), b.op("Shape", [x.name])])
    if node.op == "isnan":
        return b.op("IsNaN", [x.name])
    if node.op == "isinf":
        return b.op("IsInf", [x.name])
    if node.op in ("isposinf", "isneginf"):
        return b.op("IsInf", [x.name], detect_negative=int(node.op == "isneginf"),
                    detect_positive=int(node.op == "isposinf"))
    return b.op("Not", [b.op("Or", [b.op("IsNaN", [x.name]), b.op("IsInf", [x.name])])])
