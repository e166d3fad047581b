"""Shape and layout ops: reshape, permute, expand, cat, stack, indexing, pad, cast, flip, tile.

Sizes may be symbolic (:mod:`headwater.onnx.dims`): a reshape whose target moves
with the batch becomes a ``-1`` where that is unambiguous, and a shape computed
from the input's run-time sizes otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.onnx.context import ConvertContext, ExportNode, Value
from headwater.onnx.converters.registry import converter
from headwater.onnx.dims import SymDim
from headwater.onnx.graph_reader import host_array

_BIG = 2**63 - 1


def shape_input(ctx: ConvertContext, dims: Any) -> str:
    """A target shape for Reshape: one symbolic entry becomes -1 when no -1 is there yet."""
    dims = list(dims)
    symbolic = [i for i, d in enumerate(dims) if isinstance(d, SymDim)]
    if len(symbolic) == 1 and -1 not in dims:
        dims[symbolic[0]] = -1
    return ctx.b.dims_tensor(dims)


def reshape_to(ctx: ConvertContext, x: str, dims: Any) -> str:
    zero = any(not isinstance(d, SymDim) and int(d) == 0 for d in dims)
    return ctx.b.op("Reshape", [x, shape_input(ctx, dims)], allowzero=1 if zero else None)


@converter("reshape")
def reshape(ctx: ConvertContext, node: ExportNode) -> str:
    return reshape_to(ctx, node.inputs[0].name, node.params["shape"])


@converter("permute")
def permute(ctx: ConvertContext, node: ExportNode) -> str:
    x = node.inputs[0]
    perm = [ctx.axis(int(a), x.ndim) for a in node.params["axes"]]
    if perm == list(range(x.ndim)):
        return ctx.b.op("Identity", [x.name])
    return ctx.b.op("Transpose", [x.name], perm=perm)


@converter("expand")
def expand(ctx: ConvertContext, node: ExportNode) -> str:
    return ctx.b.op("Expand", [node.inputs[0].name, ctx.b.dims_tensor(node.shape)])


@converter("cat")
def cat(ctx: ConvertContext, node: ExportNode) -> str:
    parts = [ctx.as_dtype(x, node.dtype) for x in node.inputs if isinstance(x, Value)]
    axis = ctx.axis(int(node.params.get("axis", 0)), len(node.shape))
    return ctx.b.op("Concat", parts, axis=axis)


@converter("stack")
def stack(ctx: ConvertContext, node: ExportNode) -> str:
    axis = ctx.axis(int(node.params.get("axis", 0)), len(node.shape))
    parts = [ctx.b.unsqueeze(ctx.as_dtype(x, node.dtype), [axis]) for x in node.inputs if isinstance(x, Value)]
    return parts[0] if len(parts) == 1 else ctx.b.op("Concat", parts, axis=axis)


@converter("cast")
def cast(ctx: ConvertContext, node: ExportNode) -> str:
    return ctx.as_dtype(node.inputs[0], node.dtype)


@converter("flip")
def flip(ctx: ConvertContext, node: ExportNode) -> str:
    x = node.inputs[0]
    axes = [ctx.axis(int(a), x.ndim) for a in node.params["axes"]]
    b = ctx.b
    return b.op("Slice", [x.name, b.ints([-1] * len(axes)), b.ints([-_BIG - 1] * len(axes)), b.ints(axes),
                          b.ints([-1] * len(axes))])


@converter("repeat")
def repeat(ctx: ConvertContext, node: ExportNode) -> str:
    x = node.inputs[0]
    reps = list(node.params["reps"])
    src = x.name
    if len(reps) > x.ndim:
        src = reshape_to(ctx, src, [1] * (len(reps) - x.ndim) + list(x.shape))
    return ctx.b.op("Tile", [src, ctx.b.dims_tensor(reps)])


@converter("pad")
def pad(ctx: ConvertContext, node: ExportNode) -> str:
    x = node.inputs[0]
    width = [(int(lo), int(hi)) for lo, hi in node.params["width"]]
    mode = node.params.get("mode", "constant")
    onnx_mode = {"constant": "constant", "reflect": "reflect", "replicate": "edge"}.get(mode)
    if onnx_mode is None:
        raise ctx.fail(node, f"padding mode {mode!r} has no ONNX Pad mode; use constant, reflect or replicate")
    pads = ctx.b.ints([lo for lo, _ in width] + [hi for _, hi in width])
    value = ctx.b.const(node.params.get("value", 0.0) or 0.0, node.dtype) if onnx_mode == "constant" else None
    return ctx.b.op("Pad", [x.name, pads, value], mode=onnx_mode)


def _bound(v: Any, default: int) -> Any:
    return default if v is None else v


@converter("getitem")
def getitem(ctx: ConvertContext, node: ExportNode) -> str:
    """Basic indexing (ints, slices, None, Ellipsis) as one Slice, a Squeeze and an Unsqueeze;
    one integer array (on one axis) as a Gather."""
    b, x = ctx.b, node.inputs[0]
    key = list(node.params["key"])
    arrays = [k for k in key if hasattr(k, "dtype") and hasattr(k, "shape")]
    used = sum(1 for k in key if k is not None and k is not Ellipsis and not _is_bool_array(k))
    if any(_is_bool_array(k) for k in key):
        raise ctx.fail(node, "indexing with a boolean mask gives a data-dependent shape, which an exported graph "
                             "cannot hold; use where(mask, x, 0) or index with integer positions")
    dots = [i for i, k in enumerate(key) if k is Ellipsis]
    if dots:
        at = dots[0]
        key[at:at + 1] = [slice(None)] * (x.ndim - used)
    key += [slice(None)] * (x.ndim - sum(1 for k in key if k is not None))
    if len(arrays) > 1:
        raise ctx.fail(node, "indexing with more than one integer array has no single ONNX op; index one axis at a "
                             "time (x[idx][:, idx2])")
    starts, ends, axes, steps, squeeze, unsqueeze = [], [], [], [], [], []
    gather = None
    axis = out_axis = 0
    for k in key:
        if k is None:
            unsqueeze.append(out_axis)
            out_axis += 1
            continue
        if isinstance(k, slice):
            step = 1 if k.step is None else k.step
            if (k.start, k.stop, step) != (None, None, 1):
                neg = not isinstance(step, SymDim) and int(step) < 0
                starts.append(_bound(k.start, _BIG if neg else 0))
                ends.append(_bound(k.stop, -_BIG - 1 if neg else _BIG))
                axes.append(axis)
                steps.append(step)
            out_axis += 1
        elif hasattr(k, "dtype"):
            index = host_array(k)
            gather = (axis, index, out_axis)
            out_axis += index.ndim
        else:
            i = k
            starts.append(i)
            ends.append(_BIG if not isinstance(i, SymDim) and int(i) == -1 else i + 1)
            axes.append(axis)
            steps.append(1)
            squeeze.append(axis)
        axis += 1
    out = x.name
    if axes:
        out = b.op("Slice", [out, b.dims_tensor(starts), b.dims_tensor(ends), b.ints(axes), b.dims_tensor(steps)])
    if gather is not None:
        g_axis, index, _ = gather
        out = b.op("Gather", [out, b.const(index.astype(np.int64), np.int64)], axis=g_axis)
        if index.ndim != 1:
            squeeze = [a + index.ndim - 1 if a > g_axis else a for a in squeeze]
    if squeeze:
        out = b.squeeze(out, squeeze)
    if unsqueeze:
        out = b.unsqueeze(out, unsqueeze)
    return out if out != x.name else b.op("Identity", [x.name])


def _is_bool_array(k: Any) -> bool:
    return hasattr(k, "dtype") and getattr(k.dtype, "kind", "") == "b"
