"""Attention: ``scaled_dot_product_attention`` and ``MultiheadAttention``, as PyTorch's.

Attention is two batched matrix products around a softmax over the key axis
(``softmax`` subtracts the row maximum, so large scores do not overflow). Mask
conventions are PyTorch's, which differ between the two entry points: for
``scaled_dot_product_attention`` a boolean ``attn_mask`` is True where attention is
*allowed*; for ``MultiheadAttention`` a boolean ``attn_mask`` or
``key_padding_mask`` is True where it is *not*. Float masks are added to the scores
in both.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from headwater.autograd.nn import functional as F
from headwater.autograd.nn import init
from headwater.autograd.nn.linear import Linear
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.parameter import Parameter
from headwater.autograd.ops import join
from headwater.autograd.ops.linalg import linear, matmul
from headwater.autograd.ops.select import where
from headwater.autograd.ops.softmax import softmax
from headwater.tensor.creation import empty, zeros
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor

__all__ = ["scaled_dot_product_attention", "MultiheadAttention", "causal_mask"]


def causal_mask(like: Tensor, target: int, source: int) -> Tensor:
    """A (target, source) boolean tensor, True on and below the diagonal."""
    return Tensor(backend_of(like.array).to_device(np.tril(np.ones((target, source), dtype=bool))))


def _is_bool(mask: Tensor) -> bool:
    return mask.dtype == np.dtype(bool)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """``softmax(q @ k^T * scale + mask) @ v`` over (..., L, E), (..., S, E), (..., S, Ev).

    ``attn_mask`` is boolean (True = may attend) or float (added to the scores) and
    broadcasts to (..., L, S); ``is_causal`` masks the upper triangle;
    ``enable_gqa`` lets ``key``/``value`` have fewer heads (dimension -3) than
    ``query``, each shared by a group of query heads.

    Examples
    --------
    >>> import headwater as hw
    >>> q = k = v = hw.randn(2, 4, 5, 8)
    >>> hw.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True).shape
    (2, 4, 5, 8)
    """
    op = "scaled_dot_product_attention"
    if query.ndim < 2 or key.ndim < 2 or value.ndim < 2:
        raise ValueError(f"{op}: query, key and value need at least 2 dimensions, got "
                         f"{query.shape}, {key.shape}, {value.shape}")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(f"{op}: query {query.shape}, key {key.shape} and value {value.shape} do not fit "
                         f"(query and key share the last size; key and value the sequence length)")
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        heads, kv = query.shape[-3], key.shape[-3]
        if heads % kv:
            raise ValueError(f"{op}: {heads} query heads are not a multiple of {kv} key/value heads")
        group = heads // kv

        def spread(t: Tensor) -> Tensor:
            t = t.unsqueeze(-3)
            shape = (*t.shape[:-3], group, *t.shape[-2:])
            return t.expand(*shape).reshape(*t.shape[:-4], heads, *t.shape[-2:])

        key, value = spread(key), spread(value)
    target, source = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = matmul(query, key.transpose(-2, -1)) * scale
    if is_causal:
        if attn_mask is not None:
            raise ValueError(f"{op}: pass either attn_mask or is_causal=True, not both")
        attn_mask = causal_mask(query, target, source)
    if attn_mask is not None:
        if _is_bool(attn_mask):
            scores = where(attn_mask, scores, float("-inf"))
        else:
            scores = scores + attn_mask
    attn = softmax(scores, -1)
    if dropout_p > 0.0:
        attn = F.dropout(attn, dropout_p, True)
    return matmul(attn, value)


def _float_mask(mask: Tensor, like: Tensor, name: str) -> Tensor:
    """A MultiheadAttention mask as additive floats (True / masked -> -inf)."""
    if _is_bool(mask):
        return where(mask, float("-inf"), 0.0).to(like.dtype)
    if mask.dtype.kind != "f":
        raise TypeError(f"MultiheadAttention: {name} must be bool or floating point, got {mask.dtype}")
    return mask.to(like.dtype)


class MultiheadAttention(Module):
    """Multi-head attention, as ``torch.nn.MultiheadAttention`` (same parameter names:
    ``in_proj_weight``/``in_proj_bias``, or ``q_proj_weight``... with ``kdim``/``vdim``;
    ``out_proj``; ``bias_k``/``bias_v`` with ``add_bias_kv``).

    ``forward(query, key, value, key_padding_mask=None, need_weights=True,
    attn_mask=None, average_attn_weights=True, is_causal=False)`` returns
    ``(output, weights)`` (weights None unless ``need_weights``).

    Examples
    --------
    >>> import headwater as hw
    >>> mha = hw.nn.MultiheadAttention(16, 4, batch_first=True)
    >>> x = hw.randn(2, 5, 16)
    >>> out, w = mha(x, x, x)
    >>> out.shape, w.shape
    ((2, 5, 16), (2, 5, 5))
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"MultiheadAttention: embed_dim and num_heads must be positive, got "
                             f"{embed_dim} and {num_heads}")
        if embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
        self.embed_dim, self.num_heads, self.dropout, self.batch_first = embed_dim, num_heads, dropout, batch_first
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.head_dim = embed_dim // num_heads
        kw = dict(device=device, dtype=dtype)
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(empty(3 * embed_dim, embed_dim, **kw))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        else:
            self.q_proj_weight = Parameter(empty(embed_dim, embed_dim, **kw))
            self.k_proj_weight = Parameter(empty(embed_dim, self.kdim, **kw))
            self.v_proj_weight = Parameter(empty(embed_dim, self.vdim, **kw))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * embed_dim, **kw))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, **kw)
        if add_bias_kv:
            self.bias_k = Parameter(empty(1, 1, embed_dim, **kw))
            self.bias_v = Parameter(empty(1, 1, embed_dim, **kw))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def _projections(self, query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        e = self.embed_dim
        b = self.in_proj_bias
        bq, bk, bv = (None, None, None) if b is None else (b[:e], b[e:2 * e], b[2 * e:])
        if self._qkv_same_embed_dim:
            w = self.in_proj_weight
            wq, wk, wv = w[:e], w[e:2 * e], w[2 * e:]
        else:
            wq, wk, wv = self.q_proj_weight, self.k_proj_weight, self.v_proj_weight
        return linear(query, wq, bq), linear(key, wk, bk), linear(value, wv, bv)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None,
                average_attn_weights: bool = True, is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        if is_causal and attn_mask is None:
            raise RuntimeError("MultiheadAttention: is_causal is a hint that attn_mask is the causal mask; "
                               "pass attn_mask as well (nn.Transformer.generate_square_subsequent_mask(L))")
        unbatched = query.ndim == 2
        if unbatched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif query.ndim != 3:
            raise ValueError(f"MultiheadAttention: query should be 2-d (unbatched) or 3-d, got {query.shape}")
        elif self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        target, batch, e = query.shape
        if e != self.embed_dim:
            raise ValueError(f"MultiheadAttention: expected query with embed_dim {self.embed_dim}, got {e}")
        if key.shape[:2] != value.shape[:2]:
            raise ValueError(f"MultiheadAttention: key {key.shape} and value {value.shape} must share (S, N)")
        q, k, v = self._projections(query, key, value)
        if self.bias_k is not None:
            k = join.cat([k, self.bias_k.expand(1, batch, e)], dim=0)
            v = join.cat([v, self.bias_v.expand(1, batch, e)], dim=0)
        if self.add_zero_attn:
            k = join.cat([k, zeros(1, batch, e, dtype=k.dtype, device=k.device)], dim=0)
            v = join.cat([v, zeros(1, batch, e, dtype=v.dtype, device=v.device)], dim=0)
        source = k.shape[0]
        extra = source - key.shape[0]
        h, d = self.num_heads, self.head_dim
        q = q.reshape(target, batch, h, d).permute(1, 2, 0, 3)
        k = k.reshape(source, batch, h, d).permute(1, 2, 0, 3)
        v = v.reshape(source, batch, h, d).permute(1, 2, 0, 3)
        scores = matmul(q * (1.0 / math.sqrt(d)), k.transpose(-2, -1))  # (N, h, L, S)
        if attn_mask is not None:
            m = _float_mask(attn_mask, scores, "attn_mask")
            if m.ndim == 2:
                if tuple(m.shape) != (target, source - extra):
                    raise ValueError(f"MultiheadAttention: attn_mask of shape {tuple(m.shape)} should be "
                                     f"({target}, {source - extra})")
            elif m.ndim == 3:
                if tuple(m.shape) != (batch * h, target, source - extra):
                    raise ValueError(f"MultiheadAttention: a 3-d attn_mask should be "
                                     f"({batch * h}, {target}, {source - extra}), got {tuple(m.shape)}")
                m = m.reshape(batch, h, target, source - extra)
            else:
                raise ValueError(f"MultiheadAttention: attn_mask must be 2-d or 3-d, got shape {tuple(m.shape)}")
            if extra:
                m = join.pad(m, [0, extra])
            scores = scores + m
        if key_padding_mask is not None:
            if tuple(key_padding_mask.shape) != (batch, source - extra):
                raise ValueError(f"MultiheadAttention: key_padding_mask should be ({batch}, {source - extra}), "
                                 f"got {tuple(key_padding_mask.shape)}")
            m = _float_mask(key_padding_mask, scores, "key_padding_mask")
            if extra:
                m = join.pad(m, [0, extra])
            scores = scores + m.reshape(batch, 1, 1, source)
        attn = softmax(scores, -1)
        if self.dropout > 0.0 and self.training:
            attn = F.dropout(attn, self.dropout, True)
        out = matmul(attn, v).permute(2, 0, 1, 3).reshape(target, batch, e)
        out = self.out_proj(out)
        if self.batch_first and not unbatched:
            out = out.transpose(0, 1)
        weights = None
        if need_weights:
            weights = attn.mean(dim=1) if average_attn_weights else attn
        if unbatched:
            out = out.squeeze(1)
            weights = None if weights is None else weights.squeeze(0)
        return out, weights

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"
