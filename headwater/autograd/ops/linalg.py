"""Matrix products: ``matmul`` (batched, NumPy rules) and the fused ``linear``."""

from __future__ import annotations

from headwater.autograd.amp import autocast_mode
from headwater.autograd.broadcast import unbroadcast
from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.arithmetic import operands
from headwater.tensor.backend.product_layout import linear_product
from headwater.tensor.tensor import Tensor

__all__ = ["matmul", "linear"]


def _check_matmul(a, b, op: str = "matmul") -> None:
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"{op}: both operands need at least one dimension, got shapes {a.shape} and {b.shape}")
    k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if a.shape[-1] != k_b:
        raise ShapeError(
            f"{op}: shapes {a.shape} and {b.shape} cannot be multiplied "
            f"({a.shape[-1]} columns against {k_b} rows)"
        )


class Matmul(Op):
    saves = (0, 1)

    def forward(self, a, b):
        _check_matmul(a, b)
        xp = xp_of(a)
        self.a, self.b = a, b
        return xp.matmul(a, b)

    def backward(self, g):
        xp = xp_of(g)
        a, b = self.a, self.b
        na, nb = self.needs
        if a.ndim == 2 and b.ndim == 2:
            return (g @ b.T if na else None, a.T @ g if nb else None)
        if a.ndim == 1 and b.ndim == 1:  # dot product: g is 0-d
            return (g * b if na else None, g * a if nb else None)
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = g
        if a.ndim == 1:
            g2 = xp.expand_dims(g2, -2)
        if b.ndim == 1:
            g2 = xp.expand_dims(g2, -1)
        ga = gb = None
        if na:
            ga = unbroadcast(xp.matmul(g2, xp.swapaxes(b2, -1, -2)), a2.shape).reshape(a.shape)
        if nb:
            gb = unbroadcast(xp.matmul(xp.swapaxes(a2, -1, -2), g2), b2.shape).reshape(b.shape)
        return ga, gb


class Linear(Op):
    saves = (0, 1)

    def forward(self, x, w, b=None):
        if x.ndim == 0 or x.shape[-1] != w.shape[-1] or w.ndim != 2:
            raise ShapeError(
                f"linear: input of shape {x.shape} does not fit weight of shape {w.shape} "
                f"(expected input [..., {w.shape[-1] if w.ndim else '?'}] and weight [out, in])"
            )
        if b is not None and b.shape != (w.shape[0],):
            raise ShapeError(f"linear: bias of shape {b.shape} does not fit weight {w.shape}; expected ({w.shape[0]},)")
        self.x, self.w = x, w
        out = linear_product(x, w)  # x @ w.T, the faster of two equal layouts for a short x
        if b is not None:
            out += b
        return out

    def backward(self, g):
        nb = self.needs[2:]
        gx, gw = self.products(g)
        gb = (g.reshape(-1, g.shape[-1]) if g.ndim != 2 else g).sum(axis=0) if nb and nb[0] else None
        return gx, gw, gb

    def products(self, g):
        """The input and weight gradients (``g @ w`` and ``g.T @ x`` over the rows), each
        None where not needed; graph-mode replays add the bias gradient their own way."""
        x, w = self.x, self.w
        nx, nw = self.needs[0], self.needs[1]
        gx = g @ w if nx else None
        gw = None
        if nw:
            g2 = g.reshape(-1, g.shape[-1]) if g.ndim != 2 else g
            x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
            gw = g2.T @ x2
        return gx, gw


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with NumPy's rules: 1-D operands are vectors, leading
    dimensions broadcast as batches (also ``a @ b``).

    Raises
    ------
    ShapeError
        The inner dimensions differ (the message shows both shapes).

    Examples
    --------
    >>> import headwater as hw
    >>> (hw.ones(2, 3) @ hw.ones(3)).tolist()
    [3.0, 3.0]
    """
    a, b = operands(input, other, "matmul")
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError("matmul: both operands must be Tensors")
    if autocast_mode.active:
        a, b = autocast_mode.lower_precision(a, b)
    return Matmul.apply(a, b)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias`` in one op (one matmul, bias added in place).

    Parameters
    ----------
    input : Tensor
        Shape ``(..., in_features)``.
    weight : Tensor
        Shape ``(out_features, in_features)``.
    bias : Tensor, optional
        Shape ``(out_features,)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.linear(hw.ones(1, 2), hw.ones(3, 2), hw.zeros(3)).tolist()
    [[2.0, 2.0, 2.0]]
    """
    if autocast_mode.active:
        input, weight, bias = autocast_mode.lower_precision(input, weight, bias)
    if bias is None:
        return Linear.apply(input, weight)
    return Linear.apply(input, weight, bias)
