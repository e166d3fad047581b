"""Losses, distances and Bilinear against PyTorch (float64 and float32, forward and backward)."""

from __future__ import annotations

import numpy as np
import pytest
from torch_oracle import check_grad, helper_test_op, idx

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = [
    pytest.mark.torch,
    pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss"),  # torch's kl_div note
    pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning"),  # 0/0 where torch has NaN too
]


def F(L):
    return L.nn.functional


def signs(L, values):
    return L.as_tensor(np.asarray(values, dtype=np.float32))


def _probs(L, a):
    return L.sigmoid(a)


SIGN4 = [1, -1, -1, 1]
# name: (shapes, fn(lib, *inputs)); inputs uniform in [-2, 2]
CASES = {
    "smooth_l1": ([(3, 4), (3, 4)], lambda L, a, b: F(L).smooth_l1_loss(a, b)),
    "smooth_l1_beta": ([(3, 4), (3, 4)], lambda L, a, b: F(L).smooth_l1_loss(a, b, reduction="sum", beta=0.5)),
    "smooth_l1_beta0": ([(3, 4), (3, 4)], lambda L, a, b: F(L).smooth_l1_loss(a, b, reduction="none", beta=0.0)),
    "bce": ([(3, 4), (3, 4)], lambda L, a, b: F(L).binary_cross_entropy(_probs(L, a), _probs(L, b))),
    "bce_weight": ([(3, 4), (3, 4), (4,)], lambda L, a, b, w: F(L).binary_cross_entropy(
        _probs(L, a), _probs(L, b), weight=w.abs().detach(), reduction="none")),
    "kl_div": ([(3, 4), (3, 4)], lambda L, a, b: F(L).kl_div(L.log_softmax(a, 1), L.softmax(b, 1),
                                                             reduction="batchmean")),
    "kl_div_mean": ([(3, 4), (3, 4)], lambda L, a, b: F(L).kl_div(a, L.softmax(b, 1))),
    "kl_div_log_target": ([(3, 4), (3, 4)], lambda L, a, b: F(L).kl_div(a, b, reduction="sum", log_target=True)),
    "kl_div_none": ([(3, 4), (3, 4)], lambda L, a, b: F(L).kl_div(a, b.relu(), reduction="none")),
    "poisson_nll": ([(3, 4), (3, 4)], lambda L, a, b: F(L).poisson_nll_loss(a, (b * 3).abs())),
    "poisson_nll_rate": ([(3, 4), (3, 4)], lambda L, a, b: F(L).poisson_nll_loss(
        a.abs() + 0.1, (b * 3).abs(), log_input=False, reduction="sum")),
    "poisson_nll_full": ([(3, 4), (3, 4)], lambda L, a, b: F(L).poisson_nll_loss(a, (b * 3).abs(), full=True)),
    "gaussian_nll": ([(3, 4), (3, 4), (3, 4)], lambda L, a, b, v: F(L).gaussian_nll_loss(a, b, v.abs() + 0.1)),
    "gaussian_nll_shared_var": ([(3, 4), (3, 4), (3, 1)], lambda L, a, b, v: F(L).gaussian_nll_loss(
        a, b, v.abs(), full=True, reduction="sum")),
    "gaussian_nll_var_one_less": ([(3, 4), (3, 4), (3,)], lambda L, a, b, v: F(L).gaussian_nll_loss(
        a, b, v.abs() + 0.1, reduction="none")),
    "soft_margin": ([(4,)], lambda L, a: F(L).soft_margin_loss(a, signs(L, SIGN4).to(a.dtype))),
    "multilabel_soft_margin": ([(3, 4), (4,)], lambda L, a, w: F(L).multilabel_soft_margin_loss(
        a, (a > 0.3).to(a.dtype), weight=w)),
    "hinge_embedding": ([(4,)], lambda L, a: F(L).hinge_embedding_loss(a, signs(L, SIGN4).to(a.dtype), margin=0.5)),
    "cosine_embedding": ([(4, 3), (4, 3)], lambda L, a, b: F(L).cosine_embedding_loss(
        a, b, signs(L, SIGN4).to(a.dtype), margin=0.1)),
    "cosine_embedding_1d": ([(3,), (3,)], lambda L, a, b: F(L).cosine_embedding_loss(a, b, signs(L, -1.0).to(a.dtype))),
    "margin_ranking": ([(4,), (4,)], lambda L, a, b: F(L).margin_ranking_loss(
        a, b, signs(L, SIGN4).to(a.dtype), margin=0.2, reduction="none")),
    "triplet_margin": ([(4, 3), (4, 3), (4, 3)], lambda L, a, p, n: F(L).triplet_margin_loss(a, p, n, margin=2.0)),
    "triplet_margin_swap_p1": ([(4, 3), (4, 3), (4, 3)], lambda L, a, p, n: F(L).triplet_margin_loss(
        a, p, n, margin=2.0, p=1, swap=True, reduction="sum")),
    "multi_margin": ([(4, 5)], lambda L, a: F(L).multi_margin_loss(a, idx(L, [0, 4, 2, 2]))),
    "multi_margin_p2_weight": ([(4, 5), (5,)], lambda L, a, w: F(L).multi_margin_loss(
        a, idx(L, [1, 3, 0, 4]), p=2, margin=0.5, weight=w.detach(), reduction="none")),
    "cosine_similarity": ([(4, 3), (4, 3)], lambda L, a, b: F(L).cosine_similarity(a, b)),
    "cosine_similarity_bcast": ([(2, 4, 3), (3,)], lambda L, a, b: F(L).cosine_similarity(a, b, dim=-1)),
    "pairwise_distance": ([(4, 3), (4, 3)], lambda L, a, b: F(L).pairwise_distance(a, b)),
    "pairwise_distance_p1_keepdim": ([(4, 3), (3,)], lambda L, a, b: F(L).pairwise_distance(a, b, p=1, keepdim=True)),
    "normalize": ([(4, 3)], lambda L, a: F(L).normalize(a)),
    "normalize_p1_dim0": ([(4, 3)], lambda L, a: F(L).normalize(a, p=1, dim=0)),
    "pdist": ([(5, 3)], lambda L, a: F(L).pdist(a)),
    "pdist_p1": ([(4, 2)], lambda L, a: F(L).pdist(a, p=1)),
    "cdist": ([(4, 3), (5, 3)], lambda L, a, b: L.cdist(a, b)),
    "cdist_batched_p1": ([(2, 4, 3), (2, 5, 3)], lambda L, a, b: L.cdist(a, b, p=1)),
    "cdist_inf": ([(4, 3), (2, 3)], lambda L, a, b: L.cdist(a, b, p=float("inf"))),
    "bilinear": ([(4, 3), (4, 2), (5, 3, 2), (5,)], lambda L, x, y, w, b: F(L).bilinear(x, y, w, b)),
    "bilinear_batch_dims": ([(2, 4, 3), (2, 4, 2), (5, 3, 2)], lambda L, x, y, w: F(L).bilinear(x, y, w)),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_loss_matches_torch(name, dtype):
    shapes, fn = CASES[name]
    tol = {} if dtype == "float64" else dict(atol=1e-5, rtol=2e-4)
    helper_test_op(shapes, fn, dtype=dtype, **tol)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_bce_clamps_logs_and_gradients_as_torch():
    hosts = [[0.0, 1.0, 1e-30, 0.5], [1.0, 0.0, 1.0, 0.25]]
    helper_test_op(None, lambda L, p, t: F(L).binary_cross_entropy(p, t, reduction="none"), hosts=hosts)


def test_cdist_gradient_at_coincident_points_is_zero_as_torch():
    hosts = [[[0.0, 1.0], [2.0, 2.0]], [[0.0, 1.0]]]
    helper_test_op(None, lambda L, a, b: L.cdist(a, b), hosts=hosts)


GRADCHECK = ["bce", "kl_div", "gaussian_nll", "cosine_embedding", "triplet_margin", "multi_margin",
             "cosine_similarity", "pdist", "bilinear", "poisson_nll_full"]


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    shapes, fn = CASES[name]
    check_grad(shapes, fn)


def test_weights_get_gradients_too():
    # torch refuses gradients for these weights; headwater gives them
    check_grad([(3, 4), (3, 4), (4,)], lambda L, a, b, w: F(L).binary_cross_entropy(
        L.sigmoid(a), L.sigmoid(b), weight=w, reduction="sum"))
    check_grad([(4, 5), (5,)], lambda L, a, w: F(L).multi_margin_loss(a, idx(L, [1, 3, 0, 4]), p=2, weight=w))


# module: (constructor args, inputs as fn(lib) -> tuple)
def _pair(L):
    rng = np.random.default_rng(3)
    return L.as_tensor(rng.uniform(-2, 2, (4, 3))), L.as_tensor(rng.uniform(-2, 2, (4, 3)))


MODULES = {
    "SmoothL1Loss": ((None, None, "sum", 0.5), lambda L: _pair(L)),
    "BCELoss": ((), lambda L: tuple(x.sigmoid() for x in _pair(L))),
    "KLDivLoss": ((None, None, "batchmean"), lambda L: (_pair(L)[0].log_softmax(1), _pair(L)[1].softmax(1))),
    "PoissonNLLLoss": ((), lambda L: (_pair(L)[0], _pair(L)[1].abs())),
    "GaussianNLLLoss": ((), lambda L: (*_pair(L), _pair(L)[1].abs() + 0.5)),
    "SoftMarginLoss": ((), lambda L: (_pair(L)[0], _pair(L)[1].sign())),
    "MultiLabelSoftMarginLoss": ((), lambda L: (_pair(L)[0], (_pair(L)[1] > 0).double())),
    "HingeEmbeddingLoss": ((0.7,), lambda L: (_pair(L)[0], _pair(L)[1].sign())),
    "CosineEmbeddingLoss": ((0.2,), lambda L: (*_pair(L), L.as_tensor(np.array(SIGN4, dtype=float)))),
    "MarginRankingLoss": ((0.3,), lambda L: (_pair(L)[0][:, 0], _pair(L)[1][:, 0], L.as_tensor(np.array(SIGN4, dtype=float)))),
    "TripletMarginLoss": ((1.5,), lambda L: (*_pair(L), _pair(L)[0] * 0.5)),
    "MultiMarginLoss": ((), lambda L: (_pair(L)[0], idx(L, [0, 2, 1, 1]))),
    "CosineSimilarity": ((0,), lambda L: _pair(L)),
    "PairwiseDistance": ((1.0,), lambda L: _pair(L)),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_matches_torch(name):
    args, inputs = MODULES[name]
    if name == "GaussianNLLLoss":
        hm, tm = hw.nn.GaussianNLLLoss(), torch.nn.GaussianNLLLoss()
    else:
        hm, tm = getattr(hw.nn, name)(*args), getattr(torch.nn, name)(*args)
    h, t = hm(*inputs(hw)), tm(*inputs(torch))
    np.testing.assert_allclose(h.numpy(), t.numpy(), rtol=1e-10, atol=1e-12)
    assert h.shape == tuple(t.shape)


@pytest.mark.filterwarnings("ignore:size_average and reduce args will be deprecated")
def test_legacy_size_average_and_reduce_map_to_reduction():
    a, b = _pair(hw)
    ta, tb = _pair(torch)
    for kwargs in (dict(size_average=False), dict(reduce=False), dict(size_average=True, reduce=True)):
        t = torch.nn.SmoothL1Loss(**kwargs)(ta, tb)
        h = hw.nn.SmoothL1Loss(**kwargs)(a, b)
        np.testing.assert_allclose(h.numpy(), t.numpy(), rtol=1e-12)


def test_bilinear_module_state_dict_moves_to_torch():
    hm, tm = hw.nn.Bilinear(3, 2, 4), torch.nn.Bilinear(3, 2, 4)
    assert [(k, v.shape) for k, v in hm.state_dict().items()] == [(k, tuple(v.shape)) for k, v in tm.state_dict().items()]
    tm.load_state_dict({k: torch.as_tensor(v.numpy()) for k, v in hm.state_dict().items()})
    x, y = np.random.default_rng(0).standard_normal((2, 5, 3)), np.random.default_rng(1).standard_normal((5, 2))
    h = hm(hw.as_tensor(x[0], dtype=hw.float32), hw.as_tensor(y, dtype=hw.float32))
    t = tm(torch.as_tensor(x[0], dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32))
    np.testing.assert_allclose(h.detach().numpy(), t.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert repr(hm) == repr(tm)
    bound = 1 / np.sqrt(3)
    assert np.abs(hm.weight.detach().numpy()).max() <= bound and hw.nn.Bilinear(3, 2, 4, bias=False).bias is None


@pytest.mark.host_only("value checks that would synchronise a GPU run on host memory only")
def test_bad_inputs_name_the_problem():
    with pytest.raises(ValueError, match="reduction"):
        F(hw).kl_div(hw.zeros(2), hw.zeros(2), reduction="avg")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        F(hw).binary_cross_entropy(hw.as_tensor([1.5]), hw.ones(1))
    with pytest.raises(hw.autograd.ShapeError, match="var"):
        F(hw).gaussian_nll_loss(hw.zeros(3, 4), hw.zeros(3, 4), hw.ones(2))
    with pytest.raises(ValueError, match="negative"):
        F(hw).gaussian_nll_loss(hw.zeros(2), hw.zeros(2), -hw.ones(2))
    with pytest.raises(ValueError, match="p must be 1 or 2"):
        F(hw).multi_margin_loss(hw.zeros(2, 3), hw.as_tensor([0, 1]), p=3)
    with pytest.raises(hw.autograd.ShapeError, match="bilinear"):
        F(hw).bilinear(hw.ones(2, 3), hw.ones(2, 3), hw.ones(4, 2, 3))
    with pytest.raises(hw.autograd.ShapeError, match="pdist"):
        hw.pdist(hw.ones(3))
