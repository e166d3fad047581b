"""The reverse-mode engine: a topological sort and a reverse loop.

Gradients flow as xp arrays keyed by graph node; they become Tensors only where they
land (a leaf's ``.grad`` or a tensor that called ``retain_grad``). Each node is freed
as soon as its backward has run, unless ``retain_graph=True``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd.errors import (
    AutogradError,
    GraphFreedError,
    InplaceModificationError,
    ShapeError,
)
from headwater.autograd.function import _check_devices, wrap, xp_of
from headwater.tensor.tensor import Tensor

__all__ = ["backward"]


def _toposort(root: Any) -> list:
    """Nodes reachable from ``root``, each before every node it feeds from."""
    order: list = []
    seen = {id(root)}
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


def backward(tensor: Tensor, gradient: Any = None, retain_graph: bool = False) -> None:
    """Accumulate d(tensor)/d(leaf) into the ``.grad`` of every leaf that requires grad.

    Parameters
    ----------
    tensor : Tensor
        The output to differentiate.
    gradient : Tensor, optional
        d(loss)/d(tensor); may be omitted only for a one-element ``tensor``.
    retain_graph : bool
        Keep the graph so that ``backward`` can run through it again.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad.tolist()
    [2.0, 4.0]
    """
    if not tensor._requires_grad:
        raise AutogradError(
            "backward() on a tensor that does not require grad and has no grad_fn: no "
            "input of the computation had requires_grad=True (or it ran under hw.no_grad())"
        )
    if gradient is None:
        if tensor.data.size != 1:
            raise AutogradError(
                f"backward() without a gradient needs a one-element output, this one has "
                f"shape {tensor.shape}; reduce it first (e.g. .sum()) or pass "
                f"gradient= of the same shape"
            )
        xp = xp_of(tensor.data)
        grad = xp.ones_like(tensor.data)
    else:
        if not isinstance(gradient, Tensor):
            raise TypeError(f"gradient must be a Tensor, got {type(gradient).__name__}")
        _check_devices("backward", (tensor, gradient))
        if gradient.shape != tensor.shape:
            raise ShapeError(
                f"backward: gradient has shape {gradient.shape} but the output has shape "
                f"{tensor.shape}; they must match"
            )
        grad = gradient.data
    handed = {id(grad)}  # arrays a leaf may not own without copying
    root = tensor.grad_fn
    if root is None:
        _accumulate(tensor, grad, handed)
        return
    if root.inputs is None:
        raise _freed(root)
    grads: dict = {root: grad}
    for node in _toposort(root):
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
        if node._retained is not None:
            kept = node._retained()
            if kept is not None:
                kept.grad = wrap(g if node.n_out == 1 else g[getattr(kept, "_out_index", 0)])
        in_grads = node._run_backward(g)
        if type(in_grads) is not tuple:
            in_grads = (in_grads,)
        for x, need, gi in zip(inputs, node.needs, in_grads):
            if not need or gi is None:
                continue
            fn = x.grad_fn
            if fn is None:
                _accumulate(x, gi, handed)
            elif fn.n_out == 1:
                prev = grads.get(fn)
                grads[fn] = gi if prev is None else prev + gi
            else:
                slots = grads.get(fn)
                if slots is None:
                    slots = grads[fn] = [None] * fn.n_out
                i = getattr(x, "_out_index", 0)
                slots[i] = gi if slots[i] is None else slots[i] + gi
        if not retain_graph:
            node._free()


def _accumulate(leaf: Tensor, g: Any, handed: set) -> None:
    if isinstance(g, np.generic):
        g = np.asarray(g)
    if g.dtype != leaf.data.dtype:
        g = g.astype(leaf.data.dtype)
    if g.shape != leaf.data.shape:
        if g.size != leaf.data.size:
            raise ShapeError(
                f"backward produced a gradient of shape {g.shape} for a leaf of shape "
                f"{leaf.data.shape}; the backward of the op that used this leaf is wrong"
            )
        g = g.reshape(leaf.data.shape)
    if leaf.grad is None:
        # A leaf's .grad may be changed in place later (clip_grad_norm_, zero_), so it
        # must own its memory: copy views and arrays already handed elsewhere.
        if g.base is not None or id(g) in handed:
            g = g.copy()
        handed.add(id(g))
        leaf.grad = wrap(g)
    else:
        leaf.grad.data = leaf.grad.data + g
