"""``hw.onnx.export``: a module (or function) as an ONNX model, as ``torch.onnx.export``.

The model is traced (:func:`headwater.jit.trace`), each recorded op is written by its
converter (:mod:`headwater.onnx.converters`), parameters and buffers become
initializers, and the model is checked with ``onnx.checker.check_model(...,
full_check=True)`` before it is written. Dynamic axes are found by tracing again with
each one a size larger (:mod:`headwater.onnx.graph_reader`).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from headwater.onnx.builder import GraphBuilder
from headwater.onnx.context import ConvertContext, ExportNode, Value
from headwater.onnx.dims import SymDim
from headwater.onnx.errors import OnnxExportError, UnsupportedOpError
from headwater.onnx.graph_reader import TraceSet, host_array
from headwater.onnx.opsets import check_opset, require_onnx

__all__ = ["export", "convert_traces", "trace_sets"]

DEFAULT_BATCH = "batch"


def _as_args(args: Any) -> tuple:
    from headwater.tensor.tensor import Tensor

    if isinstance(args, Tensor):
        return (args,)
    if isinstance(args, list):
        args = tuple(args)
    if not isinstance(args, tuple):
        raise TypeError(f"export: args must be a Tensor or a tuple of Tensors, got {type(args).__name__}")
    for i, a in enumerate(args):
        if not isinstance(a, Tensor):
            raise TypeError(f"export: args[{i}] is a {type(a).__name__}; every example argument must be a Tensor "
                            f"(bind other arguments with functools.partial or a small wrapper module)")
    return args


def _axes_of(spec: Any, name: str) -> dict[int, str]:
    if isinstance(spec, dict):
        return {int(a): str(n) for a, n in spec.items()}
    if isinstance(spec, (list, tuple)):
        return {int(a): f"{name}_dynamic_axes_{int(a) + 1}" for a in spec}
    raise TypeError(f"dynamic_axes[{name!r}] must be a dict {{axis: name}} or a list of axes, got {spec!r}")


def _grow(tensor: Any, axes: list[int]) -> Any:
    """``tensor`` one larger along each of ``axes`` (its first slice repeated)."""
    from headwater.autograd.function import wrap, xp_of

    data = tensor.array
    xp = xp_of(data)
    for axis in axes:
        data = xp.concatenate([data, xp.take(data, xp.asarray([0]), axis=axis)], axis=axis)
    return wrap(data)


def trace_sets(fn: Any, args: tuple, axes: list[dict[int, str]]) -> TraceSet:
    """Trace ``fn`` on ``args``, and again with each named axis one larger."""
    from headwater.autograd import grad_mode
    from headwater.jit import trace

    sizes: dict[str, int] = {}
    for i, spec in enumerate(axes):
        for axis, symbol in spec.items():
            if not 0 <= axis < args[i].ndim:
                raise ValueError(f"dynamic_axes names axis {axis} of input {i}, which has shape {args[i].shape}")
            size = int(args[i].shape[axis])
            if sizes.setdefault(symbol, size) != size:
                raise ValueError(f"dynamic axis {symbol!r} has size {sizes[symbol]} in one input and {size} in "
                                 f"another; axes that share a name must share a size")
    with grad_mode.no_grad():
        base = trace(fn, args).graph
        moved = {}
        for symbol in sizes:
            grown = tuple(_grow(a, [ax for ax, s in axes[i].items() if s == symbol]) for i, a in enumerate(args))
            moved[symbol] = trace(fn, grown).graph
    ts = TraceSet(base, moved, sizes)
    ts.check_same_ops()
    return ts


def _locate(graph: Any, loc: tuple) -> Any:
    kind = loc[0]
    if kind == "input":
        return graph.inputs[loc[1]]
    if kind == "const":
        return graph.constants[loc[1]]
    if kind == "param":
        return graph.params[loc[1]]
    return graph.nodes[loc[1]].outputs[loc[2]]


def _location(value: Any, graph: Any) -> tuple:
    if value.kind == "input":
        return ("input", next(i for i, v in enumerate(graph.inputs) if v is value))
    if value.kind == "const":
        return ("const", next(i for i, v in enumerate(graph.constants) if v is value))
    if value.kind in ("param", "buffer"):
        return ("param", value.name)
    return ("op", value.producer.index, value.out_index)


def _dim_label(d: Any) -> Any:
    return d.label() if isinstance(d, SymDim) else int(d)


def convert_traces(ts: TraceSet, b: GraphBuilder, input_names: Sequence[str], bind: dict[int, str] | None = None,
                   root: str = "model") -> list[Value]:
    """Write the traced graph into ``b``; returns the Values of its outputs.

    Inputs are declared as graph inputs named ``input_names``, unless ``bind`` maps
    an input position to a value that already exists in ``b`` (a pipeline feeds the
    model from its preprocessing this way). ``root`` names the traced model in errors.
    """
    from headwater.onnx.converters import CONVERTERS

    graph = ts.base
    ctx = ConvertContext(b)
    values: dict[int, Value] = {}

    def shape_of(v: Any) -> tuple:
        loc = _location(v, graph)
        return tuple(ts.merged(lambda g: tuple(_locate(g, loc).shape), f"the shape of {v!r}"))

    for i, v in enumerate(graph.inputs):
        shape = shape_of(v)
        dtype = np.dtype(v.dtype)
        if bind and i in bind:
            values[id(v)] = Value(bind[i], shape, dtype)
            continue
        name = input_names[i]
        b.add_input(name, dtype, [d.label() if isinstance(d, SymDim) else int(d) for d in shape])
        values[id(v)] = Value(name, shape, dtype)
    for name, v in graph.params.items():
        data = host_array(v.tensor)
        values[id(v)] = Value(b.initializer(data, name), tuple(data.shape), data.dtype, const=data)
    for position, v in enumerate(graph.constants):
        shape = shape_of(v)
        data = host_array(v.tensor)
        if all(isinstance(d, int) for d in shape):
            values[id(v)] = Value(b.initializer(data, v.name), shape, data.dtype, const=data)
            continue
        fill = ts.constant_fill(position)
        if fill is None:
            raise OnnxExportError(
                f"the tensor {v.name} made inside the model has a shape that follows the dynamic axes "
                f"{[d for d in shape if isinstance(d, SymDim)]} but holds different values; export with static "
                f"axes, or pass it to the model as an input")
        value_tensor = b.onnx.numpy_helper.from_array(np.asarray([fill], dtype=data.dtype))
        name = b.op("ConstantOfShape", [b.dims_tensor(shape)], hint=v.name, value=value_tensor)
        values[id(v)] = Value(name, shape, data.dtype)

    def own(a: Any) -> Any:
        if hasattr(a, "kind") and hasattr(a, "producer") and id(a) in values:
            return values[id(a)]
        if isinstance(a, (list, tuple)) and any(id(x) in values for x in a if hasattr(x, "kind")):
            return type(a)(own(x) for x in a)
        return a

    for node in graph.nodes:
        path = f"{root}.{node.scope}" if node.scope else root
        where = f"op {node.op!r} (node {node.index}) in module {path!r}" + (f" at {node.location}" if node.location else "")
        if node.op_type is None:
            raise UnsupportedOpError(f"cannot export {where}: a model for export computes its outputs only; trace "
                                     f"the forward pass, without backward() or optimizer steps")
        fn = CONVERTERS.get(node.op)
        if fn is None:
            raise UnsupportedOpError(f"cannot export {where}: no ONNX converter for {node.op!r} (the ops that "
                                     f"export are the keys of headwater.onnx.CONVERTERS); compute it outside the "
                                     f"exported model, or write it with ops that export")
        args = ts.merged(lambda g, k=node.index: g.nodes[k].args, where)
        attrs = ts.merged(lambda g, k=node.index: g.nodes[k].attrs, where)
        inputs = []
        for a in args:
            if isinstance(a, (list, tuple)) and a and all(hasattr(x, "kind") for x in a):
                inputs.extend(own(x) for x in a)  # ops such as cat take their tensors as one sequence
            else:
                inputs.append(own(a))
        out_shapes = [shape_of(o) for o in node.outputs]
        en = ExportNode(node.op, inputs, {k: v for k, v in attrs.items() if not k.startswith("_")}, out_shapes,
                        [np.dtype(o.dtype) for o in node.outputs], path, node.index)
        result = fn(ctx, en)
        names = result if isinstance(result, list) else [result]
        for o, name, shape in zip(node.outputs, names, out_shapes):
            values[id(o)] = Value(name, shape, np.dtype(o.dtype), producer=en)
        en.outputs = [values[id(o)] for o in node.outputs]
    outs = []
    for i, o in enumerate(graph.outputs):
        if not (hasattr(o, "kind") and id(o) in values):
            raise OnnxExportError(f"output {i} of the model is {o!r}, not a tensor; an ONNX model returns tensors only")
        outs.append(values[id(o)])
    return outs


def export(model: Any, args: Any, f: str | os.PathLike[str] | io.IOBase, input_names: Sequence[str] | None = None,
           output_names: Sequence[str] | None = None, dynamic_axes: dict[str, Any] | None = None,
           opset_version: int = 17) -> Any:
    """Write ``model`` called on ``args`` as an ONNX model to ``f``, as ``torch.onnx.export``.

    The call is traced, so Python control flow is baked in for the example inputs.
    A Module is exported in evaluation mode (dropout off, running statistics) and
    put back in the mode it was in.

    Parameters
    ----------
    model : Module or callable
    args : Tensor or tuple of Tensors
        Example inputs.
    f : path or binary file object
    input_names, output_names : list of str, optional
        Names of the graph's inputs and outputs (default ``input0``..., ``output0``...).
    dynamic_axes : dict, optional
        ``{input or output name: {axis: "dim_name"}}`` (or a list of axes), as
        PyTorch's. Default: axis 0 of every input is a dynamic dimension named
        ``"batch"``; pass ``{}`` for static shapes. Output sizes follow from the
        inputs' (an output's name for an axis in ``dynamic_axes`` relabels it).
    opset_version : int
        13 to 21; the model's ``ir_version`` is the smallest one for that opset.

    Returns
    -------
    onnx.ModelProto
        The model written (``torch.onnx.export`` returns None; the proto is handy).

    Raises
    ------
    UnsupportedOpError
        An op has no converter; the message names it and the module it ran in.
    OnnxExportError
        The model cannot be written with the dynamic axes asked for, or returns a non-tensor.

    Examples
    --------
    >>> import io, headwater as hw
    >>> _ = hw.manual_seed(0)
    >>> net = hw.nn.Sequential(hw.nn.Linear(3, 4), hw.nn.ReLU())
    >>> proto = hw.onnx.export(net, (hw.randn(2, 3),), io.BytesIO(), input_names=["x"], output_names=["y"])
    >>> [n.op_type for n in proto.graph.node], proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param
    (['Gemm', 'Relu', 'Identity'], 'batch')
    """
    onnx = require_onnx()
    check_opset(opset_version)
    args = _as_args(args)
    names = list(input_names) if input_names is not None else [f"input{i}" for i in range(len(args))]
    if len(names) != len(args):
        raise ValueError(f"input_names has {len(names)} names for {len(args)} inputs; give one per input")
    if dynamic_axes is None:
        dynamic_axes = {n: {0: DEFAULT_BATCH} for n, a in zip(names, args) if a.ndim > 0}
    unknown = [k for k in dynamic_axes if k not in names and (output_names is None or k not in output_names)]
    if unknown:
        raise ValueError(f"dynamic_axes names {unknown}, which are neither input_names {names} nor output_names "
                         f"{list(output_names or [])}")
    axes = [_axes_of(dynamic_axes[n], n) if n in dynamic_axes else {} for n in names]
    was_training = getattr(model, "training", None)
    if was_training:
        model.eval()
    try:
        ts = trace_sets(model, args, axes)
    finally:
        if was_training:
            model.train()
    b = GraphBuilder(opset_version)
    n_out = len(ts.base.outputs)
    out_names = list(output_names) if output_names is not None else [f"output{i}" for i in range(n_out)]
    b.reserve(out_names)
    outs = convert_traces(ts, b, names, root=type(model).__name__)
    if len(out_names) != len(outs):
        raise ValueError(f"output_names has {len(out_names)} names for {len(outs)} outputs; give one per output")
    for name, v in zip(out_names, outs):
        relabel = _axes_of(dynamic_axes[name], name) if name in dynamic_axes else {}
        shape = [relabel.get(i, _dim_label(d)) for i, d in enumerate(v.shape)]
        b.add_output(v.name, name, v.dtype, shape)
    proto = b.build(type(model).__name__)
    onnx.checker.check_model(proto, full_check=True)
    if isinstance(f, (str, os.PathLike)):
        onnx.save(proto, os.fspath(f))
    else:
        f.write(proto.SerializeToString())
    return proto
