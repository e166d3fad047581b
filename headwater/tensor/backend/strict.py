"""The strict device mode (``HEADWATER_DEVICE=cpu-strict``): NumPy memory, CuPy's rules.

A GPU run fails where code silently relies on host arrays: CuPy refuses an implicit
conversion to NumPy (``np.asarray(x)``, handing a device array to pandas, pyarrow or a
NumPy-only function), mixing a host array into a device operation, and every name NumPy
has but CuPy lacks. This backend makes the CPU refuse the same things, so that every
CPU test run catches what would break on a GPU:

- arrays are :class:`StrictArray`, a wrapper around a NumPy array whose ``__array__``
  raises ``TypeError`` with CuPy's message; ``.get()`` (what
  :func:`headwater.tensor.transfer.to_host` calls) is the explicit way out;
- ``int()``, ``float()``, ``bool()``, ``complex()``, ``.item()`` and ``.tolist()`` work
  but count as host crossings in :func:`headwater.transfer_stats`, as a GPU
  synchronises for them; ``operator.index`` is refused (CuPy arrays have no
  ``__index__``), so an array cannot silently become a Python ``int``;
- reductions and scalar indexing give 0-d arrays, not NumPy scalars, as CuPy's do;
- the namespace ``xp`` offers exactly the names CuPy has (``cupy_names.txt``, written
  by ``scripts/gen_cupy_names.py``); any other raises ``AttributeError``;
- a NumPy array passed to a function or operator of ``xp`` raises ``TypeError`` (CuPy
  accepts host data only in constructors such as ``xp.asarray``);
- the backend turns off the CPU-only fast paths (pandas' hash tables, thread pools):
  it runs the generic ``xp`` primitives that the CUDA backend runs.

The device is still called ``cpu``: results, dtypes and devices are those of a CPU
run; only the rules change. Uploads copy, as a GPU upload does, so writing to a host
array after uploading it does not change the device copy.
"""

from __future__ import annotations

import functools
import operator
import pathlib
import types
from typing import Any

import numpy as np

from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["StrictArray", "StrictBackend", "strict_namespace", "cupy_names", "host_random_generator"]

_IMPLICIT = ("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct a "
             "NumPy array explicitly. (HEADWATER_DEVICE=cpu-strict refuses this as CuPy does on a GPU: "
             "move data to the host through headwater.tensor.transfer.to_host, which counts the crossing)")


@functools.cache
def cupy_names() -> frozenset[str]:
    """Every public dotted name of CuPy's namespace, plus ``ndarray.<attribute>``."""
    path = pathlib.Path(__file__).with_name("cupy_names.txt")
    return frozenset(line.strip() for line in path.read_text().splitlines()
                     if line.strip() and not line.startswith("#"))


@functools.cache
def _ndarray_attributes() -> frozenset[str]:
    return frozenset(name.split(".", 1)[1] for name in cupy_names() if name.startswith("ndarray."))


def _refuse_host(value: Any, where: str) -> None:
    raise TypeError(
        f"Unsupported type {type(value)} in {where}: a NumPy array reached a device operation "
        f"(HEADWATER_DEVICE=cpu-strict refuses it as CuPy does); upload it first with xp.asarray(...) "
        f"or the backend's to_device(...)")


def _unwrap(value: Any, where: str) -> Any:
    """The NumPy value behind ``value`` (recursively through lists, tuples, dicts)."""
    if type(value) is StrictArray:
        return value._a
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return value
        _refuse_host(value, where)
    if isinstance(value, (list, tuple)):
        items = [_unwrap(v, where) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k: _unwrap(v, where) for k, v in value.items()}
    return value


