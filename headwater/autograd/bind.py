"""Where Tensor meets autograd: Tensor's operator methods bound to the ops.

``headwater.tensor.tensor.Tensor`` holds data and attributes only; this module is the
one place that gives it ``+``, ``exp``, ``sum``, ``backward`` and the rest, so that
``t.exp()`` and ``hw.exp(t)`` are the same function. It runs once, when
``headwater.autograd`` is imported (``import headwater`` does that).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd import engine, grad_mode, ops
from headwater.autograd.ops import diagonals, inplace, inplace_indexing, recorded_inplace, shape, tiling
from headwater.autograd.ops.arithmetic import Scalar
from headwater.autograd.ops.indexing import getitem
from headwater.tensor import random
from headwater.tensor.devices import Device
from headwater.tensor.dtypes import DTypeError
from headwater.tensor.tensor import Tensor

__all__: list[str] = []


def _operand_ok(other: Any) -> bool:
    return isinstance(other, (Tensor, Scalar, np.generic))


def _binary(fn, reflected: bool = False):
    if reflected:
        def method(self: Tensor, other: Any) -> Any:
            if not _operand_ok(other):
                return NotImplemented
            return fn(other, self)
    else:
        def method(self: Tensor, other: Any) -> Any:
            if not _operand_ok(other):
                return NotImplemented
            return fn(self, other)
    method.__name__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


def _inplace_or_new(inplace_fn, fn):
    # `x += y` updates x in place as in PyTorch when that is allowed; on a tensor
    # that is being recorded it rebinds x to the out-of-place result, so the
    # gradient stays right instead of raising.
    def method(self: Tensor, other: Any) -> Any:
        if not _operand_ok(other):
            return NotImplemented
        if self._requires_grad and grad_mode._enabled or (
            isinstance(other, Tensor) and other._requires_grad and grad_mode._enabled
        ):
            return fn(self, other)
        if isinstance(other, Tensor) and other.array.dtype.kind == "f" and self.array.dtype.kind != "f":
            return fn(self, other)
        return inplace_fn(self, other)

    return method


def _T(self: Tensor) -> Tensor:
    """The tensor with its dimensions reversed."""
    return ops.permute(self, tuple(range(self.ndim - 1, -1, -1)))


def _backward(self: Tensor, gradient: Tensor | None = None, retain_graph: bool | None = None,
              create_graph: bool = False, inputs: Any = None) -> None:
    """Accumulate gradients of this tensor into the leaves (see ``engine.backward``)."""
    engine.backward(self, gradient, retain_graph, create_graph, inputs)


def _caster(dtype: str):
    def method(self: Tensor) -> Tensor:
        return ops.to(self, dtype)

    method.__name__ = dtype
    method.__doc__ = f"The tensor as {dtype} (itself when it already is)."
    return method


def _expand_as(self: Tensor, other: Tensor) -> Tensor:
    return ops.expand(self, other.shape)


def _where(self: Tensor, condition: Tensor, other: Any) -> Tensor:
    return ops.where(condition, self, other)


def _cpu(self: Tensor, memory_format: Any = None) -> Tensor:
    """The tensor on the CPU (itself when it is there)."""
    return ops.to(self, "cpu")


def _cuda(self: Tensor, device: Any = None, non_blocking: bool = False, memory_format: Any = None) -> Tensor:
    """The tensor on the GPU (itself when it is there); ``device`` may be an index."""
    return ops.to(self, "cuda" if device is None else Device(device))


_TYPE_NAMES = {  # torch's legacy tensor type names, for .type()
    "float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
    "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
    "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor",
}


def _type(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
    """With no argument the type name (``'torch.FloatTensor'``); else the tensor cast
    to ``dtype`` (a dtype or such a name), as ``torch.Tensor.type``."""
    if dtype is None:
        prefix = "torch.cuda." if self.is_cuda else "torch."
        return prefix + _TYPE_NAMES[self.dtype.name]
    if isinstance(dtype, str) and dtype.endswith("Tensor"):
        names = {v: k for k, v in _TYPE_NAMES.items()}
        short = dtype.rsplit(".", 1)[-1]
        if short not in names:
            raise TypeError(f"unknown tensor type {dtype!r}; use a dtype such as hw.float32")
        out = ops.to(self, names[short])
        return ops.to(out, "cuda") if ".cuda." in dtype else out
    return ops.to(self, dtype)


def _type_as(self: Tensor, other: Tensor) -> Tensor:
    """The tensor cast to ``other``'s dtype."""
    return ops.to(self, other.dtype)


def _t(self: Tensor) -> Tensor:
    if self.ndim > 2:
        raise ValueError(f"t() expects a tensor with at most 2 dimensions, got shape {self.shape}")
    return _T(self)


