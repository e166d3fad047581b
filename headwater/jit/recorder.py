"""The recorder: while a trace runs, every op the call makes lands in a :class:`Graph`.

The call itself runs eagerly (its results are exactly eager's); the hooks the
autograd layer exposes (``function._recorder``, one module-level check per op) report
each op, each ``backward()``, each optimizer ``step()``/``zero_grad()``, and the
tensor layer reports host reads and random draws. What a replay could not redo is a
*problem*: under ``hw.compile`` (``strict``) it stops the call from ever replaying;
under ``hw.jit.trace`` what is only baked in (a host read, a tensor made outside the
tape) is a :class:`TracerWarning` and the rest a :class:`TraceError`.
"""

from __future__ import annotations

import sys
import warnings
from contextlib import contextmanager
from typing import Any

from headwater.autograd import engine, function
from headwater.autograd.function import Op, xp_of
from headwater.autograd.optim.optimizer import Optimizer
from headwater.jit.errors import TraceError, TracerWarning
from headwater.jit.frames import branch_tensor, inside_replayed_kernel, module_scope, user_location
from headwater.jit.graph import Graph, Node, Value
from headwater.jit.guards import GUARD_OP
from headwater.tensor import generator, transfer
from headwater.tensor.tensor import Tensor

__all__ = ["Recorder", "recording", "BackwardPlan"]


class BackwardPlan:
    """What ``loss.backward()`` did, as the engine would do it again: ``steps`` in the
    engine's order, each ``(node_index, targets)`` with one target per input of that
    node: None (no gradient), ``("node", index)`` (add into that node's incoming
    gradient) or ``("leaf", Value)`` (accumulate into the tensor's ``.grad``)."""

    def __init__(self, root: int, steps: list) -> None:
        self.root = root
        self.steps = steps

    def __repr__(self) -> str:
        return f"<{len(self.steps)} backward step(s)>"


