"""The static graph a trace records: :class:`Graph`, :class:`Node` and :class:`Value`.

One recording serves replay (``hw.jit.trace``, ``hw.compile``) and export (ONNX). The
structure is stable: later changes only add fields.

Value
    One tensor of the graph. ``kind`` says where it comes from:

    - ``"input"``: the i-th tensor argument of the traced call (``Graph.inputs`` in
      order; ``name`` is ``input0``, ``input1``, ... or the argument's name);
    - ``"param"`` / ``"buffer"``: a module parameter or buffer, ``name`` its dotted
      module path (``"0.weight"``, ``"encoder.norm.running_mean"``), ``tensor`` the
      live Tensor (replay reads its current data);
    - ``"const"``: any other tensor the call read (a captured global, a tensor made
      inside the call by a factory); ``tensor`` holds it, ``name`` is ``const0``, ...;
    - ``"op"``: output ``out_index`` of node ``producer``; ``name`` is ``%<index>``.

    Every value has ``shape`` (tuple of ints) and ``dtype`` (a NumPy dtype), as
    recorded.

Node
    One op call, in execution order. ``op`` is the op's name (the autograd ``Op``
    subclass's ``name``, e.g. ``"linear"``, ``"relu"``, ``"conv2d"``) and ``op_type``
    its class (the identity converters dispatch on). ``args`` are the positional
    arguments the op's ``forward`` received, each a :class:`Value` (a tensor) or the
    Python value itself (a number, None, a tuple...); ``inputs`` is the Values among
    them, in order. ``attrs`` are the keyword arguments ``forward`` took (axis, stride,
    padding, dtype, ...). ``outputs`` is a list of Values (one for every built-in op).
    ``scope`` is the dotted path of the innermost module whose ``forward`` made the call
    (``""`` at top level) and ``location`` the ``file:line`` of the user code that made it.
    ``needs`` says, per argument, whether a gradient flowed to it when recorded (None
    when the call was not recorded for backward).

    A training step also records nodes that are not ops, whose ``op_type`` is None:
    ``"autograd.backward"``, ``"optim.zero_grad"`` and ``"optim.step"`` (``attrs``
    describe them). Exporters reject them by name.

Graph
    ``inputs`` (Values of kind input), ``params`` (name -> Value, parameters and
    buffers), ``constants`` (Values of kind const), ``nodes`` (execution order) and
    ``outputs`` (the returned Values, flattened from the returned structure; a
    returned non-tensor is kept as the Python value). ``str(graph)`` prints one node a
    line.

Examples
--------
>>> import headwater as hw
>>> traced = hw.jit.trace(lambda x: hw.relu(x * 2), (hw.ones(2, 3),))
>>> print(traced.graph)  # doctest: +NORMALIZE_WHITESPACE
graph(%input0: float32[2, 3]):
  %0: float32[2, 3] = mul(%input0, 2)
  %1: float32[2, 3] = relu(%0)
  return (%1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Graph", "Node", "Value"]


@dataclass(eq=False)
class Value:
    """One tensor of a :class:`Graph` (see the module docstring for ``kind``)."""

    index: int
    kind: str
    name: str
    shape: tuple
    dtype: Any
    producer: Node | None = None
    out_index: int = 0
    tensor: Any = None

    def type_str(self) -> str:
        """``float32[2, 3]``: the dtype and shape."""
        return f"{self.dtype}[{', '.join(str(d) for d in self.shape)}]"

    def __repr__(self) -> str:
        return f"%{self.name}"


@dataclass(eq=False)
class Node:
    """One recorded call (see the module docstring)."""

    index: int
    op: str
    op_type: Any
    args: list
    attrs: dict
    outputs: list = field(default_factory=list)
    scope: str = ""
    location: str = ""
    needs: tuple | None = None

    @property
    def inputs(self) -> list[Value]:
        """The tensor arguments, in order."""
        return [a for a in self.args if isinstance(a, Value)]

    def __str__(self) -> str:
        args = [_fmt(a) for a in self.args]
        args += [f"{k}={_fmt(v)}" for k, v in self.attrs.items() if not k.startswith("_")]
        outs = ", ".join(f"{o!r}: {o.type_str()}" for o in self.outputs)
        lhs = f"{outs} = " if outs else ""
        scope = f"  # {self.scope}" if self.scope else ""
        return f"{lhs}{self.op}({', '.join(args)}){scope}"


def _fmt(a: Any) -> str:
    if isinstance(a, Value):
        return repr(a)
    if isinstance(a, (list, tuple)) and any(isinstance(x, Value) or hasattr(x, "shape") for x in a):
        inner = ", ".join(_fmt(x) for x in a)
        return f"[{inner}]" if isinstance(a, list) else f"({inner})"
    if hasattr(a, "shape") and hasattr(a, "dtype") and getattr(a, "ndim", 0) > 0:
        return f"<array {a.dtype}{list(a.shape)}>"
    text = repr(a)
    return text if "\n" not in text else f"<{type(a).__name__}>"  # one node a line (an optimizer...)


@dataclass(eq=False)
class Graph:
    """A recorded call: inputs, parameters, constants, nodes and outputs."""

    inputs: list = field(default_factory=list)
    params: dict = field(default_factory=dict)
    constants: list = field(default_factory=list)
    nodes: list = field(default_factory=list)
    outputs: list = field(default_factory=list)

    def __str__(self) -> str:
        head = ", ".join(f"{v!r}: {v.type_str()}" for v in self.inputs)
        lines = [f"graph({head}):"]
        for v in self.params.values():
            lines.append(f"  {v!r}: {v.type_str()}  # {v.kind}")
        for v in self.constants:
            lines.append(f"  {v!r}: {v.type_str()}  # const")
        lines += [f"  {n}" for n in self.nodes]
        lines.append(f"  return ({', '.join(_fmt(o) for o in self.outputs)})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Graph: {len(self.inputs)} input(s), {len(self.params)} parameter(s), {len(self.nodes)} node(s)>"
