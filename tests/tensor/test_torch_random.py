"""Random functions and hw.Generator: torch's forms, shapes and dtypes, and the
distributions they draw from (seeded, so every check is deterministic)."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def _dt(t) -> np.dtype:
    return np.dtype(str(t.dtype).replace("torch.", ""))


def test_generator_streams_replay_from_seed_and_state():
    g = hw.Generator()
    assert g.manual_seed(5) is g and g.initial_seed() == 5 and g.device == "cpu"
    a = hw.randn(4, generator=g)
    g.manual_seed(5)
    assert hw.randn(4, generator=g).tolist() == a.tolist()
    state = g.get_state()
    assert state.dtype == hw.uint8 and state.device == "cpu"
    b = hw.rand(3, generator=g)
    g.set_state(state)
    assert hw.rand(3, generator=g).tolist() == b.tolist()
    fresh = g.seed()
    assert g.initial_seed() == fresh and isinstance(fresh, int)
    with pytest.raises(ValueError, match="get_state"):
        g.set_state(hw.tensor([1, 2, 3], dtype=hw.uint8))
    with pytest.raises(TypeError, match="uint8"):
        g.set_state(hw.zeros(3))


def test_a_generator_is_independent_of_the_default_stream():
    hw.manual_seed(0)
    first = hw.rand(3).tolist()
    hw.manual_seed(0)
    g = hw.Generator().manual_seed(123)
    hw.rand(5, generator=g)
    assert hw.rand(3).tolist() == first
    assert hw.initial_seed() == 0
    state = hw.get_rng_state()
    x = hw.randn(2)
    hw.set_rng_state(state)
    assert hw.randn(2).tolist() == x.tolist()
    assert hw.default_generator.initial_seed() == 0


def test_a_generator_of_another_device_is_refused():
    g = hw.Generator("cuda")
    assert g.device == "cuda"
    with pytest.raises(ValueError, match="generator is on cuda"):
        hw.rand(2, generator=g, device="cpu")
    with pytest.raises(TypeError, match="hw.Generator"):
        hw.rand(2, generator=np.random.default_rng(0))


def test_every_random_function_takes_generator():
    def draws(g):
        x = hw.zeros(4)
        return [
            hw.rand(3, generator=g), hw.randn(3, generator=g), hw.randint(5, (3,), generator=g),
            hw.randperm(5, generator=g), hw.normal(0.0, 1.0, (3,), generator=g),
            hw.normal(hw.zeros(3), hw.ones(3), generator=g),
            hw.bernoulli(hw.full((3,), 0.5), generator=g), hw.poisson(hw.ones(3), generator=g),
            hw.multinomial(hw.ones(4), 2, generator=g),
            hw.multinomial(hw.ones(4), 3, replacement=True, generator=g),
            x.clone().normal_(generator=g), x.clone().uniform_(generator=g),
            x.clone().bernoulli_(0.5, generator=g), x.clone().random_(0, 9, generator=g),
            x.clone().exponential_(generator=g),
        ]

    a = draws(hw.Generator().manual_seed(3))
    b = draws(hw.Generator().manual_seed(3))
    assert [t.tolist() for t in a] == [t.tolist() for t in b]


@pytest.mark.parametrize("args", [(10, (3,)), (2, 10, (3, 2)), (-5, 5, (4,)), (3, (0,))])
def test_randint_forms_match_torch(args):
    h, t = hw.randint(*args), torch.randint(*args)
    assert h.shape == tuple(t.shape) and h.dtype == _dt(t)
    low, high = (0, args[0]) if len(args) == 2 else args[:2]
    assert bool(((h >= low) & (h < high)).all()) if h.numel() else True
    assert hw.randint(3, (2,), dtype=hw.int8).dtype == hw.int8
    with pytest.raises(ValueError, match="greater than low"):
        hw.randint(3, 3, (2,))
    with pytest.raises(ValueError, match="does not fit"):
        hw.randint(0, 300, (2,), dtype=hw.int8)


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_like_functions_match_torch(name):
    h, t = hw.zeros(2, 3, dtype=getattr(hw, name)), torch.zeros(2, 3, dtype=getattr(torch, name))
    for fn in ("rand_like", "randn_like"):
        ho, to = getattr(hw, fn)(h), getattr(torch, fn)(t)
        assert ho.shape == tuple(to.shape) and ho.dtype == _dt(to)
    ho, to = hw.randint_like(h, 4), torch.randint_like(t, 4)
    assert ho.dtype == _dt(to) and bool((ho < 4).all())
    ho, to = hw.randint_like(h, 2, 4), torch.randint_like(t, 2, 4)
    assert bool((ho >= 2).all()) and ho.dtype == _dt(to)
    assert hw.rand_like(h, dtype=hw.float64).dtype == hw.float64
    assert hw.randn_like(h, requires_grad=True).requires_grad
    with pytest.raises(hw.DTypeError, match="float"):
        hw.rand_like(hw.arange(3))


def test_normal_forms_shapes_dtypes_and_moments_match_torch():
    cases = [
        (lambda m: m.normal(m.zeros(2, 1), m.ones(3)), None),
        (lambda m: m.normal(m.zeros(4), 2.0), None),
        (lambda m: m.normal(1.0, m.ones(4, dtype=m.float64)), None),
        (lambda m: m.normal(2.0, 3.0, (2, 5)), None),
        (lambda m: m.normal(2.0, 3.0, size=(3,)), None),
    ]
    for fn, _ in cases:
        h, t = fn(hw), fn(torch)
        assert h.shape == tuple(t.shape) and h.dtype == _dt(t)
    hw.manual_seed(0)
    big = hw.normal(hw.full((40000,), 3.0), hw.full((40000,), 2.0)).numpy()
    assert abs(big.mean() - 3.0) < 0.05 and abs(big.std() - 2.0) < 0.05
    with pytest.raises(ValueError, match="std must be >= 0"):
        hw.normal(hw.zeros(2), hw.tensor([1.0, -1.0]))
    with pytest.raises(TypeError, match="needs size"):
        hw.normal(0.0, 1.0)


@pytest.mark.parametrize("name", ["float32", "float64"])
def test_bernoulli_and_poisson_dtypes_and_moments(name):
    hw.manual_seed(1)
    p = hw.full((50000,), 0.3, dtype=getattr(hw, name))
    h, t = hw.bernoulli(p), torch.bernoulli(torch.full((50000,), 0.3, dtype=getattr(torch, name)))
    assert h.dtype == _dt(t) and set(np.unique(h.numpy())) <= {0.0, 1.0}
    assert abs(float(h.mean()) - 0.3) < 0.01
    assert hw.bernoulli(hw.zeros(3), 1.0).tolist() == torch.bernoulli(torch.zeros(3), 1.0).tolist()
    rate = hw.full((50000,), 4.0, dtype=getattr(hw, name))
    h, t = hw.poisson(rate), torch.poisson(torch.full((50000,), 4.0, dtype=getattr(torch, name)))
    assert h.dtype == _dt(t)
    assert abs(float(h.mean()) - 4.0) < 0.05 and abs(float(h.var()) - 4.0) < 0.15
    with pytest.raises(ValueError, match="probability"):
        hw.bernoulli(hw.tensor([0.5, 1.5]))
    with pytest.raises(ValueError, match="rate"):
        hw.poisson(hw.tensor([-1.0]))


def _frequencies(samples: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(samples.reshape(-1), minlength=n) / samples.size


def test_multinomial_with_replacement_draws_the_weights():
    hw.manual_seed(2)
    w = np.array([[1.0, 0.0, 3.0, 6.0], [5.0, 5.0, 0.0, 0.0]])
    h = hw.multinomial(hw.tensor(w), 20000, replacement=True)
    t = torch.multinomial(torch.tensor(w), 20000, replacement=True)
    assert h.shape == tuple(t.shape) and h.dtype == _dt(t)
    for row in range(2):
        np.testing.assert_allclose(_frequencies(h[row].numpy(), 4), w[row] / w[row].sum(), atol=0.015)
    assert not bool((h[0] == 1).any()) and not bool((h[1] >= 2).any())  # zero weights never drawn


def test_multinomial_without_replacement_matches_torchs_sequential_draws():
    hw.manual_seed(3)
    torch.manual_seed(3)
    w = np.array([4.0, 2.0, 1.0, 1.0, 0.0])
    reps = 6000
    h = hw.multinomial(hw.tensor(np.tile(w, (reps, 1))), 3).numpy()
    t = torch.multinomial(torch.tensor(np.tile(w, (reps, 1))), 3).numpy()
    assert h.shape == t.shape
    assert all(len(set(row)) == 3 for row in h) and not (h == 4).any()
    for position in range(3):  # the first, second and third draws agree in distribution
        np.testing.assert_allclose(_frequencies(h[:, position], 5), _frequencies(t[:, position], 5), atol=0.03)
    assert sorted(hw.multinomial(hw.ones(6), 6).tolist()) == list(range(6))


def test_multinomial_refuses_bad_weights():
    with pytest.raises(ValueError, match=">= 0"):
        hw.multinomial(hw.tensor([1.0, -1.0]), 1)
    with pytest.raises(ValueError, match="sums to 0"):
        hw.multinomial(hw.zeros(3), 1)
    with pytest.raises(ValueError, match="replacement=True"):
        hw.multinomial(hw.tensor([1.0, 0.0, 1.0]), 3)
    with pytest.raises(ValueError, match="replacement=True"):
        hw.multinomial(hw.ones(2), 3)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        hw.multinomial(hw.ones(2, 2, 2), 1)


def test_in_place_fills_match_torch_dtypes_and_ranges():
    for name in ("float32", "float64"):
        h, t = hw.zeros(1000, dtype=getattr(hw, name)), torch.zeros(1000, dtype=getattr(torch, name))
        assert h.uniform_(-2, 3) is h and h.dtype == _dt(t.uniform_(-2, 3))
        assert float(h.min()) >= -2 and float(h.max()) < 3
        assert h.normal_(5.0, 0.1).dtype == _dt(t.normal_(5.0, 0.1)) and abs(float(h.mean()) - 5) < 0.05
        assert h.exponential_(2.0).dtype == _dt(t) and float(h.min()) >= 0
        assert set(np.unique(h.bernoulli_(0.5).numpy())) == {0.0, 1.0}
        assert h.random_(3, 7).dtype == _dt(t.random_(3, 7))
        assert set(np.unique(h.numpy())) == {3.0, 4.0, 5.0, 6.0}
    ints = hw.zeros(500, dtype=hw.int64)
    assert ints.random_(4).dtype == hw.int64 and set(np.unique(ints.numpy())) == {0, 1, 2, 3}
    u8 = hw.zeros(2000, dtype=hw.uint8).random_()
    assert int(u8.max()) > 200 and int(u8.min()) >= 0
    p = hw.ones(2, requires_grad=True)
    with pytest.raises(hw.autograd.AutogradError, match="no_grad"):
        p.normal_()
    p.data.normal_()
    with hw.no_grad():
        p.uniform_(0, 1)
    with pytest.raises(hw.DTypeError, match="float"):
        hw.zeros(2, dtype=hw.int64).normal_()


def test_tensor_methods_bernoulli_and_multinomial():
    probs = hw.tensor([0.0, 1.0])
    assert probs.bernoulli().tolist() == [0.0, 1.0]
    assert probs.multinomial(1).tolist() == [1]