class Recorder:
    """Collects one call's ops into ``graph`` (see the module docstring)."""

    def __init__(self, strict: bool, module_names: dict[int, str] | None = None,
                 named: dict[int, tuple[str, str]] | None = None) -> None:
        self.strict = strict
        self.graph = Graph()
        self.module_names = module_names or {}
        self.named = named or {}
        self.values: dict[int, tuple] = {}   # id(tensor) -> (tensor, Value, version)
        self.arrays: dict[int, tuple] = {}   # id(array) -> (array, Value)
        self.untracked: dict[int, tuple] = {}  # id(tensor) -> (tensor, where it was made)
        self.ops: dict[int, tuple] = {}       # id(op) -> (op, Node)
        self.first_versions: dict[int, tuple] = {}  # id(tensor) -> (tensor, version at first use)
        self.bumps: dict[int, int] = {}       # id(param) -> versions optimizer steps add
        self.problems: list[str] = []
        self.optimizers: list = []
        self.has_backward = False
        self.effect: str | None = None  # the first step a stopped replay could not undo
        self.drew_on_gpu = False
        self._count = 0
        self._op_values = 0

    # -- problems -----------------------------------------------------------------------
    def problem(self, message: str, baked: bool = False) -> None:
        """Note something a replay would not redo (``baked``: the value is kept)."""
        if not self.strict and baked:
            warnings.warn(f"hw.jit.trace: {message}", TracerWarning, stacklevel=4)
            return
        if message not in self.problems:
            self.problems.append(message)

    # -- values -------------------------------------------------------------------------
    def _value(self, kind: str, name: str, array: Any, tensor: Any = None) -> Value:
        v = Value(index=self._count, kind=kind, name=name, shape=tuple(array.shape),
                  dtype=array.dtype, tensor=tensor)
        self._count += 1
        return v

    def _bind(self, t: Tensor, v: Value) -> None:
        self.values[id(t)] = (t, v, t._vc[0])
        self.arrays[id(t.array)] = (t.array, v)

    def add_input(self, t: Tensor, name: str) -> Value:
        """Register a tensor argument of the traced call (the same tensor passed twice is
        one value: the graph records it once)."""
        seen = self.values.get(id(t))
        if seen is not None and seen[0] is t:
            return seen[1]
        v = self._value("input", name, t.array)
        self.graph.inputs.append(v)
        self._bind(t, v)
        self.first_versions[id(t)] = (t, t._vc[0])
        return v

    def value_of(self, t: Tensor) -> Value:
        """The graph value a tensor argument of an op stands for."""
        entry = self.values.get(id(t))
        if entry is not None and entry[0] is t:
            v = entry[1]
            if v.kind == "op" and t._vc[0] != entry[2]:
                self.problem(
                    f"{v!r} (made by {v.producer.op} at {v.producer.location}) was modified in "
                    f"place outside the op tape before its use at {user_location(3)}; in-place "
                    f"writes are not recorded, so use the out-of-place op"
                )
            return v
        hit = self.arrays.get(id(t.array))
        if hit is not None and hit[0] is t.array:  # a detached alias (.detach(), .data)
            self.values[id(t)] = (t, hit[1], t._vc[0])
            return hit[1]
        named = self.named.get(id(t))
        if named is not None:
            name, kind = named
            v = self._value(kind, name, t.array, t)
            self.graph.params[name] = v
        else:
            made = self.untracked.get(id(t))
            if made is not None and made[0] is t:
                self.problem(
                    f"a tensor computed outside the op tape (made at {made[1]}) is used at "
                    f"{user_location(3)}; it is baked into the graph as a constant, so a "
                    f"replay reuses the values of this call", baked=True,
                )
            v = self._value("const", f"const{len(self.graph.constants)}", t.array, t)
            self.graph.constants.append(v)
        self._bind(t, v)
        self.first_versions[id(t)] = (t, t._vc[0])
        return v

    # -- hooks (called by the autograd and tensor layers) ---------------------------------
    def record(self, op: Op, inputs: tuple, params: dict, out: Tensor) -> None:
        """One op call (from ``Op.apply``)."""
        args = [self.value_of(x) if isinstance(x, Tensor) else x for x in inputs]
        graph = self.graph
        node = Node(index=len(graph.nodes), op=type(op).name, op_type=type(op), args=args,
                    attrs=dict(params), scope=module_scope(self.module_names, 3),
                    location=user_location(3))
        if out.grad_fn is op:
            node.needs = op.needs
            self.ops[id(op)] = (op, node)
        for i in type(op).mutates:  # written in place by the op: a replay repeats it
            x = inputs[i]
            if isinstance(x, Tensor):
                self.bumps[id(x)] = self.bumps.get(id(x), 0) + 1
                self.effect = self.effect or f"the in-place update of {self.named.get(id(x), ('a buffer',))[0]} by {type(op).name}"
        v = self._value("op", str(self._op_values), out.array)
        self._op_values += 1
        v.producer = node
        node.outputs.append(v)
        graph.nodes.append(node)
        self._bind(out, v)

    def rebind(self, t: Tensor, source: Tensor) -> None:
        """``t`` now stands for ``source``'s value (an in-place write through
        ``write_in_place``, or the copy it makes of the old value)."""
        v = self.value_of(source)
        old = self.values.get(id(t))
        if t is not source and old is not None and old[0] is t and old[1].kind != "op":
            self.problem(
                f"{old[1]!r} ({old[1].kind}) is written in place at {user_location(3)}; a "
                f"replay would not repeat the write. Use the out-of-place op"
            )
        self.untracked.pop(id(t), None)
        self._bind(t, v)
        self.first_versions.pop(id(t), None)

    def untracked_tensor(self, t: Tensor) -> None:
        """A tensor made by ``wrap`` (outside the op tape) during the trace."""
        if not inside_replayed_kernel(3):
            self.untracked[id(t)] = (t, user_location(3))

    def host_read(self, host: Any) -> None:
        """A device array was read on the host (``.item()``, ``bool()``, ...); ``host`` is
        the copy read."""
        if inside_replayed_kernel(3):
            return
        where = user_location(3)
        branch = branch_tensor(3)
        if branch is not None:
            self.branch(branch, where, host)
            return
        if self.strict:
            self.problem(
                f"a tensor is read on the host at {where} (.item(), bool(), .tolist(), float(), "
                f"printing, or a Python branch on a tensor value); a replay would bake in the "
                f"value and the branch taken. Move the read out of the compiled function, or "
                f"compute the choice with tensor ops (hw.where)"
            )
        else:
            self.problem(
                f"a tensor is read on the host at {where} (.item(), bool(), a Python branch on "
                f"a tensor...); the trace bakes in the value and the branch taken, so a "
                f"replay on other data may take the wrong path", baked=True,
            )

    def branch(self, t: Tensor, where: str, host: Any) -> None:
        """``bool(t)`` at ``where``: a guard under ``hw.compile``, a warning otherwise.
        ``host`` is the value eager's ``bool()`` has just read (no second device read)."""
        taken = bool(host.reshape(()).item())
        if not self.strict:
            self.problem(
                f"a Python branch on a tensor at {where} (bool() of a tensor, {taken} here); the "
                f"trace bakes in the branch taken, so a replay on other data may take the wrong "
                f"path. Use hw.compile (which guards the branch and retraces) or hw.where", baked=True,
            )
            return
        if self.effect is not None:
            self.problem(
                f"a Python branch on a tensor at {where} comes after {self.effect}, which a replay "
                f"stopped by a guard could not undo; branch before backward() and step(), or "
                f"compute the choice with tensor ops (hw.where)"
            )
            return
        if self.drew_on_gpu:
            self.problem(
                f"a Python branch on a tensor at {where} comes after a random draw on the GPU, "
                f"whose generator state a replay stopped by a guard cannot restore; branch "
                f"before the draw, or compute the choice with tensor ops (hw.where)"
            )
            return
        v = self.value_of(t)
        self.graph.nodes.append(Node(index=len(self.graph.nodes), op=GUARD_OP, op_type=None, args=[v],
                                     attrs={"expected": taken}, location=where))

    def random_draw(self) -> None:
        """A draw from a random generator."""
        if inside_replayed_kernel(3):
            # generator.resolve(generator, device) called this hook
            device = sys._getframe(1).f_locals.get("device")
            self.drew_on_gpu = self.drew_on_gpu or getattr(device, "type", "cpu") != "cpu"
            return
        self.problem(
            f"a random draw at {user_location(3)} happens outside a recorded op (a random "
            f"factory such as hw.randn inside the call, or a layer that draws outside the "
            f"tape); a replay would repeat the same numbers. Draw outside the traced call "
            f"and pass the tensor in"
        )

    def backward(self, tensor: Tensor, gradient: Any, inputs: Any) -> None:
        """``tensor.backward(gradient)`` is about to run: plan it as the engine will."""
        if not isinstance(tensor, Tensor) or tensor.grad_fn is None:
            return  # eager raises its own error
        where = user_location(3)
        if inputs is not None:
            self.problem(f"backward(inputs=...) at {where} is not supported in a trace; "
                         f"call backward() without inputs")
            return
        if any(hooks and ref() is not None for ref, hooks in list(engine._leaf_hooks.values())):
            self.problem(f"backward at {where} with tensor hooks registered cannot be traced; "
                         f"remove the hooks (Tensor.register_hook) or run eagerly")
            return
        if tensor.grad_fn is not None and id(tensor.grad_fn) not in self.ops:
            self.problem(f"backward at {where} reaches ops recorded before the trace started")
            return
        loss = self.value_of(tensor)
        grad = self.value_of(gradient) if isinstance(gradient, Tensor) else None
        steps = []
        for fn in engine._toposort([tensor.grad_fn]):
            entry = self.ops.get(id(fn))
            if entry is None or entry[0] is not fn:
                self.problem(
                    f"backward at {where} runs through {fn!r}, which is not a recorded op (a "
                    f"custom hw.autograd.Function, or a graph built before the trace started)"
                )
                return
            if fn.__dict__.get("_tensor_hooks") or fn._retained is not None:
                self.problem(f"backward at {where} runs through tensor hooks or retain_grad(), "
                             f"which a replay does not reproduce")
                return
            targets = []
            for x, need in zip(fn.inputs, fn.needs):
                if not need:
                    targets.append(None)
                elif x.grad_fn is None:
                    targets.append(("leaf", self.value_of(x)))
                else:
                    parent = self.ops.get(id(x.grad_fn))
                    if parent is None:
                        self.problem(f"backward at {where} reaches ops recorded before the trace")
                        return
                    targets.append(("node", parent[1].index))
            steps.append((entry[1].index, tuple(targets)))
        root = self.ops[id(tensor.grad_fn)][1].index
        args = [loss, grad] if grad is not None else [loss]
        node = Node(index=len(self.graph.nodes), op="autograd.backward", op_type=None, args=args,
                    attrs={"plan": BackwardPlan(root, steps)}, location=where)
        self.graph.nodes.append(node)
        self.has_backward = True
        self.effect = self.effect or f"backward() at {where}"

    def optimizer_step(self, opt: Optimizer, closure: Any) -> None:
        """``opt.step()`` is about to run."""
        where = user_location(3)
        if type(opt).step is not Optimizer.step:
            self.problem(f"{type(opt).__name__}.step() at {where} overrides Optimizer.step, "
                         f"which a replay cannot reproduce; run this optimizer eagerly")
            return
        if closure is not None:
            self.problem(f"step(closure) at {where} cannot be traced; call the closure's "
                         f"steps in the traced function and step() without it")
            return
        for group in opt.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    self.bumps[id(p)] = self.bumps.get(id(p), 0) + 1
        self._note_optimizer(opt)
        self.effect = self.effect or f"{type(opt).__name__}.step() at {where}"
        self.graph.nodes.append(Node(index=len(self.graph.nodes), op="optim.step", op_type=None,
                                     args=[], attrs={"optimizer": opt}, location=where))

    def zero_grad(self, params: list, set_to_none: bool, owner: Any) -> None:
        """``opt.zero_grad()`` or ``module.zero_grad()`` is about to run."""
        if isinstance(owner, Optimizer):
            self._note_optimizer(owner)
        self.graph.nodes.append(Node(
            index=len(self.graph.nodes), op="optim.zero_grad", op_type=None, args=[],
            attrs={"params": list(params), "set_to_none": set_to_none}, location=user_location(3)))

    def _note_optimizer(self, opt: Optimizer) -> None:
        if all(o is not opt for o in self.optimizers):
            self.optimizers.append(opt)

    def watch(self, tensors: list) -> None:
        """Keep the state of the modules' parameters and buffers at the start, to find
        in-place updates a replay would miss (BatchNorm's running statistics...)."""
        self._watched = [(t, t._vc[0], t.array.copy()) for t in tensors]

    def check_watched(self) -> None:
        """After the call: every watched tensor changed only through recorded steps."""
        for t, version, before in getattr(self, "_watched", ()):
            name = self.named.get(id(t), ("a tensor",))[0]
            expected = version + self.bumps.get(id(t), 0)
            if t._vc[0] != expected or (id(t) not in self.bumps and not _same_data(t.array, before)):
                self.problem(
                    f"{name} was updated in place outside the op tape during the call (a "
                    f"write to .data or .array, or a layer updating a buffer outside its ops); "
                    f"a replay would not repeat it. Update it through an op, or run this step "
                    f"eagerly"
                )

    # -- the end --------------------------------------------------------------------------
    def finish(self, leaves: list) -> list:
        """Map the call's flattened result to graph outputs; check for unrecorded writes."""
        outs = []
        for x in leaves:
            outs.append(self.value_of(x) if isinstance(x, Tensor) else x)
        self.graph.outputs = outs
        for t, version in self.first_versions.values():
            if t._vc[0] != version + self.bumps.get(id(t), 0):
                v = self.values[id(t)][1]
                self.problem(
                    f"{v!r} ({v.kind}) was modified in place outside the op tape during the "
                    f"call (an in-place op, a custom optimizer step, or a write to .data); a "
                    f"replay would not repeat it"
                )
        return outs


def _same_data(a, b) -> bool:
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    xp = xp_of(a)
    return bool((xp.isnan(a) == xp.isnan(b)).all() and ((a == b) | xp.isnan(a)).all()) if a.dtype.kind in "fc" \
        else bool((a == b).all())


@contextmanager
def recording(rec: Recorder):
    """Install ``rec`` as the active recorder for the duration of the block."""
    if function._recorder is not None:
        raise TraceError("a trace is already recording: hw.jit.trace and hw.compile do not nest")
    function._recorder = rec
    transfer._read_hook = rec.host_read
    generator._draw_hook = rec.random_draw
    try:
        yield rec
    finally:
        function._recorder = None
        transfer._read_hook = None
        generator._draw_hook = None
