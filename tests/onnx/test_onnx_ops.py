"""Op converters one by one: small functions exported and run in onnxruntime at two batch sizes."""

from __future__ import annotations

import pytest

import headwater as hw
from tests.onnx.onnx_helpers import check_export

F = hw.nn.functional

UNARY = {
    "math": lambda x: hw.exp(x) + hw.log1p(hw.abs(x)) + hw.sqrt(hw.abs(x)) * hw.sin(x) - hw.cos(x) * hw.tanh(x),
    "more_math": lambda x: hw.expm1(x) + hw.log2(hw.abs(x) + 1) + hw.log10(hw.abs(x) + 1) + hw.rsqrt(hw.abs(x) + 1)
    + hw.square(x) + hw.exp2(x) + hw.erf(x) + hw.reciprocal(x * x + 1) + hw.atan(x) + hw.sinh(x) + hw.sign(x),
    "rounding": lambda x: hw.floor(x * 3) + hw.ceil(x * 3) + hw.round(x * 3) + hw.trunc(x * 3) + hw.frac(x * 3)
    + hw.round(x, decimals=1),
    "activations": lambda x: F.elu(x) + F.selu(x) + F.celu(x, 2.0) + F.hardtanh(x) + F.hardsigmoid(x)
    + F.softplus(x, beta=2.0) + F.mish(x) + F.logsigmoid(x) + F.softsign(x) + F.threshold(x, 0.1, -1.0)
    + F.softshrink(x) + F.hardshrink(x) + F.tanhshrink(x) + F.relu6(x) + F.gelu(x, approximate="tanh"),
    "clamp": lambda x: hw.clamp(x, -0.5, 0.5) + hw.clamp(x, min=0.2),
    "compare_where": lambda x: hw.where(x > 0, x, x * 0.1) + (x >= 0.5).float() + (x != 0.25).float()
    + hw.maximum(x, x * 2) - hw.minimum(x, -x) + hw.logical_and(x > 0, x < 1).float(),
    "division": lambda x: hw.remainder(x, 0.7) + hw.fmod(x, 0.7) + hw.floor_divide(x, 0.3) + x / (x * x + 1)
    + x ** 2,
    "reductions": lambda x: hw.sum(x, dim=1, keepdim=True) + x.mean(dim=-1, keepdim=True) + hw.amax(x, dim=1,
                                                                                                     keepdim=True)
    + hw.logsumexp(x, dim=1, keepdim=True) + x.std(dim=1, keepdim=True) + hw.prod(x, dim=1, keepdim=True),
    "index_ops": lambda x: hw.argmax(x, dim=1).float() + hw.argmin(x, dim=1).float() + x.any(dim=1).float()
    + (x > -5).all(dim=1).float(),
    "cumsum_softmax": lambda x: hw.cumsum(x, dim=1) + hw.softmax(x, dim=1) + hw.log_softmax(x, dim=-1),
    "shapes": lambda x: hw.cat([x, x.flip(1), x[:, ::-1]], dim=1) + 0 * hw.stack([x, x], dim=2).sum(dim=2).repeat(1, 3),
    "indexing": lambda x: x[:, 1:5:2] * x[:, -2:] .sum(dim=1, keepdim=True) + x[..., 0:2] + x[:, None, 3] * 0,
    "gather": lambda x: x[:, [2, 0, 1]] + x.unsqueeze(1).squeeze(1)[:, :3],
    "pad": lambda x: F.pad(x.reshape(x.shape[0], 2, 3), (1, 2)) + F.pad(x.reshape(x.shape[0], 2, 3), (1, 2),
                                                                          mode="replicate"),
    "transpose_matmul": lambda x: (x.reshape(x.shape[0], 2, 3) @ x.reshape(x.shape[0], 2, 3).transpose(1, 2)),
    "einsum": lambda x: hw.einsum("bi,bj->bij", x, x).sum(dim=2),
    "tests": lambda x: hw.isnan(x).float() + hw.isinf(x).float() + hw.isfinite(x).float(),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_op_family(name):
    hw.manual_seed(0)
    fn = UNARY[name]
    check_export(fn, lambda n: (hw.randn(n, 6),), atol=1e-5, rtol=1e-4)


def test_float64_ops_keep_their_dtype():
    fn = UNARY["math"]
    check_export(fn, lambda n: (hw.randn(n, 6, dtype=hw.float64),), atol=1e-12)


def test_integer_inputs():
    def fn(i):
        return (F.one_hot(i % 4, 4) * 2).sum(dim=-1) + (i * 2 - 1) + hw.remainder(i, 3)

    check_export(fn, lambda n: (hw.randint(-5, 5, (n, 3)),))
