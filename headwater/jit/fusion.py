"""Elementwise chains of a graph, run fused.

A *chain* is a run of consecutive elementwise ops (add, mul, div, neg, exp, log,
sqrt, tanh, abs, relu) recorded without gradient tracking, all in one floating dtype,
where each op feeds only the next. A replay runs it in one of two ways that compute
the same values:

- ufuncs writing into buffers allocated once (``out=``; NumPy, and CuPy as the
  reference): no temporaries; the chain's result is a fresh array;
- on CuPy, one ``ElementwiseKernel`` generated from the chain (one pass over memory,
  compiled without contracting multiply-adds so each operation rounds as the ufunc
  does).

Chains whose values backward needs are not fused (those ops keep their own kernels,
which save what their backward reads).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd.function import xp_of
from headwater.jit.graph import Graph, Node, Value
from headwater.tensor.devices import array_device

__all__ = ["Chain", "plan_chains", "value_uses", "ELEMENTWISE"]

# op name -> (number of arguments, ufunc name, CUDA expression over {a} / {b})
ELEMENTWISE: dict[str, tuple[int, str, str]] = {
    "add": (2, "add", "{a} + {b}"),
    "mul": (2, "multiply", "{a} * {b}"),
    "div": (2, "divide", "{a} / {b}"),
    "neg": (1, "negative", "-{a}"),
    "exp": (1, "exp", "exp({a})"),
    "log": (1, "log", "log({a})"),
    "sqrt": (1, "sqrt", "sqrt({a})"),
    "tanh": (1, "tanh", "tanh({a})"),
    "abs": (1, "absolute", "abs({a})"),
    "relu": (1, "maximum", "isnan({a}) ? {a} : max({a}, (T)0)"),
}


def _fusible(node: Node) -> bool:
    spec = ELEMENTWISE.get(node.op)
    if spec is None or node.needs is not None or node.attrs or len(node.args) != spec[0] \
            or len(node.outputs) != 1:
        return False
    dtype = node.outputs[0].dtype
    if dtype.kind != "f":
        return False
    shape = node.outputs[0].shape
    for a in node.args:
        if isinstance(a, Value):
            if a.dtype != dtype or len(a.shape) > len(shape):
                return False
        elif type(a) not in (int, float) or not np.isfinite(a):
            return False
    return True


def value_uses(graph: Graph) -> dict[int, int]:
    """Value index -> how many node arguments and graph outputs read it.

    Examples
    --------
    >>> import headwater as hw
    >>> with hw.no_grad():
    ...     g = hw.jit.trace(lambda x: x * x + 1, hw.ones(3)).graph
    >>> value_uses(g)  # the input twice, the product once, the sum as the output
    {0: 2, 1: 1, 2: 1}
    """
    uses: dict[int, int] = {}
    for node in graph.nodes:
        for a in node.args:
            if isinstance(a, Value):
                uses[a.index] = uses.get(a.index, 0) + 1
    for o in graph.outputs:
        if isinstance(o, Value):
            uses[o.index] = uses.get(o.index, 0) + 1
    return uses


def plan_chains(graph: Graph) -> dict[int, Chain]:
    """Start node index -> :class:`Chain`, for every chain of two ops or more.

    Examples
    --------
    >>> import headwater as hw
    >>> with hw.no_grad():
    ...     g = hw.jit.trace(lambda x: hw.exp(x * 2 + 1), hw.ones(3)).graph
    >>> plan_chains(g)
    {0: <Chain mul -> add -> exp>}
    """
    uses = value_uses(graph)
    chains: dict[int, Chain] = {}
    nodes = graph.nodes
    i = 0
    while i < len(nodes):
        j = i
        if _fusible(nodes[i]):
            while j + 1 < len(nodes) and _fusible(nodes[j + 1]):
                prev = nodes[j].outputs[0]
                nxt = nodes[j + 1]
                feeds = sum(1 for a in nxt.args if isinstance(a, Value) and a is prev)
                if feeds != 1 or uses.get(prev.index, 0) != 1 or prev.dtype != nxt.outputs[0].dtype:
                    break
                j += 1
        if j > i and any(isinstance(a, Value) for n in nodes[i:j + 1] for a in n.args):
            chains[i] = Chain(nodes[i:j + 1])
            i = j + 1
        else:
            i += 1
    return chains


class Chain:
    """A fused run of elementwise nodes (see the module docstring)."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.out = nodes[-1].outputs[0]
        internal = {n.outputs[0].index for n in nodes}
        self.inputs: list[Value] = []
        for n in nodes:
            for a in n.args:
                if isinstance(a, Value) and a.index not in internal and all(a is not x for x in self.inputs):
                    self.inputs.append(a)
        self._buffers: dict = {}
        self._kernel: Any = None

    # -- ufuncs with out= -------------------------------------------------------------
    def run_ufuncs(self, env: list) -> Any:
        """The chain's result through ufuncs into buffers allocated once."""
        first = env[self.inputs[0].index]
        xp = xp_of(first)
        last = len(self.nodes) - 1
        for k, n in enumerate(self.nodes):
            v = n.outputs[0]
            if k == last:
                out = xp.empty(v.shape, dtype=v.dtype)
            else:
                key = (v.index, type(first))
                out = self._buffers.get(key)
                if out is None:
                    out = self._buffers[key] = xp.empty(v.shape, dtype=v.dtype)
            args = [env[a.index] if isinstance(a, Value) else a for a in n.args]
            ufunc = ELEMENTWISE[n.op][1]
            if n.op == "relu":
                args.append(0)
            getattr(xp, ufunc)(*args, out=out)
            env[v.index] = out
        return env[self.out.index]

    # -- one CuPy kernel ------------------------------------------------------------------
    def source(self) -> tuple[str, str]:
        """``(in_params, body)`` of the chain's ElementwiseKernel."""
        names = {v.index: f"x{i}" for i, v in enumerate(self.inputs)}
        lines = []
        for k, n in enumerate(self.nodes):
            operands = [names[a.index] if isinstance(a, Value) else f"((T)({float(a)!r}))" for a in n.args]
            expr = ELEMENTWISE[n.op][2].format(a=f"({operands[0]})",
                                               b=f"({operands[1]})" if len(operands) > 1 else "")
            lines.append(f"T t{k} = {expr};")
            names[n.outputs[0].index] = f"t{k}"
        lines.append(f"out = t{len(self.nodes) - 1};")
        params = ", ".join(f"T {names[v.index]}" for v in self.inputs)
        return params, "\n".join(lines)

    def run_kernel(self, env: list) -> Any:
        """The chain's result through one generated CuPy ElementwiseKernel."""
        import cupy

        if self._kernel is None:
            params, body = self.source()
            self._kernel = cupy.ElementwiseKernel(params, "T out", body, "headwater_chain",
                                                  options=("--fmad=false",))
        out = cupy.empty(self.out.shape, dtype=self.out.dtype)
        self._kernel(*[env[v.index] for v in self.inputs], out)
        env[self.out.index] = out
        return out

    def step(self, state: Any) -> None:
        """The replay step: the kernel on CuPy arrays, ufuncs otherwise."""
        env = state.env
        if array_device(env[self.inputs[0].index]) != "cuda":  # NumPy memory (strict mode too)
            self.run_ufuncs(env)
        else:
            self.run_kernel(env)

    def __repr__(self) -> str:
        return f"<Chain {' -> '.join(n.op for n in self.nodes)}>"
