"""CTC loss against PyTorch: padded and concatenated targets, reductions, blank,
zero_infinity, float32, unbatched input; gradcheck of the true gradient; errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def _case(seed=0, T=12, N=4, C=6, S=5, blank=0):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((T, N, C))
    labels = [c for c in range(C) if c != blank]
    targets = rng.choice(labels, (N, S))
    targets[1, 1] = targets[1, 0]  # a repeated label needs a blank between
    return logits, targets, [T, T - 2, T, 7][:N], [S, 3, 0, 4][:N]


def _run(lib, logits, targets, il, tl, concat=False, dtype="float64", backward=True, **kw):
    x = lib.tensor(logits.astype(dtype), requires_grad=True) if lib is torch else \
        hw.as_tensor(logits.astype(dtype), requires_grad=True)
    t = targets
    if concat:
        t = np.concatenate([row[:n] for row, n in zip(targets, tl)])
    tt = torch.tensor(t) if lib is torch else hw.as_tensor(t)
    loss = lib.nn.functional.ctc_loss(x.log_softmax(-1), tt, il, tl, **kw)
    if backward:
        loss.sum().backward()
    return loss, x.grad


def _compare(h, t, tol):
    np.testing.assert_allclose(h.detach().numpy(), t.detach().numpy(), atol=tol, rtol=tol)


@pytest.mark.parametrize("dtype,tol", [("float64", 1e-10), ("float32", 2e-5)])
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("concat", [False, True])
def test_ctc_matches_torch(reduction, concat, dtype, tol):
    logits, targets, il, tl = _case()
    hl, hg = _run(hw, logits, targets, il, tl, concat, dtype, reduction=reduction)
    tloss, tg = _run(torch, logits, targets, il, tl, concat, dtype, reduction=reduction)
    assert hl.dtype == np.dtype(dtype) and hg.dtype == np.dtype(dtype)
    _compare(hl, tloss, tol)
    _compare(hg, tg, tol)


def test_ctc_blank_elsewhere_tensor_lengths_and_module():
    logits, targets, il, tl = _case(seed=1, blank=5)
    h = hw.nn.CTCLoss(blank=5)(hw.as_tensor(logits).log_softmax(-1), hw.as_tensor(targets),
                               hw.as_tensor(np.array(il)), hw.as_tensor(np.array(tl)))
    t = torch.nn.CTCLoss(blank=5)(torch.tensor(logits).log_softmax(-1), torch.tensor(targets),
                                  torch.tensor(il), torch.tensor(tl))
    _compare(h, t, 1e-10)
    assert repr(hw.nn.CTCLoss()) == repr(torch.nn.CTCLoss())


def test_ctc_zero_infinity_matches_torch():
    logits, targets, _, tl = _case(seed=2)
    il = [12, 2, 12, 3]  # sequence 1 is too short for its 3 labels: an infinite loss
    for zero in (False, True):
        hl, hg = _run(hw, logits, targets, il, tl, reduction="none", zero_infinity=zero, backward=zero)
        tloss, tg = _run(torch, logits, targets, il, tl, reduction="none", zero_infinity=zero, backward=zero)
        _compare(hl, tloss, 1e-10)
        if zero:
            _compare(hg, tg, 1e-10)
        else:
            assert np.isinf(hl.detach().numpy()[1])


def test_ctc_unbatched_matches_torch():
    logits, targets, il, tl = _case(seed=3)
    h = hw.nn.functional.ctc_loss(hw.as_tensor(logits[:, 0]).log_softmax(-1), hw.as_tensor(targets[0]),
                                  (il[0],), (tl[0],), reduction="none")
    t = torch.nn.functional.ctc_loss(torch.tensor(logits[:, 0]).log_softmax(-1), torch.tensor(targets[0]),
                                     (il[0],), (tl[0],), reduction="none")
    assert h.shape == tuple(t.shape)
    _compare(h, t, 1e-10)


def test_ctc_gradcheck_of_log_probs():
    logits, targets, il, tl = _case(seed=4, T=6, N=3, C=4, S=3)
    lp = hw.as_tensor(logits, requires_grad=True)
    assert hw.autograd.gradcheck(lambda x: hw.nn.functional.ctc_loss(
        x, hw.as_tensor(targets), il[:3], [3, 2, 0], reduction="none"), [lp])


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 9), st.integers(1, 3), st.integers(2, 5), st.data())
def test_ctc_random_lengths_match_torch(steps, n, classes, data):
    rng = np.random.default_rng(steps * 100 + n * 10 + classes)
    il = [data.draw(st.integers(1, steps)) for _ in range(n)]
    tl = [data.draw(st.integers(0, 4)) for _ in range(n)]
    targets = rng.integers(1, classes, (n, 4))
    logits = rng.standard_normal((steps, n, classes))
    hl, hg = _run(hw, logits, targets, il, tl, reduction="none", zero_infinity=True)
    tloss, tg = _run(torch, logits, targets, il, tl, reduction="none", zero_infinity=True)
    _compare(hl, tloss, 1e-9)
    _compare(hg, tg, 1e-9)


def test_ctc_bad_input_names_the_problem():
    lp = hw.zeros(5, 2, 3).log_softmax(-1)
    F = hw.nn.functional
    with pytest.raises(ValueError, match=r"input_lengths must be in \[1, 5\]"):
        F.ctc_loss(lp, hw.as_tensor([[1], [2]]), [6, 5], [1, 1])
    with pytest.raises(hw.autograd.ShapeError, match="one length per sequence"):
        F.ctc_loss(lp, hw.as_tensor([[1], [2]]), [5], [1, 1])
    with pytest.raises(hw.autograd.ShapeError, match="target_lengths sum to 3"):
        F.ctc_loss(lp, hw.as_tensor([1, 2]), [5, 5], [1, 2])
    with pytest.raises(hw.autograd.ShapeError, match="the longest target_length"):
        F.ctc_loss(lp, hw.as_tensor([[1], [2]]), [5, 5], [1, 2])
    with pytest.raises(TypeError, match="targets must hold integer"):
        F.ctc_loss(lp, hw.as_tensor([[1.0], [2.0]]), [5, 5], [1, 1])
    with pytest.raises(ValueError, match=r"blank must be in \[0, 3\)"):
        F.ctc_loss(lp, hw.as_tensor([[1], [2]]), [5, 5], [1, 1], blank=3)
    with pytest.raises(ValueError, match="reduction must be one of"):
        F.ctc_loss(lp, hw.as_tensor([[1], [2]]), [5, 5], [1, 1], reduction="avg")
