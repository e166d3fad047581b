"""hw.distributions against torch.distributions: values and gradients in float64,
shapes and dtypes, samples, kl_divergence and argument checks."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch
HD, TD = hw.distributions, torch.distributions


def _params(*arrays):
    h = [hw.tensor(a, requires_grad=True) for a in arrays]
    t = [torch.tensor(a, requires_grad=True) for a in arrays]
    return h, t


def _check(h_out, t_out, h_in, t_in, seed=0):
    """Same values and same gradients of a random weighting of the output."""
    np.testing.assert_allclose(h_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-9, atol=1e-12)
    assert h_out.shape == tuple(t_out.shape)
    w = np.random.default_rng(seed).standard_normal(tuple(t_out.shape))
    (h_out * hw.tensor(w)).sum().backward()
    (t_out * torch.tensor(w)).sum().backward()
    for h, t in zip(h_in, t_in):
        if t.grad is None:  # the output does not depend on this parameter
            assert h.grad is None or not h.grad.numpy().any()
            continue
        np.testing.assert_allclose(h.grad.numpy(), t.grad.numpy(), rtol=1e-8, atol=1e-12)
        h.grad, t.grad = None, None


rng = np.random.default_rng(0)
LOC, SCALE = rng.standard_normal((2, 3)), rng.uniform(0.5, 2.0, (3,))
X = rng.standard_normal((4, 2, 3))


@pytest.mark.parametrize("what", ["log_prob", "entropy", "mean", "variance", "stddev", "cdf", "icdf"])
def test_normal_matches_torch(what):
    (hl, hs), (tl, ts) = _params(LOC, SCALE)
    hd, td = HD.Normal(hl, hs), TD.Normal(tl, ts)
    assert hd.batch_shape == td.batch_shape and hd.event_shape == td.event_shape
    if what == "log_prob":
        h, t = hd.log_prob(hw.tensor(X)), td.log_prob(torch.tensor(X))
    elif what == "cdf":
        h, t = hd.cdf(hw.tensor(X)), td.cdf(torch.tensor(X))
    elif what == "icdf":
        q = rng.uniform(0.05, 0.95, (2, 3))
        h, t = hd.icdf(hw.tensor(q)), td.icdf(torch.tensor(q))
    elif what == "entropy":
        h, t = hd.entropy(), td.entropy()
    else:
        h, t = getattr(hd, what), getattr(td, what)
    _check(h, t, [hl, hs], [tl, ts])


@pytest.mark.parametrize("what", ["log_prob", "entropy", "mean", "variance", "cdf", "icdf"])
def test_uniform_matches_torch(what):
    low, width = rng.standard_normal(3), rng.uniform(1.0, 3.0, 3)
    (hl, hh), (tl, th) = _params(low, low + width)
    hd, td = HD.Uniform(hl, hh), TD.Uniform(tl, th)
    x = low + width * rng.uniform(0.1, 0.9, (5, 3))
    if what in ("log_prob", "cdf"):
        h, t = getattr(hd, what)(hw.tensor(x)), getattr(td, what)(torch.tensor(x))
    elif what == "icdf":
        q = rng.uniform(0.0, 1.0, (5, 3))
        h, t = hd.icdf(hw.tensor(q)), td.icdf(torch.tensor(q))
    elif what == "entropy":
        h, t = hd.entropy(), td.entropy()
    else:
        h, t = getattr(hd, what), getattr(td, what)
    _check(h, t, [hl, hh], [tl, th])


@pytest.mark.parametrize("form", ["probs", "logits"])
@pytest.mark.parametrize("what", ["log_prob", "entropy", "mean", "variance", "logits"])
def test_bernoulli_matches_torch(form, what):
    value = rng.uniform(0.1, 0.9, (2, 3)) if form == "probs" else rng.standard_normal((2, 3))
    (hp,), (tp,) = _params(value)
    hd, td = HD.Bernoulli(**{form: hp}), TD.Bernoulli(**{form: tp})
    if what == "log_prob":
        x = rng.integers(0, 2, (4, 2, 3)).astype(np.float64)
        h, t = hd.log_prob(hw.tensor(x)), td.log_prob(torch.tensor(x))
    elif what == "entropy":
        h, t = hd.entropy(), td.entropy()
    else:
        h, t = getattr(hd, what), getattr(td, what)
    _check(h, t, [hp], [tp])


@pytest.mark.parametrize("form", ["probs", "logits"])
@pytest.mark.parametrize("what", ["log_prob", "entropy", "probs", "logits"])
def test_categorical_matches_torch(form, what):
    value = rng.uniform(0.1, 2.0, (2, 4)) if form == "probs" else rng.standard_normal((2, 4))
    (hp,), (tp,) = _params(value)
    hd, td = HD.Categorical(**{form: hp}), TD.Categorical(**{form: tp})
    assert hd.batch_shape == td.batch_shape
    if what == "log_prob":
        x = rng.integers(0, 4, (5, 2))
        h, t = hd.log_prob(hw.tensor(x)), td.log_prob(torch.tensor(x))
    elif what == "entropy":
        h, t = hd.entropy(), td.entropy()
    else:
        h, t = getattr(hd, what), getattr(td, what)
    _check(h, t, [hp], [tp])
    assert np.isnan(hd.mean.numpy()).all() and hd.mean.shape == tuple(td.mean.shape)


def test_kl_divergence_matches_torch():
    (a, b, c, d), (ta, tb, tc, td) = _params(LOC[0], SCALE, LOC[1], SCALE[::-1].copy())
    _check(HD.kl_divergence(HD.Normal(a, b), HD.Normal(c, d)),
           TD.kl_divergence(TD.Normal(ta, tb), TD.Normal(tc, td)), [a, b, c, d], [ta, tb, tc, td])
    p, q = rng.uniform(0.05, 0.95, 3), rng.uniform(0.05, 0.95, 3)
    (hp, hq), (tp, tq) = _params(p, q)
    _check(HD.kl_divergence(HD.Bernoulli(hp), HD.Bernoulli(probs=hq)),
           TD.kl_divergence(TD.Bernoulli(tp), TD.Bernoulli(probs=tq)), [hp, hq], [tp, tq])
    p, q = rng.uniform(0.1, 1.0, (2, 5)), rng.standard_normal((2, 5))
    (hp, hq), (tp, tq) = _params(p, q)
    _check(HD.kl_divergence(HD.Categorical(probs=hp), HD.Categorical(logits=hq)),
           TD.kl_divergence(TD.Categorical(probs=tp), TD.Categorical(logits=tq)), [hp, hq], [tp, tq])
    (l1, h1, l2, h2), (tl1, th1, tl2, th2) = _params(np.array([0.0, 0.5]), np.array([1.0, 2.0]),
                                                     np.array([-1.0, 0.0]), np.array([2.0, 1.5]))
    h = HD.kl_divergence(HD.Uniform(l1, h1), HD.Uniform(l2, h2))
    t = TD.kl_divergence(TD.Uniform(tl1, th1), TD.Uniform(tl2, th2))
    np.testing.assert_allclose(h.detach().numpy(), t.detach().numpy())
    with pytest.raises(NotImplementedError, match="register_kl"):
        HD.kl_divergence(HD.Normal(0.0, 1.0), HD.Uniform(0.0, 1.0))


def test_zero_probabilities_give_finite_kl_like_torch():
    p = np.array([[0.0, 0.5, 0.5]])
    q = np.array([[0.2, 0.3, 0.5]])
    h = HD.kl_divergence(HD.Categorical(probs=hw.tensor(p)), HD.Categorical(probs=hw.tensor(q)))
    t = TD.kl_divergence(TD.Categorical(probs=torch.tensor(p)), TD.Categorical(probs=torch.tensor(q)))
    np.testing.assert_allclose(h.numpy(), t.numpy())
    h = HD.kl_divergence(HD.Categorical(probs=hw.tensor(q)), HD.Categorical(probs=hw.tensor(p)))
    assert np.isinf(h.numpy()).all()


def test_sample_shapes_and_dtypes_match_torch():
    cases = [
        (lambda D, m: D.Normal(m.zeros(2, 3), 1.0), (4,)),
        (lambda D, m: D.Uniform(m.zeros(3), 2.0), (2, 5)),
        (lambda D, m: D.Bernoulli(probs=m.full((3,), 0.5)), (6,)),
        (lambda D, m: D.Categorical(probs=m.ones(2, 4)), (5,)),
        (lambda D, m: D.Categorical(logits=m.zeros(4)), ()),
    ]
    for make, shape in cases:
        h, t = make(HD, hw).sample(shape), make(TD, torch).sample(shape)
        assert h.shape == tuple(t.shape) and h.dtype == np.dtype(str(t.dtype).replace("torch.", ""))
        assert not h.requires_grad
    hw.manual_seed(0)
    draws = HD.Categorical(probs=hw.tensor([0.2, 0.3, 0.5])).sample((20000,)).numpy()
    np.testing.assert_allclose(np.bincount(draws, minlength=3) / draws.size, [0.2, 0.3, 0.5], atol=0.015)
    x = HD.Normal(hw.tensor(2.0), 3.0).sample((20000,)).numpy()
    assert abs(x.mean() - 2.0) < 0.1 and abs(x.std() - 3.0) < 0.1
    u = HD.Uniform(1.0, 3.0).sample((20000,)).numpy()
    assert u.min() >= 1.0 and u.max() < 3.0 and abs(u.mean() - 2.0) < 0.03


def test_rsample_is_reparameterised():
    loc, scale = hw.tensor([1.0, -1.0], requires_grad=True), hw.tensor([2.0, 0.5], requires_grad=True)
    x = HD.Normal(loc, scale).rsample((3,))
    x.sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), [3.0, 3.0])
    eps = (x.detach() - loc.detach()) / scale.detach()
    np.testing.assert_allclose(scale.grad.numpy(), eps.sum(0).numpy(), rtol=1e-6)
    low, high = hw.tensor(0.0, requires_grad=True), hw.tensor(2.0, requires_grad=True)
    HD.Uniform(low, high).rsample((4,)).sum().backward()
    np.testing.assert_allclose(low.grad.item() + high.grad.item(), 4.0, rtol=1e-6)
    with pytest.raises(NotImplementedError, match="rsample"):
        HD.Bernoulli(0.5).rsample()
    assert HD.Normal(0.0, 1.0).has_rsample and not HD.Categorical(probs=hw.ones(2)).has_rsample


def test_float32_parameters_keep_float32():
    d = HD.Normal(hw.zeros(3), hw.ones(3))
    assert d.sample().dtype == hw.float32 and d.log_prob(hw.zeros(3)).dtype == hw.float32
    assert d.entropy().dtype == hw.float32 and HD.Normal(0.0, 1.0).mean.dtype == hw.float32


def test_arguments_are_validated_like_torch():
    for make in (lambda D, m: D.Normal(m.zeros(2), m.tensor([1.0, -1.0])),
                 lambda D, m: D.Uniform(m.ones(2), m.zeros(2)),
                 lambda D, m: D.Bernoulli(probs=m.tensor([1.5])),
                 lambda D, m: D.Categorical(probs=m.tensor([-1.0, 2.0]))):
        with pytest.raises(ValueError):
            make(TD, torch)
        with pytest.raises(ValueError, match="validate_args=False"):
            make(HD, hw)
    HD.Normal(hw.zeros(2), hw.tensor([1.0, -1.0]), validate_args=False)
    with pytest.raises(ValueError, match="exactly one of probs= or logits="):
        HD.Bernoulli()
    with pytest.raises(ValueError, match="0 or 1"):
        HD.Bernoulli(0.5).log_prob(hw.tensor([0.5]))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        HD.Categorical(probs=hw.ones(3)).log_prob(hw.tensor([3]))
    with pytest.raises(ValueError, match="outside"):
        HD.Uniform(0.0, 1.0).log_prob(hw.tensor([2.0]))
    assert np.isneginf(HD.Uniform(0.0, 1.0, validate_args=False).log_prob(hw.tensor([2.0])).numpy()).all()
