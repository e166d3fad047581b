"""RNN, LSTM and GRU against PyTorch with PyTorch's weights loaded: padded and packed
sequences, bidirectional and stacked, cells, packing utilities, gradchecks, errors."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_helpers import rand64
from headwater.nn.utils import rnn as hrnn

import headwater as hw
from headwater.autograd.ops.recurrent import (
    GRUSequence,
    LSTMSequence,
    ProjectedLSTMSequence,
    RNNSequence,
)

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def _pair(name, **kw):
    torch.manual_seed(0)
    tm = getattr(torch.nn, name)(5, 7, **kw).double()
    hm = getattr(hw.nn, name)(5, 7, dtype=hw.float64, **kw)
    hm.load_state_dict({k: hw.as_tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    return tm, hm


def _close(h, t, tol=1e-10):
    np.testing.assert_allclose(h.detach().numpy(), t.detach().numpy(), atol=tol, rtol=1e-9)


CONFIGS = [
    ("LSTM", dict(num_layers=2, bidirectional=True)),
    ("LSTM", dict(bias=False, batch_first=True)),
    ("GRU", dict(num_layers=2, bidirectional=True, batch_first=True)),
    ("GRU", dict()),
    ("RNN", dict(num_layers=2, bidirectional=True, nonlinearity="relu")),
    ("RNN", dict(bias=False)),
]


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("name,kw", CONFIGS)
def test_recurrent_layers_match_torch(name, kw, packed):
    tm, hm = _pair(name, **kw)
    bf = kw.get("batch_first", False)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 6, 5) if bf else (6, 4, 5))
    directions = 2 if kw.get("bidirectional") else 1
    h0 = rng.standard_normal((kw.get("num_layers", 1) * directions, 4, 7))
    tx, hx = torch.tensor(x, requires_grad=True), hw.as_tensor(x, requires_grad=True)
    t0, g0 = torch.tensor(h0, requires_grad=True), hw.as_tensor(h0, requires_grad=True)
    state_t = (t0, t0 * 0.5) if name == "LSTM" else t0
    state_h = (g0, g0 * 0.5) if name == "LSTM" else g0
    if packed:
        lengths = [6, 3, 5, 2]
        ti = torch.nn.utils.rnn.pack_padded_sequence(tx, lengths, batch_first=bf, enforce_sorted=False)
        hi = hrnn.pack_padded_sequence(hx, lengths, batch_first=bf, enforce_sorted=False)
        to, ts = tm(ti, state_t)
        ho, hs = hm(hi, state_h)
        to, tl = torch.nn.utils.rnn.pad_packed_sequence(to, batch_first=bf)
        ho, hl = hrnn.pad_packed_sequence(ho, batch_first=bf)
        assert hl.tolist() == tl.tolist()
    else:
        to, ts = tm(tx, state_t)
        ho, hs = hm(hx, state_h)
    _close(ho, to)
    if name == "LSTM":
        _close(hs[0], ts[0])
        _close(hs[1], ts[1])
        ts, hs = ts[0] * 1.5 + ts[1], hs[0] * 1.5 + hs[1]
    else:
        _close(hs, ts)
    ((to ** 2).sum() + (ts ** 3).sum()).backward()
    ((ho ** 2).sum() + (hs ** 3).sum()).backward()
    _close(hx.grad, tx.grad, 1e-9)
    _close(g0.grad, t0.grad, 1e-9)
    hp = dict(hm.named_parameters())
    for key, p in tm.named_parameters():
        _close(hp[key].grad, p.grad, 1e-9)


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("kw", [dict(num_layers=2, bidirectional=True), dict(batch_first=True, bias=False)])
def test_lstm_proj_size_matches_torch(kw, packed):
    tm, hm = _pair("LSTM", proj_size=3, **kw)
    assert list(hm.state_dict()) == list(tm.state_dict())
    assert dict(hm.named_parameters())["weight_hr_l0"].shape == (3, 7) and repr(hm) == repr(tm)
    bf = kw.get("batch_first", False)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 6, 5) if bf else (6, 4, 5))
    layers = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
    h0, c0 = rng.standard_normal((layers, 4, 3)), rng.standard_normal((layers, 4, 7))
    tx, hx = torch.tensor(x, requires_grad=True), hw.as_tensor(x, requires_grad=True)
    ts0 = tuple(torch.tensor(a, requires_grad=True) for a in (h0, c0))
    hs0 = tuple(hw.as_tensor(a, requires_grad=True) for a in (h0, c0))
    if packed:
        lengths = [6, 3, 5, 2]
        to, (th, tc) = tm(torch.nn.utils.rnn.pack_padded_sequence(tx, lengths, batch_first=bf,
                                                                  enforce_sorted=False), ts0)
        ho, (hh, hc) = hm(hrnn.pack_padded_sequence(hx, lengths, batch_first=bf, enforce_sorted=False), hs0)
        to = torch.nn.utils.rnn.pad_packed_sequence(to, batch_first=bf)[0]
        ho = hrnn.pad_packed_sequence(ho, batch_first=bf)[0]
    else:
        to, (th, tc) = tm(tx, ts0)
        ho, (hh, hc) = hm(hx, hs0)
    for h, t in ((ho, to), (hh, th), (hc, tc)):
        _close(h, t)
    ((to ** 2).sum() + (th ** 3).sum() + (tc * th.sum()).sum()).backward()
    ((ho ** 2).sum() + (hh ** 3).sum() + (hc * hh.sum()).sum()).backward()
    for h, t in ((hx, tx), *zip(hs0, ts0)):
        _close(h.grad, t.grad, 1e-9)
    hp = dict(hm.named_parameters())
    for key, p in tm.named_parameters():
        _close(hp[key].grad, p.grad, 1e-9)


def test_lstm_proj_size_float32_and_errors():
    lstm = hw.nn.LSTM(4, 6, proj_size=2)
    out, (h, c) = lstm(hw.randn(5, 3, 4))
    assert out.shape == (5, 3, 2) and h.shape == (1, 3, 2) and c.shape == (1, 3, 6)
    assert out.dtype == h.dtype == c.dtype == hw.float32
    with pytest.raises(ValueError, match=r"proj_size \(6\) has to be smaller than hidden_size \(6\)"):
        hw.nn.LSTM(4, 6, proj_size=6)
    with pytest.raises(ValueError, match=r"expected h_0 size \(1, 3, 2\), got \(1, 3, 6\)"):
        lstm(hw.randn(5, 3, 4), (hw.zeros(1, 3, 6), hw.zeros(1, 3, 6)))


def test_gradcheck_projected_lstm_op():
    xproj, w, b = rand64(7, 12), rand64(12, 2, seed=1), rand64(12, seed=2)
    h0, c0, w_hr = rand64(3, 2, seed=3), rand64(3, 3, seed=4), rand64(2, 3, seed=5)
    for reverse in (False, True):
        fn = lambda *a, r=reverse: ProjectedLSTMSequence.apply(*a, batch_sizes=[3, 2, 2], reverse=r)  # noqa: E731
        assert hw.autograd.gradcheck(fn, [xproj, w, b, h0, c0, w_hr])


@pytest.mark.parametrize("name", ["LSTMCell", "GRUCell", "RNNCell"])
def test_cells_match_torch(name):
    tm, hm = _pair(name)
    x = np.random.default_rng(2).standard_normal((3, 5))
    to, ho = tm(torch.tensor(x)), hm(hw.as_tensor(x))
    if name == "LSTMCell":
        _close(ho[0], to[0])
        _close(ho[1], to[1])
    else:
        _close(ho, to)
    one = hm(hw.as_tensor(x[0]))  # unbatched input: (input_size,) -> (hidden_size,)
    assert (one[0] if name == "LSTMCell" else one).shape == (7,)


def test_unbatched_input_and_state_shapes():
    lstm = hw.nn.LSTM(3, 4, num_layers=2)
    out, (h, c) = lstm(hw.randn(6, 3))
    assert out.shape == (6, 4) and h.shape == (2, 4) and c.shape == (2, 4)


def test_state_dict_keys_are_torch_names():
    _, hm = _pair("LSTM", num_layers=2, bidirectional=True)
    tm = torch.nn.LSTM(5, 7, num_layers=2, bidirectional=True)
    assert list(hm.state_dict()) == list(tm.state_dict())


@pytest.mark.parametrize("op,gates", [(LSTMSequence, 4), (GRUSequence, 3), (RNNSequence, 1)])
def test_gradcheck_sequence_ops(op, gates):
    xproj, w, b = rand64(7, gates * 3), rand64(gates * 3, 3, seed=1), rand64(gates * 3, seed=2)
    states = [rand64(3, 3, seed=3)] + ([rand64(3, 3, seed=4)] if op is LSTMSequence else [])
    fn = lambda *a: op.apply(*a, batch_sizes=[3, 2, 2], reverse=False)  # noqa: E731
    assert hw.autograd.gradcheck(fn, [xproj, w, b, *states])
    fn = lambda *a: op.apply(*a, batch_sizes=[3, 2, 2], reverse=True)  # noqa: E731
    assert hw.autograd.gradcheck(fn, [xproj, w, b, *states])


def test_packing_utilities_match_torch():
    seqs = [np.arange(n * 2, dtype=np.float64).reshape(n, 2) + n for n in (2, 4, 3)]
    hp = hrnn.pack_sequence([hw.as_tensor(s) for s in seqs], enforce_sorted=False)
    tp = torch.nn.utils.rnn.pack_sequence([torch.tensor(s) for s in seqs], enforce_sorted=False)
    _close(hp.data, tp.data)
    assert hp.batch_sizes.tolist() == tp.batch_sizes.tolist()
    assert hp.sorted_indices.tolist() == tp.sorted_indices.tolist()
    padded = hrnn.pad_sequence([hw.as_tensor(s) for s in seqs], batch_first=True, padding_value=-1.0)
    _close(padded, torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in seqs], batch_first=True,
                                                    padding_value=-1.0))
    back = hrnn.unpack_sequence(hp)
    assert [b.tolist() for b in back] == [s.tolist() for s in seqs]


def test_bad_input_raises_with_the_fix():
    lstm = hw.nn.LSTM(5, 7)
    with pytest.raises(ValueError, match="input_size. Expected 5, got 4"):
        lstm(hw.randn(3, 2, 4))
    with pytest.raises(ValueError, match=r"expected h_0 size \(1, 2, 7\)"):
        lstm(hw.randn(3, 2, 5), (hw.zeros(1, 3, 7), hw.zeros(1, 3, 7)))
    with pytest.raises(RuntimeError, match="enforce_sorted=False"):
        hrnn.pack_padded_sequence(hw.randn(4, 2, 5), [2, 4])
    with pytest.raises(ValueError, match="nonlinearity"):
        hw.nn.RNN(3, 4, nonlinearity="sigmoid")
