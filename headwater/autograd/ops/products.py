"""Products beyond ``matmul``: mm bmm mv dot inner outer addmm addmv baddbmm
tensordot kron einsum.

All but ``einsum`` are built from ``matmul``, ``mul``, ``sum`` and shape ops, so
their gradients come from those primitives. ``einsum`` is one op whose backward
is itself an einsum per operand.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any

from headwater.autograd.broadcast import unbroadcast
from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.arithmetic import add, mul
from headwater.autograd.ops.linalg import matmul
from headwater.autograd.ops.reduce import sum as _sum
from headwater.autograd.ops.shape import permute, reshape, unsqueeze
from headwater.tensor.tensor import Tensor

__all__ = [
    "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm", "addmv", "baddbmm",
    "addbmm", "tensordot", "kron", "einsum", "bilinear",
]


def _dims(op: str, **named: Tensor) -> None:
    wants = {"mm": (2, 2), "bmm": (3, 3), "mv": (2, 1), "dot": (1, 1), "outer": (1, 1)}[op]
    for (name, t), want in zip(named.items(), wants):
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: {name} must be a Tensor, got {type(t).__name__}")
        if t.ndim != want:
            raise ShapeError(f"{op}: {name} must be {want}-D, got shape {t.shape}")
    a, b = named.values()
    if op == "bmm" and a.shape[0] != b.shape[0]:
        raise ShapeError(f"bmm: batch sizes differ, shapes {a.shape} and {b.shape}")
    if op in ("dot",) and a.shape != b.shape:
        raise ShapeError(f"dot: 1-D tensors of the same size needed, got {a.shape} and {b.shape}")


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Product of two matrices, ``(n, m) @ (m, p)`` (no broadcasting).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.mm(hw.ones(2, 3), hw.ones(3, 1)).tolist()
    [[3.0], [3.0]]
    """
    _dims("mm", input=input, mat2=mat2)
    return matmul(input, mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product ``(b, n, m) @ (b, m, p)`` (no broadcasting).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.bmm(hw.ones(4, 2, 3), hw.ones(4, 3, 5)).shape
    (4, 2, 5)
    """
    _dims("bmm", input=input, mat2=mat2)
    return matmul(input, mat2)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix times vector, ``(n, m) @ (m,)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.mv(hw.eye(2), hw.as_tensor([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    _dims("mv", input=input, vec=vec)
    return matmul(input, vec)


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Inner product of two 1-D tensors of the same size.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.dot(hw.as_tensor([1.0, 2.0]), hw.as_tensor([3.0, 4.0])).item()
    11.0
    """
    _dims("dot", input=input, tensor=tensor)
    return matmul(input, tensor)


vdot = dot  # real tensors only: conjugation changes nothing


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Sum over the last dimension of both (a scalar operand multiplies).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.inner(hw.ones(2, 3), hw.ones(4, 3)).shape
    (2, 4)
    """
    if input.ndim == 0 or other.ndim == 0:
        return mul(input, other)
    return tensordot(input, other, dims=([input.ndim - 1], [other.ndim - 1]))


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two 1-D tensors, ``(n,) x (m,) -> (n, m)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.outer(hw.as_tensor([1.0, 2.0]), hw.as_tensor([1.0, 0.0, -1.0])).tolist()
    [[1.0, 0.0, -1.0], [2.0, 0.0, -2.0]]
    """
    _dims("outer", input=input, vec2=vec2)
    return mul(unsqueeze(input, 1), vec2)


ger = outer


def _scaled_sum(input: Tensor, product: Tensor, beta: float, alpha: float) -> Tensor:
    if alpha != 1:
        product = mul(product, alpha)
    if beta == 0:  # as torch: input is ignored, so NaN in it does not propagate
        return product
    return add(input if beta == 1 else mul(input, beta), product)


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``, ``input`` broadcast to the product.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.addmm(hw.ones(2), hw.ones(1, 3), hw.ones(3, 2), alpha=2).tolist()
    [[7.0, 7.0]]
    """
    return _scaled_sum(input, mm(mat1, mat2), beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """``beta * input + alpha * (mat @ vec)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.addmv(hw.ones(2), hw.eye(2), hw.as_tensor([1.0, 2.0])).tolist()
    [2.0, 3.0]
    """
    return _scaled_sum(input, mv(mat, vec), beta, alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.baddbmm(hw.zeros(1, 2, 2), hw.ones(3, 2, 4), hw.ones(3, 4, 2)).shape
    (3, 2, 2)
    """
    return _scaled_sum(input, bmm(batch1, batch2), beta, alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.addbmm(hw.zeros(2, 2), hw.ones(3, 2, 4), hw.ones(3, 4, 2)).tolist()
    [[12.0, 12.0], [12.0, 12.0]]
    """
    return _scaled_sum(input, _sum(bmm(batch1, batch2), dim=0), beta, alpha)


def tensordot(a: Tensor, b: Tensor, dims: int | Sequence[Any] = 2) -> Tensor:
    """Sum of products over the last ``dims`` dimensions of ``a`` and the first of
    ``b``, or over the listed pairs ``dims=([a dims], [b dims])``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.tensordot(hw.ones(2, 3, 4), hw.ones(3, 4, 5)).shape
    (2, 5)
    >>> hw.tensordot(hw.ones(2, 3), hw.ones(3, 2), dims=([1], [0])).tolist()
    [[3.0, 3.0], [3.0, 3.0]]
    """
    if isinstance(dims, int):
        if dims < 0 or dims > min(a.ndim, b.ndim):
            raise ValueError(f"tensordot: dims={dims} must be in [0, {min(a.ndim, b.ndim)}]")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = [list(d) if isinstance(d, (list, tuple)) else [d] for d in dims]
        da, db = [d % a.ndim for d in da], [d % b.ndim for d in db]
    if len(da) != len(db) or any(a.shape[i] != b.shape[j] for i, j in zip(da, db)):
        raise ShapeError(f"tensordot: contracted dims {da} of {a.shape} and {db} of {b.shape} differ in size")
    free_a = [i for i in range(a.ndim) if i not in da]
    free_b = [j for j in range(b.ndim) if j not in db]
    k = 1
    for i in da:
        k *= a.shape[i]
    a2 = reshape(permute(a, (*free_a, *da)), -1, k)
    b2 = reshape(permute(b, (*db, *free_b)), k, -1)
    shape = tuple(a.shape[i] for i in free_a) + tuple(b.shape[j] for j in free_b)
    return reshape(matmul(a2, b2), shape)


def kron(input: Tensor, other: Tensor) -> Tensor:
    """Kronecker product: each element of ``input`` times the whole of ``other``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.kron(hw.eye(2), hw.ones(1, 2)).tolist()
    [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]
    """
    n = max(input.ndim, other.ndim)
    a = reshape(input, (1,) * (n - input.ndim) + input.shape)
    b = reshape(other, (1,) * (n - other.ndim) + other.shape)
    # interleave: a's dims at even positions, b's at odd, then merge each pair
    ea = reshape(a, tuple(x for s in a.shape for x in (s, 1)))
    eb = reshape(b, tuple(x for s in b.shape for x in (1, s)))
    return reshape(mul(ea, eb), tuple(x * y for x, y in zip(a.shape, b.shape)))


def _parse(equation: str, shapes: list[tuple]) -> tuple[list[str], str]:
    """Explicit subscripts for each operand and the output (ellipses spelled out)."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: the equation names {len(terms)} operand(s), got {len(shapes)}")
    used = set(eq) - set(".,->")
    spare = [c for c in string.ascii_letters if c not in used]
    n_ell = max((len(s) - len(t.replace("...", "")) for t, s in zip(terms, shapes) if "..." in t), default=0)
    ell = "".join(spare[:n_ell])
    out_terms = []
    for t, s in zip(terms, shapes):
        if "..." in t:
            k = len(s) - len(t.replace("...", ""))
            t = t.replace("...", ell[n_ell - k:] if k else "")
        if len(t) != len(s):
            raise ShapeError(f"einsum: subscripts {t!r} do not fit an operand of shape {s}")
        out_terms.append(t)
    if arrow:
        out = rhs.replace("...", ell)
    else:
        counts = {c: "".join(out_terms).count(c) for c in set("".join(out_terms))}
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    return out_terms, out


class Einsum(Op):
    def forward(self, *arrays, terms=(), out=""):
        xp = xp_of(arrays[0])
        self.arrays, self.terms, self.out = arrays, terms, out
        return xp.einsum(",".join(terms) + "->" + out, *arrays)

    def backward(self, g):
        xp = xp_of(g)
        grads = []
        for i, (a, t) in enumerate(zip(self.arrays, self.terms)):
            if not self.needs[i]:
                grads.append(None)
                continue
            if len(set(t)) != len(t):
                raise NotImplementedError(
                    f"einsum: the gradient for an operand with a repeated subscript ({t!r}) is not "
                    f"supported; take the diagonal first with hw.diagonal"
                )
            others = [(b, s) for j, (b, s) in enumerate(zip(self.arrays, self.terms)) if j != i]
            present = set(self.out).union(*[set(s) for _, s in others])
            kept = "".join(c for c in t if c in present)
            spec = ",".join([self.out] + [s for _, s in others]) + "->" + kept
            gi = xp.einsum(spec, g, *[b for b, _ in others])
            sizes = dict(zip(self.out, g.shape))
            for b, s in [(a, t)] + others:
                for c, n in zip(s, b.shape):
                    sizes[c] = max(sizes.get(c, 1), n)
            # subscripts only this operand has were summed away: broadcast back
            gi = gi.reshape([sizes[c] if c in present else 1 for c in t])
            full = tuple(sizes[c] for c in t)
            gi = xp.broadcast_to(gi, full) if gi.shape != full else gi
            grads.append(unbroadcast(gi, a.shape) if gi.shape != a.shape else gi)
        return tuple(grads)


def einsum(equation: str, *operands: Tensor | Sequence[Tensor]) -> Tensor:
    """Sum of products named by subscripts, as ``numpy.einsum`` (``"ij,jk->ik"``,
    ``"...ij->...ji"``, an implicit output when there is no ``->``); operands may
    also be passed as one list.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.einsum("ij,jk->ik", hw.ones(2, 3), hw.ones(3, 4)).shape
    (2, 4)
    >>> hw.einsum("bi,bi->b", [hw.ones(2, 3), hw.ones(2, 3)]).tolist()
    [3.0, 3.0]
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError("einsum: the first argument must be the equation string (sublist form is not supported)")
    for t in operands:
        if not isinstance(t, Tensor):
            raise TypeError(f"einsum: operands must be Tensors, got {type(t).__name__}")
    terms, out = _parse(equation, [t.shape for t in operands])
    return Einsum.apply(*operands, terms=tuple(terms), out=out)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``y[..., o] = input1 @ weight[o] @ input2 + bias[o]`` for ``weight`` of shape
    (out, in1, in2), inputs (..., in1) and (..., in2).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.bilinear(hw.ones(2, 3), hw.ones(2, 4), hw.ones(5, 3, 4)).shape
    (2, 5)
    """
    if weight.ndim != 3 or input1.shape[-1:] != weight.shape[1:2] or input2.shape[-1:] != weight.shape[2:]:
        raise ShapeError(
            f"bilinear: inputs {input1.shape} and {input2.shape} do not fit weight {weight.shape} "
            f"(expected (..., in1), (..., in2) and (out, in1, in2))"
        )
    out = einsum("...i,oij,...j->...o", input1, weight, input2)
    return out if bias is None else add(out, bias)
