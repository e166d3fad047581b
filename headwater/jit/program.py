"""Replaying a :class:`Graph`: the steps a trace recorded, run again on new inputs.

Two ways, chosen per call:

- *fast* (a graph with its own ``backward()``, or a call where no gradient is
  wanted): each op's own ``forward`` and ``backward`` kernels run on raw arrays, in
  the recorded order, with no Tensor wrapping, no autograd graph and no topological
  sort; the backward follows the engine's recorded plan (same order, same
  accumulation), optimizer steps run the optimizer's own update, and elementwise
  chains run fused (:mod:`headwater.jit.fusion`). Results are exactly eager's.
- *tape* (a forward-only graph whose outputs need gradients): each op runs through
  ``Op.apply``, so the outputs carry ``grad_fn`` and ``backward()`` works on them.

A ``guard.bool`` node (a Python branch on a tensor under ``hw.compile``) reads its
value and stops the replay with :class:`~headwater.jit.guards.GuardFailed` when the
branch would go the other way (:mod:`headwater.jit.guards`).

Outputs of a replay are fresh tensors (never a buffer a later replay overwrites); in
the fast way they carry no ``grad_fn``. Parameters, buffers and captured tensors are
read live, so in-place updates between calls are seen.
"""

from __future__ import annotations

import inspect
from operator import itemgetter
from typing import Any

import numpy as np

from headwater.autograd import engine, grad_mode
from headwater.autograd.function import wrap
from headwater.autograd.optim.optimizer import Optimizer
from headwater.jit.graph import Graph, Value
from headwater.jit.guards import GUARD_OP, GuardFailed, RandomState, check_guard, guard_step
from headwater.tensor.tensor import Tensor

__all__ = ["Program"]


class _Arg:
    """What an op's backward may read of an input (``self.inputs[i].array``)."""

    __slots__ = ("array", "_requires_grad")

    def __init__(self, array: Any, requires_grad: bool) -> None:
        self.array = array
        self._requires_grad = requires_grad


class Program:
    """A graph compiled into replay steps (see the module docstring)."""

    def __init__(self, graph: Graph, fuse: bool = True) -> None:
        self.graph = graph
        self.has_backward = any(n.op == "autograd.backward" for n in graph.nodes)
        self.n_values = 1 + max([v.index for v in graph.inputs] + [v.index for v in graph.params.values()]
                                + [v.index for v in graph.constants]
                                + [o.index for n in graph.nodes for o in n.outputs] + [0])
        self.live = [v for v in list(graph.params.values()) + graph.constants]
        self.input_index = [v.index for v in graph.inputs]
        self.guards = sum(1 for n in graph.nodes if n.op == GUARD_OP)
        self.random = RandomState(graph) if self.guards else None
        self.steps = self._fast_steps(fuse)

    # -- which way ----------------------------------------------------------------------
    def needs_tape(self, inputs: list[Tensor]) -> bool:
        """True when outputs must carry gradients (forward-only graph, grad mode on, and
        an input, parameter or captured tensor requires grad)."""
        if self.has_backward or not grad_mode._enabled:
            return False
        return any(t._requires_grad for t in inputs) or any(v.tensor._requires_grad for v in self.live)

    def run(self, inputs: list[Tensor]) -> list:
        """Replay on ``inputs`` (the call's tensor arguments, in graph order); returns the
        flattened outputs."""
        if self.random is None:
            return self._run(inputs)
        saved = self.random.save()
        try:
            return self._run(inputs)
        except GuardFailed:  # put the generators back for the next attempt
            self.random.restore(saved)
            raise

    def _run(self, inputs: list[Tensor]) -> list:
        if self.needs_tape(inputs):
            return self._run_tape(inputs)
        env: list = [None] * self.n_values
        for i, t in zip(self.input_index, inputs):
            env[i] = t.array
        for v in self.live:
            env[v.index] = v.tensor.array
        state = _State(env, inputs, self.input_index)
        for step in self.steps:
            step(state)
        out = []
        for o in self.graph.outputs:
            out.append(self._output(o, env, inputs) if isinstance(o, Value) else o)
        return out

    def _output(self, v: Value, env: list, inputs: list[Tensor]) -> Any:
        if v.kind == "op":
            data = env[v.index]
            return wrap(np.asarray(data) if isinstance(data, np.generic) else data)
        if v.kind == "input":
            return inputs[self.input_index.index(v.index)]
        return v.tensor

    # -- tape -------------------------------------------------------------------------
    def _run_tape(self, inputs: list[Tensor]) -> list:
        env: dict[int, Any] = {i: t for i, t in zip(self.input_index, inputs)}
        for v in self.live:
            env[v.index] = v.tensor
        for node in self.graph.nodes:
            args = [env[a.index] if isinstance(a, Value) else a for a in node.args]
            if node.op == GUARD_OP:
                check_guard(args[0].array, node.attrs["expected"])
                continue
            env[node.outputs[0].index] = node.op_type.apply(*args, **node.attrs)
        return [env[o.index] if isinstance(o, Value) else o for o in self.graph.outputs]

    # -- fast ---------------------------------------------------------------------------
    def _fast_steps(self, fuse: bool) -> list:
        nodes = self.graph.nodes
        steps = []
        groups = None
        if fuse:
            from headwater.jit.fusion import plan_chains

            groups = plan_chains(self.graph)
        pairs = set()
        if fuse:
            from headwater.jit.fused_linear import linear_relu_pairs, linear_relu_step

            pairs = linear_relu_pairs(self.graph)
        i = 0
        while i < len(nodes):
            node = nodes[i]
            chain = groups.get(i) if groups else None
            if chain is not None:
                steps.append(chain.step)
                i += len(chain.nodes)
                continue
            if i in pairs and not (groups and i + 1 in groups):  # a chain may start at the ReLU
                relu = nodes[i + 1]
                steps.append(linear_relu_step(node, relu, _op_step(node), _op_step(relu)))
                i += 2
                continue
            if node.op == GUARD_OP:
                steps.append(guard_step(node))
            elif node.op == "autograd.backward":
                steps.append(_backward_step(node, nodes))
            elif node.op == "optim.step":
                steps.append(_optimizer_step(node.attrs["optimizer"]))
            elif node.op == "optim.zero_grad":
                steps.append(_zero_grad_step(node.attrs["params"], node.attrs["set_to_none"]))
            else:
                steps.append(_op_step(node))
            i += 1
        return steps


