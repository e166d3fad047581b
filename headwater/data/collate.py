"""Turning a list of samples into a batch: ``default_collate`` and ``default_convert``.

``default_collate`` follows ``torch.utils.data.default_collate``: tensors, NumPy
arrays and numbers are stacked into one tensor (Python floats as float64, ints as
int64, bools as bool, NumPy data keeps its dtype); tuples, lists, dicts and
namedtuples are collated field by field; strings stay a list. Host data is stacked
on the host and uploaded in one counted copy per field; tensors already on a device
are stacked there.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import numpy as np

from headwater.autograd.ops.join import stack
from headwater.tensor.creation import as_tensor
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor

__all__ = ["default_collate", "default_convert"]

_WHAT = "tensors, numpy arrays, numbers, dicts or lists"


def _one_shape(arrays: Sequence[Any], what: str) -> bool:
    """Raise when the rows differ in shape; False when some row is not an array."""
    try:
        shapes = {a.shape for a in arrays}
    except AttributeError:
        return False
    if len(shapes) > 1:
        raise RuntimeError(f"default_collate: stack expects each {what} to be equal size, got shapes "
                           f"{sorted(shapes)}; pad the samples to one shape or pass collate_fn=")
    return True


def _stack(xp: Any, arrays: Sequence[Any], what: str) -> Any:
    """``xp.stack(arrays)``; rows of one shape are joined by one ``concatenate`` (several
    times faster than ``stack`` for many small rows)."""
    if _one_shape(arrays, what) and arrays[0].ndim >= 1:
        return xp.concatenate(arrays).reshape((len(arrays),) + arrays[0].shape)
    return xp.stack(arrays)


def _stack_tensors(batch: Sequence[Any]) -> Tensor:
    try:
        arrays = [t.array for t in batch]
    except AttributeError:
        kinds = sorted({type(t).__name__ for t in batch})
        raise TypeError(f"default_collate: a batch mixes Tensors with {kinds}; return one type per field "
                        f"from the dataset or pass collate_fn=") from None
    if any(t.requires_grad for t in batch):
        _one_shape(arrays, "tensor")
        return stack(list(batch))
    return Tensor(_stack(backend_of(*arrays).xp, arrays, "tensor"))


def _stack_host(batch: Sequence[Any]) -> Tensor:
    return as_tensor(_stack(np, batch, "array"))


def _is_namedtuple(elem: Any) -> bool:
    return isinstance(elem, tuple) and hasattr(elem, "_fields")


def _same_mapping(like: Mapping, fields: dict) -> Any:
    """``fields`` in a mapping of ``like``'s type where it can be built, else a dict."""
    if isinstance(like, MutableMapping):
        out = copy.copy(like)
        out.update(fields)
        return out
    try:
        return type(like)(fields)
    except TypeError:
        return fields


def _strings(dtype: np.dtype) -> bool:
    return dtype.kind in "SUO"


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, field by field, as PyTorch does.

    Parameters
    ----------
    batch : list
        Samples of one type: Tensors, NumPy arrays, numbers, strings, or tuples,
        lists, dicts and namedtuples of those.

    Returns
    -------
    A Tensor for tensors, arrays and numbers (one more leading dimension); for a
    tuple sample a list of fields (as PyTorch), for a dict a dict, for a namedtuple
    the same namedtuple; strings stay as given (a list, or a tuple within a field).

    Examples
    --------
    >>> import numpy as np
    >>> import headwater as hw
    >>> x, y = hw.utils.data.default_collate([(np.zeros(2, np.float32), 1), (np.ones(2, np.float32), 0)])
    >>> tuple(x.shape), x.dtype, y.tolist(), y.dtype
    ((2, 2), dtype('float32'), [1, 0], dtype('int64'))
    >>> hw.utils.data.default_collate([{"v": 0.5, "name": "a"}, {"v": 1.5, "name": "b"}])["name"]
    ['a', 'b']
    """
    if not len(batch):
        raise ValueError("default_collate: the batch is empty")
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack_tensors(batch)
    if isinstance(elem, np.ndarray):
        if _strings(elem.dtype):
            raise TypeError(f"default_collate: batch must contain {_WHAT}; found a numpy array of dtype "
                            f"{elem.dtype}")
        return _stack_host(batch)
    if isinstance(elem, (np.bool_, np.number)):
        return as_tensor(np.asarray(batch))
    if isinstance(elem, float):
        return as_tensor(np.asarray(batch, dtype=np.float64))
    if isinstance(elem, int):  # bool included: all bools stay bool, as PyTorch
        host = np.asarray(batch)
        return as_tensor(host if host.dtype.kind == "b" else host.astype(np.int64, copy=False))
    if isinstance(elem, (str, bytes)):
        return batch  # as given: a list at the top, a tuple of a transposed field (as PyTorch)
    if isinstance(elem, Mapping):
        return _same_mapping(elem, {key: default_collate([d[key] for d in batch]) for key in elem})
    if _is_namedtuple(elem):
        return type(elem)(*(default_collate(field) for field in zip(*batch)))
    if isinstance(elem, Sequence):
        if len(set(map(len, batch))) > 1:
            raise RuntimeError("default_collate: each element in list of batch should be of equal size")
        fields = [default_collate(field) for field in zip(*batch)]
        if isinstance(elem, tuple):
            return fields  # a list, as PyTorch
        try:
            return type(elem)(fields)
        except TypeError:
            return fields
    raise TypeError(f"default_collate: batch must contain {_WHAT}; found {type(elem).__name__}; "
                    f"pass collate_fn= to batch this type")


def default_convert(data: Any) -> Any:
    """Turn NumPy arrays and scalars into tensors, recursing into containers.

    The DataLoader applies it to every sample when ``batch_size=None`` (no batching).

    Examples
    --------
    >>> import numpy as np
    >>> import headwater as hw
    >>> out = hw.utils.data.default_convert({"x": np.arange(3), "tag": "a"})
    >>> type(out["x"]).__name__, out["tag"]
    ('Tensor', 'a')
    """
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if _strings(data.dtype) else as_tensor(data)
    if isinstance(data, (np.bool_, np.number)):
        return as_tensor(np.asarray(data))
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, Mapping):
        return _same_mapping(data, {key: default_convert(value) for key, value in data.items()})
    if _is_namedtuple(data):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, Sequence):
        try:
            return type(data)([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data
