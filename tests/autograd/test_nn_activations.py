"""Activation functions and modules against PyTorch (float64 and float32, forward and backward)."""

from __future__ import annotations

import numpy as np
import pytest
from torch_oracle import check_grad, helper_test_op

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def F(L):
    return L.nn.functional


# kinks sit at 0, +-0.5, +-1, +-3, 6: inputs are drawn in [-7, 7] away from them
KINKS = (0.0, 0.5, -0.5, 1.0, -1.0, 3.0, -3.0, 6.0, 1.5)

FUNCTIONAL = {
    "relu6": lambda L, a: F(L).relu6(a),
    "hardtanh": lambda L, a: F(L).hardtanh(a),
    "hardtanh_range": lambda L, a: F(L).hardtanh(a, -3.0, 1.5),
    "elu": lambda L, a: F(L).elu(a),
    "elu_alpha": lambda L, a: F(L).elu(a, alpha=0.5),
    "selu": lambda L, a: F(L).selu(a),
    "celu": lambda L, a: F(L).celu(a, alpha=1.5),
    "mish": lambda L, a: F(L).mish(a),
    "hardswish": lambda L, a: F(L).hardswish(a),
    "hardsigmoid": lambda L, a: F(L).hardsigmoid(a),
    "logsigmoid": lambda L, a: F(L).logsigmoid(a),
    "softsign": lambda L, a: F(L).softsign(a),
    "tanhshrink": lambda L, a: F(L).tanhshrink(a),
    "softshrink": lambda L, a: F(L).softshrink(a),
    "softshrink_lambd": lambda L, a: F(L).softshrink(a, 1.0),
    "hardshrink": lambda L, a: F(L).hardshrink(a, 1.0),
    "threshold": lambda L, a: F(L).threshold(a, 0.5, -2.0),
    "glu": lambda L, a: F(L).glu(a),
    "glu_dim0": lambda L, a: F(L).glu(a, dim=0),
    "softmin": lambda L, a: F(L).softmin(a, dim=1),
    "softmin_dtype": lambda L, a: F(L).softmin(a, dim=0, dtype=L.float64),
    "softmax_dtype": lambda L, a: F(L).softmax(a, dim=0, dtype=L.float64),
    "log_softmax_dtype": lambda L, a: F(L).log_softmax(a, dim=1, dtype=L.float64),
    "rrelu_eval": lambda L, a: F(L).rrelu(a),
    "rrelu_eval_range": lambda L, a: F(L).rrelu(a, 0.1, 0.5),
    "softplus": lambda L, a: F(L).softplus(a, beta=2.0, threshold=5.0),
    # in place on a tensor inside the graph (recorded, as torch records it)
    "relu_inplace": lambda L, a: F(L).relu(a * 1, inplace=True),
    "leaky_relu_inplace": lambda L, a: F(L).leaky_relu(a * 2, 0.2, inplace=True),
    "elu_inplace": lambda L, a: F(L).elu_(a * 1),
    "hardtanh_inplace": lambda L, a: F(L).hardtanh_(a + 0, -2.0, 2.0),
    "selu_inplace": lambda L, a: F(L).selu(a * 1, inplace=True),
    "threshold_inplace": lambda L, a: F(L).threshold_(a * 1, 1.0, 0.0),
    "hardswish_inplace": lambda L, a: F(L).hardswish(a * 1, inplace=True),
    "silu_inplace": lambda L, a: F(L).silu(a * 1, inplace=True),
    "mish_inplace": lambda L, a: F(L).mish(a * 1, inplace=True),
}


def _inputs(shape, dtype, seed=0):
    host = np.random.default_rng(seed).uniform(-7, 7, size=shape)
    for p in KINKS:
        near = np.abs(host - p) < 0.05
        host[near] = p + 0.1
    return [host.astype(dtype)]


@pytest.mark.parametrize("name", sorted(FUNCTIONAL))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_functional_matches_torch(name, dtype):
    helper_test_op(None, FUNCTIONAL[name], hosts=_inputs((4, 6), dtype), dtype=dtype)


def test_gradients_at_the_kinks_follow_torch():
    kinks = [[-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0]]
    for name in ("relu6", "hardtanh", "elu", "selu", "celu", "hardswish", "hardsigmoid", "softshrink",
                 "hardshrink", "threshold", "rrelu_eval"):
        helper_test_op(None, FUNCTIONAL[name], hosts=kinks)


@pytest.mark.parametrize("shape, wshape", [((4, 3, 5), (3,)), ((4, 3), (1,)), ((2, 3, 2, 2), (3,)), ((3,), (1,))])
def test_prelu_matches_torch(shape, wshape):
    rng = np.random.default_rng(1)
    hosts = [rng.uniform(-2, 2, size=shape), rng.uniform(0, 0.5, size=wshape)]
    helper_test_op(None, lambda L, a, w: F(L).prelu(a, w), hosts=hosts)


