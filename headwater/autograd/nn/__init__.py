"""``hw.nn``: modules, layers, losses, initialisation and utilities.

Examples
--------
>>> import headwater as hw
>>> model = hw.nn.Sequential(hw.nn.Linear(4, 8), hw.nn.ReLU(), hw.nn.Linear(8, 2))
>>> model(hw.ones(5, 4)).shape
(5, 2)
"""

from headwater.autograd.nn import functional, init, utils
from headwater.autograd.nn.activation import (
    GELU,
    Dropout,
    LeakyReLU,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
)
from headwater.autograd.nn.container import (
    ModuleDict,
    ModuleList,
    ParameterDict,
    ParameterList,
    Sequential,
)
from headwater.autograd.nn.linear import Embedding, Flatten, Identity, Linear, Unflatten
from headwater.autograd.nn.loss import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.normalization import BatchNorm1d, LayerNorm
from headwater.autograd.nn.parameter import Parameter
from headwater.autograd.nn.sparse import EmbeddingBag

__all__ = [
    "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Dropout", "Embedding",
    "Flatten", "GELU", "HuberLoss", "Identity", "L1Loss", "LayerNorm", "LeakyReLU", "Linear",
    "MSELoss", "Module", "ModuleDict", "ModuleList", "NLLLoss", "Parameter", "ReLU",
    "Sequential", "SiLU", "Sigmoid", "Softmax", "Tanh", "functional", "init", "utils",
]
__all__ += ["EmbeddingBag", "ParameterDict", "ParameterList", "Unflatten"]

# --- activations, losses, distances (issue 12) ---------------------------------------
from headwater.autograd.nn.activation import (  # noqa: E402
    GLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    Softmax2d,
    Softmin,
    Softplus,
    Softsign,
    Tanhshrink,
)
from headwater.autograd.nn.piecewise_activation import (  # noqa: E402
    CELU,
    ELU,
    SELU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    PReLU,
    ReLU6,
    RReLU,
    Softshrink,
    Threshold,
)

__all__ += [
    "CELU", "ELU", "GLU", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh", "LogSigmoid",
    "LogSoftmax", "Mish", "PReLU", "RReLU", "ReLU6", "SELU", "Softmax2d", "Softmin", "Softplus",
    "Softshrink", "Softsign", "Tanhshrink", "Threshold",
]
