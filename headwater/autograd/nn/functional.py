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
from typing import Any

from headwater.autograd.errors import ShapeError
from headwater.autograd.nn.loss_functions import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
)
from headwater.autograd.nn.margin_losses import (
    cosine_embedding_loss,
    margin_ranking_loss,
    multi_margin_loss,
    triplet_margin_loss,
)
from headwater.autograd.nn.pointwise_losses import (
    binary_cross_entropy,
    gaussian_nll_loss,
    hinge_embedding_loss,
    kl_div,
    multilabel_soft_margin_loss,
    poisson_nll_loss,
    smooth_l1_loss,
    soft_margin_loss,
)
from headwater.autograd.nn.sparse import embedding_bag  # noqa: F401  (F.embedding_bag)
from headwater.autograd.ops import activations as _act
from headwater.autograd.ops import (
    add,
    gelu,
    linear,
    mul,
    pow,
    reshape,
    sigmoid,
    softplus,
    sub,
    tanh,
)
from headwater.autograd.ops.conversion import to
from headwater.autograd.ops.distance import cosine_similarity, normalize, pairwise_distance, pdist
from headwater.autograd.ops.dropout_mask import dropout_mask
from headwater.autograd.ops.indexing import embedding, one_hot
from headwater.autograd.ops.normalize import normalize_over, normalize_tracking
from headwater.autograd.ops.padding import pad
from headwater.autograd.ops.piecewise_activations import (
    celu,
    elu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    prelu,
    relu6,
    rrelu,
    selu,
    softshrink,
    threshold,
)
from headwater.autograd.ops.products import bilinear
from headwater.autograd.ops.recorded_inplace import write_in_place
from headwater.autograd.ops.smooth_activations import (
    glu,
    logsigmoid,
    mish,
    softmin,
    softsign,
    tanhshrink,
)
from headwater.autograd.ops.softmax import log_softmax as _log_softmax
from headwater.autograd.ops.softmax import softmax as _softmax
from headwater.tensor.dtypes import to_dtype
from headwater.tensor.missing import missing_names as _missing_names
from headwater.tensor.tensor import Tensor

__getattr__ = _missing_names(__name__)  # unknown names: an AttributeError naming the closest