def _accept(value: Any) -> Any:
    """Like :func:`_unwrap` for constructors, which take host data (an upload)."""
    if type(value) is StrictArray:
        return value._a
    if isinstance(value, (list, tuple)):
        items = [_accept(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    return value


def _wrap(value: Any) -> Any:
    """NumPy results as device values: arrays and NumPy scalars become StrictArrays."""
    if isinstance(value, np.ndarray):
        return StrictArray(value)
    if isinstance(value, np.generic):
        return StrictArray(np.asarray(value))
    if isinstance(value, tuple):
        return tuple(_wrap(v) for v in value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _count_sync(a: np.ndarray) -> np.ndarray:
    return to_host(a)  # counted; a GPU copies the value to the host here


class StrictArray:
    """A NumPy array that behaves as a ``cupy.ndarray`` does where CuPy differs."""

    __slots__ = ("_a",)
    __array_priority__ = 100
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, array: np.ndarray) -> None:
        self._a = array

    # -- CuPy's refusals and synchronisations -----------------------------------------
    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(_IMPLICIT)

    def get(self, stream: Any = None, order: str = "C", out: Any = None, blocking: bool = True) -> np.ndarray:
        """The values as a new NumPy array (CuPy's device-to-host copy)."""
        host = np.array(self._a, order=order)
        if out is not None:
            out[...] = host
            return out
        return host

    def __int__(self) -> int:
        return int(_count_sync(self._a))

    def __float__(self) -> float:
        return float(_count_sync(self._a))

    def __complex__(self) -> complex:
        return complex(_count_sync(self._a))

    def __bool__(self) -> bool:
        return bool(_count_sync(self._a))

    def item(self, *args: Any) -> Any:
        return _count_sync(self._a).item(*args)

    def tolist(self) -> Any:
        return _count_sync(self._a).tolist()

    def __repr__(self) -> str:
        return repr(_count_sync(self._a))

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return format(_count_sync(self._a), spec)

    def __reduce__(self) -> Any:
        return (StrictArray, (self._a,))

    def __dlpack__(self, *args: Any, **kwargs: Any) -> Any:
        return self._a.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self) -> Any:
        return self._a.__dlpack_device__()

    # -- metadata (host-side in CuPy too: no sync) ------------------------------------
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    nbytes = property(lambda self: self._a.nbytes)
    itemsize = property(lambda self: self._a.itemsize)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    base = property(lambda self: None if self._a.base is None else StrictArray(self._a.base)
                    if isinstance(self._a.base, np.ndarray) else None)
    T = property(lambda self: StrictArray(self._a.T))
    mT = property(lambda self: StrictArray(np.swapaxes(self._a, -1, -2)))
    real = property(lambda self: StrictArray(self._a.real))
    imag = property(lambda self: StrictArray(self._a.imag))

    @shape.setter
    def shape(self, value: Any) -> None:
        self._a.shape = value

    def __len__(self) -> int:
        return len(self._a)

    def __iter__(self) -> Any:
        for row in self._a:
            yield _wrap(row)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name not in _ndarray_attributes() or not hasattr(self._a, name):
            raise AttributeError(f"'cupy.ndarray' object has no attribute {name!r} "
                                 f"(HEADWATER_DEVICE=cpu-strict offers only CuPy's names)")
        method = getattr(self._a, name)
        if not callable(method):
            return _wrap(method)
        if name in _STABLE:
            method = functools.partial(_stable, method)

        def call(*args: Any, **kwargs: Any) -> Any:
            where = f"ndarray.{name}"
            result = method(*_unwrap(args, where), **_unwrap(kwargs, where))
            return self if result is self._a else _wrap(result)  # astype(copy=False) is x itself, as in CuPy

        return call

    # -- indexing ------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        return _wrap(self._a[_unwrap(key, "ndarray.__getitem__")])

    def __setitem__(self, key: Any, value: Any) -> None:
        self._a[_unwrap(key, "ndarray.__setitem__")] = _accept(value)

    # -- the NumPy protocols: NumPy functions on device arrays go to xp, as in CuPy ------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if ufunc.__name__ not in cupy_names():
            return NotImplemented
        where = f"numpy.{ufunc.__name__}"
        out = kwargs.get("out")
        args = _unwrap(inputs, where)
        kw = _unwrap(kwargs, where)
        result = getattr(ufunc, method)(*args, **kw)
        if out is not None:
            return out[0] if isinstance(out, tuple) and len(out) == 1 else out
        return _wrap(result)

    def __array_function__(self, func: Any, types_: Any, args: Any, kwargs: Any) -> Any:
        module = func.__module__.replace("numpy", "", 1).strip(".")
        module = "" if module.startswith("_core") or module.startswith("core") or module == "lib" else module
        dotted = f"{module.split('.')[-1]}.{func.__name__}" if module else func.__name__
        if dotted not in cupy_names() and func.__name__ not in cupy_names():
            return NotImplemented
        where = f"numpy.{func.__name__}"
        return _wrap(func(*_unwrap(args, where), **_unwrap(kwargs, where)))


def _binary(name: str) -> Any:
    op = getattr(operator, name)

    def method(self: StrictArray, other: Any) -> Any:
        return _wrap(op(self._a, _unwrap(other, f"ndarray.{name}")))

    def reflected(self: StrictArray, other: Any) -> Any:
        return _wrap(op(_unwrap(other, f"ndarray.r{name}"), self._a))

    def inplace(self: StrictArray, other: Any) -> Any:
        getattr(operator, f"i{name.rstrip('_')}")(self._a, _unwrap(other, f"ndarray.i{name}"))
        return self

    return method, reflected, inplace


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor",
              "lshift", "rshift"):
    _op = _name + "_" if _name in ("and", "or") else _name
    _m, _r, _i = _binary(_op)
    setattr(StrictArray, f"__{_name}__", _m)
    setattr(StrictArray, f"__r{_name}__", _r)
    setattr(StrictArray, f"__i{_name}__", _i)
