"""Indexing, scatter, sorting and counting ops against PyTorch (float64 and float32)."""

from __future__ import annotations

import numpy as np
import pytest
from torch_oracle import check_grad, helper_test_op, idx, mask

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

DUP = [[0, 2, 1, 2], [1, 1, 0, 0], [2, 0, 0, 1], [0, 0, 2, 2], [1, 2, 1, 0], [2, 1, 2, 1]]
PERM = [[0, 1, 2, 0, 1], [2, 0, 1, 1, 0]]

# name: (shapes, fn(lib, *inputs)); each runs in float64 and float32, forward and backward
DIFFERENTIABLE = {
    "scatter": ([(3, 5), (2, 5)], lambda L, a, s: L.scatter(a, 0, idx(L, PERM), s)),
    "scatter_value": ([(3, 5)], lambda L, a: a.scatter(1, idx(L, [[4], [0], [2]]), 2.5)),
    "scatter_add": ([(3, 4), (6, 4)], lambda L, a, s: L.scatter_add(a, 0, idx(L, DUP), s)),
    "scatter_add_dim1": ([(4, 3), (4, 6)], lambda L, a, s: a.scatter_add(1, idx(L, DUP).T, s)),
    "index_add": ([(3, 5), (3, 4)], lambda L, a, s: L.index_add(a, 1, idx(L, [4, 0, 4, 2]), s, alpha=-1.5)),
    "index_copy": ([(5, 3), (2, 3)], lambda L, a, s: a.index_copy(0, idx(L, [3, 1]), s)),
    "index_fill": ([(3, 5)], lambda L, a: a.index_fill(1, idx(L, [0, 3]), -2.0)),
    "masked_fill": ([(3, 4)], lambda L, a: a.masked_fill(mask(L, [True, False, False, True]), 0.5)),
    "masked_select": ([(3, 4)], lambda L, a: L.masked_select(a, mask(L, [[True], [False], [True]]))),
    "masked_select_bcast_input": ([(4,)], lambda L, a: a.masked_select(mask(L, [[True, False, True, True],
                                                                               [False, True, False, False]]))),
    "masked_scatter": ([(3, 4), (13,)], lambda L, a, s: a.masked_scatter(
        mask(L, [[True, False, True, True], [False] * 4, [True, True, False, True]]), s)),
    "take": ([(3, 4)], lambda L, a: L.take(a, idx(L, [[0, 11, -1], [5, 5, 2]]))),
    "take_along_dim": ([(3, 4)], lambda L, a: L.take_along_dim(a, idx(L, [[0, 3], [1, 1], [2, 0]]), 1)),
    "take_along_dim_bcast": ([(3, 4)], lambda L, a: L.take_along_dim(a, idx(L, [[3, 0, 0]]).T.reshape(1, 3).T, 1)),
    "take_along_dim_flat": ([(3, 4)], lambda L, a: L.take_along_dim(a, idx(L, [7, 0, 7]))),
    "sort": ([(4, 5)], lambda L, a: L.sort(a, dim=0, descending=True)),
    "sort_last": ([(3, 6)], lambda L, a: a.sort()),
    "topk": ([(3, 6)], lambda L, a: L.topk(a, 3)),
    "topk_smallest": ([(6, 3)], lambda L, a: a.topk(2, dim=0, largest=False)),
    "kthvalue": ([(3, 5)], lambda L, a: L.kthvalue(a, 2, dim=1)),
    "kthvalue_keepdim": ([(4, 3)], lambda L, a: a.kthvalue(4, 0, keepdim=True)),
    "msort": ([(4, 3)], lambda L, a: L.msort(a)),
    # in-place writes on a tensor inside the graph are recorded
    "scatter_inplace": ([(3, 5), (2, 5)], lambda L, a, s: (a * 2).scatter_(0, idx(L, PERM), s)),
    "scatter_add_inplace": ([(3, 4), (6, 4)], lambda L, a, s: (a + 1).scatter_add_(0, idx(L, DUP), s)),
    "index_add_inplace": ([(3, 5), (3, 4)], lambda L, a, s: (a * 1).index_add_(1, idx(L, [4, 0, 4, 2]), s)),
    "index_fill_inplace": ([(3, 5)], lambda L, a: (a * 3).index_fill_(0, idx(L, [2]), 1.0)),
    "index_copy_inplace": ([(5, 3), (2, 3)], lambda L, a, s: (a - 1).index_copy_(0, idx(L, [4, 0]), s)),
    "masked_fill_inplace": ([(3, 4)], lambda L, a: (a * 2).masked_fill_(mask(L, [[True], [False], [True]]), -1.0)),
    "masked_scatter_inplace": ([(2, 3), (4,)], lambda L, a, s: (a * 1).masked_scatter_(
        mask(L, [[True, False, True], [False, True, True]]), s)),
}
for _reduce in ("sum", "prod", "mean", "amax", "amin"):
    for _self in (True, False):
        DIFFERENTIABLE[f"scatter_reduce_{_reduce}_{_self}"] = (
            [(3, 4), (6, 4)],
            lambda L, a, s, r=_reduce, i=_self: L.scatter_reduce(a, 0, idx(L, DUP), s, r, include_self=i),
        )
