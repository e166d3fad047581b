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

from headwater.tensor.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)  # unknown names: an AttributeError naming the closest

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
from headwater.autograd.nn.bilinear import Bilinear  # noqa: E402
from headwater.autograd.nn.distance import CosineSimilarity, PairwiseDistance  # noqa: E402
from headwater.autograd.nn.loss import (  # noqa: E402
    BCELoss,
    CosineEmbeddingLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    KLDivLoss,
    MarginRankingLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    PoissonNLLLoss,
    SmoothL1Loss,
    SoftMarginLoss,
    TripletMarginLoss,
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
    "BCELoss", "Bilinear", "CosineEmbeddingLoss", "CosineSimilarity", "GaussianNLLLoss",
    "HingeEmbeddingLoss", "KLDivLoss", "MarginRankingLoss", "MultiLabelSoftMarginLoss",
    "MultiMarginLoss", "PairwiseDistance", "PoissonNLLLoss", "SmoothL1Loss", "SoftMarginLoss",
    "TripletMarginLoss",
]

# --- convolution, pooling, recurrent, attention, transformer layers ------------------
import sys as _sys  # noqa: E402

from headwater.autograd.nn import packed as _packed  # noqa: E402
from headwater.autograd.nn.attention import MultiheadAttention  # noqa: E402
from headwater.autograd.nn.conv import (  # noqa: E402
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose1d,
    ConvTranspose2d,
    ConvTranspose3d,
    Fold,
    Unfold,
)
from headwater.autograd.nn.ctc import CTCLoss  # noqa: E402
from headwater.autograd.nn.dropout import (  # noqa: E402
    AlphaDropout,
    Dropout1d,
    Dropout2d,
    Dropout3d,
    FeatureAlphaDropout,
)
from headwater.autograd.nn.normalization import (  # noqa: E402
    BatchNorm2d,
    BatchNorm3d,
    GroupNorm,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
    LocalResponseNorm,
)
from headwater.autograd.nn.pooling import (  # noqa: E402
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveAvgPool3d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    LPPool1d,
    LPPool2d,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    MaxUnpool1d,
    MaxUnpool2d,
)
from headwater.autograd.nn.resize import (  # noqa: E402
    CircularPad1d,
    CircularPad2d,
    CircularPad3d,
    ConstantPad1d,
    ConstantPad2d,
    ConstantPad3d,
    PixelShuffle,
    PixelUnshuffle,
    ReflectionPad1d,
    ReflectionPad2d,
    ReflectionPad3d,
    ReplicationPad1d,
    ReplicationPad2d,
    ReplicationPad3d,
    Upsample,
    UpsamplingBilinear2d,
    UpsamplingNearest2d,
    ZeroPad1d,
    ZeroPad2d,
    ZeroPad3d,
)
from headwater.autograd.nn.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell  # noqa: E402
from headwater.autograd.nn.transformer import (  # noqa: E402
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)

# `torch.nn.utils.rnn` lives in nn/packed.py; `nn.utils.rnn` and its import path name it.
utils.rnn = _packed
_sys.modules[f"{utils.__name__}.rnn"] = _packed

__all__ += [
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "Conv1d", "Conv2d", "Conv3d",
    "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Fold", "GRU", "GRUCell", "LPPool1d",
    "LPPool2d", "LSTM", "LSTMCell", "MaxPool1d", "MaxPool2d", "MaxPool3d", "MaxUnpool1d",
    "MaxUnpool2d", "MultiheadAttention", "RNN", "RNNBase", "RNNCell", "Transformer",
    "TransformerDecoder", "TransformerDecoderLayer", "TransformerEncoder",
    "TransformerEncoderLayer", "Unfold", "AlphaDropout", "BatchNorm2d", "BatchNorm3d",
    "CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d",
    "ConstantPad3d", "Dropout1d", "Dropout2d", "Dropout3d", "FeatureAlphaDropout", "GroupNorm",
    "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LocalResponseNorm", "PixelShuffle",
    "PixelUnshuffle", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d",
    "ReplicationPad2d", "ReplicationPad3d", "Upsample", "UpsamplingBilinear2d",
    "UpsamplingNearest2d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "CTCLoss",
]

# `torch.nn.parallel`: DistributedDataParallel over hw.distributed (issue 19).
from headwater.autograd.nn import parallel  # noqa: E402

__all__ += ["parallel"]
