"""Forward values and gradients agree with PyTorch, op by op (float64 and float32)."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw

F = hw.nn.functional

torch = pytest.importorskip("torch")
TF = torch.nn.functional
pytestmark = pytest.mark.torch


def helper_test_op(shapes, torch_fn, hw_fn, *, dtype="float64", low=-2.0, high=2.0, atol=1e-7, rtol=1e-6,
                   seed=0):
    """Run one op in both frameworks on the same data; compare output and grads."""
    rng = np.random.default_rng(seed)
    hosts = [rng.uniform(low, high, size=s).astype(dtype) for s in shapes]
    h_in = [hw.as_tensor(a, requires_grad=True) for a in hosts]
    t_in = [torch.tensor(a, requires_grad=True) for a in hosts]
    h_out, t_out = hw_fn(*h_in), torch_fn(*t_in)
    assert h_out.shape == tuple(t_out.shape)
    assert h_out.dtype == np.dtype(str(t_out.dtype).replace("torch.", ""))
    np.testing.assert_allclose(h_out.detach().numpy(), t_out.detach().numpy(), atol=atol, rtol=rtol)
    weights = rng.standard_normal(tuple(t_out.shape)).astype(dtype)
    (h_out * hw.as_tensor(weights)).sum().backward()
    (t_out * torch.tensor(weights)).sum().backward()
    for h, t in zip(h_in, t_in):
        np.testing.assert_allclose(h.grad.numpy(), t.grad.numpy(), atol=atol * 10, rtol=rtol * 10)


OPS = {
    "add": ([(3, 4), (4,)], lambda a, b: a + b, None),
    "sub": ([(3, 4), (3, 1)], lambda a, b: a - b, None),
    "mul": ([(2, 3, 4), (3, 4)], lambda a, b: a * b, None),
    "div": ([(3, 4), (3, 4)], lambda a, b: a / (b.abs() + 0.5), None),
    "pow": ([(3, 4)], lambda a: (a.abs() + 0.1) ** 2.5, None),
    "abs": ([(3, 4)], lambda a: a.abs(), None),
    "exp": ([(3, 4)], lambda a: a.exp(), None),
    "log": ([(3, 4)], lambda a: (a.abs() + 0.1).log(), None),
    "sqrt": ([(3, 4)], lambda a: (a.abs() + 0.1).sqrt(), None),
    "sin_cos": ([(3, 4)], lambda a: a.sin() * a.cos(), None),
    "tanh": ([(3, 4)], lambda a: a.tanh(), None),
    "sigmoid": ([(3, 4)], lambda a: a.sigmoid(), None),
    "relu": ([(3, 4)], lambda a: a.relu(), None),
    "clamp": ([(3, 4)], lambda a: a.clamp(-0.5, 0.7), None),
    "maximum": ([(3, 4), (4,)], lambda a, b: (hw.maximum if isinstance(a, hw.Tensor) else torch.maximum)(a, b), None),
    "matmul": ([(2, 3, 4), (4, 5)], lambda a, b: a @ b, None),
    "matmul_vec": ([(4,), (2, 4, 3)], lambda a, b: a @ b, None),
    "sum": ([(2, 3, 4)], lambda a: a.sum(dim=(0, 2), keepdim=True), None),
    "mean": ([(2, 3, 4)], lambda a: a.mean(dim=1), None),
    "var": ([(2, 3, 4)], lambda a: a.var(dim=2), None),
    "std": ([(2, 3, 4)], lambda a: a.std(dim=0, keepdim=True), None),
    "max_dim": ([(3, 5)], lambda a: a.max(dim=1)[0], None),
    "amin": ([(3, 5)], lambda a: a.amin(dim=0), None),
    "logsumexp": ([(3, 5)], lambda a: a.logsumexp(dim=1), None),
    "cumsum": ([(3, 5)], lambda a: a.cumsum(dim=1), None),
    "softmax": ([(3, 5)], lambda a: a.softmax(dim=1), None),
    "log_softmax": ([(3, 5)], lambda a: a.log_softmax(dim=0), None),
    "permute": ([(2, 3, 4)], lambda a: a.permute(2, 0, 1) * 2, None),
    "transpose_reshape": ([(2, 3, 4)], lambda a: a.transpose(0, 1).reshape(3, 8), None),
    "expand": ([(3, 1)], lambda a: a.expand(3, 4) * 1.5, None),
    "getitem": ([(4, 5)], lambda a: a[1:, ::2] * 3, None),
    "index_select": ([(4, 5)], None, "index_select"),
    "gather": ([(4, 5)], None, "gather"),
    "cat_stack": ([(2, 3), (2, 3)], None, "cat_stack"),
}


def _special(name, lib):
    if name == "index_select":
        idx = (hw if lib is hw else torch).as_tensor(np.array([3, 0, 3]))
        return lambda a: a.index_select(1, idx)
    if name == "gather":
        idx = (hw if lib is hw else torch).as_tensor(np.array([[0, 4], [1, 1], [3, 2], [0, 0]]))
        return lambda a: a.gather(1, idx)
    if name == "cat_stack":
        return lambda a, b: lib.cat([lib.stack([a, b]), lib.stack([b, a])], dim=2)
    raise KeyError(name)


@pytest.mark.parametrize("name", sorted(OPS))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_op_matches_torch(name, dtype):
    shapes, fn, special = OPS[name]
    tol = dict(atol=1e-7, rtol=1e-6) if dtype == "float64" else dict(atol=1e-5, rtol=1e-4)
    if special:
        helper_test_op(shapes, _special(special, torch), _special(special, hw), dtype=dtype, **tol)
    else:
        helper_test_op(shapes, fn, fn, dtype=dtype, **tol)


ACTIVATIONS = {
    "leaky_relu": (lambda a: TF.leaky_relu(a, 0.1), lambda a: F.leaky_relu(a, 0.1)),
    "gelu": (TF.gelu, F.gelu),
    "gelu_tanh": (lambda a: TF.gelu(a, approximate="tanh"), lambda a: F.gelu(a, approximate="tanh")),
    "silu": (TF.silu, F.silu),
    "softplus": (TF.softplus, F.softplus),
    "softplus_beta": (lambda a: TF.softplus(a, beta=3.0, threshold=2.0), lambda a: F.softplus(a, beta=3.0, threshold=2.0)),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_matches_torch(name):
    t_fn, h_fn = ACTIVATIONS[name]
    # erf is a 1.2e-7-accurate fit, so exact GELU matches to that tolerance
    helper_test_op([(4, 6)], t_fn, h_fn, low=-5, high=5, atol=3e-7, rtol=3e-6)


def test_layer_norm_and_batch_norm_match_torch():
    helper_test_op([(4, 6), (6,), (6,)], lambda x, w, b: TF.layer_norm(x, (6,), w, b),
                   lambda x, w, b: F.layer_norm(x, (6,), w, b))
    helper_test_op([(5, 3, 2), (3,), (3,)],
                   lambda x, w, b: TF.batch_norm(x, None, None, w, b, training=True),
                   lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True))


CE_CASES = [
    dict(),
    dict(reduction="sum"),
    dict(reduction="none"),
    dict(ignore_index=2),
    dict(label_smoothing=0.15),
    dict(weight=[1.0, 2.0, 0.5, 3.0, 1.5]),
    dict(weight=[1.0, 2.0, 0.5, 3.0, 1.5], label_smoothing=0.3, ignore_index=1),
    dict(weight=[1.0, 2.0, 0.5, 3.0, 1.5], label_smoothing=0.3, reduction="none"),
]


@pytest.mark.parametrize("case", range(len(CE_CASES)))
def test_cross_entropy_matches_torch(case):
    kw = dict(CE_CASES[case])
    target = np.array([0, 2, 4, 1, 2, 3])
    h_kw, t_kw = dict(kw), dict(kw)
    if "weight" in kw:
        h_kw["weight"] = hw.as_tensor(np.array(kw["weight"]))
        t_kw["weight"] = torch.tensor(kw["weight"], dtype=torch.float64)
    helper_test_op([(6, 5)], lambda x: TF.cross_entropy(x, torch.tensor(target), **t_kw),
                   lambda x: F.cross_entropy(x, hw.as_tensor(target), **h_kw))


def test_cross_entropy_probabilities_and_spatial_match_torch():
    probs = np.random.default_rng(1).dirichlet(np.ones(5), size=4)
    helper_test_op([(4, 5)], lambda x: TF.cross_entropy(x, torch.tensor(probs), label_smoothing=0.1),
                   lambda x: F.cross_entropy(x, hw.as_tensor(probs), label_smoothing=0.1))
    target = np.array([[0, 3, 1], [2, 2, 0]])
    helper_test_op([(2, 4, 3)], lambda x: TF.cross_entropy(x, torch.tensor(target), reduction="none"),
                   lambda x: F.cross_entropy(x, hw.as_tensor(target), reduction="none"))


def test_other_losses_match_torch():
    y = np.random.default_rng(2).uniform(-1, 1, size=(4, 3))
    yb = (y > 0).astype(np.float64)
    pw = np.array([1.0, 2.0, 0.5])
    helper_test_op([(4, 3)], lambda x: TF.mse_loss(x, torch.tensor(y)), lambda x: F.mse_loss(x, hw.as_tensor(y)))
    helper_test_op([(4, 3)], lambda x: TF.l1_loss(x, torch.tensor(y), reduction="sum"),
                   lambda x: F.l1_loss(x, hw.as_tensor(y), reduction="sum"))
    helper_test_op([(4, 3)], lambda x: TF.huber_loss(x, torch.tensor(y), delta=0.5),
                   lambda x: F.huber_loss(x, hw.as_tensor(y), delta=0.5))
    helper_test_op([(4, 3)],
                   lambda x: TF.binary_cross_entropy_with_logits(x, torch.tensor(yb), pos_weight=torch.tensor(pw)),
                   lambda x: F.binary_cross_entropy_with_logits(x, hw.as_tensor(yb), pos_weight=hw.as_tensor(pw)))
    target = np.array([1, 0, 2, 2])
    helper_test_op([(4, 3)], lambda x: TF.nll_loss(x.log_softmax(1), torch.tensor(target), ignore_index=0),
                   lambda x: F.nll_loss(x.log_softmax(1), hw.as_tensor(target), ignore_index=0))


def test_int_and_float_promotion_matches_torch():
    a = hw.as_tensor([1, 2, 3])
    b = hw.as_tensor([0.5, 0.5, 0.5])
    ta, tb = torch.tensor([1, 2, 3]), torch.tensor([0.5, 0.5, 0.5])
    for h, t in [(a + b, ta + tb), (a * 1.5, ta * 1.5), (a / 2, ta / 2), (a + 1, ta + 1)]:
        assert str(h.dtype) == str(t.dtype).replace("torch.", "")
        np.testing.assert_allclose(h.numpy(), t.numpy())


def test_max_and_min_with_ties_match_torch():
    a = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [5.0, 5.0, 5.0]])
    for op in ("max", "min"):
        h = hw.as_tensor(a, requires_grad=True)
        t = torch.tensor(a, requires_grad=True)
        hv, hi = getattr(h, op)(dim=1)
        tv, ti = getattr(t, op)(dim=1)
        assert hi.tolist() == ti.tolist()
        hv.sum().backward()
        tv.sum().backward()
        np.testing.assert_array_equal(h.grad.numpy(), t.grad.numpy())
        h.grad = None
        t.grad = None
        getattr(h, op)().backward()
        getattr(t, op)().backward()
        np.testing.assert_array_equal(h.grad.numpy(), t.grad.numpy())
