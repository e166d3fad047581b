"""Bags of embeddings: ``embedding_bag`` and ``EmbeddingBag`` (sums, means or
maxima of embedding rows per bag, without materialising the per-token rows'
layout), built on the differentiable embedding lookup and index reductions."""

from __future__ import annotations

from typing import Any

from headwater.autograd.function import wrap, xp_of
from headwater.autograd.nn import init
from headwater.autograd.nn.linear import embedding_table, refuse_sparse_options
from headwater.autograd.nn.module import Module
from headwater.autograd.ops import scattering
from headwater.autograd.ops.indexing import embedding
from headwater.tensor.creation import zeros
from headwater.tensor.tensor import Tensor

__all__ = ["embedding_bag", "EmbeddingBag"]

_MODES = ("sum", "mean", "max")


def _bag_ids(input: Tensor, offsets: Tensor | None, include_last_offset: bool) -> tuple[Any, Any, int]:
    """(flat indices, bag id of each, number of bags)."""
    idx = input.array
    xp = xp_of(idx)
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError("embedding_bag: offsets must be None when input is 2-D (each row is a bag)")
        n_bags, length = idx.shape
        return idx.reshape(-1), xp.repeat(xp.arange(n_bags), length), n_bags
    if idx.ndim != 1:
        raise ValueError(f"embedding_bag: input must be 1-D (with offsets) or 2-D, got shape {input.shape}")
    if offsets is None:
        raise ValueError("embedding_bag: a 1-D input needs offsets (the start of each bag)")
    if not isinstance(offsets, Tensor) or offsets.ndim != 1 or offsets.dtype.kind not in "iu":
        raise TypeError("embedding_bag: offsets must be a 1-D integer Tensor")
    starts = offsets.array
    n_bags = starts.shape[0] - 1 if include_last_offset else starts.shape[0]
    if n_bags < 0:
        raise ValueError("embedding_bag: include_last_offset=True needs at least one offset")
    ids = xp.searchsorted(starts[:n_bags], xp.arange(idx.shape[0]), side="right") - 1
    # tokens before the first offset or past include_last_offset's end belong to no bag
    ids = xp.where(ids < 0, n_bags, ids)
    if include_last_offset:
        ids = xp.where(xp.arange(idx.shape[0]) >= starts[-1], n_bags, ids)
    return idx, ids, n_bags


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                  sparse: bool = False, per_sample_weights: Tensor | None = None,
                  include_last_offset: bool = False, padding_idx: int | None = None) -> Tensor:
    """Reduce the embedding rows of each bag of indices: ``mode`` ``"sum"``,
    ``"mean"`` or ``"max"``, as ``torch.nn.functional.embedding_bag``.

    A 2-D ``input`` holds one bag per row; a 1-D ``input`` is split at ``offsets``.
    ``per_sample_weights`` (``mode="sum"`` only) scales each row before summing;
    indices equal to ``padding_idx`` are left out (also from the mean's count). An
    empty bag gives zeros. Differentiable in ``weight`` and ``per_sample_weights``.

    Examples
    --------
    >>> import headwater as hw
    >>> w = hw.arange(8.0).reshape(4, 2)
    >>> idx, off = hw.as_tensor([0, 2, 1, 3]), hw.as_tensor([0, 2])
    >>> hw.nn.functional.embedding_bag(idx, w, off, mode="sum").tolist()
    [[4.0, 6.0], [8.0, 10.0]]
    >>> hw.nn.functional.embedding_bag(hw.as_tensor([[0, 3]]), w, mode="max").tolist()
    [[6.0, 7.0]]
    """
    refuse_sparse_options(max_norm, scale_grad_by_freq, sparse, "embedding_bag")
    if mode not in _MODES:
        raise ValueError(f"embedding_bag: mode must be one of {_MODES}, got {mode!r}")
    if not isinstance(input, Tensor) or input.dtype.kind not in "iu":
        raise TypeError("embedding_bag: input must be an integer Tensor of indices")
    if weight.ndim != 2:
        raise ValueError(f"embedding_bag: weight must be 2-D (num_embeddings, dim), got shape {weight.shape}")
    flat, ids, n_bags = _bag_ids(input, offsets, include_last_offset)
    xp = xp_of(flat)
    if padding_idx is not None:
        if not -weight.shape[0] <= padding_idx < weight.shape[0]:
            raise IndexError(f"embedding_bag: padding_idx {padding_idx} is outside [0, {weight.shape[0]})")
        ids = xp.where(flat == padding_idx % weight.shape[0], n_bags, ids)
    rows = embedding(wrap(flat), weight)
    if per_sample_weights is not None:
        if mode != "sum":
            raise NotImplementedError(
                f"embedding_bag: per_sample_weights only works with mode='sum' (as in PyTorch), got mode={mode!r}"
            )
        if per_sample_weights.shape != input.shape:
            raise ValueError(
                f"embedding_bag: per_sample_weights has shape {per_sample_weights.shape}, the input {input.shape}"
            )
        rows = rows * per_sample_weights.reshape(-1, 1)
    # one extra bag collects padding and out-of-bag tokens, dropped at the end
    out = zeros(n_bags + 1, weight.shape[1], dtype=weight.dtype, device=weight.device)
    bag = wrap(ids.astype("int64"))
    if mode == "max":
        index = wrap(xp.broadcast_to(ids.astype("int64")[:, None], rows.shape).copy())
        out = scattering.scatter_reduce(out, 0, index, rows, "amax", include_self=False)
    else:
        out = scattering.index_add(out, 0, bag, rows)
        if mode == "mean":
            counts = xp.bincount(ids, minlength=n_bags + 1)[: n_bags + 1]
            out = out / wrap(xp.maximum(counts, 1).astype(weight.dtype)[:, None])
    return out[:n_bags]


