"""Products, norms and hw.linalg against PyTorch (float64 and float32, forward and backward)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from torch_oracle import check_grad, helper_test_op

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def _eye(L, n, like):
    return L.eye(n, dtype=like.dtype)


def _well(L, a, shift=3.0):
    """A well-conditioned square matrix (batch) from random entries."""
    return a + shift * _eye(L, a.shape[-1], a)


def _spd(L, a):
    return a @ a.transpose(-1, -2) + _eye(L, a.shape[-1], a)


def _sym(L, a):
    return a + a.transpose(-1, -2)


def _svd_invariants(L, a):
    u, s, vh = L.linalg.svd(a, full_matrices=False)
    return s, u @ vh, u * u, vh * vh  # unchanged by the sign choice of each singular pair


CASES = {
    "mm": ([(3, 4), (4, 5)], lambda L, a, b: L.mm(a, b)),
    "bmm": ([(2, 3, 4), (2, 4, 5)], lambda L, a, b: a.bmm(b)),
    "mv": ([(3, 4), (4,)], lambda L, a, b: L.mv(a, b)),
    "dot": ([(4,), (4,)], lambda L, a, b: a.dot(b)),
    "outer": ([(3,), (4,)], lambda L, a, b: L.outer(a, b)),
    "inner": ([(2, 3), (4, 3)], lambda L, a, b: L.inner(a, b)),
    "addmm": ([(5,), (3, 4), (4, 5)], lambda L, c, a, b: L.addmm(c, a, b, beta=0.5, alpha=-2)),
    "addmm_method": ([(3, 5), (3, 4), (4, 5)], lambda L, c, a, b: c.addmm(a, b)),
    "addmv": ([(3,), (3, 4), (4,)], lambda L, c, a, b: L.addmv(c, a, b, alpha=3)),
    "baddbmm": ([(1, 3, 5), (2, 3, 4), (2, 4, 5)], lambda L, c, a, b: L.baddbmm(c, a, b, beta=2)),
    "addbmm": ([(3, 5), (2, 3, 4), (2, 4, 5)], lambda L, c, a, b: L.addbmm(c, a, b)),
    "tensordot": ([(2, 3, 4), (3, 4, 5)], lambda L, a, b: L.tensordot(a, b)),
    "tensordot_pairs": ([(2, 3, 4), (4, 2)], lambda L, a, b: L.tensordot(a, b, dims=([0, 2], [1, 0]))),
    "kron": ([(2, 3), (3, 2)], lambda L, a, b: L.kron(a, b)),
    "kron_mixed": ([(2,), (2, 3)], lambda L, a, b: a.kron(b)),
    "einsum_mm": ([(3, 4), (4, 5)], lambda L, a, b: L.einsum("ij,jk->ik", a, b)),
    "einsum_batched": ([(2, 3, 4), (2, 4, 5)], lambda L, a, b: L.einsum("bij,bjk->bik", a, b)),
    "einsum_ellipsis_bcast": ([(1, 2, 3), (4, 3, 5)], lambda L, a, b: L.einsum("...ij,...jk->...ik", a, b)),
    "einsum_transpose": ([(2, 3, 4)], lambda L, a: L.einsum("...ij->...ji", a)),
    "einsum_dot": ([(4,), (4,)], lambda L, a, b: L.einsum("i,i->", a, b)),
    "einsum_sum": ([(3, 4)], lambda L, a: L.einsum("ij->j", a)),
    "einsum_outer3": ([(2, 3), (4,)], lambda L, a, b: L.einsum("bi,j->bij", a, b)),
    "einsum_implicit": ([(3, 4), (4, 2)], lambda L, a, b: L.einsum("ij,jk", a, b)),
    "einsum_list": ([(3, 4), (3, 4), (4,)], lambda L, a, b, c: L.einsum("ij,ij,j->i", [a, b, c])),
    "inv": ([(3, 3)], lambda L, a: L.linalg.inv(_well(L, a))),
    "inverse_batched": ([(2, 3, 3)], lambda L, a: _well(L, a).inverse()),
    "det": ([(3, 3)], lambda L, a: L.linalg.det(a)),
    "det_batched": ([(2, 4, 4)], lambda L, a: a.det()),
    "slogdet": ([(3, 3)], lambda L, a: L.linalg.slogdet(a).logabsdet),
    "logdet": ([(3, 3)], lambda L, a: L.logdet(_spd(L, a))),
    "solve": ([(3, 3), (3, 2)], lambda L, a, b: L.linalg.solve(_well(L, a), b)),
    "solve_vector": ([(3, 3), (3,)], lambda L, a, b: L.linalg.solve(_well(L, a), b)),
    "solve_batch_vectors": ([(2, 3, 3), (2, 3)], lambda L, a, b: L.linalg.solve(_well(L, a), b)),
    "solve_bcast": ([(2, 3, 3), (3, 4)], lambda L, a, b: L.linalg.solve(_well(L, a), b)),
    "solve_right": ([(3, 3), (2, 3)], lambda L, a, b: L.linalg.solve(_well(L, a), b, left=False)),
    "cholesky": ([(3, 3)], lambda L, a: L.linalg.cholesky(_spd(L, a))),
    "cholesky_upper": ([(2, 3, 3)], lambda L, a: L.linalg.cholesky(_spd(L, a), upper=True)),
    "qr_tall": ([(5, 3)], lambda L, a: L.linalg.qr(a)),
    "qr_square": ([(3, 3)], lambda L, a: L.linalg.qr(a)),
    "qr_wide": ([(3, 5)], lambda L, a: L.linalg.qr(a)),
    "qr_batched": ([(2, 4, 3)], lambda L, a: L.linalg.qr(a)),
    "svd_tall": ([(5, 3)], _svd_invariants),
    "svd_wide": ([(3, 4)], _svd_invariants),
    "svd_batched": ([(2, 3, 3)], _svd_invariants),
    "svdvals": ([(4, 3)], lambda L, a: L.linalg.svdvals(a)),
    "eigh": ([(4, 4)], lambda L, a: (lambda w, v: (w, v * v))(*L.linalg.eigh(_sym(L, a)))),
    "eigh_upper": ([(2, 3, 3)], lambda L, a: (lambda w, v: (w, v * v))(*L.linalg.eigh(_sym(L, a), UPLO="U"))),
    "eigvalsh": ([(3, 3)], lambda L, a: L.linalg.eigvalsh(_sym(L, a))),
    "pinv_tall": ([(5, 3)], lambda L, a: L.linalg.pinv(a)),
    "pinv_wide": ([(2, 4)], lambda L, a: L.linalg.pinv(a)),
    "pinverse": ([(4, 4)], lambda L, a: L.pinverse(a)),
    "lstsq": ([(5, 3), (5, 2)], lambda L, a, b: L.linalg.lstsq(a, b).solution),
    "matrix_power": ([(3, 3)], lambda L, a: L.linalg.matrix_power(a, 3)),
    "matrix_power_neg": ([(3, 3)], lambda L, a: L.linalg.matrix_power(_well(L, a), -2)),
    "matrix_power_method": ([(2, 3, 3)], lambda L, a: a.matrix_power(4)),
    "vector_norm": ([(3, 4)], lambda L, a: L.linalg.vector_norm(a)),
    "vector_norm_dim": ([(3, 4)], lambda L, a: L.linalg.vector_norm(a, dim=1, keepdim=True)),
    "vector_norm_1": ([(3, 4)], lambda L, a: L.linalg.vector_norm(a, ord=1, dim=0)),
    "vector_norm_3": ([(3, 4)], lambda L, a: L.linalg.vector_norm(a, ord=3, dim=(0, 1))),
    "vector_norm_half": ([(3, 4)], lambda L, a: L.linalg.vector_norm(a, ord=0.5, dim=-1)),
    "vector_norm_inf": ([(3, 4)], lambda L, a: L.linalg.vector_norm(a, ord=math.inf, dim=1)),
    "vector_norm_neginf": ([(3, 4)], lambda L, a: L.linalg.vector_norm(a, ord=-math.inf)),
    "vector_norm_0": ([(3, 4)], lambda L, a: L.linalg.vector_norm(a, ord=0, dim=1)),
    "matrix_norm_fro": ([(2, 3, 4)], lambda L, a: L.linalg.matrix_norm(a)),
    "matrix_norm_nuc": ([(3, 4)], lambda L, a: L.linalg.matrix_norm(a, ord="nuc")),
    "matrix_norm_1": ([(3, 4)], lambda L, a: L.linalg.matrix_norm(a, ord=1)),
    "matrix_norm_-1": ([(3, 4)], lambda L, a: L.linalg.matrix_norm(a, ord=-1, keepdim=True)),
    "matrix_norm_inf": ([(2, 3, 4)], lambda L, a: L.linalg.matrix_norm(a, ord=math.inf)),
    "matrix_norm_2": ([(3, 4)], lambda L, a: L.linalg.matrix_norm(a, ord=2)),
    "matrix_norm_-2_dims": ([(3, 2, 4)], lambda L, a: L.linalg.matrix_norm(a, ord=-2, dim=(0, 2))),
    "linalg_norm": ([(3, 4)], lambda L, a: L.linalg.norm(a)),
    "linalg_norm_dim": ([(3, 4)], lambda L, a: L.linalg.norm(a, dim=0)),
    "linalg_norm_ord_matrix": ([(3, 4)], lambda L, a: L.linalg.norm(a, ord=math.inf)),
    "linalg_norm_ord_vector": ([(4,)], lambda L, a: L.linalg.norm(a, ord=3)),
    "linalg_norm_dims": ([(2, 3, 4)], lambda L, a: L.linalg.norm(a, ord="nuc", dim=(1, 2))),
    "norm": ([(3, 4)], lambda L, a: L.norm(a)),
    "norm_method_p": ([(3, 4)], lambda L, a: a.norm(p=1, dim=1)),
    "norm_fro_dim": ([(3, 4)], lambda L, a: a.norm(dim=0, keepdim=True)),
    "norm_nuc": ([(3, 4)], lambda L, a: L.norm(a, p="nuc")),
    "cross": ([(4, 3), (4, 3)], lambda L, a, b: L.linalg.cross(a, b)),
    "cross_bcast_dim": ([(3, 2), (3, 1)], lambda L, a, b: L.cross(a, b, dim=0)),
    "vecdot": ([(2, 3), (3,)], lambda L, a, b: L.linalg.vecdot(a, b)),
    "multi_dot": ([(3, 4), (4, 2), (2,)], lambda L, a, b, c: L.linalg.multi_dot([a, b, c])),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_op_matches_torch(name, dtype):
    shapes, fn = CASES[name]
    tol = {} if dtype == "float64" else dict(atol=1e-4, rtol=1e-3)
    if name.startswith("vector_norm_0"):
        # torch's gradient of the 0-"norm" is zero as well, but its graph does not reach a
        helper_test_op(shapes, fn, dtype=dtype, grad=False, **tol)
        return
    helper_test_op(shapes, fn, dtype=dtype, **tol)


def test_det_gradient_of_a_singular_matrix_is_its_cofactor_matrix():
    # rank n-1: the cofactors are not zero (torch 2.13 returns zeros here; finite
    # differences agree with headwater); rank n-2: they are
    rank2 = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]]
    check_grad(None, lambda L, a: L.linalg.det(a), hosts=[rank2])
    x = hw.as_tensor(rank2, dtype=hw.float64, requires_grad=True)
    hw.linalg.det(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), [[-2.0, -2.0, 2.0], [1.0, 1.0, -1.0], [0.0, 0.0, 0.0]], atol=1e-12)
    helper_test_op(None, lambda L, a: L.linalg.det(a), hosts=[[[0.0, 0.0], [0.0, 0.0]]])


def test_norm_gradient_at_zero_is_zero():
    helper_test_op(None, lambda L, a: L.linalg.vector_norm(a), hosts=[np.zeros(3)])
    helper_test_op(None, lambda L, a: L.linalg.vector_norm(a, ord=3, dim=0), hosts=[np.zeros((2, 2))])


GRADCHECK = ["einsum_ellipsis_bcast", "kron", "inv", "det", "slogdet", "solve_bcast", "cholesky",
             "qr_tall", "qr_wide", "svd_tall", "eigh", "pinv_tall", "matrix_norm_nuc", "vector_norm_3",
             "matrix_norm_inf"]


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    shapes, fn = CASES[name]

    def outputs(L, *a):
        out = fn(L, *a)
        return tuple(out) if isinstance(out, tuple) else out

    check_grad(shapes, outputs)


def test_rank_residuals_and_singular_values_follow_the_driver():
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.5]])
    B = np.array([[1.0, 2.0], [2.0, 0.0], [3.0, 1.0], [0.0, 1.0]])
    for driver in (None, "gelsd", "gelss", "gels"):
        h = hw.linalg.lstsq(hw.as_tensor(A), hw.as_tensor(B), driver=driver)
        t = torch.linalg.lstsq(torch.as_tensor(A), torch.as_tensor(B), driver=driver)
        for a, b in zip(h, t):
            assert tuple(a.shape) == tuple(b.shape)
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-10)
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    for atol in (None, 1.0):
        assert hw.linalg.matrix_rank(hw.as_tensor(singular), atol=atol).item() == \
            torch.linalg.matrix_rank(torch.as_tensor(singular), atol=atol).item()
    assert hw.linalg.matrix_rank(hw.eye(3)).dtype == np.int64


@pytest.mark.filterwarnings("ignore:torch.qr is deprecated")
def test_old_style_svd_and_qr_match_torch():
    a = np.random.default_rng(0).standard_normal((4, 3))
    hu, hs, hv = hw.svd(hw.as_tensor(a))
    tu, ts, tv = torch.svd(torch.as_tensor(a))
    np.testing.assert_allclose(hs.numpy(), ts.numpy(), atol=1e-12)
    np.testing.assert_allclose((hu @ hv.T).numpy(), (tu @ tv.T).numpy(), atol=1e-12)
    assert hw.svd(hw.as_tensor(a), some=False).U.shape == (4, 4)
    assert hw.qr(hw.as_tensor(a), some=False).Q.shape == tuple(torch.qr(torch.as_tensor(a), some=False).Q.shape)
    assert hw.linalg.qr(hw.as_tensor(a), mode="r").Q.shape == (0,)


def test_import_forms():
    import headwater.linalg as linalg

    assert linalg is hw.linalg and linalg.solve is hw.linalg.solve
    from headwater.linalg import vector_norm

    assert vector_norm is hw.linalg.vector_norm


def test_bad_inputs_name_the_problem():
    with pytest.raises(hw.autograd.ShapeError, match="square"):
        hw.linalg.inv(hw.ones(2, 3))
    with pytest.raises(hw.DTypeError, match="floating"):
        hw.linalg.det(hw.as_tensor([[1, 2], [3, 4]]))
    with pytest.raises(hw.autograd.ShapeError, match="2-D"):
        hw.mm(hw.ones(2), hw.ones(2, 2))
    with pytest.raises(hw.autograd.ShapeError, match="batch sizes"):
        hw.bmm(hw.ones(2, 2, 2), hw.ones(3, 2, 2))
    with pytest.raises(ValueError, match="ord must be"):
        hw.linalg.matrix_norm(hw.ones(2, 2), ord=3)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        hw.linalg.norm(hw.ones(2, 2, 2), ord=1)
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        u, s, vh = hw.linalg.svd(hw.ones(3, 2, dtype=hw.float64, requires_grad=True))
        u.sum().backward()
    with pytest.raises(NotImplementedError, match="repeated subscript"):
        hw.einsum("ii->i", hw.ones(2, 2, requires_grad=True)).sum().backward()
    with pytest.raises(hw.autograd.ShapeError, match="subscripts"):
        hw.einsum("ij->i", hw.ones(2))
    with pytest.raises(hw.linalg.LinAlgError, match="positive-definite"):
        hw.linalg.cholesky(hw.as_tensor([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(hw.linalg.LinAlgError, match="pinv"):
        hw.linalg.inv(hw.zeros(2, 2))
    with pytest.raises(hw.linalg.LinAlgError, match="lstsq"):
        hw.linalg.solve(hw.zeros(2, 2), hw.ones(2))
