"""Layers that map features: Linear, Embedding, Identity, Flatten, Unflatten."""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.nn import functional as F
from headwater.autograd.nn import init
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.parameter import Parameter
from headwater.autograd.ops.shape import flatten
from headwater.tensor.creation import empty
from headwater.tensor.tensor import Tensor

__all__ = ["Linear", "Embedding", "Identity", "Flatten", "Unflatten"]


def refuse_sparse_options(max_norm: Any, scale_grad_by_freq: bool, sparse: bool, what: str) -> None:
    """Raise for the embedding options Headwater does not implement (gradients are dense)."""
    for name, value, default in (("max_norm", max_norm, None), ("scale_grad_by_freq", scale_grad_by_freq, False),
                                 ("sparse", sparse, False)):
        if value != default:
            raise NotImplementedError(
                f"{what}({name}={value!r}) is not supported; leave it at {default!r} (gradients are dense; "
                f"renormalise rows yourself under hw.no_grad() for max_norm)"
            )


def embedding_table(module: Module, what: str, num_embeddings: int, embedding_dim: int,
                    padding_idx: int | None, max_norm: Any, norm_type: float, scale_grad_by_freq: bool,
                    sparse: bool, weight: Tensor | None, requires_grad: bool, device: Any, dtype: Any) -> None:
    """The lookup table of Embedding and EmbeddingBag: argument checks, ``padding_idx``
    made non-negative, and ``weight`` (fresh and initialised, or the one given)."""
    refuse_sparse_options(max_norm, scale_grad_by_freq, sparse, what)
    if padding_idx is not None:
        if not -num_embeddings <= padding_idx < num_embeddings:
            raise IndexError(f"{what}: padding_idx {padding_idx} is outside [0, {num_embeddings})")
        padding_idx %= num_embeddings
    module.num_embeddings, module.embedding_dim, module.padding_idx = num_embeddings, embedding_dim, padding_idx
    module.max_norm, module.norm_type, module.scale_grad_by_freq, module.sparse = None, norm_type, False, False
    if weight is None:
        module.weight = Parameter(empty(num_embeddings, embedding_dim, device=device, dtype=dtype))
        module.reset_parameters()
    else:
        if tuple(weight.shape) != (num_embeddings, embedding_dim):
            raise ValueError(
                f"{what}: _weight has shape {weight.shape}, expected ({num_embeddings}, {embedding_dim})"
            )
        module.weight = Parameter(weight, requires_grad=requires_grad)


class Linear(Module):
    """``y = x @ weight.T + bias`` with weight (out, in), initialised as PyTorch
    does: U(-1/sqrt(in), 1/sqrt(in)) for both weight and bias.

    Examples
    --------
    >>> import headwater as hw
    >>> fc = hw.nn.Linear(4, 2)
    >>> fc
    Linear(in_features=4, out_features=2, bias=True)
    >>> fc(hw.ones(3, 4)).shape
    (3, 2)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(empty(out_features, in_features, device=device, dtype=dtype))
        self.bias = Parameter(empty(out_features, device=device, dtype=dtype)) if bias else None
        if not bias:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights (kaiming_uniform_ with a=sqrt(5), as PyTorch)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Embedding(Module):
    """A lookup table of ``num_embeddings`` rows of size ``embedding_dim``,
    initialised N(0, 1); the ``padding_idx`` row starts at zero and gets no gradient.

    Examples
    --------
    >>> import headwater as hw
    >>> emb = hw.nn.Embedding(10, 3, padding_idx=0)
    >>> emb(hw.as_tensor([[1, 0]])).shape, emb.weight[0].tolist()
    ((1, 2, 3), [0.0, 0.0, 0.0])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Tensor | None = None, _freeze: bool = False,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        embedding_table(self, "Embedding", num_embeddings, embedding_dim, padding_idx, max_norm, norm_type,
                        scale_grad_by_freq, sparse, _weight, not _freeze, device, dtype)

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0,
                        scale_grad_by_freq: bool = False, sparse: bool = False) -> Embedding:
        """An Embedding whose weight is ``embeddings`` (shared, not copied), frozen
        unless ``freeze=False``; the ``padding_idx`` row keeps its values but gets no
        gradient.

        Examples
        --------
        >>> import headwater as hw
        >>> emb = hw.nn.Embedding.from_pretrained(hw.as_tensor([[1.0, 2.0], [3.0, 4.0]]))
        >>> emb(hw.as_tensor([1])).tolist(), emb.weight.requires_grad
        ([[3.0, 4.0]], False)
        """
        if not isinstance(embeddings, Tensor) or embeddings.ndim != 2:
            got = embeddings.shape if isinstance(embeddings, Tensor) else type(embeddings).__name__
            raise ValueError(f"Embedding.from_pretrained needs a 2-D Tensor, got {got}")
        rows, dim = embeddings.shape
        return cls(rows, dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=embeddings, _freeze=freeze)

    def reset_parameters(self) -> None:
        """Draw N(0, 1) weights, zeroing the padding row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.array[self.padding_idx] = 0

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(input, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        pad = f", padding_idx={self.padding_idx}" if self.padding_idx is not None else ""
        return f"{self.num_embeddings}, {self.embedding_dim}{pad}"


class Identity(Module):
    """Returns its input.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.ones(2)
    >>> hw.nn.Identity()(x) is x
    True
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Flatten(Module):
    """Merge dimensions ``start_dim..end_dim`` (by default all but the batch).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Flatten()(hw.zeros(2, 3, 4)).shape
    (2, 12)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        return flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension ``dim`` into ``unflattened_size`` (the inverse of Flatten;
    one size may be -1).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Unflatten(1, (3, 4))(hw.zeros(2, 12)).shape
    (2, 3, 4)
    """

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        if isinstance(dim, str):
            raise NotImplementedError("Unflatten with a named dimension is not supported; pass the dimension's index")
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:
        shape = tuple(input.shape)
        d = self.dim % len(shape) if shape else 0
        return input.reshape(*shape[:d], *self.unflattened_size, *shape[d + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
