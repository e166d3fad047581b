"""A ``linear`` whose output only a ``relu`` reads, replayed on the CPU as the matrix
product followed by one compiled pass that adds the bias and applies the ReLU.

Eager runs the product, ``out += bias`` and ReLU's ``maximum(out, 0)`` into a fresh
array: three passes over the output. The fused pass does, per element, the same
rounded addition and then the same selection as NumPy's ``maximum`` against ``+0.0``
(the value where it is greater than zero or NaN, else ``+0.0``; a ``-0.0`` becomes
``+0.0`` as in ``maximum``), so the bits are eager's; the product is the same BLAS
call as eager's (``Linear.forward`` without the bias). Both ops' nodes are kept for
backward as eager keeps them (the linear's inputs, the ReLU's output). Where the
pass does not apply (no numba or ``HEADWATER_JIT_NUMBA=0``, arrays that are not
C-contiguous NumPy float32/float64, an output that is not 2-D) the two ops replay
one after the other, which is the reference the tests compare against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.autograd.ops.activations import Relu
from headwater.autograd.ops.linalg import Linear
from headwater.jit.cpu_kernels import _compiled, numba_enabled
from headwater.jit.fusion import value_uses
from headwater.jit.graph import Graph, Value

__all__ = ["bias_relu_kernel", "linear_relu_pairs", "linear_relu_step"]

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _bias_relu_loop(out, bias, res):
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            t = out[i, j] + bias[j]
            out[i, j] = t
            res[i, j] = t if (t > 0 or t != t) else 0.0


def bias_relu_kernel() -> Any:
    """The compiled pass (``fn(out, bias, res)``: ``out += bias`` in place, ``res`` the
    ReLU of the sum), or None without numba.

    Examples
    --------
    >>> fn = bias_relu_kernel()
    >>> out, res = np.array([[1.0, -2.0]]), np.empty((1, 2))
    >>> if fn is not None:
    ...     fn(out, np.array([0.5, 0.5]), res)
    ... else:
    ...     out += 0.5; res = np.maximum(out, 0.0)
    >>> out.tolist(), res.tolist()
    ([[1.5, -1.5]], [[1.5, 0.0]])
    """
    if not numba_enabled():
        return None
    return _compiled("bias_relu", _bias_relu_loop)


def linear_relu_pairs(graph: Graph) -> set[int]:
    """Indices of the ``linear`` nodes (with a bias) whose output only the next node, a
    ``relu``, reads.

    Examples
    --------
    >>> import headwater as hw
    >>> net = hw.nn.Sequential(hw.nn.Linear(3, 4), hw.nn.ReLU(), hw.nn.Linear(4, 2))
    >>> with hw.no_grad():
    ...     g = hw.jit.trace(net, hw.ones(2, 3)).graph
    >>> linear_relu_pairs(g)
    {0}
    """
    uses = value_uses(graph)  # a graph output counts as a use: never fused away
    pairs = set()
    nodes = graph.nodes
    for i, node in enumerate(nodes[:-1]):
        nxt = nodes[i + 1]
        if node.op_type is not Linear or nxt.op_type is not Relu or len(node.args) != 3 or node.attrs \
                or nxt.attrs:
            continue
        out = node.outputs[0]
        if not isinstance(node.args[2], Value) or len(nxt.args) != 1 or nxt.args[0] is not out \
                or uses.get(out.index) != 1 or len(out.shape) != 2 or out.dtype not in (np.float32, np.float64):
            continue
        if (node.needs is None) != (nxt.needs is None):
            continue
        pairs.add(i)
    return pairs


def linear_relu_step(lin: Any, relu: Any, lin_step: Callable, relu_step: Callable) -> Callable:
    """The replay step of a pair from :func:`linear_relu_pairs`; ``lin_step`` and
    ``relu_step`` are the two ops' own replay steps (run where the pass does not apply)."""
    kernel = bias_relu_kernel()
    if kernel is None:
        def unfused(state: Any) -> None:
            lin_step(state)
            relu_step(state)
        return unfused
    xi, wi, bi = (a.index for a in lin.args)
    lin_out, relu_out = lin.outputs[0].index, relu.outputs[0].index
    lin_needs = None if lin.needs is None else tuple(lin.needs)
    relu_needs = None if relu.needs is None else tuple(relu.needs)
    ndarray = np.ndarray

    def step(state: Any) -> None:
        env = state.env
        x, w, b = env[xi], env[wi], env[bi]
        dtype = x.dtype
        if type(x) is not ndarray or type(w) is not ndarray or type(b) is not ndarray or x.ndim != 2 \
                or w.ndim != 2 or w.dtype != dtype or b.dtype != dtype or b.shape != (w.shape[0],) \
                or not b.flags.c_contiguous or dtype not in _FLOATS:
            lin_step(state)
            relu_step(state)
            return
        op = Linear.__new__(Linear)
        out = op.forward(x, w)  # the product and its checks (a fresh C-contiguous array); the bias in the pass
        res = np.empty_like(out)
        kernel(out, b, res)
        env[lin_out] = out
        env[relu_out] = res
        if lin_needs is not None:
            op.needs = lin_needs
            state.ops[lin.index] = op
            rop = Relu.__new__(Relu)
            rop.needs = relu_needs
            rop.out = res
            state.ops[relu.index] = rop
    return step