class _State:
    """What the steps of one replay share: the arrays by value index, the op nodes
    that backward needs, and the call's input tensors."""

    __slots__ = ("env", "ops", "inputs", "input_index")

    def __init__(self, env: list, inputs: list, input_index: list) -> None:
        self.env = env
        self.ops: dict = {}
        self.inputs = inputs
        self.input_index = input_index

    def tensor(self, v: Value) -> Tensor:
        if v.kind == "input":
            return self.inputs[self.input_index.index(v.index)]
        return v.tensor


def _op_step(node):
    cls = node.op_type
    attrs = node.attrs
    out = node.outputs[0].index
    spec = tuple((True, a.index) if isinstance(a, Value) else (False, a) for a in node.args)
    needs = node.needs
    index = node.index
    if cls.mutates:
        return _mutating_step(node, spec)
    gather = _gather(spec)
    if needs is None:
        def step(state: _State) -> None:
            env = state.env
            res = cls.__new__(cls).forward(*gather(env), **attrs)
            env[out] = np.asarray(res) if isinstance(res, np.generic) else res
        return step
    grads = tuple(needs)
    reads_inputs = _backward_reads_inputs(cls)
    from headwater.jit.cpu_kernels import replay_forward

    special = replay_forward(cls)  # a compiled CPU forward with the same values, if any

    def step_tracked(state: _State) -> None:
        env = state.env
        arrays = gather(env)
        op = cls.__new__(cls)
        op.needs = grads
        if reads_inputs:
            op.inputs = tuple(_Arg(a, n) if is_v else a for a, (is_v, _), n in zip(arrays, spec, grads))
        res = op.forward(*arrays, **attrs) if special is None else special(op, *arrays, **attrs)
        env[out] = np.asarray(res) if isinstance(res, np.generic) else res
        state.ops[index] = op
    return step_tracked


def _gather(spec: tuple):
    """A function giving an op's arguments from the replay's arrays (one C call where
    every argument is a graph value)."""
    if spec and all(is_v for is_v, _ in spec):
        if len(spec) == 1:
            only = spec[0][1]
            return lambda env: (env[only],)
        return itemgetter(*(x for _, x in spec))
    return lambda env: [env[x] if is_v else x for is_v, x in spec]


