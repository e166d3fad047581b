"""Every differentiable op passes a float64 finite-difference gradient check."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_helpers import away_from, ints, rand64
from hypothesis import given, settings
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import headwater as hw
from headwater.autograd import gradcheck

F = hw.nn.functional


def check(fn, *inputs):
    assert gradcheck(fn, list(inputs))


UNARY = {
    "neg": (lambda x: -x, {}),
    "abs": (lambda x: x.abs(), {"kink": (0.0,)}),
    "exp": (hw.exp, {}),
    "log": (hw.log, {"low": 0.5, "high": 2.0}),
    "log1p": (hw.log1p, {"low": -0.5, "high": 2.0}),
    "sqrt": (hw.sqrt, {"low": 0.5, "high": 2.0}),
    "sin": (hw.sin, {}),
    "cos": (hw.cos, {}),
    "tanh": (hw.tanh, {}),
    "sigmoid": (hw.sigmoid, {}),
    "relu": (hw.relu, {"kink": (0.0,)}),
    "leaky_relu": (lambda x: hw.leaky_relu(x, 0.2), {"kink": (0.0,)}),
    "gelu": (hw.gelu, {}),
    "gelu_tanh": (lambda x: hw.gelu(x, approximate="tanh"), {}),
    "silu": (hw.silu, {}),
    "softplus": (hw.softplus, {}),
    "softplus_beta": (lambda x: hw.softplus(x, beta=2.0, threshold=1.0), {"kink": (0.5,)}),
    "clamp": (lambda x: x.clamp(-0.5, 0.5), {"kink": (-0.5, 0.5)}),
    "clamp_min": (lambda x: hw.clamp(x, min=0.1), {"kink": (0.1,)}),
    "pow_scalar": (lambda x: x**3, {}),
    "pow_fraction": (lambda x: x**1.5, {"low": 0.5, "high": 2.0}),
    "rpow": (lambda x: 2.0**x, {}),
    "rsub": (lambda x: 1.0 - x, {}),
    "rdiv": (lambda x: 1.0 / x, {"low": 0.5, "high": 2.0}),
    "square_via_mul": (lambda x: x * x, {}),
    "clone": (lambda x: x.clone(), {}),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name):
    fn, opts = UNARY[name]
    x = rand64(3, 4, low=opts.get("low"), high=opts.get("high"))
    if "kink" in opts:
        x = away_from(x, opts["kink"])
    check(fn, x)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "maximum": hw.maximum,
    "minimum": hw.minimum,
    "where": lambda a, b: hw.where(a.detach() > 0, a, b),
    "add_alpha": lambda a, b: hw.add(a, b, alpha=2.5),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((2, 3), (3,)), ((4, 1, 3), (2, 1)), ((), (2, 2))])
def test_binary_broadcasting(name, shapes):
    a = rand64(*shapes[0], seed=1)
    b = rand64(*shapes[1], seed=2)
    if name == "div":
        b = rand64(*shapes[1], low=0.5, high=2.0, seed=2)
    check(BINARY[name], a, b)


@settings(max_examples=25, deadline=None)
@given(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
def test_binary_broadcasting_property(shapes):
    a_shape, b_shape = shapes.input_shapes
    a, b = rand64(*a_shape, seed=3), rand64(*b_shape, low=0.5, high=2.0, seed=4)
    check(lambda x, y: x * y + x / y - y, a, b)
    assert (a * b).shape == shapes.result_shape


def test_pow_tensor_exponent():
    check(lambda a, b: a**b, rand64(2, 3, low=0.5, high=2.0), rand64(3, seed=5))


def test_maximum_ties_split_gradient():
    a = hw.as_tensor([1.0, 2.0], requires_grad=True)
    b = hw.as_tensor([1.0, 3.0], requires_grad=True)
    hw.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.5, 0.0] and b.grad.tolist() == [0.5, 1.0]


@pytest.mark.parametrize(
    "a_shape,b_shape",
    [((3, 4), (4, 2)), ((2, 3, 4), (4, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((4,), (4, 3)), ((3, 4), (4,)), ((4,), (4,)),
     ((2, 3, 4), (4,))],
)
def test_matmul(a_shape, b_shape):
    check(lambda a, b: a @ b, rand64(*a_shape, seed=1), rand64(*b_shape, seed=2))


@pytest.mark.parametrize("x_shape", [(5, 3), (2, 4, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(x_shape, bias):
    w, b = rand64(2, 3, seed=8), rand64(2, seed=9)
    if bias:
        check(lambda x, w, b: F.linear(x, w, b), rand64(*x_shape), w, b)
    else:
        check(lambda x, w: F.linear(x, w), rand64(*x_shape), w)


REDUCTIONS = {
    "sum": lambda x: x.sum(),
    "sum_dim": lambda x: x.sum(dim=1),
    "sum_dims_keep": lambda x: x.sum(dim=(0, 2), keepdim=True),
    "mean": lambda x: x.mean(),
    "mean_dim": lambda x: x.mean(dim=-1, keepdim=True),
    "var": lambda x: x.var(),
    "var_dim": lambda x: x.var(dim=1, correction=0),
    "std": lambda x: x.std(dim=0),
    "max": lambda x: x.max(),
    "max_dim": lambda x: x.max(dim=1).values,
    "min_dim_keep": lambda x: x.min(dim=2, keepdim=True)[0],
    "amax_dims": lambda x: hw.amax(x, dim=(1, 2)),
    "logsumexp": lambda x: hw.logsumexp(x, dim=1),
    "logsumexp_all": lambda x: x.logsumexp(),
    "cumsum": lambda x: x.cumsum(dim=1),
    "softmax": lambda x: x.softmax(dim=-1),
    "log_softmax": lambda x: x.log_softmax(dim=1),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reductions(name):
    check(REDUCTIONS[name], rand64(2, 3, 4))


SHAPES = {
    "reshape": lambda x: x.reshape(4, 6) * 2,
    "view": lambda x: x.view(-1),
    "flatten": lambda x: x.flatten(1),
    "squeeze": lambda x: x.unsqueeze(0).squeeze(0),
    "unsqueeze": lambda x: x.unsqueeze(-1) * hw.ones(1, 1, 1, 2, dtype=hw.float64),
    "permute": lambda x: x.permute(2, 0, 1),
    "transpose": lambda x: x.transpose(0, 2),
    "T": lambda x: x.reshape(6, 4).T,
    "expand": lambda x: x[:, :1, :].expand(2, 5, 4),
    "getitem_int": lambda x: x[1],
    "getitem_slice": lambda x: x[:, 1:, ::2],
    "getitem_negative_step_free": lambda x: x[..., -1],
    "getitem_none": lambda x: x[None, 0],
    "getitem_bool": lambda x: x[x.detach() > 0],
    "getitem_int_array_repeats": lambda x: x[ints([0, 1, 0, 0])],
    "getitem_mixed": lambda x: x[1, [2, 0, 2], 1:3],
    "gather": lambda x: hw.gather(x, 2, ints(np.array([0, 3, 3, 1, 2, 0] * 4).reshape(2, 3, 4) % 4)),
    "index_select": lambda x: x.index_select(1, ints([2, 0, 2])),
    "cat": lambda x: hw.cat([x, x * 2, x[:, :1]], dim=1),
    "stack": lambda x: hw.stack([x, x.exp()], dim=2),
    "split": lambda x: hw.split(x, [1, 3], dim=2)[1] * 3,
    "chunk": lambda x: x.chunk(2, dim=2)[0] - x.chunk(2, dim=2)[1],
    "pad": lambda x: F.pad(x, (1, 2, 0, 1), value=0.5),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_and_indexing(name):
    check(SHAPES[name], rand64(2, 3, 4))


def test_embedding():
    weight = rand64(5, 3)
    idx = ints([[0, 4, 4], [2, 0, 1]])
    check(lambda w: F.embedding(idx, w), weight)


def test_embedding_padding_row_gets_no_gradient():
    weight = rand64(5, 3)
    F.embedding(ints([[0, 4, 4], [2, 0, 1]]), weight, padding_idx=4).sum().backward()
    grad = weight.grad.numpy()
    assert (grad[4] == 0).all() and (grad[0] == 2).all() and (grad[3] == 0).all()


def test_dropout_with_fixed_mask():
    def fn(x):
        hw.manual_seed(3)
        return F.dropout(x, 0.3)

    check(fn, rand64(4, 5))


def test_layer_norm():
    x, w, b = rand64(3, 4), rand64(4, seed=1), rand64(4, seed=2)
    check(lambda x, w, b: F.layer_norm(x, (4,), w, b), x, w, b)
    check(lambda x: F.layer_norm(x, (3, 4)), x)


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2)])
def test_batch_norm_training(shape):
    w, b = rand64(3, seed=1), rand64(3, seed=2)
    check(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), rand64(*shape), w, b)


def test_batch_norm_eval():
    rm = hw.as_tensor(np.array([0.1, -0.2, 0.3]))
    rv = hw.as_tensor(np.array([1.5, 0.5, 2.0]))
    check(lambda x: F.batch_norm(x, rm, rv, training=False), rand64(4, 3))


LOSSES = {
    "cross_entropy": lambda x: F.cross_entropy(x, ints([0, 3, 1, 3])),
    "cross_entropy_sum": lambda x: F.cross_entropy(x, ints([0, 3, 1, 3]), reduction="sum"),
    "cross_entropy_none": lambda x: F.cross_entropy(x, ints([0, 3, 1, 3]), reduction="none"),
    "cross_entropy_weight_ignore_smooth": lambda x: F.cross_entropy(
        x, ints([0, -100, 1, 3]), weight=hw.as_tensor(np.array([1.0, 2.0, 0.5, 3.0])),
        label_smoothing=0.2),
    "cross_entropy_probabilities": lambda x: F.cross_entropy(
        x, hw.as_tensor(np.full((4, 4), 0.25)), label_smoothing=0.1),
    "nll_loss": lambda x: F.nll_loss(x.log_softmax(dim=1), ints([2, 0, 1, 1]),
                                     weight=hw.as_tensor(np.array([1.0, 2.0, 0.5, 3.0]))),
    "mse": lambda x: F.mse_loss(x, hw.as_tensor(np.ones((4, 4)))),
    "l1": lambda x: F.l1_loss(x, hw.as_tensor(np.full((4, 4), 0.05))),
    "huber": lambda x: F.huber_loss(x, hw.as_tensor(np.zeros((4, 4))), delta=0.7),
    "bce_with_logits": lambda x: F.binary_cross_entropy_with_logits(
        x, hw.as_tensor(np.eye(4)), pos_weight=hw.as_tensor(np.array([1.0, 2.0, 3.0, 0.5]))),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_losses(name):
    x = rand64(4, 4)
    if name in ("l1", "huber"):
        x = away_from(x, (0.05, 0.7, -0.7))
    check(LOSSES[name], x)


def test_cross_entropy_with_spatial_dims():
    target = ints([[0, 2, 1], [1, 1, 0]])
    check(lambda x: F.cross_entropy(x, target), rand64(2, 3, 3))
    check(lambda x: F.cross_entropy(x, target, reduction="none"), rand64(2, 3, 3))


def test_gradcheck_catches_a_wrong_backward():
    class Wrong(hw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, grad):
            return grad  # should be 2 x grad

    with pytest.raises(AssertionError, match="input 0"):
        gradcheck(Wrong.apply, [rand64(3)])


def test_max_with_dim_sends_the_gradient_to_the_returned_index():
    x = hw.as_tensor(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]), requires_grad=True)
    values, indices = x.max(dim=1)
    values.sum().backward()
    rows = np.arange(2)
    expected = np.zeros((2, 3))
    expected[rows, indices.numpy()] = 1.0
    np.testing.assert_array_equal(x.grad.numpy(), expected)
    y = hw.as_tensor(np.array([1.0, 3.0, 3.0]), requires_grad=True)
    y.max().backward()  # without dim, ties share
    assert y.grad.tolist() == [0.0, 0.5, 0.5]
