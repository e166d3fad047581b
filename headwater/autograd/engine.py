"""The reverse-mode engine: a topological sort and a reverse loop.

Gradients flow as xp arrays keyed by graph node; they become Tensors only where they
land (a leaf's ``.grad`` or a tensor that called ``retain_grad``). Each node is freed
as soon as its backward has run, unless ``retain_graph=True``.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from headwater.autograd import function, grad_mode
from headwater.autograd.errors import (
    AutogradError,
    GraphFreedError,
    InplaceModificationError,
    ShapeError,
)
from headwater.autograd.function import _check_devices, wrap, xp_of
from headwater.autograd.hooks import RemovableHandle, add_hook
from headwater.tensor.tensor import Tensor

__all__ = ["backward", "grad", "register_hook"]

# Gradient hooks of leaf tensors: id(tensor) -> (weak reference, hooks). A computed
# tensor's hooks live on its graph node instead (``node._tensor_hooks``), and go
# when the graph is freed.
_leaf_hooks: dict[int, tuple[Any, OrderedDict]] = {}


def register_hook(tensor: Tensor, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
    """Call ``hook(grad)`` whenever the gradient of ``tensor`` is computed; a Tensor
    it returns replaces the gradient (for a leaf, before it is accumulated into
    ``.grad``). Returns a handle whose ``remove()`` unregisters the hook.

    Raises
    ------
    RuntimeError
        ``tensor`` does not require grad (no gradient would ever reach it).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.ones(2, requires_grad=True)
    >>> h = x.register_hook(lambda g: g * 10)
    >>> (x * 3).sum().backward(); x.grad.tolist()
    [30.0, 30.0]
    >>> h.remove(); x.grad = None; (x * 3).sum().backward(); x.grad.tolist()
    [3.0, 3.0]
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"register_hook: expected a Tensor, got {type(tensor).__name__}")
    if not tensor._requires_grad:
        raise RuntimeError(
            "cannot register a hook on a tensor that doesn't require gradient; call "
            ".requires_grad_() on it first"
        )
    node = tensor.grad_fn
    if node is None:
        key = id(tensor)
        entry = _leaf_hooks.get(key)
        if entry is None or entry[0]() is not tensor:
            ref = weakref.ref(tensor, lambda _, key=key, hooks=_leaf_hooks: hooks.pop(key, None))
            entry = _leaf_hooks[key] = (ref, OrderedDict())
        return add_hook(entry[1], hook)
    slots = node.__dict__.setdefault("_tensor_hooks", {})
    return add_hook(slots.setdefault(getattr(tensor, "_out_index", 0), OrderedDict()), hook)


def _apply_hooks(hooks: OrderedDict, g: Any, shape: tuple) -> Any:
    for fn in list(hooks.values()):
        with grad_mode.no_grad():
            out = fn(wrap(g))
        if out is None:
            continue
        if not isinstance(out, Tensor):
            raise TypeError(f"a tensor hook must return a Tensor or None, got {type(out).__name__}")
        if out.shape != tuple(shape):
            raise ValueError(f"a tensor hook returned a gradient of shape {out.shape} for shape {tuple(shape)}")
        g = out.array
    return g


def _node_hooks(node: Any, g: Any) -> Any:
    """The node's incoming gradient after the hooks of its output tensors."""
    slots = node.__dict__.get("_tensor_hooks")
    if not slots:
        return g
    if node.n_out == 1:
        hooks = slots.get(0)
        return _apply_hooks(hooks, g, g.shape) if hooks else g
    g = list(g)
    for i, hooks in slots.items():
        if hooks and g[i] is not None:
            g[i] = _apply_hooks(hooks, g[i], g[i].shape)
    return g


