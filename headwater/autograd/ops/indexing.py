"""Indexing: ``t[...]``, gather, index_select, embedding, one_hot.

Backward of an index scatters the gradient into zeros; integer indices may repeat,
so those use ``xp.add.at`` (which adds repeated positions up).
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.reduce import norm_dims
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor

__all__ = ["getitem", "index_key", "gather", "index_select", "embedding", "one_hot"]

_BASIC = (int, slice, type(None), type(Ellipsis))


def index_key(key: Any, like: Any) -> tuple[Any, bool]:
    """``key`` with Tensors and lists turned into arrays on ``like``'s device, and
    whether it holds integer arrays (whose positions may repeat)."""
    parts = key if isinstance(key, tuple) else (key,)
    out = []
    repeats = False
    for part in parts:
        if isinstance(part, Tensor):
            if type(part.array) is not type(like):
                raise TypeError(
                    f"index is on {part.device} but the tensor is on another device; "
                    f"move the index with .to(...) first"
                )
            part = part.array
        elif isinstance(part, (list, range)):
            part = backend_of(like).to_device(list(part))
        elif not isinstance(part, _BASIC) and hasattr(part, "dtype") and type(part) is not type(like):
            raise TypeError(f"index of type {type(part).__name__} is not on the tensor's device")
        if hasattr(part, "dtype") and part.dtype.kind in "iu":
            repeats = True
        out.append(part)
    return tuple(out), repeats


class GetItem(Op):
    def forward(self, a, key=(), repeats=False):
        self.shape, self.key, self.repeats = a.shape, key, repeats
        return a[key]

    def backward(self, g):
        xp = xp_of(g)
        grad = xp.zeros(self.shape, g.dtype)
        if self.repeats:
            xp.add.at(grad, self.key, g)
        else:
            grad[self.key] = g
        return grad


class _ViewItem(GetItem):
    name = "getitem"
    is_view = True


def getitem(input: Tensor, key: Any) -> Tensor:
    """``input[key]`` with ints, slices, None, Ellipsis, bool masks and integer
    arrays (Tensors, lists or xp arrays), as in NumPy.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.arange(6).reshape(2, 3)
    >>> x[1].tolist(), x[:, 1:].tolist(), x[x > 3].tolist(), x[0, [2, 0]].tolist()
    ([3, 4, 5], [[1, 2], [4, 5]], [4, 5], [2, 0])
    """
    key, repeats = index_key(key, input.array)
    basic = all(isinstance(k, _BASIC) for k in key)
    try:
        return (_ViewItem if basic else GetItem).apply(input, key=key, repeats=repeats)
    except IndexError as exc:
        raise IndexError(f"getitem: index {key!r} does not fit a tensor of shape {input.shape}: {exc}") from None


def _grid(xp, shape: tuple, axis: int, index: Any) -> tuple:
    parts = []
    for k, n in enumerate(shape):
        if k == axis:
            parts.append(index)
        else:
            view = [1] * len(shape)
            view[k] = n
            parts.append(xp.arange(n).reshape(view))
    return tuple(parts)


class Gather(Op):
    def forward(self, a, index, axis=0):
        xp = xp_of(a)
        if index.ndim != a.ndim:
            raise ValueError(f"index has {index.ndim} dimension(s), input has {a.ndim}; they must match")
        self.shape, self.index, self.axis = a.shape, index, axis
        return xp.take_along_axis(a, index, axis=axis)

    def backward(self, g):
        xp = xp_of(g)
        grad = xp.zeros(self.shape, g.dtype)
        xp.add.at(grad, _grid(xp, self.index.shape, self.axis, self.index), g)
        return grad, None


class IndexSelect(Op):
    def forward(self, a, index, axis=0):
        xp = xp_of(a)
        self.shape, self.index, self.axis = a.shape, index, axis
        return xp.take(a, index, axis=axis)

    def backward(self, g):
        xp = xp_of(g)
        grad = xp.zeros(self.shape, g.dtype)
        xp.add.at(grad, (slice(None),) * self.axis + (self.index,), g)
        return grad, None


class Embedding(Op):
    def forward(self, weight, index, padding_idx=None):
        self.shape, self.index, self.padding_idx = weight.shape, index, padding_idx
        return weight[index]

    def backward(self, g):
        xp = xp_of(g)
        grad = xp.zeros(self.shape, g.dtype)
        xp.add.at(grad, self.index, g)
        if self.padding_idx is not None:
            grad[self.padding_idx] = 0
        return grad, None


def _int_index(index: Tensor, op: str) -> Tensor:
    if not isinstance(index, Tensor) or index.array.dtype.kind not in "iu":
        got = index.dtype if isinstance(index, Tensor) else type(index).__name__
        raise TypeError(f"{op}: index must be an integer tensor, got {got}")
    return index


def gather(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """Values along ``dim`` at ``index`` (same number of dimensions as ``input``).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> hw.gather(x, 1, hw.as_tensor([[1], [0]])).tolist()
    [[2.0], [3.0]]
    """
    (axis,) = norm_dims(dim, input.ndim, "gather")
    return Gather.apply(input, _int_index(index, "gather"), axis=axis)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices at the 1-D ``index`` along ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.index_select(hw.arange(6).reshape(3, 2), 0, hw.as_tensor([2, 0])).tolist()
    [[4, 5], [0, 1]]
    """
    (axis,) = norm_dims(dim, input.ndim, "index_select")
    index = _int_index(index, "index_select")
    if index.ndim != 1:
        raise ValueError(f"index_select: index must be 1-D, got shape {index.shape}")
    return IndexSelect.apply(input, index, axis=axis)


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """Rows of ``weight`` at the integer ``input`` (any shape); the row at
    ``padding_idx`` gets no gradient.

    Examples
    --------
    >>> import headwater as hw
    >>> w = hw.arange(6.0).reshape(3, 2)
    >>> hw.nn.functional.embedding(hw.as_tensor([[2, 0]]), w).tolist()
    [[[4.0, 5.0], [0.0, 1.0]]]
    """
    _int_index(input, "embedding")
    return Embedding.apply(weight, input, padding_idx=padding_idx)


class OneHot(Op):
    differentiable = False

    def forward(self, index, n=0):
        xp = xp_of(index)
        return (index[..., None] == xp.arange(n)).astype("int64")


def one_hot(input: Tensor, num_classes: int = -1) -> Tensor:
    """int64 one-hot rows for the integer ``input`` (a last dimension of
    ``num_classes``; with -1 it is ``max + 1``, which reads one value to the host).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.one_hot(hw.as_tensor([0, 2]), 3).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    _int_index(input, "one_hot")
    if num_classes < 0:
        num_classes = int(input.max().item()) + 1 if input.numel() else 0
    return OneHot.apply(input, n=num_classes)
