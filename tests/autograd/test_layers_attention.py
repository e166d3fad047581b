"""scaled_dot_product_attention, MultiheadAttention and the Transformer layers against
PyTorch with PyTorch's weights loaded."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_helpers import rand64

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def _load(hm, tm):
    hm.load_state_dict({k: hw.as_tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})


def _close(h, t, tol=1e-10):
    np.testing.assert_allclose(h.detach().numpy(), t.detach().numpy(), atol=tol, rtol=1e-9)


@pytest.mark.parametrize("kw", [dict(), dict(is_causal=True), dict(mask="bool"), dict(mask="float"),
                                dict(scale=0.3), dict(gqa=True)])
def test_sdpa_matches_torch(kw):
    rng = np.random.default_rng(0)
    q = rng.standard_normal((2, 4, 5, 8))
    kv_heads = 2 if kw.get("gqa") else 4
    k, v = rng.standard_normal((2, kv_heads, 6, 8)), rng.standard_normal((2, kv_heads, 6, 3))
    if kw.get("is_causal"):
        k, v = k[:, :, :5], v[:, :, :5]
    args = dict(is_causal=kw.get("is_causal", False), scale=kw.get("scale"), enable_gqa=kw.get("gqa", False))
    masks = {"bool": rng.random((5, 6)) > 0.3, "float": rng.standard_normal((5, 6))}
    m = masks.get(kw.get("mask"))
    if m is not None:
        m[:, 0] = True if m.dtype == bool else m[:, 0]
    ins = [q, k, v]
    th = [torch.tensor(a, requires_grad=True) for a in ins]
    hh = [hw.as_tensor(a, requires_grad=True) for a in ins]
    to = torch.nn.functional.scaled_dot_product_attention(*th, attn_mask=None if m is None else torch.tensor(m), **args)
    ho = hw.nn.functional.scaled_dot_product_attention(*hh, attn_mask=None if m is None else hw.as_tensor(m), **args)
    _close(ho, to)
    (to ** 2).sum().backward()
    (ho ** 2).sum().backward()
    for h, t in zip(hh, th):
        _close(h.grad, t.grad)


def test_gradcheck_sdpa():
    assert hw.autograd.gradcheck(lambda q, k, v: hw.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True),
                                 [rand64(1, 2, 4, 3), rand64(1, 2, 4, 3, seed=1), rand64(1, 2, 4, 3, seed=2)])


@pytest.mark.parametrize("kw", [dict(batch_first=True), dict(kdim=6, vdim=5), dict(add_bias_kv=True, add_zero_attn=True)])
@pytest.mark.parametrize("average", [True, False])
def test_multihead_attention_matches_torch(kw, average):
    torch.manual_seed(0)
    tm = torch.nn.MultiheadAttention(16, 4, **kw).double().eval()
    hm = hw.nn.MultiheadAttention(16, 4, dtype=hw.float64, **kw).eval()
    _load(hm, tm)
    rng = np.random.default_rng(0)
    bf = kw.get("batch_first", False)
    kd, vd = kw.get("kdim", 16), kw.get("vdim", 16)
    q = rng.standard_normal((2, 5, 16) if bf else (5, 2, 16))
    k = rng.standard_normal((2, 7, kd) if bf else (7, 2, kd))
    v = rng.standard_normal((2, 7, vd) if bf else (7, 2, vd))
    kpm = np.zeros((2, 7), bool)
    kpm[1, -2:] = True
    am = np.triu(np.ones((5, 7), bool), 3)
    th = [torch.tensor(a, requires_grad=True) for a in (q, k, v)]
    hh = [hw.as_tensor(a, requires_grad=True) for a in (q, k, v)]
    to, tw = tm(*th, key_padding_mask=torch.tensor(kpm), attn_mask=torch.tensor(am), average_attn_weights=average)
    ho, hwt = hm(*hh, key_padding_mask=hw.as_tensor(kpm), attn_mask=hw.as_tensor(am), average_attn_weights=average)
    _close(ho, to)
    _close(hwt, tw)
    (to ** 2).sum().backward()
    (ho ** 2).sum().backward()
    for h, t in zip(hh, th):
        _close(h.grad, t.grad)
    tp = dict(tm.named_parameters())
    for name, p in hm.named_parameters():
        _close(p.grad, tp[name].grad)


@pytest.mark.parametrize("kw", [dict(), dict(norm_first=True, activation="relu", batch_first=True)])
def test_transformer_matches_torch(kw):
    torch.manual_seed(0)
    tm = torch.nn.Transformer(16, 4, 2, 2, 32, dropout=0.0, **kw).double().eval()
    hm = hw.nn.Transformer(16, 4, 2, 2, 32, dropout=0.0, dtype=hw.float64, **kw).eval()
    assert list(hm.state_dict()) == list(tm.state_dict())
    _load(hm, tm)
    rng = np.random.default_rng(1)
    bf = kw.get("batch_first", False)
    src = rng.standard_normal((2, 5, 16) if bf else (5, 2, 16))
    tgt = rng.standard_normal((2, 6, 16) if bf else (6, 2, 16))
    kpm = np.zeros((2, 5), bool)
    kpm[0, -1] = True
    to = tm(torch.tensor(src), torch.tensor(tgt),
            tgt_mask=torch.nn.Transformer.generate_square_subsequent_mask(6, dtype=torch.float64),
            src_key_padding_mask=torch.tensor(kpm), memory_key_padding_mask=torch.tensor(kpm))
    ho = hm(hw.as_tensor(src), hw.as_tensor(tgt),
            tgt_mask=hw.nn.Transformer.generate_square_subsequent_mask(6, dtype=hw.float64),
            src_key_padding_mask=hw.as_tensor(kpm), memory_key_padding_mask=hw.as_tensor(kpm))
    _close(ho, to, 1e-9)


def test_attention_errors():
    mha = hw.nn.MultiheadAttention(8, 2)
    x = hw.randn(3, 2, 8)
    with pytest.raises(ValueError, match=r"attn_mask of shape \(2, 2\) should be \(3, 3\)"):
        mha(x, x, x, attn_mask=hw.zeros(2, 2))
    with pytest.raises(ValueError, match="key_padding_mask should be"):
        mha(x, x, x, key_padding_mask=hw.zeros(3, 3, dtype=hw.bool))
    with pytest.raises(ValueError, match="divisible by num_heads"):
        hw.nn.MultiheadAttention(10, 3)
    with pytest.raises(RuntimeError, match="attn_mask"):
        mha(x, x, x, is_causal=True)