for _name in ("lt", "le", "eq", "ne", "gt", "ge"):
    setattr(StrictArray, f"__{_name}__", _binary(_name)[0])
for _name in ("neg", "pos", "abs", "invert"):
    setattr(StrictArray, f"__{_name}__", (lambda op: lambda self: _wrap(op(self._a)))(getattr(operator, _name)))
StrictArray.__divmod__ = lambda self, other: _wrap(divmod(self._a, _unwrap(other, "ndarray.__divmod__")))


_CONSTRUCTORS = frozenset({"asarray", "array", "asanyarray", "ascontiguousarray", "asfortranarray",
                           "frombuffer", "fromiter", "fromstring", "copyto"})


class _Ufunc:
    """A NumPy ufunc with CuPy's device rules, methods included (``xp.add.at``)."""

    def __init__(self, ufunc: Any, name: str) -> None:
        self._u, self._name = ufunc, name
        self.__name__ = ufunc.__name__
        self.nin, self.nout = ufunc.nin, ufunc.nout

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._apply(self._u, args, kwargs, self._name)

    @staticmethod
    def _apply(fn: Any, args: Any, kwargs: Any, where: str) -> Any:
        out = kwargs.get("out")
        result = fn(*_unwrap(args, where), **_unwrap(kwargs, where))
        if out is not None:
            return out[0] if isinstance(out, tuple) and len(out) == 1 else out
        return _wrap(result)

    def __getattr__(self, method: str) -> Any:
        if f"{self._name}.{method}" not in cupy_names():
            raise AttributeError(f"cupy.{self._name} has no attribute {method!r} (HEADWATER_DEVICE=cpu-strict)")
        fn = getattr(self._u, method)
        return lambda *args, **kwargs: self._apply(fn, args, kwargs, f"{self._name}.{method}")


class _Proxy:
    """An object whose methods take and give device arrays (a random generator)."""

    def __init__(self, obj: Any, where: str) -> None:
        self._obj, self._where = obj, where

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._obj, name)
        if not callable(value):
            return _wrap(value)
        where = f"{self._where}.{name}"
        return lambda *args, **kwargs: _wrap(value(*_unwrap(args, where), **_unwrap(kwargs, where)))


_STABLE = frozenset({"argsort", "sort", "msort"})  # CuPy's sorts are always stable (radix/merge)


def host_random_generator(rng: Any) -> Any:
    """The NumPy generator behind ``rng``: the strict CPU device's generator draws device
    arrays, while host-side draws (a sampler's indices) need NumPy's own."""
    return rng._obj if isinstance(rng, _Proxy) else rng


def _function(fn: Any, dotted: str) -> Any:
    if isinstance(fn, np.ufunc):
        return _Ufunc(fn, dotted)
    constructor = dotted in _CONSTRUCTORS
    if dotted in _STABLE:
        fn = functools.partial(_stable, fn)

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        original = args
        if constructor:
            args, kwargs = _accept(args), {k: _accept(v) for k, v in kwargs.items()}
        else:
            args, kwargs = _unwrap(args, dotted), _unwrap(kwargs, dotted)
        first = original[0] if original else None
        result = fn(*args, **kwargs)
        if isinstance(result, np.random.Generator):
            return _Proxy(result, dotted)
        if type(first) is StrictArray and result is first._a:
            return first  # xp.asarray(x) is x itself, as in CuPy
        if constructor and isinstance(result, np.ndarray) and args and result is args[0]:
            result = result.copy()  # an upload of host data copies
        return _wrap(result)

    return call


def _stable(fn: Any, *args: Any, **kwargs: Any) -> Any:
    kwargs["kind"] = "stable"
    return fn(*args, **kwargs)