__all__ = [
    "relu", "leaky_relu", "gelu", "silu", "sigmoid", "tanh", "softplus", "softmax",
    "log_softmax", "linear", "embedding", "one_hot", "pad", "dropout", "layer_norm",
    "batch_norm", "instance_norm", "group_norm", "cross_entropy", "nll_loss", "mse_loss", "l1_loss", "huber_loss",
    "binary_cross_entropy_with_logits",
]
__all__ += [  # activations (issue 12)
    "relu_", "leaky_relu_", "relu6", "hardtanh", "hardtanh_", "elu", "elu_", "selu", "selu_",
    "celu", "celu_", "hardswish", "hardsigmoid", "threshold", "threshold_", "softshrink",
    "hardshrink", "prelu", "rrelu", "rrelu_", "mish", "logsigmoid", "softsign", "tanhshrink",
    "glu", "softmin",
]
__all__ += [  # losses and distances (issue 12)
    "smooth_l1_loss", "binary_cross_entropy", "kl_div", "poisson_nll_loss", "gaussian_nll_loss",
    "soft_margin_loss", "multilabel_soft_margin_loss", "hinge_embedding_loss",
    "cosine_embedding_loss", "margin_ranking_loss", "triplet_margin_loss", "multi_margin_loss",
    "cosine_similarity", "normalize", "pairwise_distance", "pdist", "bilinear",
]


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(x, 0)`` (written into ``input`` with ``inplace=True``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.relu(hw.as_tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    return write_in_place(input, _act.relu, "relu_") if inplace else _act.relu(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.leaky_relu(hw.as_tensor([-1.0, 2.0]), 0.5).tolist()
    [-0.5, 2.0]
    """
    if inplace:
        return write_in_place(input, _act.leaky_relu, "leaky_relu_", negative_slope)
    return _act.leaky_relu(input, negative_slope)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * sigmoid(x)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.silu(hw.zeros(1)).tolist()
    [0.0]
    """
    return write_in_place(input, _act.silu, "silu_") if inplace else _act.silu(input)


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """Softmax along ``dim``, computed in ``dtype`` when given.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.softmax(hw.zeros(1, 2), dim=1, dtype=hw.float64).dtype
    dtype('float64')
    """
    return _softmax(input if dtype is None else to(input, to_dtype(dtype)), dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """Log-softmax along ``dim``, computed in ``dtype`` when given.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.functional.log_softmax(hw.zeros(1, 2), dim=1)[0, 0].item(), 4)
    -0.6931
    """
    return _log_softmax(input if dtype is None else to(input, to_dtype(dtype)), dim)


def relu_(input: Tensor) -> Tensor:
    """``relu`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.relu_(hw.as_tensor([-1.0, 1.0])).tolist()
    [0.0, 1.0]
    """
    return relu(input, inplace=True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """``leaky_relu`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.leaky_relu_(hw.as_tensor([-1.0]), 0.5).tolist()
    [-0.5]
    """
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """``hardtanh`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.hardtanh_(hw.as_tensor([-3.0])).tolist()
    [-1.0]
    """
    return hardtanh(input, min_val, max_val, inplace=True)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``elu`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.elu_(hw.as_tensor([2.0])).tolist()
    [2.0]
    """
    return elu(input, alpha, inplace=True)


def selu_(input: Tensor) -> Tensor:
    """``selu`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.selu_(hw.zeros(1)).tolist()
    [0.0]
    """
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``celu`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.celu_(hw.ones(1)).tolist()
    [1.0]
    """
    return celu(input, alpha, inplace=True)


def threshold_(input: Tensor, threshold_value: float, value: float) -> Tensor:
    """``threshold`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.threshold_(hw.as_tensor([0.5]), 1.0, 0.0).tolist()
    [0.0]
    """
    return threshold(input, threshold_value, value, inplace=True)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """``rrelu`` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.rrelu_(hw.ones(1)).tolist()
    [1.0]
    """
    return rrelu(input, lower, upper, training, inplace=True)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
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
    if inplace:
        return write_in_place(input, lambda t: dropout(t, p, training), "dropout_")
    if p == 1.0:
        return mul(input, 0.0)
    return dropout_mask(input, p)


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
    # the fused op keeps only the normalised output and 1/std for backward (the
    # composed form kept the centred input twice over)
    out = normalize_over(input, dims, eps)
    if weight is not None:
        out = mul(out, weight)
    if bias is not None:
        out = add(out, bias)
    return out


def batch_norm(
    input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
    weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
    momentum: float | None = 0.1, eps: float = 1e-5, *, num_batches_tracked: Tensor | None = None,
) -> Tensor:
    """Normalise each channel of (N, C, *) by the batch statistics (training) or the
    running ones (evaluation). In training the running statistics are updated in
    place on the device (unbiased variance, as PyTorch). One fused op normalises;
    the affine weight and bias follow. ``num_batches_tracked`` (the modules' buffer),
    when given with running statistics in training, is incremented, and
    ``momentum=None`` then makes them a cumulative average (weight ``1 / count``);
    the update is part of the op, so ``hw.compile`` replays it.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0], [3.0]])
    >>> y = hw.nn.functional.batch_norm(x, None, None, training=True)
    >>> [round(v, 3) for v in y.flatten().tolist()]
    [-1.0, 1.0]
    """
    if input.ndim < 2:
        raise ShapeError(f"batch_norm: expected input of shape (N, C, *), got {input.shape}")
    channels = input.shape[1]
    dims = (0, *range(2, input.ndim))
    view = (1, channels) + (1,) * (input.ndim - 2)
    if training:
        n = input.numel() // channels
        if n <= 1:
            raise ValueError(
                f"batch_norm: expected more than 1 value per channel when training, got input "
                f"of shape {input.shape}"
            )
        if running_mean is not None and running_var is not None:
            out = normalize_tracking(input, dims, eps, running_mean, running_var, momentum, num_batches_tracked)
        else:
            out = normalize_over(input, dims, eps)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: evaluation needs running_mean and running_var")
        out = mul(sub(input, reshape(running_mean, view)), pow(add(reshape(running_var, view), eps), -0.5))
    return _affine(out, weight, bias, view)


def _affine(out: Tensor, weight: Tensor | None, bias: Tensor | None, view: tuple) -> Tensor:
    if weight is not None:
        out = mul(out, reshape(weight, view))
    if bias is not None:
        out = add(out, reshape(bias, view))
    return out


def instance_norm(
    input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
    weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
    momentum: float = 0.1, eps: float = 1e-5,
) -> Tensor:
    """Normalise each (sample, channel) of (N, C, *) over its spatial positions.

    Examples
    --------
    >>> import headwater as hw
    >>> y = hw.nn.functional.instance_norm(hw.as_tensor([[[1.0, 3.0]]]))
    >>> [round(v, 3) for v in y.flatten().tolist()]
    [-1.0, 1.0]
    """
    if input.ndim < 3:
        raise ShapeError(f"instance_norm: expected input of shape (N, C, *spatial), got {input.shape}")
    n, c = input.shape[:2]
    view = (1, c) + (1,) * (input.ndim - 2)
    if use_input_stats:
        axes = tuple(range(2, input.ndim))
        if running_mean is not None and running_var is not None:
            out = normalize_tracking(input, axes, eps, running_mean, running_var, momentum, per_sample=True)
        else:
            out = normalize_over(input, axes, eps)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("instance_norm: use_input_stats=False needs running_mean and running_var")
        out = mul(sub(input, reshape(running_mean, view)), pow(add(reshape(running_var, view), eps), -0.5))
    return _affine(out, weight, bias, view)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise (N, C, *) over groups of ``C / num_groups`` channels and all positions.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.group_norm(hw.randn(2, 4, 3), 2).shape
    (2, 4, 3)
    """
    if input.ndim < 2 or input.shape[1] % num_groups:
        raise ValueError(f"group_norm: expected (N, C, *) with C divisible by num_groups={num_groups}, "
                         f"got {input.shape}")
    n, c = input.shape[:2]
    grouped = reshape(input, (n, num_groups, -1))
    out = normalize_over(grouped, (2,), eps)
    return _affine(reshape(out, input.shape), weight, bias, (1, c) + (1,) * (input.ndim - 2))

# --- convolution, pooling, attention (their modules hold the code) ------------------
from headwater.autograd.nn.attention import scaled_dot_product_attention  # noqa: E402
from headwater.autograd.nn.ctc import ctc_loss  # noqa: E402
from headwater.autograd.nn.dropout import (  # noqa: E402
    alpha_dropout,
    dropout1d,
    dropout2d,
    dropout3d,
    feature_alpha_dropout,
)
from headwater.autograd.ops.conv import (  # noqa: E402
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    fold,
    unfold,
)
from headwater.autograd.ops.pooling import (  # noqa: E402
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    lp_pool1d,
    lp_pool2d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
    max_unpool1d,
    max_unpool2d,
)
from headwater.autograd.ops.resample import interpolate, pixel_shuffle, pixel_unshuffle  # noqa: E402
from headwater.autograd.ops.grid_sampling import affine_grid, grid_sample  # noqa: E402

__all__ += [
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
    "adaptive_max_pool2d", "avg_pool1d", "avg_pool2d", "avg_pool3d", "conv1d", "conv2d", "conv3d",
    "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "fold", "lp_pool1d", "lp_pool2d",
    "max_pool1d", "max_pool2d", "max_pool3d", "max_unpool1d", "max_unpool2d",
    "scaled_dot_product_attention", "unfold", "alpha_dropout", "dropout1d", "dropout2d",
    "dropout3d", "feature_alpha_dropout", "interpolate", "pixel_shuffle", "pixel_unshuffle",
    "ctc_loss",
]
__all__ += ["affine_grid", "grid_sample"]  # spatial transformers (torchsurface)