class EmbeddingBag(Module):
    """Sums, means or maxima of embedding rows per bag (``num_embeddings`` rows of
    size ``embedding_dim``, initialised N(0, 1), the ``padding_idx`` row at zero).

    ``forward(input, offsets=None, per_sample_weights=None)`` as
    :func:`embedding_bag`.

    Examples
    --------
    >>> import headwater as hw
    >>> bag = hw.nn.EmbeddingBag(10, 3, mode="sum")
    >>> bag(hw.as_tensor([1, 2, 4, 5, 4]), hw.as_tensor([0, 2])).shape
    (2, 3)
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                 sparse: bool = False, _weight: Tensor | None = None, include_last_offset: bool = False,
                 padding_idx: int | None = None, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if mode not in _MODES:
            raise ValueError(f"EmbeddingBag: mode must be one of {_MODES}, got {mode!r}")
        self.mode, self.include_last_offset = mode, include_last_offset
        embedding_table(self, "EmbeddingBag", num_embeddings, embedding_dim, padding_idx, max_norm, norm_type,
                        scale_grad_by_freq, sparse, _weight, True, device, dtype)

    def reset_parameters(self) -> None:
        """Draw N(0, 1) weights, zeroing the padding row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.array[self.padding_idx] = 0

    def forward(self, input: Tensor, offsets: Tensor | None = None,
                per_sample_weights: Tensor | None = None) -> Tensor:
        return embedding_bag(input, self.weight, offsets, mode=self.mode,
                             per_sample_weights=per_sample_weights,
                             include_last_offset=self.include_last_offset, padding_idx=self.padding_idx)

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                        sparse: bool = False, include_last_offset: bool = False,
                        padding_idx: int | None = None) -> EmbeddingBag:
        """An EmbeddingBag whose weight is ``embeddings`` (shared, not copied),
        frozen unless ``freeze=False``.

        Examples
        --------
        >>> import headwater as hw
        >>> bag = hw.nn.EmbeddingBag.from_pretrained(hw.eye(3), mode="sum")
        >>> bag(hw.as_tensor([[0, 2]])).tolist(), bag.weight.requires_grad
        ([[1.0, 0.0, 1.0]], False)
        """
        if embeddings.ndim != 2:
            raise ValueError(f"EmbeddingBag.from_pretrained needs a 2-D tensor, got shape {embeddings.shape}")
        bag = cls(embeddings.shape[0], embeddings.shape[1], max_norm, norm_type, scale_grad_by_freq, mode,
                  sparse, _weight=embeddings, include_last_offset=include_last_offset, padding_idx=padding_idx)
        bag.weight.requires_grad_(not freeze)
        return bag

    def extra_repr(self) -> str:
        pad = f", padding_idx={self.padding_idx}" if self.padding_idx is not None else ""
        return f"{self.num_embeddings}, {self.embedding_dim}, mode={self.mode!r}{pad}"
