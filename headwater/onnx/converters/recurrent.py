"""LSTM, GRU and RNN layers as ONNX's recurrent ops, gate layouts mapped.

Headwater runs each layer and direction as one op over the input projection
(``linear`` over all time steps) and returns the outputs of every row followed by
the final state(s), time-major (``(T * B + B [+ B], H)``). ONNX's LSTM/GRU/RNN take
the raw input, the input and recurrent weights and both biases, so the converter
takes the projection's own input and weight when the projection is a ``linear`` with
a constant weight (the ``linear`` node is then pruned), and otherwise feeds the
projection through an identity input weight.

Gate orders: PyTorch's LSTM blocks are ``i, f, g, o`` and ONNX's ``i, o, f, c``;
PyTorch's GRU blocks are ``r, z, n`` and ONNX's ``z, r, h``, with
``linear_before_reset=1`` (the reset gate multiplies the recurrent product with its
bias, as PyTorch computes it).
"""

from __future__ import annotations

import numpy as np

from headwater.onnx.context import ConvertContext, ExportNode, Value
from headwater.onnx.converters.registry import converter
from headwater.onnx.converters.shape import reshape_to

_ORDER = {"lstmsequence": (0, 3, 1, 2), "grusequence": (1, 0, 2), "rnnsequence": (0,)}
_OP = {"lstmsequence": "LSTM", "grusequence": "GRU", "rnnsequence": "RNN"}


def _reorder(array: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    blocks = np.split(np.asarray(array), len(order), axis=0)
    return np.concatenate([blocks[i] for i in order], axis=0)


def _const(ctx: ConvertContext, node: ExportNode, v: object, what: str) -> np.ndarray:
    if not isinstance(v, Value) or v.const is None:
        raise ctx.fail(node, f"the {what} must be a parameter of the model (a constant of the graph)")
    return np.asarray(v.const)


@converter("lstmsequence", "grusequence", "rnnsequence")
def recurrent(ctx: ConvertContext, node: ExportNode) -> str:
    b = ctx.b
    order = _ORDER[node.op]
    xproj, w_hh = node.inputs[0], node.inputs[1]
    b_hh = node.inputs[2] if isinstance(node.inputs[2], Value) else None
    h0 = node.inputs[3]
    c0 = node.inputs[4] if node.op == "lstmsequence" else None
    sizes = list(node.params["batch_sizes"])
    if not sizes or any(int(s) != int(sizes[0]) for s in sizes):
        raise ctx.fail(node, "a packed batch of sequences of different lengths has no ONNX form; export with "
                             "padded batches (all sequences the same length)")
    steps, batch = len(sizes), sizes[0]
    hidden = int(w_hh.shape[1])
    gates = len(order) * hidden
    w_rec = _reorder(_const(ctx, node, w_hh, "recurrent weight"), order)
    dtype = node.dtype
    rec_bias = _reorder(_const(ctx, node, b_hh, "recurrent bias"), order) if b_hh is not None else \
        np.zeros(gates, dtype)

    proj = xproj.producer
    fused = (proj is not None and proj.op == "linear" and isinstance(proj.inputs[1], Value)
             and proj.inputs[1].const is not None and proj.inputs[0].ndim == 2)
    if fused:
        src = proj.inputs[0]
        w_in = _reorder(np.asarray(proj.inputs[1].const), order)
        bias_in = proj.inputs[2] if len(proj.inputs) > 2 and isinstance(proj.inputs[2], Value) else None
        in_bias = _reorder(_const(ctx, node, bias_in, "input bias"), order) if bias_in is not None else \
            np.zeros(gates, dtype)
        features = int(src.shape[1])
    else:
        src = xproj
        w_in = _reorder(np.eye(gates, dtype=dtype), order)
        in_bias = np.zeros(gates, dtype)
        features = gates
    x = reshape_to(ctx, src.name, [steps, batch, features])
    ins = [x, b.initializer(w_in[None].astype(dtype), "W"), b.initializer(w_rec[None].astype(dtype), "R"),
           b.initializer(np.concatenate([in_bias, rec_bias])[None].astype(dtype), "B"), None,
           b.unsqueeze(h0.name, [0])]
    attrs = {"hidden_size": hidden, "direction": "reverse" if node.params.get("reverse") else "forward"}
    if node.op == "lstmsequence":
        ins.append(b.unsqueeze(c0.name, [0]))
    if node.op == "grusequence":
        attrs["linear_before_reset"] = 1
    if node.op == "rnnsequence":
        attrs["activations"] = ["Relu" if node.params.get("nonlinearity") == "relu" else "Tanh"]
    n_out = 3 if node.op == "lstmsequence" else 2
    outs = b.op(_OP[node.op], ins, n_out=n_out, **attrs)
    rows = batch * steps
    y = reshape_to(ctx, outs[0], [rows, hidden])
    finals = [b.squeeze(o, [0]) for o in outs[1:]]
    return b.op("Concat", [y, *finals], axis=0)
