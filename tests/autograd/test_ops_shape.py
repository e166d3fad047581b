"""Shape ops (unflatten, mT, swapaxes, movedim, broadcast_to, repeat, tile,
repeat_interleave, flips, roll, rot90, narrow, unbind, stacks, triangles and
diagonals, trace, meshgrid, atleast_*d) against PyTorch, forward and backward."""

from __future__ import annotations

import numpy as np
import pytest
from op_oracle import run_case

import headwater as hw

torch = pytest.importorskip("torch")
# the tables feed NaN, infinities and zeros on purpose
pytestmark = [pytest.mark.torch, pytest.mark.filterwarnings("ignore::RuntimeWarning")]

S = [(3, 4)]
S3 = [(2, 3, 4)]


def _counts(lib, *values):
    return lib.as_tensor(np.array(values, dtype=np.int64))


SHAPE = {
    "unflatten": (S3, lambda lib, a: a.unflatten(2, (2, 2)) * 2),
    "unflatten_neg": (S3, lambda lib, a: lib.unflatten(a, -1, (-1, 2)).sin()),
    "mT": (S3, lambda lib, a: a.mT * 3),
    "swapaxes": (S3, lambda lib, a: lib.swapaxes(a, 0, 2).exp()),
    "swapdims": (S3, lambda lib, a: a.swapdims(-1, 1) * 2),
    "movedim": (S3, lambda lib, a: lib.movedim(a, 0, -1) * 2),
    "movedim_tuple": (S3, lambda lib, a: a.movedim((0, 1), (2, 0)).cos()),
    "moveaxis": (S3, lambda lib, a: lib.moveaxis(a, -1, 0) * 2),
    "broadcast_to": ([(3, 1)], lambda lib, a: lib.broadcast_to(a, (2, 3, 4)).sin()),
    "broadcast_to_method": ([(4,)], lambda lib, a: a.broadcast_to((3, 4)) * 2),
    "repeat": (S, lambda lib, a: a.repeat(2, 3).sin()),
    "repeat_new_dims": ([(2, 3)], lambda lib, a: a.repeat(2, 1, 2).cos()),
    "tile": (S3, lambda lib, a: lib.tile(a, (2,)).sin()),
    "tile_method": (S, lambda lib, a: a.tile((2, 1, 2)) * 2),
    "repeat_interleave": (S, lambda lib, a: lib.repeat_interleave(a, 2).sin()),
    "repeat_interleave_dim": (S, lambda lib, a: a.repeat_interleave(3, dim=1) * 2),
    "repeat_interleave_counts": (S, lambda lib, a: lib.repeat_interleave(a, _counts(lib, 1, 0, 2), dim=0).sin()),
    "flip": (S3, lambda lib, a: lib.flip(a, [0, 2]) * lib.arange(4.0)),
    "flip_method": (S, lambda lib, a: a.flip(-1) * lib.arange(4.0)),
    "fliplr": (S, lambda lib, a: lib.fliplr(a) * lib.arange(4.0)),
    "flipud": (S, lambda lib, a: lib.flipud(a) * lib.arange(4.0)),
    "roll": (S, lambda lib, a: lib.roll(a, 1) * lib.arange(4.0)),
    "roll_dims": (S3, lambda lib, a: a.roll((1, -2), (0, 2)) * lib.arange(4.0)),
    "rot90": (S, lambda lib, a: lib.rot90(a) * lib.arange(3.0)),
    "rot90_k": (S3, lambda lib, a: a.rot90(3, (1, 2)).sin()),
    "rot90_k2": (S, lambda lib, a: lib.rot90(a, 2, [1, 0]) * lib.arange(4.0)),
    "narrow": (S3, lambda lib, a: lib.narrow(a, 2, 1, 2).sin()),
    "narrow_method": (S, lambda lib, a: a.narrow(0, -2, 2) * 2),
    "unbind": (S, lambda lib, a: lib.unbind(a, 1)),
    "unbind_method": (S3, lambda lib, a: a.unbind()),
    "hstack": ([(2, 3), (2, 1)], lambda lib, a, b: lib.hstack([a, b]).sin()),
    "hstack_1d": ([(3,), (2,)], lambda lib, a, b: lib.hstack((a, b)) * 2),
    "vstack": ([(3,), (2, 3)], lambda lib, a, b: lib.vstack([a, b]).sin()),
    "dstack": ([(2, 3), (2, 3, 2)], lambda lib, a, b: lib.dstack([a, b]).sin()),
    "dstack_1d": ([(3,), (3,)], lambda lib, a, b: lib.dstack([a, b]) * 2),
    "column_stack": ([(3,), (3, 2)], lambda lib, a, b: lib.column_stack([a, b]).sin()),
    "tril": (S, lambda lib, a: lib.tril(a).sin()),
    "tril_k": (S3, lambda lib, a: a.tril(-1) * 2),
    "triu": ([(4, 3)], lambda lib, a: lib.triu(a, 1).sin()),
    "triu_batch": (S3, lambda lib, a: a.triu() * 2),
    "diag_vec": ([(3,)], lambda lib, a: lib.diag(a).sin()),
    "diag_vec_offset": ([(3,)], lambda lib, a: a.diag(-2) * 2),
    "diag_mat": (S, lambda lib, a: lib.diag(a, 1).sin()),
    "diag_embed": (S, lambda lib, a: lib.diag_embed(a).sin()),
    "diag_embed_dims": (S3, lambda lib, a: a.diag_embed(1, 0, 2) * 2),
    "diagonal": (S, lambda lib, a: lib.diagonal(a).sin()),
    "diagonal_offset_dims": (S3, lambda lib, a: a.diagonal(-1, 2, 0) * 2),
    "trace": (S, lambda lib, a: lib.trace(a)),
    "trace_method": ([(4, 4)], lambda lib, a: a.trace() * 2),
    "meshgrid_ij": ([(3,), (2,)], lambda lib, a, b: lib.meshgrid(a, b, indexing="ij")),
    "meshgrid_xy": ([(3,), (2,), (4,)], lambda lib, a, b, c: lib.meshgrid([a, b, c], indexing="xy")),
    "atleast_1d": ([()], lambda lib, a: lib.atleast_1d(a) * 2),
    "atleast_2d": ([(3,), ()], lambda lib, a, b: lib.atleast_2d(a, b)),
    "atleast_3d": ([(3,), (2, 3), (2, 3, 4, 1)], lambda lib, a, b, c: lib.atleast_3d([a, b, c])),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(SHAPE))