class _Namespace(types.ModuleType):
    """``xp`` in strict mode: NumPy's functions under CuPy's names only."""

    def __init__(self, name: str, numpy_module: Any, prefix: str) -> None:
        super().__init__(name)
        self._np, self._prefix = numpy_module, prefix
        self.__dict__["ndarray"] = StrictArray if not prefix else None

    def __reduce__(self) -> Any:
        return (_namespace_by_prefix, (self._prefix,))

    def __getattr__(self, name: str) -> Any:
        dotted = f"{self._prefix}{name}"
        if name.startswith("__") or dotted not in cupy_names():
            raise AttributeError(f"module 'cupy{'.' + self._prefix[:-1] if self._prefix else ''}' has no "
                                 f"attribute {name!r} (HEADWATER_DEVICE=cpu-strict offers only CuPy's names)")
        if isinstance(getattr(self._np, name, None), types.ModuleType):  # random, linalg, lib.stride_tricks
            value = _Namespace(f"cupy.{dotted}", getattr(self._np, name), f"{dotted}.")
        else:
            if not hasattr(self._np, name):
                raise AttributeError(f"cupy.{dotted} has no NumPy counterpart on the CPU "
                                     f"(HEADWATER_DEVICE=cpu-strict)")
            target = getattr(self._np, name)
            value = _function(target, dotted) if callable(target) and not isinstance(target, type) else target
        self.__dict__[name] = value
        return value


def _namespace_by_prefix(prefix: str) -> _Namespace:
    space = strict_namespace()
    for part in prefix[:-1].split(".") if prefix else ():
        space = getattr(space, part)
    return space


@functools.cache
def strict_namespace() -> _Namespace:
    """The ``xp`` of the strict backend."""
    return _Namespace("cupy", np, "")


class _SparseMatrix:
    """A SciPy sparse matrix whose products take and give device arrays (as CuPy's)."""

    __array_priority__ = 200

    def __init__(self, matrix: Any) -> None:
        self._m = matrix

    def __getattr__(self, name: str) -> Any:
        return _sparse_result(getattr(self._m, name), f"sparse.{name}")

    def __matmul__(self, other: Any) -> Any:
        return _sparse_wrap(self._m @ _sparse_arg(other, "sparse.__matmul__"))

    def __rmatmul__(self, other: Any) -> Any:
        return _sparse_wrap(_sparse_arg(other, "sparse.__rmatmul__") @ self._m)

    def __mul__(self, other: Any) -> Any:
        return _sparse_wrap(self._m * _sparse_arg(other, "sparse.__mul__"))

    def __add__(self, other: Any) -> Any:
        return _sparse_wrap(self._m + _sparse_arg(other, "sparse.__add__"))

    def __sub__(self, other: Any) -> Any:
        return _sparse_wrap(self._m - _sparse_arg(other, "sparse.__sub__"))

    def __getitem__(self, key: Any) -> Any:
        return _sparse_wrap(self._m[_sparse_arg(key, "sparse.__getitem__")])

    @property
    def T(self) -> Any:
        return _SparseMatrix(self._m.T)


def _sparse_arg(value: Any, where: str) -> Any:
    return value._m if isinstance(value, _SparseMatrix) else _unwrap(value, where)


def _sparse_wrap(value: Any) -> Any:
    import scipy.sparse

    if scipy.sparse.issparse(value):
        return _SparseMatrix(value)
    if isinstance(value, tuple):
        return tuple(_sparse_wrap(v) for v in value)
    return _wrap(value)


def _sparse_result(value: Any, where: str) -> Any:
    if not callable(value):
        return _sparse_wrap(value)
    return lambda *args, **kwargs: _sparse_wrap(value(*[_sparse_arg(a, where) for a in args],
                                                      **{k: _sparse_arg(v, where) for k, v in kwargs.items()}))


class _SparseNamespace(types.ModuleType):
    """``scipy.sparse`` under the strict rules: device arrays in, device arrays out."""

    def __init__(self) -> None:
        super().__init__("scipy.sparse")

    def __getattr__(self, name: str) -> Any:
        import scipy.sparse

        return _sparse_result(getattr(scipy.sparse, name), f"sparse.{name}")


class StrictBackend(Backend):
    """The CPU with CuPy's rules: NumPy memory behind :class:`StrictArray` (see module doc)."""

    name = "cpu"
    host_fast_paths = False

    def __init__(self) -> None:
        self.xp = strict_namespace()

    def owns(self, array: Any) -> bool:
        return type(array) is StrictArray

    def _upload(self, host: np.ndarray) -> Any:
        return StrictArray(np.array(host, copy=True))

    def random_state(self, seed: int | None) -> Any:
        return _Proxy(np.random.default_rng(seed), "random.default_rng")

    @property
    def sparse(self) -> Any:
        return _SPARSE


_SPARSE = _SparseNamespace()
