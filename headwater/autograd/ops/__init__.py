"""The built-in differentiable operations, one concept per module.

This package re-exports their functional forms (``exp``, ``cat``, ``where``...),
which ``headwater`` exposes as ``hw.exp`` and so on.
"""

from headwater.autograd.ops.activations import gelu, leaky_relu, relu, sigmoid, silu, softplus
from headwater.autograd.ops.arithmetic import abs, add, div, mul, neg, pow, sub
from headwater.autograd.ops.conversion import clone, contiguous, to
from headwater.autograd.ops.counting import (
    bincount,
    histc,
    tril_indices,
    triu_indices,
    unique,
    unique_consecutive,
)
from headwater.autograd.ops.decompositions import det, logdet, matrix_power, slogdet
from headwater.autograd.ops.distance import cdist, cosine_similarity, pairwise_distance, pdist
from headwater.autograd.ops.elementwise import clamp, cos, exp, log, log1p, sin, sqrt, tanh
from headwater.autograd.ops.indexing import embedding, gather, index_select, one_hot
from headwater.autograd.ops.join import cat, chunk, split, stack
from headwater.autograd.ops.legacy_linalg import (
    cross,
    inverse,
    pinverse,
)
from headwater.autograd.ops.legacy_linalg import torch_cholesky as cholesky
from headwater.autograd.ops.legacy_linalg import torch_qr as qr
from headwater.autograd.ops.legacy_linalg import torch_svd as svd
from headwater.autograd.ops.linalg import linear, matmul
from headwater.autograd.ops.masking import (
    argwhere,
    masked_fill,
    masked_scatter,
    masked_select,
    nonzero,
    take,
    take_along_dim,
    where,
)
from headwater.autograd.ops.padding import pad
from headwater.autograd.ops.piecewise_activations import celu, hardshrink, prelu, rrelu, selu, threshold
from headwater.autograd.ops.products import (
    addbmm,
    addmm,
    addmv,
    baddbmm,
    bilinear,
    bmm,
    dot,
    einsum,
    ger,
    inner,
    kron,
    mm,
    mv,
    outer,
    tensordot,
    vdot,
)
from headwater.autograd.ops.reduce import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    cumsum,
    logsumexp,
    max,
    mean,
    min,
    std,
    sum,
    var,
)
from headwater.autograd.ops.scattering import (
    index_add,
    index_copy,
    index_fill,
    scatter,
    scatter_add,
    scatter_reduce,
)
from headwater.autograd.ops.select import (
    eq,
    ge,
    gt,
    isfinite,
    isnan,
    le,
    logical_and,
    logical_not,
    logical_or,
    lt,
    maximum,
    minimum,
    ne,
)
from headwater.autograd.ops.shape import (
    expand,
    flatten,
    permute,
    reshape,
    squeeze,
    transpose,
    unsqueeze,
    view,
)
from headwater.autograd.ops.softmax import log_softmax, softmax
from headwater.autograd.ops.sorting import (
    argsort,
    bucketize,
    kthvalue,
    msort,
    searchsorted,
    sort,
    topk,
)

clip = clamp

# --- issue 12: unary, binary, logic, reductions and shape families (opsa) ---
from headwater.autograd.ops.aggregate import (  # noqa: E402
    aminmax,
    count_nonzero,
    nanmean,
    nansum,
    prod,
    std_mean,
    var_mean,
)
from headwater.autograd.ops.binary import (  # noqa: E402
    addcdiv,
    addcmul,
    arctan2,
    atan2,
    copysign,
    float_power,
    floor_divide,
    fmod,
    hypot,
    lerp,
    remainder,
    xlogy,
)
from headwater.autograd.ops.cumulative import cummax, cummin, cumprod, logcumsumexp  # noqa: E402
from headwater.autograd.ops.diagonals import diag, diag_embed, diagonal, trace, tril, triu  # noqa: E402
from headwater.autograd.ops.logic import (  # noqa: E402
    allclose,
    bitwise_xor,
    equal,
    isclose,
    isinf,
    isneginf,
    isposinf,
    logical_xor,
)
from headwater.autograd.ops.norms import norm  # noqa: E402
from headwater.autograd.ops.order_stats import median, mode  # noqa: E402
from headwater.autograd.ops.reorder import flip, fliplr, flipud, roll, rot90  # noqa: E402
from headwater.autograd.ops.rounding import ceil, fix, floor, frac, round, sign, trunc  # noqa: E402
from headwater.autograd.ops.shape import (  # noqa: E402
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_to,
    moveaxis,
    movedim,
    swapaxes,
    swapdims,
    unflatten,
)
from headwater.autograd.ops.special import erf, erfc, erfinv  # noqa: E402
from headwater.autograd.ops.stacking import (  # noqa: E402
    column_stack,
    dstack,
    hstack,
    narrow,
    row_stack,
    unbind,
    vstack,
)
from headwater.autograd.ops.tiling import meshgrid, repeat_interleave, tile  # noqa: E402
from headwater.autograd.ops.unary import (  # noqa: E402
    acos,
    acosh,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    asin,
    asinh,
    atan,
    atanh,
    cosh,
    exp2,
    expm1,
    log2,
    log10,
    logit,
    nan_to_num,
    reciprocal,
    rsqrt,
    sinh,
    square,
    tan,
)

