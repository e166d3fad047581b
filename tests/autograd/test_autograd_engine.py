"""The engine: accumulation, retain_graph, retain_grad, no_grad, detach, in-place
version checks, custom Functions, and the errors each misuse raises."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.autograd import (
    AutogradError,
    GraphFreedError,
    InplaceModificationError,
)


def leaf(values, dtype=hw.float64):
    return hw.as_tensor(np.asarray(values, dtype=dtype), requires_grad=True)


def test_gradients_accumulate_across_backward_calls():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == [5.0, 7.0]


def test_diamond_graph_sums_both_paths():
    x = leaf([2.0])
    a = x * 3
    b = x.exp()
    (a * b).sum().backward()
    expected = 3 * np.exp(2.0) + 3 * 2.0 * np.exp(2.0)
    np.testing.assert_allclose(x.grad.numpy(), [expected])


def test_same_tensor_used_twice_in_one_op():
    x = leaf([3.0])
    (x * x).backward()
    assert x.grad.tolist() == [6.0]


def test_backward_twice_without_retain_graph_raises():
    x = leaf([1.0, 2.0])
    y = (x.exp() * 2).sum()
    y.backward()
    with pytest.raises(GraphFreedError, match="retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_non_scalar_backward_needs_gradient():
    x = leaf([1.0, 2.0])
    y = x * 2
    with pytest.raises(AutogradError, match=r"shape \(2,\).*gradient="):
        y.backward()
    y.backward(gradient=hw.as_tensor(np.array([1.0, 10.0])))
    assert x.grad.tolist() == [2.0, 20.0]


def test_gradient_of_wrong_shape_is_refused():
    y = leaf([1.0, 2.0]) * 2
    with pytest.raises(ValueError, match=r"gradient has shape \(3,\).*\(2,\)"):
        y.backward(gradient=hw.ones(3, dtype=hw.float64))


def test_backward_on_a_tensor_without_grad_raises():
    with pytest.raises(AutogradError, match="does not require grad"):
        hw.ones(2).sum().backward()


def test_retain_grad_keeps_intermediate_gradient():
    x = leaf([1.0, 2.0])
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    assert y.grad.tolist() == [4.0, 8.0]
    assert x.grad.tolist() == [8.0, 16.0]


def test_no_grad_context_and_decorator():
    x = leaf([1.0])
    with hw.no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert hw.is_grad_enabled()

    @hw.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad

    @hw.no_grad
    def g(t):
        return t * 2

    assert not g(x).requires_grad and hw.is_grad_enabled()
    with hw.no_grad():
        with hw.enable_grad():
            assert (x * 2).requires_grad
    with hw.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert hw.is_grad_enabled()


def test_detach_shares_data_and_leaves_the_graph():
    x = leaf([1.0, 2.0])
    y = x * 2
    d = y.detach()
    assert d.array is y.array and not d.requires_grad and d.grad_fn is None


def test_requires_grad_on_integer_tensor_is_a_dtype_error():
    with pytest.raises(hw.DTypeError, match="floating-point.*int64"):
        hw.arange(3).requires_grad_()
    with pytest.raises(hw.DTypeError):
        hw.as_tensor([1, 2], requires_grad=True)


def test_inplace_change_of_saved_tensor_is_detected():
    x = leaf([1.0, 2.0])
    a = x * 1
    y = a.exp()  # saves its output
    with hw.no_grad():
        y.mul_(2)
    with pytest.raises(InplaceModificationError, match="modified in place"):
        y.sum().backward()


def test_inplace_change_of_unsaved_input_is_fine():
    x = leaf([1.0, 2.0])
    a = x * 1
    y = a + 1  # add does not read its inputs in backward
    with hw.no_grad():
        a.add_(5)
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_inplace_on_a_view_bumps_the_base_version():
    x = leaf([1.0, 2.0, 3.0])
    base = x * 1
    y = base * base
    with hw.no_grad():
        base[1:].mul_(0)
    with pytest.raises(InplaceModificationError):
        y.sum().backward()


def test_inplace_on_leaf_that_requires_grad_needs_no_grad():
    x = leaf([1.0])
    with pytest.raises(AutogradError, match="no_grad"):
        x.add_(1)
    with hw.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0] and x._version == 1


def test_inplace_ops_values():
    x = hw.ones(3)
    x.add_(2).mul_(3).sub_(1, alpha=2).div_(7)
    assert x.tolist() == [1.0, 1.0, 1.0]
    x.zero_()
    assert x.tolist() == [0.0, 0.0, 0.0]
    x.copy_(hw.as_tensor([1.0, 2.0, 3.0]))
    x[0] = 9.0
    assert x.tolist() == [9.0, 2.0, 3.0]
    x += 1
    assert x.tolist() == [10.0, 3.0, 4.0]


def test_augmented_assignment_on_recorded_tensor_stays_differentiable():
    x = leaf([1.0, 2.0])
    h = x * 2
    h += x
    h.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_leaf_gradients_own_their_memory():
    a, b = leaf([3.0, 4.0]), leaf([3.0, 4.0])
    (a + b).sum().backward()  # add hands the same gradient to both leaves
    a.grad.mul_(10)
    assert b.grad.tolist() == [1.0, 1.0]


def test_gradient_is_cast_back_to_leaf_dtype():
    x = hw.ones(2, requires_grad=True)  # float32
    (x * hw.ones(2, dtype=hw.float64)).sum().backward()
    assert x.grad.dtype == hw.float32


def test_custom_function_with_saved_tensors_and_needs_input_grad():
    class ScaledExp(hw.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            out = (x * scale).exp()
            ctx.save_for_backward(out)
            ctx.scale = scale
            assert ctx.needs_input_grad == (True, False)
            return out

        @staticmethod
        def backward(ctx, grad):
            (out,) = ctx.saved_tensors
            return grad * out * ctx.scale, None

    x = leaf([0.0, 1.0])
    ScaledExp.apply(x, 2.0).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([0.0, 2.0]))
    assert hw.autograd.gradcheck(lambda t: ScaledExp.apply(t, 0.5), [leaf([0.3, -0.2])])


def test_custom_function_with_two_outputs():
    class SplitHalves(hw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x[:2] * 1, x[2:] * 1

        @staticmethod
        def backward(ctx, ga, gb):
            ga = hw.zeros(2, dtype=hw.float64) if ga is None else ga
            gb = hw.zeros(2, dtype=hw.float64) if gb is None else gb
            return hw.cat([ga, gb])

    x = leaf([1.0, 2.0, 3.0, 4.0])
    a, b = SplitHalves.apply(x)
    (a.sum() * 2 + b.sum() * 3).backward()
    assert x.grad.tolist() == [2.0, 2.0, 3.0, 3.0]


def test_custom_function_wrong_gradient_shape_is_reported():
    class Bad(hw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad.sum()

    with pytest.raises(ValueError, match=r"Bad.backward returned a gradient of shape \(\)"):
        Bad.apply(leaf([1.0, 2.0])).sum().backward()


def test_custom_function_saved_tensor_modified_in_place_raises():
    class Square(hw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    x = leaf([1.0])
    y = Square.apply(x)
    with hw.no_grad():
        x.add_(1)
    with pytest.raises(InplaceModificationError):
        y.backward()


def test_deep_chain_does_not_hit_recursion_limit():
    x = leaf([1.0])
    y = x
    for _ in range(3000):
        y = y * 1.0
    y.backward()
    assert x.grad.tolist() == [1.0]


def test_argmax_and_comparisons_carry_no_grad():
    x = leaf([1.0, 3.0, 2.0])
    assert not x.argmax().requires_grad
    assert not (x > 1).requires_grad
    assert (x > 1).dtype == hw.bool_


def test_to_dtype_is_differentiable():
    x = hw.ones(2, requires_grad=True)
    y = x.to(hw.float64) * 2
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0] and x.grad.dtype == hw.float32


def test_backward_moves_no_data_to_the_host():
    x = hw.randn(8, 4, requires_grad=True)
    w = hw.randn(4, 3, requires_grad=True)
    hw.reset_transfer_stats()
    loss = hw.nn.functional.cross_entropy(x @ w, hw.zeros(8, dtype=hw.int64))
    loss.backward()
    assert hw.transfer_stats().to_host_calls == 0


def test_autograd_grad_returns_gradients_without_touching_dot_grad():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, -1.0])
    h = x * w
    y = (h * h).sum()
    gx, gh = hw.autograd.grad(y, [x, h], retain_graph=True)
    np.testing.assert_allclose(gx.numpy(), 2 * (x * w * w).detach().numpy())
    np.testing.assert_allclose(gh.numpy(), 2 * h.detach().numpy())
    assert x.grad is None and w.grad is None
    y.backward()  # the graph was retained
    np.testing.assert_allclose(x.grad.numpy(), gx.numpy())


def test_autograd_grad_options_and_errors():
    x, z = leaf([1.0, 2.0]), leaf([5.0])
    y = x * 2
    (g,) = hw.autograd.grad(y, x, grad_outputs=hw.as_tensor(np.array([1.0, 10.0])), retain_graph=True)
    assert g.tolist() == [2.0, 20.0]
    with pytest.raises(AutogradError, match="input 1 .* was not used"):
        hw.autograd.grad(y.sum(), [x, z], retain_graph=True)
    gx, gz = hw.autograd.grad(y.sum(), [x, z], allow_unused=True, retain_graph=True)
    assert gz is None and gx.tolist() == [2.0, 2.0]
    (g2,) = hw.autograd.grad([y.sum(), (x * x).sum()], [x])
    assert g2.tolist() == [4.0, 6.0]
    with pytest.raises(GraphFreedError):
        hw.autograd.grad(y.sum(), [x])


def test_backward_from_one_output_of_a_two_output_function():
    class Twice(hw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, ga, gb):
            total = hw.zeros(2, dtype=hw.float64)
            if ga is not None:
                total = total + 2 * ga
            if gb is not None:
                total = total + 3 * gb
            return total

    x = leaf([1.0, 1.0])
    _, b = Twice.apply(x)
    b.backward(gradient=hw.ones(2, dtype=hw.float64))
    assert x.grad.tolist() == [3.0, 3.0]


def test_writing_a_value_that_requires_grad_in_place_is_refused():
    target = hw.zeros(2, dtype=hw.float64)
    v = leaf([1.0, 2.0])
    with pytest.raises(AutogradError, match="setitem: the value requires grad"):
        target[:] = v
    with pytest.raises(AutogradError, match="copy_: the value requires grad"):
        target.copy_(v)
    with pytest.raises(AutogradError, match="add_"):
        target.add_(v)
    with hw.no_grad():
        target.copy_(v)
    assert target.tolist() == [1.0, 2.0]