def _toposort(roots: list) -> list:
    """Nodes reachable from ``roots``, each before every node it feeds from."""
    order: list = []
    seen: set = set()
    for root in roots:
        if id(root) in seen:
            continue
        seen.add(id(root))
        stack = [(root, iter(_parents(root)))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append((parent, iter(_parents(parent))))
                    break
            else:
                stack.pop()
                order.append(node)
    order.reverse()
    return order


def _parents(node: Any) -> list:
    if node.inputs is None:
        return []
    return [
        x.grad_fn
        for x, need in zip(node.inputs, node.needs)
        if need and x.grad_fn is not None
    ]


def _freed(node: Any) -> GraphFreedError:
    return GraphFreedError(
        f"trying to backward through the graph a second time: the saved values of "
        f"{node!r} were freed by the first backward. Pass retain_graph=True to the first "
        f"backward call if you need to walk the graph again"
    )


def _seed(tensor: Tensor, gradient: Any, op: str) -> Any:
    """The starting gradient for ``tensor``: ``gradient``'s data, or ones."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{op}: expected a Tensor output, got {type(tensor).__name__}")
    if not tensor._requires_grad:
        raise AutogradError(
            f"{op}() on a tensor that does not require grad and has no grad_fn: no "
            f"input of the computation had requires_grad=True (or it ran under hw.no_grad())"
        )
    if gradient is None:
        if tensor.array.size != 1:
            raise AutogradError(
                f"{op}() without a gradient needs a one-element output, this one has "
                f"shape {tensor.shape}; reduce it first (e.g. .sum()) or pass "
                f"gradient= of the same shape"
            )
        xp = xp_of(tensor.array)
        return xp.ones_like(tensor.array)
    if not isinstance(gradient, Tensor):
        raise TypeError(f"{op}: gradient must be a Tensor, got {type(gradient).__name__}")
    _check_devices(op, (tensor, gradient))
    if gradient.shape != tensor.shape:
        raise ShapeError(
            f"{op}: gradient has shape {gradient.shape} but the output has shape "
            f"{tensor.shape}; they must match"
        )
    return gradient.array


def _push(grads: dict, node: Any, tensor: Tensor, g: Any) -> None:
    """Add ``g``, the gradient of ``tensor``, to what ``node`` has received."""
    if node.n_out == 1:
        prev = grads.get(node)
        grads[node] = g if prev is None else prev + g
        return
    slots = grads.get(node)
    if slots is None:
        slots = grads[node] = [None] * node.n_out
    i = getattr(tensor, "_out_index", 0)
    slots[i] = g if slots[i] is None else slots[i] + g


def _run(seeds: list, retain_graph: bool, capture: dict | None) -> dict:
    """Propagate the seed gradients to the leaves.

    With ``capture`` None, leaf gradients accumulate into ``.grad``; otherwise only
    the gradients of the tensors in ``capture`` (id -> tensor) are collected and
    returned, and no ``.grad`` changes.
    """
    handed: set = set()  # arrays a leaf may not own without copying
    captured: dict = {}
    grads: dict = {}
    roots = []
    # leaves with hooks collect their whole gradient first: the hooks see it once
    pending: dict | None = {} if _leaf_hooks else None
    for tensor, g in seeds:
        handed.add(id(g))
        node = tensor.grad_fn
        if node is None:
            _deliver(tensor, g, handed, capture, captured, pending)
            continue
        if node.inputs is None:
            raise _freed(node)
        _push(grads, node, tensor, g)
        roots.append(node)
    watched: dict = {}
    if capture:
        for t in capture.values():
            if t.grad_fn is not None:
                watched.setdefault(id(t.grad_fn), []).append(t)
    for node in _toposort(roots):
        g = grads.pop(node, None)
        if g is None:
            continue
        inputs = node.inputs
        if inputs is None:
            raise _freed(node)
        for vc, version in node.checks:
            if vc[0] != version:
                raise InplaceModificationError(
                    f"a tensor needed by the backward of {node!r} was modified in place "
                    f"(version {version} when used, now {vc[0]}); compute with an "
                    f"out-of-place op instead (e.g. x = x + 1 rather than x.add_(1))"
                )
        g = _node_hooks(node, g)
        if node._retained is not None and capture is None:
            kept = node._retained()
            if kept is not None:
                kept.grad = wrap(g if node.n_out == 1 else g[getattr(kept, "_out_index", 0)])
        for t in watched.get(id(node), ()):
            captured[id(t)] = g if node.n_out == 1 else g[getattr(t, "_out_index", 0)]
        in_grads = node._run_backward(g)
        if type(in_grads) is not tuple:
            in_grads = (in_grads,)
        for x, need, gi in zip(inputs, node.needs, in_grads):
            if not need or gi is None:
                continue
            fn = x.grad_fn
            if fn is None:
                _deliver(x, gi, handed, capture, captured, pending)
            else:
                _push(grads, fn, x, gi)
        if not retain_graph:
            node._free()
    for leaf, g in (pending or {}).values():
        g = _apply_hooks(_leaf_hooks[id(leaf)][1], g, leaf.array.shape)
        handed.add(id(g))
        _deliver(leaf, g, handed, capture, captured, None)
    return captured


def _deliver(leaf: Tensor, g: Any, handed: set, capture: dict | None, captured: dict,
             pending: dict | None) -> None:
    if pending is not None and id(leaf) in _leaf_hooks and _leaf_hooks[id(leaf)][1] and (
        capture is None or id(leaf) in capture
    ):
        prev = pending.get(id(leaf))
        if g.shape != leaf.array.shape and g.size == leaf.array.size:
            g = g.reshape(leaf.array.shape)
        pending[id(leaf)] = (leaf, g if prev is None else prev[1] + g)
        return
    if capture is None:
        _accumulate(leaf, g, handed)
    elif id(leaf) in capture:
        prev = captured.get(id(leaf))
        captured[id(leaf)] = g if prev is None else prev + g


def _no_create_graph(op: str, create_graph: bool) -> None:
    if create_graph:
        raise NotImplementedError(
            f"{op}(create_graph=True): higher-order gradients are not supported (backward "
            f"runs without recording); use finite differences or hw.autograd.gradcheck instead"
        )


def backward(tensor: Tensor, gradient: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Tensor | Sequence[Tensor] | None = None) -> None:
    """Accumulate d(tensor)/d(leaf) into the ``.grad`` of every leaf that requires grad.

    Parameters
    ----------
    tensor : Tensor
        The output to differentiate.
    gradient : Tensor, optional
        d(loss)/d(tensor); may be omitted only for a one-element ``tensor``.
    retain_graph : bool, optional
        Keep the graph so that ``backward`` can run through it again.
    create_graph : bool
        Must be False: higher-order gradients are not supported.
    inputs : Tensor or sequence of Tensors, optional
        Accumulate only into these tensors' ``.grad`` (leaves or not).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad.tolist()
    [2.0, 4.0]
    """
    _no_create_graph("backward", create_graph)
    if function._recorder is not None:
        function._recorder.backward(tensor, gradient, inputs)
    seeds = [(tensor, _seed(tensor, gradient, "backward"))]
    if inputs is None:
        _run(seeds, bool(retain_graph), None)
        return
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if not ins:
        raise ValueError("backward: inputs= was given but is empty; pass None to reach every leaf")
    captured = _run(seeds, bool(retain_graph), {id(t): t for t in ins})
    for t in ins:
        g = captured.get(id(t))
        if g is not None:
            _accumulate(t, g, set())


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, returned rather than
    accumulated: no ``.grad`` changes, as ``torch.autograd.grad``.

    ``retain_graph`` defaults to ``create_graph`` (False); ``materialize_grads=True``
    gives zeros instead of None for unused inputs (and implies ``allow_unused``).
    Higher-order gradients (``create_graph=True``) and ``is_grads_batched=True`` are
    not supported and raise NotImplementedError.

    Raises
    ------
    AutogradError
        An input does not take part in computing the outputs (pass
        ``allow_unused=True`` to get None for it instead).
    NotImplementedError
        ``create_graph=True`` or ``is_grads_batched=True``.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 3
    >>> (gx, gy) = hw.autograd.grad((y * y).sum(), [x, y])
    >>> gx.tolist(), gy.tolist(), x.grad is None
    ([18.0, 36.0], [6.0, 12.0], True)
    """
    _no_create_graph("grad", create_graph)
    if function._recorder is not None:
        function._recorder.problem("hw.autograd.grad() inside a traced call is not supported; "
                                   "use loss.backward() or run it eagerly")
    if is_grads_batched:
        raise NotImplementedError(
            "grad(is_grads_batched=True) is not supported; call grad once per grad_outputs "
            "entry (with retain_graph=True)"
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    elif materialize_grads and not allow_unused:
        raise ValueError("grad: materialize_grads=True needs allow_unused to be True or None")
    outs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None:
        gouts: list = [None] * len(outs)
    else:
        gouts = [grad_outputs] if isinstance(grad_outputs, Tensor) else list(grad_outputs)
    if len(gouts) != len(outs):
        raise ValueError(f"grad: {len(gouts)} grad_outputs for {len(outs)} outputs; give one per output")
    for i, t in enumerate(ins):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise AutogradError(f"grad: input {i} is not a Tensor that requires grad")
    seeds = [(o, _seed(o, g, "grad")) for o, g in zip(outs, gouts)]
    captured = _run(seeds, bool(retain_graph), {id(t): t for t in ins})
    result = []
    for i, t in enumerate(ins):
        g = captured.get(id(t))
        if g is None:
            if not allow_unused:
                raise AutogradError(
                    f"grad: input {i} (shape {t.shape}) was not used to compute the outputs; "
                    f"pass allow_unused=True to get None for it"
                )
            result.append(wrap(xp_of(t.array).zeros_like(t.array)) if materialize_grads else None)
            continue
        if isinstance(g, np.generic):
            g = np.asarray(g)
        if g.dtype != t.array.dtype:
            g = g.astype(t.array.dtype)
        # a copy: the engine may hand one array to several places
        result.append(wrap(g.reshape(t.array.shape).copy()))
    return tuple(result)


def _accumulate(leaf: Tensor, g: Any, handed: set) -> None:
    if isinstance(g, np.generic):
        g = np.asarray(g)
    if g.dtype != leaf.array.dtype:
        g = g.astype(leaf.array.dtype)
    if g.shape != leaf.array.shape:
        if g.size != leaf.array.size:
            raise ShapeError(
                f"backward produced a gradient of shape {g.shape} for a leaf of shape "
                f"{leaf.array.shape}; the backward of the op that used this leaf is wrong"
            )
        g = g.reshape(leaf.array.shape)
    if leaf.grad is None:
        # A leaf's .grad may be changed in place later (clip_grad_norm_, zero_), so it
        # must own its memory: copy views and arrays already handed elsewhere.
        if g.base is not None or id(g) in handed:
            g = g.copy()
        handed.add(id(g))
        leaf.grad = wrap(g)
    else:
        leaf.grad.array = leaf.grad.array + g