__all__ = [
    "abs", "add", "all", "amax", "amin", "any", "argmax", "argmin", "cat", "chunk", "clamp",
    "clip", "clone", "contiguous", "cos", "cumsum", "div", "embedding", "eq", "exp",
    "expand", "flatten", "gather", "ge", "gelu", "gt", "index_select", "isfinite", "isnan",
    "le", "leaky_relu", "linear", "log", "log1p", "log_softmax", "logical_and",
    "logical_not", "logical_or", "logsumexp", "lt", "matmul", "max", "maximum", "mean",
    "min", "minimum", "mul", "ne", "neg", "one_hot", "pad", "permute", "pow", "relu",
    "reshape", "sigmoid", "silu", "sin", "softmax", "softplus", "split", "sqrt", "squeeze",
    "stack", "std", "sub", "sum", "tanh", "to", "transpose", "unsqueeze", "var", "view",
    "where",
]
__all__ += [  # indexing, sorting, counting (issue 12)
    "argsort", "argwhere", "bincount", "bucketize", "histc", "index_add", "index_copy",
    "index_fill", "kthvalue", "masked_fill", "masked_scatter", "masked_select", "msort",
    "nonzero", "scatter", "scatter_add", "scatter_reduce", "searchsorted", "sort", "take",
    "take_along_dim", "topk", "tril_indices", "triu_indices", "unique", "unique_consecutive",
]
__all__ += [  # unary, binary, logic, reductions, shape (issue 12)
    "acos", "acosh", "addcdiv", "addcmul", "allclose", "aminmax", "arccos", "arccosh", "arcsin",
    "arcsinh", "arctan", "arctan2", "arctanh", "asin", "asinh", "atan", "atan2", "atanh",
    "atleast_1d", "atleast_2d", "atleast_3d", "bitwise_xor", "broadcast_to", "ceil",
    "column_stack", "copysign", "cosh", "count_nonzero", "cummax", "cummin", "cumprod", "diag",
    "diag_embed", "diagonal", "dstack", "equal", "erf", "erfc", "erfinv", "exp2", "expm1", "fix",
    "flip", "fliplr", "flipud", "float_power", "floor", "floor_divide", "fmod", "frac", "hstack",
    "hypot", "isclose", "isinf", "isneginf", "isposinf", "lerp", "log10", "log2", "logcumsumexp",
    "logical_xor", "logit", "median", "meshgrid", "mode", "moveaxis", "movedim", "nan_to_num",
    "nanmean", "nansum", "narrow", "norm", "prod", "reciprocal", "remainder", "repeat_interleave",
    "roll", "rot90", "round", "row_stack", "rsqrt", "sign", "sinh", "square", "swapaxes",
    "swapdims", "tan", "tile", "trace", "tril", "triu", "trunc", "unbind", "unflatten", "vstack",
    "xlogy",
]
__all__ += [  # products and linear algebra (issue 12)
    "addbmm", "addmm", "addmv", "baddbmm", "bmm", "cholesky", "cross", "det", "dot", "einsum",
    "ger", "inner", "inverse", "kron", "logdet", "matrix_power", "mm", "mv", "outer",
    "pinverse", "qr", "slogdet", "svd", "tensordot", "vdot",
    "cdist", "cosine_similarity", "pairwise_distance", "pdist",
    "bilinear", "celu", "hardshrink", "prelu", "rrelu", "selu", "threshold",  # torch.selu, ...
]

# --- torch surface: quantiles, blocks, strided reads (torchsurface) ---
from headwater.autograd.ops.bessel import i0  # noqa: E402
from headwater.autograd.ops.blocks import block_diag, cartesian_prod  # noqa: E402
from headwater.autograd.ops.gamma import digamma, lgamma, polygamma  # noqa: E402
from headwater.autograd.ops.probability_functions import sinc  # noqa: E402
from headwater.autograd.ops.quantiles import nanquantile, quantile  # noqa: E402
from headwater.autograd.ops.strided import as_strided  # noqa: E402

__all__ += [
    "as_strided", "block_diag", "cartesian_prod", "digamma", "i0", "lgamma", "nanquantile",
    "polygamma", "quantile", "sinc", "std_mean", "var_mean",
]
