"""Bad input gives specific errors naming the op, the shapes, devices or dtypes."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.autograd import ShapeError
from headwater.tensor.backend.cuda import cuda_status

F = hw.nn.functional


def test_broadcast_mismatch_names_op_and_shapes():
    with pytest.raises(ShapeError, match=r"add: shapes \(2, 3\) and \(4,\)"):
        hw.ones(2, 3) + hw.ones(4)
    with pytest.raises(ShapeError, match=r"mul: shapes \(2,\) and \(3,\)"):
        hw.ones(2) * hw.ones(3)


def test_matmul_mismatch_names_both_shapes():
    with pytest.raises(ShapeError, match=r"matmul: shapes \(2, 3\) and \(4, 5\) cannot be multiplied"):
        hw.ones(2, 3) @ hw.ones(4, 5)
    with pytest.raises(ShapeError, match="at least one dimension"):
        hw.ones(()) @ hw.ones(2)


def test_linear_mismatch():
    with pytest.raises(ShapeError, match=r"linear: input of shape \(2, 3\).*weight of shape \(4, 5\)"):
        F.linear(hw.ones(2, 3), hw.ones(4, 5))


def test_reshape_mismatch():
    with pytest.raises(ShapeError, match=r"reshape: shapes \(6,\)"):
        hw.ones(6).reshape(4, 2)


def test_cat_and_stack_mismatch():
    with pytest.raises(ShapeError, match=r"cat: shapes \[\(2, 3\), \(2, 4\)\] differ outside dim 0"):
        hw.cat([hw.ones(2, 3), hw.ones(2, 4)])
    with pytest.raises(ShapeError, match="stack: all tensors need one shape"):
        hw.stack([hw.ones(2), hw.ones(3)])


def test_loss_shape_mismatch():
    with pytest.raises(ShapeError, match=r"mse_loss: input shape \(3, 1\) and target shape \(3,\)"):
        F.mse_loss(hw.ones(3, 1), hw.ones(3))
    with pytest.raises(ShapeError, match=r"cross_entropy: input of shape \(4, 3\) expects a target of shape \(4,\)"):
        F.cross_entropy(hw.ones(4, 3), hw.as_tensor([0, 1]))


@pytest.mark.host_only("value checks that would synchronise a GPU run on host memory only")
def test_cross_entropy_target_out_of_range_on_cpu(device):
    if device.type != "cpu":
        pytest.skip("checked on the CPU only (a GPU check would sync)")
    with pytest.raises(IndexError, match=r"outside \[0, 3\)"):
        F.cross_entropy(hw.ones(2, 3), hw.as_tensor([0, 3]))


def test_dim_out_of_range():
    with pytest.raises(IndexError, match="sum: dim 2 is out of range for a tensor with 2 dimension"):
        hw.ones(2, 3).sum(dim=2)


def test_float_op_on_int_tensor_needing_grad_is_a_dtype_error():
    with pytest.raises(hw.DTypeError, match="only floating-point"):
        hw.as_tensor([1, 2]).requires_grad_()
    with pytest.raises(hw.DTypeError, match="rand: needs a float dtype"):
        hw.rand(2, dtype=hw.int64)


def test_integer_tensor_in_float_op_is_promoted_not_refused():
    assert hw.exp(hw.as_tensor([0, 0])).tolist() == [1.0, 1.0]
    assert hw.as_tensor([1, 2]).mean().item() == 1.5


def test_bad_operand_types():
    with pytest.raises(TypeError):
        hw.ones(2) + "a"
    with pytest.raises(TypeError, match="where: condition must be a bool tensor"):
        hw.where(hw.ones(2), hw.ones(2), hw.zeros(2))
    with pytest.raises(TypeError, match="gather: index must be an integer tensor"):
        hw.gather(hw.ones(2, 2), 1, hw.ones(2, 2))


def test_bool_of_multi_element_tensor():
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(hw.ones(2))
    with pytest.raises(ValueError, match=r"item\(\) needs a tensor with one element"):
        hw.ones(2).item()


def test_numpy_of_tensor_requiring_grad():
    with pytest.raises(RuntimeError, match=r"detach\(\).numpy\(\)"):
        hw.ones(2, requires_grad=True).numpy()


def test_asking_for_cuda_without_a_gpu_is_a_clear_error():
    ok, _ = cuda_status()
    if ok:
        pytest.skip("a GPU is present")
    with pytest.raises(hw.DeviceUnavailableError, match="cuda"):
        hw.ones(2).to("cuda")
    with pytest.raises(hw.DeviceUnavailableError):
        hw.zeros(2, device="cuda")


@pytest.mark.gpu
def test_mixing_devices_names_both():
    a = hw.ones(2, device="cpu")
    b = hw.ones(2, device="cuda")
    with pytest.raises(hw.DeviceMismatchError, match="cpu and cuda"):
        a + b
    with pytest.raises(hw.DeviceMismatchError, match="cpu and cuda"):
        hw.cat([a, b])
    hw.reset_transfer_stats()
    assert (a.to("cuda") + b).device == "cuda"
    assert hw.transfer_stats().to_device_calls == 1


def test_device_mismatch_is_detected_from_array_types():
    # a CPU-only stand-in for a second device: an ndarray subclass has another type
    class Other(np.ndarray):
        pass

    a = hw.ones(2)
    b = hw.Tensor(np.ones(2).view(Other))
    with pytest.raises(hw.DeviceMismatchError, match="add: expected all tensors on one device"):
        a + b
