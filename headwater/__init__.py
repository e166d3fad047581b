"""Headwater: GPU data science end to end.

An Arrow-layout dataframe feeds zero-copy into a tensor and autograd engine, on CuPy
when a GPU is present and on NumPy otherwise. This module only re-exports the public
surface; the work lives in ``tensor``, ``autograd``, ``dataframe`` and ``pipelines``.

Never bind the name ``tensor`` here: ``headwater.tensor`` is the device-layer
subpackage, and that module object is callable as ``torch.tensor`` (``hw.tensor(...)``).
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from headwater.tensor import (
    Device,
    DeviceMismatchError,
    DeviceUnavailableError,
    TransferStats,
    device,
    get_backend,
    reset_transfer_stats,
    set_device,
    transfer_stats,
)

try:
    __version__ = _version("headwater")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [  # each block below extends this list with what it re-exports
    "Device",
    "DeviceMismatchError",
    "DeviceUnavailableError",
    "TransferStats",
    "__version__",
    "device",
    "get_backend",
    "reset_transfer_stats",
    "set_device",
    "transfer_stats",
]

# --- tensor, autograd, nn, optim (issue 3) ------------------------------------------
import sys as _sys  # noqa: E402

from headwater import autograd  # noqa: E402  (binds Tensor's operator methods)
from headwater.autograd import (  # noqa: E402
    enable_grad,
    is_grad_enabled,
    nn,
    no_grad,
    optim,
    set_grad_enabled,
)
from headwater.autograd.nn.functional import dropout, layer_norm  # noqa: E402
from headwater.autograd.ops import *  # noqa: E402,F403  (hw.exp, hw.cat, hw.where, ...)
from headwater.autograd.ops import __all__ as _ops_all  # noqa: E402
from headwater.autograd.serialization import load, save  # noqa: E402
from headwater.tensor.creation import (  # noqa: E402
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    linspace,
    logspace,
    ones,
    ones_like,
    zeros,
    zeros_like,
)
from headwater.tensor.dtypes import (  # noqa: E402
    DTypeError,
    bool_,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from headwater.tensor.random import manual_seed, rand, randint, randn, randperm  # noqa: E402

# hw.bool, as torch.bool; left out of __all__ so that `from headwater import *` never
# shadows the builtin.
bool = bool_  # noqa: A001
from headwater.tensor.tensor import Tensor  # noqa: E402

# `import headwater.nn`, `import headwater.nn.functional as F`, `import headwater.optim`
# name the same module objects as hw.nn and hw.optim (never a second copy).
for _name, _module in list(_sys.modules.items()):
    for _alias in ("nn", "optim"):
        _inner = f"headwater.autograd.{_alias}"
        if _name == _inner or _name.startswith(_inner + "."):
            _sys.modules[f"headwater.{_alias}" + _name[len(_inner):]] = _module

__all__ += [
    "DTypeError", "Tensor", "arange", "as_tensor", "autograd", "bool_", "dropout", "empty",
    "empty_like", "enable_grad", "eye", "float16", "float32", "float64", "full", "full_like",
    "get_default_dtype", "int8", "int16", "int32", "int64", "is_grad_enabled", "layer_norm",
    "linspace", "load", "logspace", "manual_seed", "nn", "no_grad", "ones", "ones_like", "optim", "rand",
    "randint", "randn", "randperm", "save", "set_default_dtype", "set_grad_enabled", "uint8",
    "zeros", "zeros_like", *_ops_all,
]

# --- dataframe, groupby, joins, IO (issues 4 and 5) ---------------------------------
from headwater.dataframe import (  # noqa: E402
    CategoricalDtype,
    ColumnNotFoundError,
    DataFrame,
    DtypeError,
    LengthMismatchError,
    ReadError,
    Series,
    StringDtype,
    concat,
    from_arrow,
    from_cudf,
    from_pandas,
    read_csv,
    read_parquet,
)
from headwater.dataframe.join import merge  # noqa: E402

__all__ += [
    "CategoricalDtype",
    "ColumnNotFoundError",
    "DataFrame",
    "DtypeError",
    "LengthMismatchError",
    "ReadError",
    "Series",
    "StringDtype",
    "concat",
    "from_arrow",
    "from_cudf",
    "from_pandas",
    "merge",
    "read_csv",
    "read_parquet",
]

# --- zero-copy bridge, DataLoader, features (issue 6) --------------------------------
from headwater import data  # noqa: E402  (hw.data.DataLoader)
from headwater.dataframe import features  # noqa: E402  (hw.features.Normalize, ...)
from headwater.dataframe.bridge import from_dlpack  # noqa: E402
from headwater.dataframe.features import get_dummies  # noqa: E402

__all__ += ["data", "features", "from_dlpack", "get_dummies"]

# --- pipelines (issue 7) -------------------------------------------------------------
from headwater import pipelines  # noqa: E402  (hw.pipelines.run_pipeline, ...; loads lazily)

__all__ += ["pipelines"]

# Sections below are filled by parallel workstreams; each adds its own imports and
# `__all__ +=` right under its own heading, so that their edits never touch.

# --- torch surface: tensor factory, devices, dtypes, small names (issue 12) ----------
import math as _math  # noqa: E402

from headwater import backends  # noqa: E402  (hw.backends.cudnn, hw.backends.mps)
from headwater import testing  # noqa: E402  (hw.testing.assert_close)
from headwater.autograd import distributions  # noqa: E402  (hw.distributions.Normal, ...)
from headwater.autograd import cuda_amp as _cuda_amp  # noqa: E402
from headwater.tensor import cuda  # noqa: E402  (hw.cuda.is_available, ...)
from headwater.tensor.creation import from_numpy  # noqa: E402
from headwater.tensor.dtypes import bfloat16, finfo, iinfo  # noqa: E402
from headwater.tensor.dtypes import dtype_class as _dtype_class  # noqa: E402
from headwater.tensor.promotion import can_cast, promote_types, result_type  # noqa: E402
from headwater.tensor.queries import (  # noqa: E402
    get_num_threads,
    is_floating_point,
    is_tensor,
    numel,
    set_num_threads,
)
from headwater.tensor.random import (  # noqa: E402
    Generator,
    bernoulli,
    get_rng_state,
    initial_seed,
    multinomial,
    normal,
    poisson,
    rand_like,
    randint_like,
    randn_like,
    seed,
    set_rng_state,
)
from headwater.tensor.generator import default_generator  # noqa: E402
from headwater.tensor.size import Size  # noqa: E402
from headwater.tensor.printing import set_printoptions  # noqa: E402

# names torch and pandas share: one dispatcher each (Tensors to autograd, frames to
# dataframe); later sections must not rebind them
from headwater.dispatch import concat, unique, where  # noqa: E402
from headwater.tensor.missing import missing_names as _missing_names  # noqa: E402

# a name Headwater lacks (hw.Conv3d, ...): an AttributeError naming the closest ones
__getattr__ = _missing_names(__name__)

cuda.amp = _cuda_amp  # torch.cuda.amp's spellings; the work lives in autograd
_sys.modules["headwater.cuda"] = cuda
_sys.modules["headwater.cuda.amp"] = _cuda_amp
_sys.modules["headwater.distributions"] = distributions
# torch's dtype aliases; hw.int and hw.float (like hw.bool) stay out of __all__ so
# that `from headwater import *` never shadows the builtins.
long, int, short, half, float, double = int64, int32, int16, float16, float32, float64  # noqa: A001
dtype = _dtype_class  # isinstance(x, hw.dtype), as torch.dtype (numpy.dtype)
nan, inf, pi, e = _math.nan, _math.inf, _math.pi, _math.e

__all__ += [
    "Generator", "Size", "backends", "distributions", "bernoulli", "bfloat16", "can_cast", "cuda",
    "default_generator", "get_rng_state", "initial_seed", "multinomial", "normal", "poisson",
    "rand_like", "randint_like", "randn_like", "seed", "set_printoptions", "set_rng_state", "testing", "unique", "where", "double", "e", "finfo", "from_numpy",
    "get_num_threads", "half", "iinfo", "inf", "is_floating_point", "is_tensor", "long",
    "nan", "numel", "pi", "promote_types", "result_type", "set_num_threads", "short",
]


# --- torch surface: op families and random (issue 12) --------------------------------
from headwater.autograd import linalg  # noqa: E402  (hw.linalg, as torch.linalg)
from headwater.autograd import special  # noqa: E402  (hw.special, as torch.special)
from headwater.autograd import fft  # noqa: E402  (hw.fft, as torch.fft)

_sys.modules["headwater.linalg"] = linalg
_sys.modules["headwater.special"] = special
_sys.modules["headwater.fft"] = fft
__all__ += ["fft", "linalg", "special"]


# --- torch surface: nn, optim, amp (issue 12) ----------------------------------------
from headwater.autograd import amp  # noqa: E402  (hw.amp.GradScaler, hw.amp.autocast)
from headwater.autograd.amp import autocast  # noqa: E402
from headwater.autograd.grad_mode import inference_mode, is_inference_mode_enabled  # noqa: E402

_sys.modules["headwater.amp"] = amp
__all__ += ["amp", "autocast", "inference_mode", "is_inference_mode_enabled"]


# --- torch surface: utils.data (issue 12) --------------------------------------------
from headwater import utils  # noqa: E402  (hw.utils.data: torch.utils.data)

__all__ += ["utils"]


# --- pandas surface: keys, indexing, functions over values (issue 14) ----------------
from headwater import api  # noqa: E402  (hw.api.types)
from headwater.dataframe.categorical import Categorical  # noqa: E402
from headwater.dataframe.groupby import Grouper, NamedAgg  # noqa: E402
from headwater.dataframe.keys import Index, NoRowLabelsError  # noqa: E402
from headwater.dataframe.options import (  # noqa: E402
    describe_option,
    get_option,
    option_context,
    options,
    reset_option,
    set_option,
)

__all__ += ["Categorical", "Grouper", "Index", "NamedAgg", "NoRowLabelsError", "api", "describe_option",
            "get_option", "option_context", "options", "reset_option", "set_option"]


# --- pandas surface: scalars, constructors, reshaping, strings, windows (issue 14) ---
from headwater.dataframe.io.host_readers import read_excel, read_json  # noqa: E402
from headwater.dataframe.join.asof import merge_asof  # noqa: E402
from headwater.dataframe.parsing import to_datetime, to_numeric, to_timedelta  # noqa: E402
from headwater.dataframe.ranges import date_range, timedelta_range  # noqa: E402
from headwater.dataframe.reshape.bins import cut, qcut  # noqa: E402
from headwater.dataframe.reshape.melt import melt  # noqa: E402
from headwater.dataframe.reshape.pivot import crosstab, pivot, pivot_table  # noqa: E402
from headwater.dataframe.scalars import (  # noqa: E402
    NA,
    DateOffset,
    NaT,
    Timedelta,
    Timestamp,
    isna,
    isnull,
    notna,
    notnull,
    offsets,
)

__all__ += [
    "offsets",
    "DateOffset", "NA", "NaT", "Timedelta", "Timestamp", "cut", "date_range", "isna", "isnull", "notna",
    "crosstab", "melt", "merge_asof", "pivot", "pivot_table", "qcut", "read_excel", "read_json",
    "notnull", "timedelta_range", "to_datetime", "to_numeric", "to_timedelta",
]


from headwater.dataframe.attributes import factorize  # noqa: E402
from headwater.dataframe.ranges import bdate_range  # noqa: E402
from headwater.dataframe.io.host_readers import json_normalize, read_sql, read_sql_query, read_sql_table  # noqa: E402
from headwater.dataframe.nullable_dtypes import *  # noqa: E402,F403  (hw.Int64Dtype(), ...)
from headwater.dataframe.nullable_dtypes import __all__ as _nullable_all  # noqa: E402

__all__ += ["bdate_range", "factorize", "json_normalize", "read_sql", "read_sql_query", "read_sql_table", *_nullable_all]


# --- strings in Arrow layout (issue 15) ----------------------------------------------

# --- Arrow types and fast IO (issue 15) ----------------------------------------------
from headwater.dataframe.column.decimal_math import DecimalOverflowError  # noqa: E402
from headwater.dataframe.dtypes import DecimalDtype, TimeDtype  # noqa: E402

__all__ += ["DecimalOverflowError", "DecimalDtype", "TimeDtype"]

# --- graph mode: jit trace and compile (issue 16) ------------------------------------
from headwater import jit  # noqa: E402
from headwater.jit import compile  # noqa: E402  (hw.compile, as torch.compile)

__all__ += ["jit", "compile"]

# --- ONNX export (issue 16) ----------------------------------------------------------
from headwater import onnx  # noqa: E402  (the onnx package itself is imported only when exporting)

__all__ += ["onnx"]

# --- classic ML: hw.ml (issue 17) ----------------------------------------------------
from headwater import ml  # noqa: E402

__all__ += ["ml"]

# --- graph analytics: hw.graph (issue 17) --------------------------------------------
from headwater import graph  # noqa: E402

__all__ += ["graph"]

# --- model hub and safetensors (issue 18) --------------------------------------------
from headwater import hub  # noqa: E402

__all__ += ["hub"]

# --- scale-out: dask and distributed (issue 19) --------------------------------------
from headwater import distributed  # noqa: E402

__all__ += ["distributed"]

# --- strict device mode (issue 21) ---------------------------------------------------