def _mutating_step(node, spec):
    """An op that writes some inputs in place (running statistics): the write happens
    on the live arrays, and their tensors' versions advance as in ``Op.apply``."""
    cls, attrs, out, index = node.op_type, node.attrs, node.outputs[0].index, node.index
    written = [node.args[i] for i in cls.mutates if isinstance(node.args[i], Value) and node.args[i].kind != "op"]
    grads = node.needs
    reads_inputs = grads is not None and _backward_reads_inputs(cls)

    def step(state: _State) -> None:
        env = state.env
        arrays = [env[x] if is_v else x for is_v, x in spec]
        op = cls.__new__(cls)
        if grads is not None:
            op.needs = grads
            if reads_inputs:
                op.inputs = tuple(_Arg(a, n) if is_v else a for a, (is_v, _), n in zip(arrays, spec, grads))
            state.ops[index] = op
        res = op.forward(*arrays, **attrs)
        env[out] = np.asarray(res) if isinstance(res, np.generic) else res
        for v in written:
            state.tensor(v)._vc[0] += 1
    return step


_READS_INPUTS: dict = {}


def _backward_reads_inputs(cls: type) -> bool:
    """Whether an op's backward reads ``self.inputs`` (then a replay provides them)."""
    known = _READS_INPUTS.get(cls)
    if known is None:
        try:
            known = "self.inputs" in inspect.getsource(cls._run_backward)
        except (OSError, TypeError):  # no source: provide them
            known = True
        _READS_INPUTS[cls] = known
    return known


def _backward_step(node, nodes):
    from headwater.jit.cpu_kernels import replay_backward

    plan = node.attrs["plan"]
    loss = node.args[0].index
    grad = node.args[1].index if len(node.args) > 1 else None
    root = plan.root
    # per plan step: the node, its backward (a compiled CPU replacement with the same
    # values where there is one) and its targets, resolved once: ``(True, node index)``
    # adds into that node's incoming gradient, ``(False, Value)`` accumulates into a leaf
    walk = []
    for ni, targets in plan.steps:
        fn = replay_backward(nodes[ni].op_type)
        resolved = tuple(None if t is None else (t[0] == "node", t[1]) for t in targets)
        walk.append((ni, fn, resolved))

    def step(state: _State) -> None:
        env, ops = state.env, state.ops
        seed = _ones_like(env[loss]) if grad is None else env[grad]
        handed = {id(seed)}
        grads: dict = {root: seed}
        for ni, fn, targets in walk:
            g = grads.pop(ni, None)
            if g is None:
                continue
            op = ops[ni]
            in_grads = op._run_backward(g) if fn is None else fn(op, g)
            if type(in_grads) is not tuple:
                in_grads = (in_grads,)
            for target, gi in zip(targets, in_grads):
                if target is None or gi is None:
                    continue
                into_node, ref = target
                if into_node:
                    prev = grads.get(ref)
                    grads[ref] = gi if prev is None else prev + gi
                else:
                    _accumulate(state.tensor(ref) if ref.kind == "input" else ref.tensor, gi, handed)
    return step


def _accumulate(leaf: Tensor, g: Any, handed: set) -> None:
    """``engine._accumulate`` with its common case first: no gradient yet and a fresh
    array of the leaf's shape and dtype, which the leaf then owns."""
    a = leaf.array
    if leaf.grad is None and type(g) is type(a) and g.dtype == a.dtype and g.shape == a.shape \
            and g.base is None and id(g) not in handed:
        handed.add(id(g))
        leaf.grad = wrap(g)
    else:
        engine._accumulate(leaf, g, handed)


def _ones_like(a: Any) -> Any:
    """The seed gradient: a fresh array of ones (a 0-d NumPy loss, the usual case, in
    a fraction of ``np.ones_like``'s time)."""
    if type(a) is np.ndarray:
        return np.ones(a.shape, a.dtype) if a.ndim else np.array(1, a.dtype)
    from headwater.autograd.function import xp_of

    return xp_of(a).ones_like(a)


def _optimizer_step(opt):
    from headwater.jit.fused_optim import fused_step

    fused = fused_step(opt)
    if fused is None:
        return lambda state: Optimizer.step(opt)
    return lambda state: fused()


def _zero_grad_step(params: list, set_to_none: bool):
    def step(state: _State) -> None:
        for p in params:
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.array[...] = 0
    return step
