"""Build an ONNX graph one node at a time: names, constants, inputs, outputs, the model.

Converters never touch protobuf messages directly: they ask the builder for a node
(``b.op("Relu", [x])``), a constant (``b.const(2.0, "float32")``) or a weight
(``b.initializer(array)``), and get value names back. The builder hands out unique
names, shares one initializer per distinct constant, computes symbolic sizes at run
time (``b.dims_tensor``), and writes the model with the IR version its opsets need.
The ``onnx`` package is imported when a builder is made, never at ``import headwater``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.onnx.dims import Dim, SymDim
from headwater.onnx.opsets import ML_OPSET, check_opset, ir_version_for, require_onnx

__all__ = ["GraphBuilder", "onnx_dtype"]


def onnx_dtype(dtype: Any) -> int:
    """The ONNX element type of a NumPy dtype (``object`` and ``str`` are ONNX strings).

    Examples
    --------
    >>> from headwater.onnx.builder import onnx_dtype
    >>> onnx_dtype("float32"), onnx_dtype("int64")
    (1, 7)
    """
    onnx = require_onnx()
    dt = np.dtype(dtype)
    if dt.kind in ("U", "O", "S"):
        return onnx.TensorProto.STRING
    return onnx.helper.np_dtype_to_tensor_dtype(dt)


class GraphBuilder:
    """One ONNX graph under construction.

    Parameters
    ----------
    opset_version : int
        The default domain's opset; converters may read ``b.opset`` to pick an op's form.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.onnx.builder import GraphBuilder
    >>> b = GraphBuilder(17)
    >>> x = b.add_input("x", "float32", ["batch", 3])
    >>> y = b.op("Relu", [x])
    >>> b.add_output(y, "y", "float32", ["batch", 3])
    >>> model = b.build("relu")
    >>> model.ir_version, [n.op_type for n in model.graph.node]
    (8, ['Relu', 'Identity'])
    """

    def __init__(self, opset_version: int = 17) -> None:
        self.onnx = require_onnx()
        self.opset = check_opset(opset_version)
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.inputs: list[Any] = []
        self.outputs: list[Any] = []
        self.uses_ml = False
        self._names: set[str] = set()
        self._consts: dict[tuple, str] = {}
        self._weights: dict[int, tuple[Any, str]] = {}
        self._symbols: dict[str, tuple[str, int]] = {}
        self._symbol_values: dict[str, str] = {}
        self._reserved: set[str] = set()

    # -- names -------------------------------------------------------------------------
    def fresh(self, hint: str = "v") -> str:
        """A value name not used yet, built from ``hint``."""
        hint = hint or "v"
        name, n = hint, 0
        while name in self._names:
            n += 1
            name = f"{hint}_{n}"
        self._names.add(name)
        return name

    def reserve(self, names: list[str]) -> None:
        """Keep ``names`` for graph outputs declared later (no value will take them)."""
        self._reserved.update(names)
        self._names.update(names)

    # -- graph interface -----------------------------------------------------------------
    def add_input(self, name: str, dtype: Any, shape: list[Any]) -> str:
        """Declare a graph input; a str entry in ``shape`` is a named (dynamic) dimension."""
        if name in self._names:
            raise ValueError(f"input name {name!r} is used twice; give each input its own name")
        self._names.add(name)
        self.inputs.append(self.onnx.helper.make_tensor_value_info(name, onnx_dtype(dtype), list(shape)))
        for axis, dim in enumerate(shape):
            if isinstance(dim, str) and dim not in self._symbols:
                self._symbols[dim] = (name, axis)
        return name

    def add_output(self, value: str, name: str, dtype: Any, shape: list[Any] | None) -> None:
        """Expose ``value`` as the graph output ``name`` (through an Identity when renamed)."""
        if name != value:
            if name in self._names and name not in self._reserved:
                raise ValueError(f"output name {name!r} is already a value of the graph; choose another")
            self._reserved.discard(name)
            self._names.add(name)
            self.nodes.append(self.onnx.helper.make_node("Identity", [value], [name], name=self.fresh("output")))
        self.outputs.append(self.onnx.helper.make_tensor_value_info(name, onnx_dtype(dtype), shape))

    # -- nodes ---------------------------------------------------------------------------
    def op(self, op_type: str, inputs: list[str | None], n_out: int = 1, domain: str = "",
           hint: str | None = None, **attrs: Any) -> Any:
        """Append one node; returns its output name (a list when ``n_out > 1``).

        ``None`` in ``inputs`` is an omitted optional input. Attributes whose value is
        None are left out.
        """
        outs = [self.fresh(hint or op_type.lower()) for _ in range(n_out)]
        ins = ["" if i is None else i for i in inputs]
        while ins and ins[-1] == "":
            ins.pop()
        attrs = {k: v for k, v in attrs.items() if v is not None}
        if domain == "ai.onnx.ml":
            self.uses_ml = True
        self.nodes.append(self.onnx.helper.make_node(op_type, ins, outs, name=self.fresh(f"n_{op_type}"),
                                                     domain=domain or None, **attrs))
        return outs[0] if n_out == 1 else outs

    # -- constants -----------------------------------------------------------------------
    def initializer(self, array: Any, hint: str = "w") -> str:
        """A weight as an initializer; the same host array object gives the same name."""
        key = id(array)
        if key in self._weights and self._weights[key][0] is array:
            return self._weights[key][1]
        name = self.fresh(hint)
        arr = np.asarray(array)
        if arr.dtype.kind in ("U", "O"):
            tensor = self.onnx.helper.make_tensor(name, self.onnx.TensorProto.STRING, arr.shape,
                                                  [str(s).encode() for s in arr.reshape(-1)])
        else:
            tensor = self.onnx.numpy_helper.from_array(np.ascontiguousarray(arr), name)
        self.initializers.append(tensor)
        self._weights[key] = (array, name)
        return name

    def const(self, value: Any, dtype: Any) -> str:
        """A constant tensor (scalar or small array) of ``dtype``, shared by value."""
        arr = np.asarray(value, dtype=dtype)
        key = (arr.dtype.str, arr.shape, arr.tobytes() if arr.dtype.kind not in ("U", "O") else tuple(arr.reshape(-1)))
        if key not in self._consts:
            self._consts[key] = self.initializer(arr, "c")
        return self._consts[key]

    def ints(self, values: list[int]) -> str:
        """A 1-D int64 constant (axes, pads, starts)."""
        return self.const(np.asarray(list(values), dtype=np.int64).reshape(-1), np.int64)

    # -- symbolic sizes ------------------------------------------------------------------
    def symbol(self, name: str) -> str:
        """A 1-element int64 tensor holding the run-time size of the named dimension."""
        if name not in self._symbol_values:
            if name not in self._symbols:
                raise ValueError(f"the dimension {name!r} belongs to no graph input; name it in dynamic_axes")
            value, axis = self._symbols[name]
            shape = self.op("Shape", [value], hint=f"shape_{value}")
            self._symbol_values[name] = self.op("Gather", [shape, self.ints([axis])], hint=name, axis=0)
        return self._symbol_values[name]

    def dim(self, d: Dim) -> str:
        """A 1-element int64 tensor holding the size ``d`` at run time."""
        if isinstance(d, SymDim):
            out = self.symbol(d.symbols[0])
            for s in d.symbols[1:]:
                out = self.op("Mul", [out, self.symbol(s)])
            if d.coeff != 1:
                out = self.op("Mul", [out, self.ints([d.coeff])])
            if d.offset:
                out = self.op("Add", [out, self.ints([d.offset])])
            return out
        return self.ints([int(d)])

    def dims_tensor(self, dims: Any) -> str:
        """A 1-D int64 tensor of sizes: a constant when all are static, else a Concat."""
        dims = list(dims)
        if not any(isinstance(d, SymDim) for d in dims):
            return self.ints([int(d) for d in dims])
        parts: list[str] = []
        run: list[int] = []
        for d in dims:
            if isinstance(d, SymDim):
                if run:
                    parts.append(self.ints(run))
                    run = []
                parts.append(self.dim(d))
            else:
                run.append(int(d))
        if run:
            parts.append(self.ints(run))
        return parts[0] if len(parts) == 1 else self.op("Concat", parts, axis=0)

    # -- axes-as-input ops, in the form the opset wants -------------------------------------
    def reduce(self, op_type: str, x: str, axes: list[int] | None, keepdims: bool) -> str:
        """``ReduceSum/Mean/Max/...`` over ``axes`` (None: all), axes as an input or an attribute
        as the opset requires."""
        as_input = self.opset >= 18 or op_type == "ReduceSum"
        if axes is None:
            return self.op(op_type, [x], keepdims=int(keepdims))
        if as_input:
            return self.op(op_type, [x, self.ints(axes)], keepdims=int(keepdims))
        return self.op(op_type, [x], axes=list(axes), keepdims=int(keepdims))

    def unsqueeze(self, x: str, axes: list[int]) -> str:
        return self.op("Unsqueeze", [x, self.ints(axes)])

    def squeeze(self, x: str, axes: list[int]) -> str:
        return self.op("Squeeze", [x, self.ints(axes)])

    def cast(self, x: str, dtype: Any) -> str:
        return self.op("Cast", [x], to=onnx_dtype(dtype))

    # -- the model -----------------------------------------------------------------------
    def prune(self) -> None:
        """Drop the nodes (and initializers) no graph output depends on."""
        needed = {o.name for o in self.outputs}
        kept = []
        for node in reversed(self.nodes):
            if any(o in needed for o in node.output):
                kept.append(node)
                needed.update(i for i in node.input if i)
        self.nodes = kept[::-1]
        self.initializers = [t for t in self.initializers if t.name in needed]

    def build(self, name: str = "headwater", doc: str = "") -> Any:
        """The ModelProto (nodes no output needs are pruned first)."""
        helper = self.onnx.helper
        self.prune()
        graph = helper.make_graph(self.nodes, name, self.inputs, self.outputs, self.initializers, doc_string=doc)
        opsets = [helper.make_opsetid("", self.opset)]
        if self.uses_ml:
            opsets.append(helper.make_opsetid("ai.onnx.ml", ML_OPSET))
        model = helper.make_model(graph, opset_imports=opsets, producer_name="headwater",
                                  ir_version=ir_version_for(self.opset, ML_OPSET if self.uses_ml else None))
        return model