DIFFERENTIABLE["scatter_reduce_inplace"] = (
    [(3, 4), (6, 4)], lambda L, a, s: (a * 1).scatter_reduce_(0, idx(L, DUP), s, "amax", include_self=False))


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_differentiable_op_matches_torch(name, dtype):
    shapes, fn = DIFFERENTIABLE[name]
    helper_test_op(shapes, fn, dtype=dtype)


def test_scatter_reads_only_the_index_block_of_a_larger_src():
    # torch computes this forward but cannot differentiate it; headwater pads the gradient
    fn = lambda L, a, s: a.scatter(0, idx(L, PERM), s)  # noqa: E731
    helper_test_op([(3, 5), (4, 6)], fn, grad=False)
    check_grad([(3, 5), (4, 6)], fn)


def test_scatter_reduce_prod_with_zeros_matches_torch():
    a = np.array([[1.0, 0.0, 2.0, 3.0], [0.0, 2.0, 0.5, 1.0], [4.0, 1.0, 1.0, 0.0]])
    s = np.arange(24.0).reshape(6, 4) % 5 - 1.0  # zeros in several groups, some twice
    for include in (True, False):
        helper_test_op(None, lambda L, x, y, i=include: L.scatter_reduce(x, 0, idx(L, DUP), y, "prod", include_self=i),
                       hosts=[a, s])


def test_amax_ties_share_the_gradient_as_torch():
    a = np.array([[1.0, 2.0], [3.0, 3.0]])
    s = np.array([[3.0, 2.0], [1.0, 3.0]])
    helper_test_op(None, lambda L, x, y: L.scatter_reduce(x, 0, idx(L, [[1, 0], [0, 1]]), y, "amax"),
                   hosts=[a, s])
    helper_test_op(None, lambda L, x: L.sort(x, descending=True), hosts=[[2.0, 1.0, 2.0, 2.0]])


GRADCHECK = ["scatter", "scatter_add", "index_add", "masked_scatter", "take_along_dim", "topk",
             "scatter_reduce_prod_False", "scatter_reduce_mean_True", "scatter_reduce_amin_True",
             "masked_fill_inplace"]


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    shapes, fn = DIFFERENTIABLE[name]

    def first(L, *a):
        out = fn(L, *a)
        return out[0] if isinstance(out, tuple) else out

    check_grad(shapes, first)


def test_bincount_weights_get_a_gradient():
    # torch has no derivative for bincount; headwater's is the gather of the gradient
    check_grad([(6,)], lambda L, w: L.bincount(idx(L, [0, 2, 2, 5, 0, 1]), weights=w, minlength=8))


def _same(h, t):
    hs, ts = (h, t) if isinstance(h, tuple) else ((h,), (t,))
    assert len(hs) == len(ts)
    for a, b in zip(hs, ts):
        assert a.dtype == np.dtype(str(b.dtype).replace("torch.", "")), (a.dtype, b.dtype)
        np.testing.assert_array_equal(a.numpy(), b.numpy())


VALUES = np.array([[3, 1, 2, 1], [0, 3, 3, 1], [3, 1, 2, 1]])
SEQ = np.array([[1, 3, 5, 7, 9], [2, 2, 4, 4, 6]])

