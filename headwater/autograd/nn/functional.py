"""``hw.nn.functional``: the functional forms of layers, activations and losses.

Examples
--------
>>> import headwater as hw
>>> import headwater.nn.functional as F
>>> F.relu(hw.as_tensor([-1.0, 1.0])).tolist()
[0.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.autograd import grad_mode
from headwater.autograd.errors import ShapeError
from headwater.autograd.function import wrap
from headwater.autograd.nn.loss_functions import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
)
from headwater.autograd.nn.sparse import embedding_bag  # noqa: F401  (F.embedding_bag)
from headwater.autograd.ops import (
    add,
    gelu,
    leaky_relu,
    linear,
    log_softmax,
    mean,
    mul,
    pow,
    relu,
    reshape,
    sigmoid,
    silu,
    softmax,
    softplus,
    sub,
    tanh,
)
from headwater.autograd.ops.indexing import embedding, one_hot
from headwater.autograd.ops.join import pad
from headwater.tensor.random import uniform_array
from headwater.tensor.tensor import Tensor

__all__ = [
    "relu", "leaky_relu", "gelu", "silu", "sigmoid", "tanh", "softplus", "softmax",
    "log_softmax", "linear", "embedding", "one_hot", "pad", "dropout", "layer_norm",
    "batch_norm", "cross_entropy", "nll_loss", "mse_loss", "l1_loss", "huber_loss",
    "binary_cross_entropy_with_logits",
]


def dropout(input: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)``
    (identity when not training). The mask is drawn on the device.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.ones(1000)
    >>> y = hw.nn.functional.dropout(x, 0.5)
    >>> sorted(set(y.tolist()))
    [0.0, 2.0]
    >>> hw.nn.functional.dropout(x, 0.5, training=False) is x
    True
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return mul(input, 0.0)
    keep = uniform_array(input.shape, 0.0, 1.0, input.dtype, input.device) >= p
    return mul(input, wrap(keep.astype(input.dtype) * (1.0 / (1.0 - p))))


def layer_norm(
    input: Tensor, normalized_shape: Sequence[int] | int, weight: Tensor | None = None,
    bias: Tensor | None = None, eps: float = 1e-5,
) -> Tensor:
    """Normalise over the trailing ``normalized_shape`` dimensions, then scale and shift.

    Examples
    --------
    >>> import headwater as hw
    >>> y = hw.nn.functional.layer_norm(hw.as_tensor([[1.0, 3.0]]), (2,))
    >>> [round(v, 3) for v in y[0].tolist()]
    [-1.0, 1.0]
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if input.shape[input.ndim - len(shape):] != shape:
        raise ShapeError(
            f"layer_norm: input of shape {input.shape} does not end in normalized_shape {shape}"
        )
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    centred = sub(input, mean(input, dim=dims, keepdim=True))
    var = mean(mul(centred, centred), dim=dims, keepdim=True)
    out = mul(centred, pow(add(var, eps), -0.5))
    if weight is not None:
        out = mul(out, weight)
    if bias is not None:
        out = add(out, bias)
    return out


def batch_norm(
    input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
    weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
    momentum: float = 0.1, eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel of (N, C) or (N, C, L) by the batch statistics
    (training) or the running ones (evaluation). In training the running
    statistics are updated in place on the device (unbiased variance, as PyTorch).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0], [3.0]])
    >>> y = hw.nn.functional.batch_norm(x, None, None, training=True)
    >>> [round(v, 3) for v in y.flatten().tolist()]
    [-1.0, 1.0]
    """
    if input.ndim not in (2, 3):
        raise ShapeError(f"batch_norm: expected input of shape (N, C) or (N, C, L), got {input.shape}")
    channels = input.shape[1]
    dims = (0,) if input.ndim == 2 else (0, 2)
    view = (1, channels) if input.ndim == 2 else (1, channels, 1)
    if training:
        n = input.numel() // channels
        if n <= 1:
            raise ValueError(
                f"batch_norm: expected more than 1 value per channel when training, got input "
                f"of shape {input.shape}"
            )
        mu = mean(input, dim=dims, keepdim=True)
        centred = sub(input, mu)
        var = mean(mul(centred, centred), dim=dims, keepdim=True)
        if running_mean is not None and running_var is not None:
            with grad_mode.no_grad():
                running_mean.array *= 1 - momentum
                running_mean.array += momentum * mu.array.reshape(channels)
                running_var.array *= 1 - momentum
                running_var.array += (momentum * n / (n - 1)) * var.array.reshape(channels)
                running_mean._vc[0] += 1
                running_var._vc[0] += 1
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: evaluation needs running_mean and running_var")
        centred = sub(input, reshape(running_mean, view))
        var = reshape(running_var, view)
    out = mul(centred, pow(add(var, eps), -0.5))
    if weight is not None:
        out = mul(out, reshape(weight, view))
    if bias is not None:
        out = add(out, reshape(bias, view))
    return out