def test_rrelu_training_draws_slopes_in_range():
    hw.manual_seed(0)
    x = -hw.ones(10000, dtype=hw.float64)
    y = F(hw).rrelu(x, 0.1, 0.3, training=True)
    slopes = -y.numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and abs(slopes.mean() - 0.2) < 0.005
    assert len(np.unique(slopes)) > 1000
    x = hw.as_tensor([-2.0, 3.0], dtype=hw.float64, requires_grad=True)
    y = F(hw).rrelu(x, 0.1, 0.3, training=True)
    y.sum().backward()
    assert x.grad.numpy()[1] == 1.0 and np.isclose(x.grad.numpy()[0], y.detach().numpy()[0] / -2.0)


GRADCHECK = ["elu", "selu", "celu", "mish", "hardswish", "logsigmoid", "softsign", "tanhshrink", "glu",
             "softmin", "elu_inplace"]


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    check_grad(None, FUNCTIONAL[name], hosts=_inputs((3, 4), "float64"))


# module name: (constructor args, input shape); same weights, same outputs and gradients
MODULES = {
    "ELU": ((0.7,), (3, 4)), "SELU": ((), (3, 4)), "CELU": ((1.3,), (3, 4)), "Softplus": ((2.0, 4.0), (3, 4)),
    "Mish": ((), (3, 4)), "Hardswish": ((), (3, 4)), "Hardsigmoid": ((), (3, 4)), "Hardtanh": ((-2.0, 1.5), (3, 4)),
    "ReLU6": ((), (3, 4)), "PReLU": ((4,), (3, 4)), "PReLU_shared": ((), (2, 3, 5)), "LogSigmoid": ((), (3, 4)),
    "Softsign": ((), (3, 4)), "Tanhshrink": ((), (3, 4)), "GLU": ((), (3, 4)), "LogSoftmax": ((1,), (3, 4)),
    "Softmin": ((0,), (3, 4)), "Softmax2d": ((), (2, 3, 2, 2)), "Threshold": ((0.5, -1.0), (3, 4)),
    "RReLU": ((0.1, 0.4), (3, 4)), "Softshrink": ((0.7,), (3, 4)), "Hardshrink": ((0.7,), (3, 4)),
    "ReLU": ((True,), (3, 4)), "LeakyReLU": ((0.2, True), (3, 4)), "SiLU": ((True,), (3, 4)),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_matches_torch(name):
    args, shape = MODULES[name]
    cls = name.split("_")[0]
    hm, tm = getattr(hw.nn, cls)(*args), getattr(torch.nn, cls)(*args)
    hm.eval(), tm.eval()
    assert list(hm.state_dict()) == list(tm.state_dict())
    hm.load_state_dict({k: hw.as_tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    assert repr(hm) == repr(tm)
    # inplace modules write into their input, so feed them a fresh non-leaf
    helper_test_op(None, lambda L, a: (hm if L is hw else tm)(a * 1), hosts=_inputs(shape, "float32"), dtype="float32")
    for (k, hv), tv in zip(hm.named_parameters(), tm.parameters()):
        assert hv.shape == tuple(tv.shape), k


def test_prelu_learns_its_slope_as_torch():
    hm, tm = hw.nn.PReLU(3), torch.nn.PReLU(3)
    x = np.random.default_rng(0).uniform(-2, 2, size=(5, 3)).astype(np.float32)
    hm(hw.as_tensor(x)).sum().backward()
    tm(torch.tensor(x)).sum().backward()
    np.testing.assert_allclose(hm.weight.grad.numpy(), tm.weight.grad.numpy(), rtol=1e-6)


def test_bad_inputs_name_the_problem():
    with pytest.raises(ValueError, match="even size"):
        F(hw).glu(hw.ones(3))
    with pytest.raises(ValueError, match="channel"):
        F(hw).prelu(hw.ones(2, 3), hw.ones(4))
    with pytest.raises(ValueError, match="min_val"):
        hw.nn.Hardtanh(2.0, 1.0)
    with pytest.raises(hw.autograd.AutogradError, match="leaf"):
        F(hw).relu(hw.ones(2, requires_grad=True), inplace=True)
    with pytest.raises(TypeError, match="float tensor"):
        F(hw).elu(hw.as_tensor([1, 2]), inplace=True)


@pytest.mark.parametrize("name, fn", [
    ("selu", lambda L, a: L.selu(a)), ("celu", lambda L, a: L.celu(a, 0.5)),
    ("hardshrink", lambda L, a: L.hardshrink(a, 1.0)), ("threshold", lambda L, a: L.threshold(a, 0.5, 3.0)),
    ("rrelu", lambda L, a: L.rrelu(a)), ("prelu", lambda L, a: L.prelu(a, L.ones(1, dtype=a.dtype) * 0.3)),
])
def test_top_level_forms_match_torch(name, fn):
    helper_test_op(None, fn, hosts=_inputs((3, 4), "float64"))