def test_shape_matches_torch(name, dtype):
    run_case(SHAPE[name], dtype)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 9))
def test_shape_sweep_over_seeds(seed):
    for case in SHAPE.values():
        for dtype in ("float64", "float32"):
            run_case(case, dtype, seed=seed)


def test_integer_and_bool_tensors_keep_their_dtype():
    a = np.arange(12).reshape(3, 4)
    h, t = hw.as_tensor(a), torch.tensor(a)
    for fn in (lambda x: x.flip(0), lambda x: x.roll(1, 1), lambda x: x.rot90(), lambda x: x.tril(),
               lambda x: x.repeat(1, 2), lambda x: x.diagonal(), lambda x: x.repeat_interleave(2),
               lambda x: (x > 4).rot90(0), lambda x: (x > 4).flip(1)):
        ho, to = fn(h), fn(t)
        assert ho.dtype == np.dtype(str(to.dtype).replace("torch.", "")) and ho.tolist() == to.tolist()
    counts = hw.as_tensor(np.array([2, 0, 1]))
    assert hw.repeat_interleave(counts).tolist() == torch.repeat_interleave(torch.tensor([2, 0, 1])).tolist()


def test_inplace_triangles():
    for name in ("tril_", "triu_"):
        h, t = hw.as_tensor(np.arange(9.0).reshape(3, 3)), torch.arange(9.0, dtype=torch.float64).reshape(3, 3)
        assert getattr(h, name)(1) is h
        getattr(t, name)(1)
        assert h.tolist() == t.tolist()


def test_flip_output_does_not_share_memory():
    x = hw.as_tensor(np.arange(3.0))
    y = x.flip(0)
    y[0] = 10.0
    assert x.tolist() == [0.0, 1.0, 2.0]


def test_bad_arguments_name_the_problem():
    x = hw.zeros(2, 3)
    with pytest.raises(hw.autograd.ShapeError, match="multiply"):
        x.unflatten(1, (2, 2))
    with pytest.raises(hw.autograd.ShapeError, match="at least one per dimension"):
        x.repeat(2)
    with pytest.raises(IndexError, match="narrow"):
        x.narrow(1, 2, 2)
    with pytest.raises(ValueError, match="one shift per dim"):
        x.roll((1, 2), 0)
    with pytest.raises(ValueError, match="indexing"):
        hw.meshgrid(hw.zeros(2), indexing="ji")
    with pytest.raises(hw.autograd.ShapeError, match="2 dimensions"):
        _ = hw.zeros(3).mT
    with pytest.raises(hw.autograd.ShapeError, match="counts"):
        hw.repeat_interleave(x, hw.as_tensor(np.array([1, 2, 3])), dim=0)


@pytest.mark.parametrize("fn", [
    lambda a: a.repeat(2, 3), lambda a: a.roll(1, 0), lambda a: a.flip(1), lambda a: a.rot90(),
    lambda a: hw.diag_embed(a, 1), lambda a: a.diagonal(1), lambda a: a.triu(), lambda a: a.unbind(1),
    lambda a: a.repeat_interleave(hw.as_tensor(np.array([2, 0, 1])), dim=0),
])
def test_gradcheck(fn):
    rng = np.random.default_rng(4)
    a = hw.as_tensor(rng.standard_normal((3, 4)), requires_grad=True)
    assert hw.autograd.gradcheck(fn, [a])