def _bind() -> None:
    methods = {
        "__add__": _binary(ops.add), "__radd__": _binary(ops.add, True),
        "__sub__": _binary(ops.sub), "__rsub__": _binary(ops.sub, True),
        "__mul__": _binary(ops.mul), "__rmul__": _binary(ops.mul, True),
        "__truediv__": _binary(ops.div), "__rtruediv__": _binary(ops.div, True),
        "__pow__": _binary(ops.pow), "__rpow__": _binary(ops.pow, True),
        "__matmul__": _binary(ops.matmul), "__rmatmul__": _binary(ops.matmul, True),
        "__eq__": _binary(ops.eq), "__ne__": _binary(ops.ne),
        "__lt__": _binary(ops.lt), "__le__": _binary(ops.le),
        "__gt__": _binary(ops.gt), "__ge__": _binary(ops.ge),
        "__and__": _binary(ops.logical_and), "__or__": _binary(ops.logical_or),
        "__invert__": ops.logical_not,
        "__neg__": ops.neg, "__abs__": ops.abs,
        "__iadd__": _inplace_or_new(inplace.add_, ops.add),
        "__isub__": _inplace_or_new(inplace.sub_, ops.sub),
        "__imul__": _inplace_or_new(inplace.mul_, ops.mul),
        "__itruediv__": _inplace_or_new(inplace.div_, ops.div),
        "__getitem__": getitem, "__setitem__": inplace.setitem,
        "backward": _backward, "register_hook": engine.register_hook,
        "T": property(_T), "t": _t,
        "expand_as": _expand_as, "where": _where,
        "cpu": _cpu, "cuda": _cuda, "type": _type, "type_as": _type_as,
        "float": _caster("float32"), "double": _caster("float64"), "half": _caster("float16"),
        "long": _caster("int64"), "int": _caster("int32"), "bool": _caster("bool"),
        "short": _caster("int16"), "char": _caster("int8"), "byte": _caster("uint8"),
    }
    for name in (
        "add", "sub", "mul", "div", "pow", "neg", "abs", "exp", "log", "log1p", "sqrt",
        "sin", "cos", "tanh", "sigmoid", "relu", "clamp", "clip", "maximum", "minimum",
        "matmul", "sum", "mean", "var", "std", "max", "min", "amax", "amin", "logsumexp",
        "argmax", "argmin", "cumsum", "any", "all", "softmax", "log_softmax", "reshape",
        "view", "flatten", "squeeze", "unsqueeze", "permute", "transpose", "expand",
        "gather", "index_select", "split", "chunk", "to", "clone", "contiguous", "eq",
        "ne", "lt", "le", "gt", "ge", "isnan", "isfinite", "logical_and", "logical_or",
        "logical_not",
    ):
        methods[name] = getattr(ops, name)
    for name in ("add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_"):
        methods[name] = getattr(inplace, name)
    # indexing, sorting, counting (issue 12)
    for name in (
        "scatter", "scatter_add", "scatter_reduce", "index_add", "index_fill", "index_copy",
        "masked_fill", "masked_select", "masked_scatter", "take", "take_along_dim", "nonzero",
        "argwhere", "sort", "argsort", "msort", "topk", "kthvalue", "unique",
        "unique_consecutive", "bincount", "histc",
    ):
        methods[name] = getattr(ops, name)
    for name in inplace_indexing.__all__:
        methods[name] = getattr(inplace_indexing, name)
    # products and linear algebra (issue 12)
    for name in (
        "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm", "addmv", "baddbmm",
        "addbmm", "kron", "det", "logdet", "slogdet", "inverse", "pinverse", "cholesky", "qr",
        "svd", "matrix_power", "cross",
    ):
        methods[name] = getattr(ops, name)
    for name in ("normal", "uniform", "bernoulli", "random", "exponential"):  # t.normal_(...)
        methods[name + "_"] = inplace.inplace_of(getattr(random, "fill_" + name), name + "_")
    methods["bernoulli"], methods["multinomial"] = random.bernoulli, random.multinomial
    for name, fn in methods.items():
        setattr(Tensor, name, fn)
    Tensor.__hash__ = object.__hash__  # __eq__ is elementwise; hash stays identity


