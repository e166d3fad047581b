"""The Tensor type: an ``xp`` array plus what autograd needs.

A Tensor wraps a NumPy or CuPy array in ``.array`` without copying and carries
``requires_grad``, ``grad`` and ``grad_fn``. This module holds only the face of the
type: attributes, host crossings and reprs. The operator methods (``+``, ``exp``,
``sum``, ``backward``...) are the workings of autograd and are bound onto the class in
one visible place, :mod:`headwater.autograd.bind`.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from headwater.tensor import printing
from headwater.tensor.devices import Device, array_device
from headwater.tensor.dtypes import DTypeError, is_floating
from headwater.tensor.size import Size
from headwater.tensor.transfer import to_host

__all__ = ["Tensor"]

_CPU = Device("cpu")
_CUDA: dict[int, Device] = {}


class Tensor:
    """An n-dimensional array on the CPU or a GPU that can record gradients.

    Build tensors with :func:`headwater.as_tensor` and the factories
    (``hw.zeros``, ``hw.randn``...); ``Tensor(array)`` wraps an existing NumPy or
    CuPy array without copying.

    Parameters
    ----------
    data : numpy.ndarray or cupy.ndarray
        The array to wrap (not copied).
    requires_grad : bool
        Record operations on this tensor so that ``backward`` reaches it.

    Examples
    --------
    >>> import numpy as np
    >>> import headwater as hw
    >>> a = np.arange(3.0)
    >>> t = hw.Tensor(a)
    >>> t.array is a, t.shape, t.dtype
    (True, (3,), dtype('float64'))
    """

    __slots__ = ("array", "grad", "grad_fn", "_requires_grad", "_vc", "_out_index", "__weakref__")

    # NumPy hands mixed expressions (np.float32(2) * t) to Tensor's reflected
    # operators instead of converting the tensor into an object array.
    __array_ufunc__ = None
    __hash__ = object.__hash__

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        if isinstance(data, np.generic):
            data = np.asarray(data)
        elif array_device(data) is None:
            raise TypeError(
                f"Tensor wraps a NumPy or CuPy array, got {type(data).__name__}; "
                f"use hw.as_tensor(data) to build a tensor from lists or scalars"
            )
        self.array = data
        self.grad: Tensor | None = None
        self.grad_fn: Any = None
        self._vc = [0]
        self._requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # -- autograd attributes --------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded for ``backward``."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return ``self``.

        Raises
        ------
        DTypeError
            Only float tensors can require gradients.
        RuntimeError
            Turning it off on a tensor computed by a recorded operation; use
            ``detach()`` instead.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(2).requires_grad_().requires_grad
        True
        """
        if requires_grad and not is_floating(self.array.dtype):
            raise DTypeError(
                f"only floating-point tensors can require gradients, this one is "
                f"{self.array.dtype}; convert it first with .float() or .to(hw.float32)"
            )
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError(
                "requires_grad can only be switched off on a leaf tensor; this one was "
                "computed by a recorded operation. Use .detach() to get a tensor "
                "outside the graph"
            )
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors not computed by a recorded operation."""
        return self.grad_fn is None

    @property
    def _version(self) -> int:
        """How often the data was modified in place (shared with views)."""
        return self._vc[0]

    def _bump_version(self) -> None:
        self._vc[0] += 1

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` for this non-leaf tensor when ``backward`` runs.

        Examples
        --------
        >>> import headwater as hw
        >>> x = hw.ones(2, requires_grad=True)
        >>> y = x * 3
        >>> _ = y.retain_grad()
        >>> y.sum().backward()
        >>> y.grad.tolist()
        [1.0, 1.0]
        """
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("retain_grad() on a tensor that does not require grad")
            return self  # leaves keep their gradient anyway
        self.grad_fn._retained = weakref.ref(self)
        return self

    def detach(self) -> Tensor:
        """A tensor sharing this data, outside the graph (no copy).

        Examples
        --------
        >>> import headwater as hw
        >>> x = hw.ones(2, requires_grad=True)
        >>> d = (x * 2).detach()
        >>> d.requires_grad, d.grad_fn is None
        (False, True)
        """
        out = Tensor(self.array)
        out._vc = self._vc
        return out

    @property
    def data(self) -> Tensor:
        """This tensor's storage as a tensor outside the graph, as ``torch.Tensor.data``.

        The result shares the array (in-place changes through it show in ``self``) but
        not the version counter, so autograd does not notice them: the way optimizers
        and initialisers write parameters. Assigning ``t.data = other`` swaps in
        ``other``'s array (any shape, same device). The raw NumPy/CuPy array is
        :attr:`array`.

        Examples
        --------
        >>> import headwater as hw
        >>> p = hw.ones(2, requires_grad=True)
        >>> _ = p.data.mul_(3)
        >>> p.tolist(), p.data.requires_grad
        ([3.0, 3.0], False)
        >>> p.data = hw.zeros(3)
        >>> p.shape
        (3,)
        """
        return Tensor(self.array)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(
                f"Tensor.data must be assigned a Tensor, got {type(value).__name__}; "
                f"wrap an array with hw.as_tensor(...) first"
            )
        if value.device != self.device:
            raise RuntimeError(
                f"data is on {self.device} and the new value on {value.device}; "
                f"move it first with .to({str(self.device)!r})"
            )
        self.array = value.array

    def detach_(self) -> Tensor:
        """Cut this tensor from its graph in place and return it."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    # -- shape and type -------------------------------------------------------------
    @property
    def shape(self) -> Size:
        """The size of each dimension, as an :class:`~headwater.tensor.size.Size` (a tuple)."""
        return Size(self.array.shape)

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.array.ndim

    @property
    def dtype(self) -> np.dtype:
        """The element dtype (``hw.float32``...)."""
        return self.array.dtype

    @property
    def device(self) -> Device:
        """The device that holds the data (``cpu`` or ``cuda:N``)."""
        if isinstance(self.array, np.ndarray) or array_device(self.array) == "cpu":
            return _CPU
        index = self.array.device.id
        found = _CUDA.get(index)
        if found is None:
            found = _CUDA[index] = Device("cuda", index)
        return found

    @property
    def is_cuda(self) -> bool:
        """True when the data lives on a GPU."""
        return array_device(self.array) == "cuda"

    def size(self, dim: int | None = None) -> Size | int:
        """The shape, or the size of dimension ``dim``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(2, 3).size(), hw.zeros(2, 3).size(-1)
        ((2, 3), 3)
        """
        return Size(self.array.shape) if dim is None else self.array.shape[dim]

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        """Steps between elements of each dimension, counted in elements as in torch.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(2, 3).stride(), hw.zeros(2, 3).T.stride(0)
        ((3, 1), 1)
        """
        size = self.array.dtype.itemsize
        steps = tuple(s // size for s in self.array.strides)
        return steps if dim is None else steps[dim]

    def is_contiguous(self) -> bool:
        """Whether the elements lie in row-major order without gaps.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(2, 3).is_contiguous(), hw.zeros(2, 3).T.is_contiguous()
        (True, False)
        """
        return bool(self.array.flags.c_contiguous)

    def is_floating_point(self) -> bool:
        """Whether the dtype is a float dtype.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(1).is_floating_point(), hw.arange(2).is_floating_point()
        (True, False)
        """
        return is_floating(self.array.dtype)

    # -- new tensors on this tensor's device, by default with its dtype ---------------
    # (the factories live in creation, which imports this module)
    def new_tensor(self, data: Any, dtype: Any = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:
        """A copy of ``data`` with this tensor's dtype and device unless given.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(1, dtype=hw.float64).new_tensor([1, 2]).dtype
        dtype('float64')
        """
        from headwater.tensor import creation

        return creation.tensor(data, dtype=self.dtype if dtype is None else dtype,
                               device=self.device if device is None else device,
                               requires_grad=requires_grad)

    def _new(self, name: str, size: tuple, *args: Any, dtype: Any, device: Any,
             requires_grad: bool) -> Tensor:
        from headwater.tensor import creation

        shape = creation.size_args(size)
        return getattr(creation, name)(
            shape, *args, dtype=self.dtype if dtype is None else dtype,
            device=self.device if device is None else device, requires_grad=requires_grad,
        )

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
        """Zeros of shape ``size`` with this tensor's dtype and device unless given.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ones(1, dtype=hw.int32).new_zeros(2, 2).tolist()
        [[0, 0], [0, 0]]
        """
        return self._new("zeros", size, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:
        """Ones of shape ``size`` with this tensor's dtype and device unless given.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(1).new_ones((2,)).tolist()
        [1.0, 1.0]
        """
        return self._new("ones", size, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
        """An uninitialised tensor of shape ``size`` like this one.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(1).new_empty(3).shape
        (3,)
        """
        return self._new("empty", size, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_full(self, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:
        """``fill_value`` in shape ``size``, with this tensor's dtype and device unless given.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.zeros(1).new_full((2,), 3).tolist()
        [3.0, 3.0]
        """
        return self._new("full", (size,), fill_value, dtype=dtype, device=device,
                         requires_grad=requires_grad)

    def dim(self) -> int:
        """The number of dimensions (as ``ndim``)."""
        return self.array.ndim

    def numel(self) -> int:
        """The number of elements."""
        return int(self.array.size)

    def element_size(self) -> int:
        """Bytes per element."""
        return self.array.dtype.itemsize

    def __len__(self) -> int:
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    # -- host crossings (all counted through to_host) --------------------------------
    def numpy(self) -> np.ndarray:
        """The data as a NumPy array: no copy on the CPU, a counted copy from a GPU.

        Raises
        ------
        RuntimeError
            The tensor requires grad; call ``.detach().numpy()``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.arange(3).numpy()
        array([0, 1, 2])
        """
        if self._requires_grad:
            raise RuntimeError(
                "can't call numpy() on a tensor that requires grad; use tensor.detach().numpy()"
            )
        return to_host(self.array)

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number (a host sync).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.as_tensor([2.5]).item()
        2.5
        """
        if self.array.size != 1:
            raise ValueError(
                f"item() needs a tensor with one element, this one has shape {self.shape} "
                f"({self.array.size} elements); index it or reduce it first"
            )
        return to_host(self.array).reshape(()).item()

    def tolist(self) -> Any:
        """The data as nested Python lists (a host copy).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ones(2, 2).tolist()
        [[1.0, 1.0], [1.0, 1.0]]
        """
        return to_host(self.array).tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if self.is_cuda:
            raise TypeError(
                "can't convert a cuda tensor to NumPy implicitly; call .numpy() "
                "(an explicit, counted device-to-host copy)"
            )
        host = to_host(self.array)
        return host if dtype is None else host.astype(dtype, copy=False)

    def __bool__(self) -> bool:
        if self.array.size != 1:
            raise RuntimeError(
                f"the truth value of a tensor with {self.array.size} elements is ambiguous; "
                f"use .any() or .all()"
            )
        return bool(to_host(self.array).reshape(()).item())

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.array.dtype.kind not in "iu" or self.array.size != 1:
            raise TypeError("only integer tensors of one element can be used as an index")
        return int(self.item())

    def __repr__(self) -> str:
        host = to_host(self.array)
        body = printing.format_array(host, "tensor(")  # hw.set_printoptions
        extras = []
        if host.dtype not in (np.dtype("float32"), np.dtype("int64"), np.dtype("bool")):
            extras.append(f"dtype={host.dtype}")
        if self.is_cuda:
            extras.append("device='cuda'")
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{type(self.grad_fn).__name__}Backward>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # -- DLPack: share the memory with PyTorch, JAX, CuPy (import with hw.from_dlpack) --
    def __dlpack__(self, **kwargs: Any) -> Any:
        """Export the data as a DLPack capsule (no copy); the array's own protocol."""
        if self._requires_grad:
            raise RuntimeError(
                "can't export a tensor that requires grad through DLPack; use tensor.detach()"
            )
        return self.array.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> tuple[int, int]:
        """The DLPack ``(device_type, device_id)`` of the data."""
        return self.array.__dlpack_device__()

    def __deepcopy__(self, memo: dict) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError(
                "only leaf tensors can be deep-copied (this one was computed by a recorded "
                "operation); deep-copy tensor.detach() instead"
            )
        out = Tensor.__new__(type(self))
        Tensor.__init__(out, self.array.copy(), self._requires_grad)
        if self.grad is not None:
            out.grad = Tensor(self.grad.array.copy())
        memo[id(self)] = out
        return out
