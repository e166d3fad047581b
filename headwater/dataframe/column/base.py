"""The column base class: an immutable device buffer, a validity mask and a dtype.

A column is created only through :func:`headwater.dataframe.column.build_column` or
:func:`~headwater.dataframe.column.column_from_arrow`; calling a column class directly
is refused, so every column passes through the one dispatch on its dtype. Each family
declares what it supports as data (``_BINARY_OPS``, ``_REDUCTIONS``) and overrides one
``_binaryop`` and one ``_reduce``; the frames above never branch on dtypes.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column import deferred
from headwater.tensor.backend.base import Backend
from headwater.tensor.devices import Device, backend_of, get_backend
from headwater.tensor.transfer import to_host

__all__ = ["Column", "and_masks", "UnsupportedOperation", "is_null_scalar", "readonly"]

_BUILD_KEY = object()


class UnsupportedOperation(TypeError):
    """An operation was asked of a column whose dtype does not support it."""


def is_null_scalar(value: Any) -> bool:
    """True for ``None``, ``pd.NA``, ``pd.NaT`` and NumPy ``NaT`` (not for float NaN)."""
    if value is None:
        return True
    name = type(value).__name__
    if name in ("NAType", "NaTType"):
        return True
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    return False


def readonly(array: np.ndarray) -> np.ndarray:
    """A read-only view, so host hand-overs on the CPU cannot mutate a column."""
    view = array.view()
    view.flags.writeable = False
    return view


def and_masks(*masks: Any) -> Any:
    """Combine validity masks: valid only where all are valid (``None`` = all valid)."""
    out = None
    for mask in masks:
        if mask is None:
            continue
        out = mask if out is None else out & mask
    return out


class Column:
    """Base of every column family; see ``docs/internals.md`` for the contract.

    Attributes
    ----------
    data : xp array
        The values (int32 codes for string/categorical, int64 for datetime/timedelta).
    mask : xp bool array or None
        True where the value is valid; ``None`` means the column has no nulls.
    dtype : numpy.dtype, StringDtype or CategoricalDtype
    kind : str
        ``int uint float bool datetime timedelta string categorical``.
    """

    kind: ClassVar[str] = ""
    layout: ClassVar[str] = ""  # strings: "plain" (offsets + bytes) or "dictionary" (codes)
    _BINARY_OPS: ClassVar[frozenset[str]] = frozenset()
    _REDUCTIONS: ClassVar[frozenset[str]] = frozenset({"count", "nunique"})
    _CUMULATIVE: ClassVar[frozenset[str]] = frozenset()
    # ``_pending``: (source column, Rows) while a deferred gather has not run (see deferred.py)
    __slots__ = ("data", "mask", "dtype", "_backend", "_pending")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            f"{type(self).__name__} cannot be constructed directly; use "
            f"headwater.dataframe.column.build_column(...) or column_from_arrow(...)"
        )

    @classmethod
    def _create(cls, key: object, data: Any, mask: Any, dtype: Any, **extra: Any) -> Column:
        if key is not _BUILD_KEY:
            raise TypeError("columns are built through build_column / column_from_arrow")
        obj = object.__new__(cls)
        obj.data = data
        obj.mask = mask
        obj.dtype = dtype
        obj._backend = backend_of(data, mask)
        obj._pending = None
        for name, value in extra.items():
            setattr(obj, name, value)
        return obj

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        """Check and normalise buffers before a column is made (family hook)."""
        if data.dtype != dtype:
            data = data.astype(dtype)
        if mask is not None and mask.dtype != bool:
            mask = mask.astype(bool)
        return data, mask, dtype, extra

    # -- identity ---------------------------------------------------------------------
    @property
    def xp(self) -> Any:
        """The array namespace (``numpy`` or ``cupy``) of this column."""
        return self._backend.xp

    @property
    def backend(self) -> Backend:
        return self._backend

    @property
    def device(self) -> Device:
        """The device holding the column's buffers."""
        return Device(self._backend.name)

    def __len__(self) -> int:
        pending = self._pending
        if pending is not None:
            return len(pending[1])
        return int(self.data.shape[0])

    def __getattr__(self, name: str) -> Any:
        # reached only for an attribute that is not set: a pending column's buffers are
        # filled in by its deferred gather on the first read (see deferred.py)
        try:
            pending = object.__getattribute__(self, "_pending")
        except AttributeError:
            pending = None
        if pending is None or name.startswith("__"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        deferred.materialize(self)
        return object.__getattribute__(self, name)

    def __repr__(self) -> str:
        nulls = "no nulls" if self.mask is None else "with validity mask"
        return f"<{type(self).__name__} {self.dtype} length={len(self)} {nulls} on {self.device}>"

    def _extra(self) -> dict[str, Any]:
        """Family attributes kept when a column is rebuilt (dictionary, tz, ...)."""
        return {}

    def _with(self, data: Any, mask: Any) -> Column:
        """A column of the same family and dtype over new buffers."""
        return type(self)._create(_BUILD_KEY, data, mask, self.dtype, **self._extra())

    # -- nulls ------------------------------------------------------------------------
    @property
    def null_count(self) -> int:
        """Number of null rows (a reduction on the device and one host read)."""
        if self.mask is None:
            return 0
        return len(self) - int(to_host(self.xp.count_nonzero(self.mask)))

    def is_null(self) -> Any:
        """An xp bool array, True where the row is null."""
        if self.mask is None:
            return self.xp.zeros(len(self), dtype=bool)
        return ~self.mask

    def is_missing(self) -> Any:
        """True where the row counts as missing for ``isna``/``fillna``/``dropna``.

        Null for every family; float columns add NaN, as pandas does.
        """
        return self.is_null()

    def valid(self) -> Any:
        """``~is_missing()`` as an xp bool array."""
        return ~self.is_missing()

    def missing_mask(self) -> Any:
        """Validity that also marks NaN invalid (``None`` when nothing is missing)."""
        source = deferred.source_of(self)  # a pending gather: no need to gather for the answer
        return self.mask if source is None or source.mask is not None else None

    # -- gathers ----------------------------------------------------------------------
    def take(self, indices: Any, allow_missing: bool = False, checked: bool = False) -> Column:
        """Gather rows at ``indices`` (an xp int array); with ``allow_missing`` -1 gives null.

        ``checked=True`` promises every index is a valid row (or -1 with
        ``allow_missing``): the caller computed them, so no bounds pass is needed, and
        the gather is deferred until the result is read (``deferred.py``).
        """
        if checked and deferred.enabled():
            return deferred.take(self, indices, allow_missing)
        if self._pending is not None:  # unchecked rows: gather now, so that bad rows raise here
            deferred.materialize(self)
        return self._take_now(indices, allow_missing, checked)

    def _take_now(self, indices: Any, allow_missing: bool = False, checked: bool = False) -> Column:
        """The gather of :meth:`take`, run at once (family hook)."""
        xp = self.xp

        def take(array: Any, rows: Any) -> Any:
            return self.backend.take(array, rows, checked=checked)

        if not allow_missing:
            data = take(self.data, indices) if len(self) else self._empty_like(len(indices))
            mask = None if self.mask is None else take(self.mask, indices)
            return self._with(data, mask)
        hit = indices >= 0
        safe = xp.where(hit, indices, 0)
        if len(self) == 0:
            data = self._empty_like(int(indices.shape[0]))
            return self._with(data, xp.zeros(int(indices.shape[0]), dtype=bool))
        data = take(self.data, safe)
        mask = hit if self.mask is None else hit & take(self.mask, safe)
        return self._with(data, mask)

    def _empty_like(self, n: int) -> Any:
        return self.xp.zeros(n, dtype=self.data.dtype)

    def filter(self, keep: Any) -> Column:
        """Rows where the xp bool array ``keep`` is True."""
        if self._pending is not None:
            return deferred.filter_rows(self, keep)
        if self.mask is None:
            return self._with(self.data[keep], None)
        return self.take(self.xp.flatnonzero(keep), checked=True)

    def slice(self, start: int, stop: int | None, step: int = 1) -> Column:
        """Rows ``start:stop:step`` as views of the same buffers (no copy)."""
        if self._pending is not None:
            return deferred.slice_rows(self, start, stop, step)
        sl = slice(start, stop, step)
        return self._with(self.data[sl], None if self.mask is None else self.mask[sl])

    def with_mask(self, mask: Any) -> Column:
        """The same values with a new validity mask (``None`` for no nulls)."""
        return self._with(self.data, mask)

    def fill_null_positions(self, positions: Any) -> Column:
        """Copy values from ``positions`` (xp int array, -1 = stay null) into null rows.

        Used by ``ffill``/``bfill``: the frame computes which row fills which.
        """
        return self.take(positions, allow_missing=True)

    # -- conversion -------------------------------------------------------------------
    def to(self, device: str | Device) -> Column:
        """A copy of this column on ``device`` (no copy when it is already there)."""
        target = get_backend(device)
        if target is self._backend:
            return self
        data = target.to_device(to_host(self.data))
        mask = None if self.mask is None else target.to_device(to_host(self.mask))
        return type(self)._create(_BUILD_KEY, data, mask, self.dtype, **self._extra())

    def _host_mask(self) -> np.ndarray | None:
        return None if self.mask is None else to_host(self.mask)

    @property
    def nbytes(self) -> int:
        """Bytes of the column's device buffers (data + validity)."""
        return int(self.data.nbytes) + (0 if self.mask is None else int(self.mask.nbytes))

    def to_arrow(self) -> pa.Array:
        """The column as a pyarrow array (exact types, nulls and dictionaries)."""
        raise NotImplementedError(f"{type(self).__name__}.to_arrow")

    def to_pandas(self) -> Any:
        """The column as a pandas array-like (nullable dtypes where there are nulls)."""
        return self.to_arrow().to_pandas()

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        """Host NumPy values; nulls become ``na_value`` (NaN/NaT/None by default)."""
        return np.asarray(self.to_pandas())

    # -- operations: capabilities are data, one entry point each ------------------------
    def binary_op(self, op: str, other: Any, reflect: bool = False) -> Column:
        """``self <op> other`` (or ``other <op> self`` with ``reflect``)."""
        if op not in self._BINARY_OPS:
            raise UnsupportedOperation(
                f"operator {op!r} is not supported for a {self.dtype} column"
                + _operand_text(other)
                + f"; supported: {', '.join(sorted(self._BINARY_OPS)) or 'none'}"
            )
        pushed = deferred.on_source(self, lambda source, value: source.binary_op(op, value, reflect), other)
        if pushed is not None:
            return pushed
        out = self._binaryop(op, other, reflect)
        if op in ("eq", "ne", "lt", "le", "gt", "ge") and out.mask is not None:
            # as pandas' default dtypes (NumPy, pandas' str): a comparison with a missing
            # value is False (``!=``: True), never missing, so ``df[df.x != 5]`` keeps the
            # rows where x is missing and ``~(s == v)`` is their complement
            out = out._with(out.mask & out.data if op != "ne" else ~out.mask | out.data, None)
        return out

    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        raise UnsupportedOperation(f"no binary operations on {self.dtype}")

    _UNARY_OPS: ClassVar[frozenset[str]] = frozenset()

    def unary_op(self, op: str) -> Column:
        """``neg``, ``pos``, ``abs`` or ``invert``; nulls stay null."""
        if op not in self._UNARY_OPS:
            raise UnsupportedOperation(f"{op} is not supported for a {self.dtype} column")
        xp = self.xp
        func = {"neg": xp.negative, "pos": xp.positive, "abs": xp.abs, "invert": xp.invert}[op]
        return self._with(func(self.data), self.mask)

    def reduce(self, name: str, skipna: bool = True, **kwargs: Any) -> Any:
        """A reduction (``sum``, ``mean``, ...) as a host scalar (one counted read)."""
        if name not in self._REDUCTIONS:
            raise UnsupportedOperation(
                f"{name}() is not supported for a {self.dtype} column; supported: "
                f"{', '.join(sorted(self._REDUCTIONS))}"
            )
        if name == "count":
            return int(to_host(self.xp.count_nonzero(self.valid())))
        return self._reduce(name, skipna, **kwargs)

    def _reduce(self, name: str, skipna: bool, **kwargs: Any) -> Any:
        raise UnsupportedOperation(name)

    def cumulative(self, name: str, skipna: bool = True) -> Column:
        """``cumsum``/``cumprod``/``cummax``/``cummin``; nulls stay null."""
        if name not in self._CUMULATIVE:
            raise UnsupportedOperation(f"{name}() is not supported for a {self.dtype} column")
        return self._cumulative(name, skipna)

    def _cumulative(self, name: str, skipna: bool) -> Column:
        raise UnsupportedOperation(name)

    def fillna(self, value: Any) -> Column:
        """Missing rows replaced by the scalar ``value``."""
        raise UnsupportedOperation(f"fillna is not supported for a {self.dtype} column")

    def astype(self, dtype: Any) -> Column:
        """The column cast to ``dtype`` (already parsed by ``parse_dtype``)."""
        from headwater.dataframe.column.cast import cast_column

        return cast_column(self, dtype)

    def sort_key(self) -> Any:
        """An xp array whose order is the order of the values (nulls: any value)."""
        return self.data

    def factorize_key(self) -> tuple[Any, Any]:
        """(values, validity) for hashing: equal values give equal keys."""
        return self.data, self.missing_mask()

    def where(self, cond: Any, other: Any) -> Column:
        """Keep rows where ``cond`` (xp bool) holds, else take ``other`` (scalar or column)."""
        from headwater.dataframe.column.cast import where_column

        return where_column(self, cond, other)

    def isin(self, values: list[Any]) -> Any:
        """xp bool array: True where the value is one of ``values`` (nulls give False)."""
        raise UnsupportedOperation(f"isin is not supported for a {self.dtype} column")

    def box(self, host_value: Any) -> Any:
        """A host scalar as a user sees it (``pd.Timestamp`` for datetimes, ...)."""
        return host_value


def _operand_text(other: Any) -> str:
    if isinstance(other, Column):
        return f" and a {other.dtype} column"
    return f" and {type(other).__name__} {other!r}"