# --- issue 12: unary, binary, logic, reductions and shape families (opsa) ---------
_UNARY = [
    "acos", "acosh", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "asin",
    "asinh", "atan", "atanh", "ceil", "cosh", "erf", "erfc", "erfinv", "exp2", "expm1", "fix",
    "floor", "frac", "log10", "log2", "logit", "nan_to_num", "reciprocal", "round", "rsqrt",
    "sign", "sinh", "square", "tan", "trunc",
]
_BINARY = [
    "addcdiv", "addcmul", "arctan2", "atan2", "copysign", "float_power", "floor_divide", "fmod",
    "hypot", "lerp", "remainder", "xlogy",
]
_REDUCE = [
    "aminmax", "count_nonzero", "cummax", "cummin", "cumprod", "logcumsumexp", "median", "mode",
    "nanmean", "nansum", "norm", "prod",
]
_SHAPE = [
    "broadcast_to", "diag", "diag_embed", "diagonal", "flip", "fliplr", "flipud", "moveaxis",
    "movedim", "narrow", "repeat_interleave", "roll", "rot90", "swapaxes", "swapdims", "tile",
    "trace", "tril", "triu", "unbind", "unflatten",
]
_LOGIC = [
    "allclose", "bitwise_xor", "equal", "isclose", "isinf", "isneginf", "isposinf", "logical_xor",
]


def _div_(self: Tensor, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """``self /= other`` in place, optionally rounded (``"trunc"`` or ``"floor"``)."""
    if rounding_mode is None and self.array.dtype.kind == "f":
        return inplace.div_(self, other)
    return inplace.inplace_of(ops.div, "div_")(self, other, rounding_mode=rounding_mode)


def _float_power_(self: Tensor, exponent: Any) -> Tensor:
    """``self = self ** exponent`` in place; as in PyTorch, ``self`` must be float64."""
    if self.array.dtype != np.float64:
        raise DTypeError(
            f"float_power_: the result is float64, so the tensor must be float64, got "
            f"{self.array.dtype}; use the out-of-place float_power or .double() first"
        )
    return inplace.inplace_of(ops.float_power, "float_power_")(self, exponent)


def _bind_op_families() -> None:
    methods = {
        "__floordiv__": _binary(ops.floor_divide), "__rfloordiv__": _binary(ops.floor_divide, True),
        "__mod__": _binary(ops.remainder), "__rmod__": _binary(ops.remainder, True),
        "__xor__": _binary(ops.bitwise_xor), "__rxor__": _binary(ops.bitwise_xor, True),
        "__ifloordiv__": _inplace_or_new(inplace.inplace_of(ops.floor_divide, "floor_divide_"), ops.floor_divide),
        "__imod__": _inplace_or_new(inplace.inplace_of(ops.remainder, "remainder_"), ops.remainder),
        "div_": _div_,
    }
    with_inplace = _UNARY + _BINARY + ["logical_xor", "bitwise_xor"]
    for name in with_inplace + _LOGIC + _REDUCE + _SHAPE:
        methods[name] = getattr(ops, name)
    methods["repeat"] = tiling.repeat
    methods["mT"] = property(shape.matrix_transpose)
    for name in with_inplace:
        methods[name + "_"] = inplace.inplace_of(getattr(ops, name), name + "_")
    methods["float_power_"] = _float_power_
    for name in ("cumprod", "tril", "triu", "logical_and", "logical_or", "logical_not"):
        methods[name + "_"] = inplace.inplace_of(getattr(ops, name), name + "_")
    for name in ("normal", "uniform", "bernoulli", "random", "exponential"):  # t.normal_(...)
        methods[name + "_"] = inplace.inplace_of(getattr(random, "fill_" + name), name + "_")
    methods["bernoulli"], methods["multinomial"] = random.bernoulli, random.multinomial
    # in-place forms of the older elementwise ops, where no other binding gave one
    for name in ("exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "abs", "neg", "pow", "sigmoid"):
        if not hasattr(Tensor, name + "_"):
            methods[name + "_"] = inplace.inplace_of(getattr(ops, name), name + "_")
    for name, fn in methods.items():
        setattr(Tensor, name, fn)


def _view_as(self: Tensor, other: Tensor) -> Tensor:
    """This tensor viewed with ``other``'s shape (``self.view(other.shape)``)."""
    return ops.view(self, other.shape)


def _fill_diagonal_(self: Tensor, fill_value: float, wrap: bool = False) -> Tensor:
    """Set the main diagonal to ``fill_value`` in place (``wrap``: see
    :func:`~headwater.autograd.ops.diagonals.fill_diagonal`); recorded for backward."""
    return recorded_inplace.write_in_place(self, diagonals.fill_diagonal, "fill_diagonal_", fill_value, wrap)


def _bind_torch_surface() -> None:
    for name in ("quantile", "nanquantile", "as_strided", "lgamma", "digamma", "i0", "sinc"):
        setattr(Tensor, name, getattr(ops, name))
    for name in ("lgamma", "digamma", "i0", "sinc"):
        setattr(Tensor, name + "_", inplace.inplace_of(getattr(ops, name), name + "_"))
    Tensor.view_as = _view_as
    Tensor.fill_diagonal_ = _fill_diagonal_


_bind()
_bind_op_families()
_bind_torch_surface()