# name: fn(lib); the outputs must be equal (values, dtypes, shapes)
EXACT = {
    "argsort_stable": lambda L: L.argsort(L.as_tensor(VALUES), dim=1, stable=True),
    "argsort_desc_stable": lambda L: L.sort(L.as_tensor(VALUES), dim=0, descending=True, stable=True).indices,
    "sort_nan": lambda L: L.sort(L.as_tensor([2.0, float("nan"), -1.0, 5.0]), descending=True).indices,
    "sort_nan_asc": lambda L: L.sort(L.as_tensor([2.0, float("nan"), -1.0, 5.0])).indices,
    "topk_ints": lambda L: L.topk(L.as_tensor([5, 1, 5, 3, 5]), 2).values,  # tie order is torch's choice
    "nonzero": lambda L: L.nonzero(L.as_tensor(VALUES) > 1),
    "nonzero_tuple": lambda L: L.nonzero(L.as_tensor(VALUES) - 1, as_tuple=True),
    "nonzero_0d": lambda L: L.nonzero(L.as_tensor(3)),
    "nonzero_0d_tuple": lambda L: L.nonzero(L.as_tensor(0), as_tuple=True),
    "argwhere": lambda L: L.argwhere(L.as_tensor(VALUES)),
    "where_one_arg": lambda L: L.where(L.as_tensor(VALUES) == 3),
    "unique": lambda L: L.unique(L.as_tensor(VALUES)),
    "unique_all": lambda L: L.unique(L.as_tensor(VALUES), return_inverse=True, return_counts=True),
    "unique_float": lambda L: L.unique(L.as_tensor([2.5, -1.0, 2.5]), return_counts=True),
    "unique_dim0": lambda L: L.unique(L.as_tensor(VALUES), dim=0, return_inverse=True, return_counts=True),
    "unique_dim1": lambda L: L.unique(L.as_tensor(VALUES), dim=1, return_inverse=True),
    "unique_method": lambda L: L.as_tensor(VALUES).unique(sorted=True),
    "unique_consecutive": lambda L: L.unique_consecutive(L.as_tensor([1, 1, 2, 2, 3, 1, 1]),
                                                         return_inverse=True, return_counts=True),
    "unique_consecutive_dim": lambda L: L.unique_consecutive(L.as_tensor([[1, 1, 2], [1, 1, 2], [0, 1, 2]]),
                                                             dim=0, return_counts=True),
    "unique_consecutive_2d": lambda L: L.unique_consecutive(L.as_tensor(VALUES), return_inverse=True),
    "bincount": lambda L: L.bincount(L.as_tensor([0, 1, 1, 3, 7])),
    "bincount_minlength": lambda L: L.bincount(L.as_tensor([0, 1, 1]), minlength=5),
    "bincount_empty": lambda L: L.bincount(L.as_tensor(np.zeros(0, np.int64))),
    "bincount_weights": lambda L: L.bincount(idx(L, [0, 2, 2, 5]), L.as_tensor([0.5, 1.0, 2.0, -1.0]), minlength=8),
    "bincount_int_weights": lambda L: L.bincount(L.as_tensor([0, 1, 1]), L.as_tensor([1, 2, 3], dtype=L.int32)),
    "histc": lambda L: L.histc(L.as_tensor([1.0, 2.0, 1.0, 3.0, -1.0, 3.5]), bins=4, min=0, max=3),
    "histc_range": lambda L: L.histc(L.as_tensor([1.0, 2.0, 1.0, 4.0], dtype=L.float64), bins=3),
    "histc_point": lambda L: L.histc(L.as_tensor([2.0, 2.0]), bins=4),
    "searchsorted": lambda L: L.searchsorted(L.as_tensor(SEQ[0]), L.as_tensor(VALUES * 2)),
    "searchsorted_right": lambda L: L.searchsorted(L.as_tensor(SEQ[0]), L.as_tensor(VALUES * 2 + 1), right=True),
    "searchsorted_side": lambda L: L.searchsorted(L.as_tensor(SEQ[1]), L.as_tensor([2, 4, 7]), side="right"),
    "searchsorted_nd": lambda L: L.searchsorted(L.as_tensor(SEQ), L.as_tensor([[0, 3, 9, 10], [2, 4, 4, 7]])),
    "searchsorted_nd_right": lambda L: L.searchsorted(L.as_tensor(SEQ), L.as_tensor([[1, 3, 9], [2, 4, 7]]),
                                                      right=True, out_int32=True),
    "searchsorted_nd_float": lambda L: L.searchsorted(L.as_tensor(SEQ.astype(float)),
                                                      L.as_tensor([[1.5, 9.0], [2.0, 3.9]], dtype=L.float64)),
    "searchsorted_sorter": lambda L: L.searchsorted(L.as_tensor([5, 1, 3]), L.as_tensor([2, 5]),
                                                    sorter=L.as_tensor([1, 2, 0])),
    "bucketize": lambda L: L.bucketize(L.as_tensor(VALUES), L.as_tensor([1, 2, 3])),
    "bucketize_right": lambda L: L.bucketize(L.as_tensor(VALUES), L.as_tensor([1, 2, 3]), right=True),
    "tril_indices": lambda L: L.tril_indices(4, 3, 1),
    "triu_indices": lambda L: L.triu_indices(3, 5, -1),
    "tril_indices_empty": lambda L: L.tril_indices(0, 3),
    "scatter_ints": lambda L: L.scatter(L.zeros(2, 3, dtype=L.int64), 1, idx(L, [[2], [0]]), 7),
    "scatter_reduce_int_amax": lambda L: L.scatter_reduce(L.as_tensor([1, 9]), 0, idx(L, [0, 0, 1]),
                                                          L.as_tensor([4, 2, 3]), "amax", include_self=False),
    "masked_fill_int": lambda L: L.as_tensor([1, 2, 3]).masked_fill(L.as_tensor([True, False, True]), 0),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_exact_op_matches_torch(name):
    _same(EXACT[name](hw), EXACT[name](torch))


def test_inplace_on_a_leaf_requiring_grad_raises_and_under_no_grad_works():
    w = hw.zeros(3, requires_grad=True)
    with pytest.raises(hw.autograd.AutogradError, match="leaf tensor"):
        w.index_fill_(0, hw.as_tensor([1]), 1.0)
    with hw.no_grad():
        w.index_fill_(0, hw.as_tensor([1]), 1.0)
    assert w.tolist() == [0.0, 1.0, 0.0] and w.requires_grad


def test_inplace_after_an_op_that_saved_its_output_refuses_backward():
    x = hw.as_tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.masked_fill_(hw.as_tensor([True, False]), 0.0)
    with pytest.raises(hw.autograd.InplaceModificationError):
        y.sum().backward()


def test_inplace_shares_storage_with_views():
    base = hw.zeros(2, 3)
    row = base[0]
    row.masked_fill_(hw.as_tensor([True, False, True]), 5.0)
    assert base.tolist() == [[5.0, 0.0, 5.0], [0.0, 0.0, 0.0]]


def test_bad_inputs_name_the_problem():
    x = hw.zeros(3)
    with pytest.raises(TypeError, match="dtype"):
        x.scatter(0, hw.as_tensor([0]), hw.ones(1, dtype=hw.float64))
    with pytest.raises(TypeError, match="integer tensor"):
        x.index_add(0, hw.as_tensor([0.0]), hw.ones(1))
    with pytest.raises(ValueError, match="reduce must be one of"):
        hw.scatter_reduce(x, 0, hw.as_tensor([0]), hw.ones(1), "max")
    with pytest.raises(TypeError, match="bool tensor"):
        x.masked_fill(hw.as_tensor([1, 0, 1]), 0.0)
    with pytest.raises(IndexError, match="k=4"):
        x.topk(4)
    with pytest.raises(IndexError, match="counts from 1"):
        x.kthvalue(0)
    with pytest.raises(ValueError, match="non-negative"):
        hw.bincount(hw.as_tensor([-1, 2]))
    with pytest.raises(ValueError, match="disagree"):
        hw.searchsorted(hw.as_tensor([1, 2]), hw.as_tensor([1]), right=True, side="left")
    with pytest.raises(ValueError, match="source has only"):
        x.masked_scatter(hw.as_tensor([True, True, True]), hw.ones(2))
    with pytest.raises(TypeError, match="both input and other"):
        hw.where(x > 0, x)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_random_sorts_and_scatters_match_torch(seed):
    rng = np.random.default_rng(seed)
    n, m = rng.integers(1, 8, size=2)
    x = rng.integers(-3, 4, size=(n, m)).astype(float)
    _same(hw.sort(hw.as_tensor(x), dim=1, stable=True).indices,
          torch.sort(torch.as_tensor(x), dim=1, stable=True).indices)
    _same(hw.sort(hw.as_tensor(x), dim=0, descending=True).values,
          torch.sort(torch.as_tensor(x), dim=0, descending=True, stable=True).values)
    _same(hw.unique(hw.as_tensor(x), dim=1, return_counts=True),
          torch.unique(torch.as_tensor(x), dim=1, return_counts=True))
    index = rng.integers(0, n, size=(2 * n, m))
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        helper_test_op([(n, m), (2 * n, m)],
                       lambda L, a, s, r=reduce: L.scatter_reduce(a, 0, idx(L, index), s, r, include_self=seed % 2 == 0),
                       seed=seed)
