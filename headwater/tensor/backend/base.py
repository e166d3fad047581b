"""The interface every array backend implements.

A backend is the array namespace ``xp`` (``numpy`` or ``cupy``) plus the few
primitives whose best implementation differs by device. Code above this layer is
written once against ``backend.xp`` and these methods; only the CuPy backend imports
``cupy``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import ModuleType
from typing import Any

import numpy as np

from headwater.tensor.backend import factorize as _factorize
from headwater.tensor.backend import ordered as _ordered
from headwater.tensor.backend import segments as _segments
from headwater.tensor.transfer import count_upload, to_host

__all__ = ["Backend"]


class Backend(ABC):
    """Array namespace plus device-specific primitives.

    Attributes
    ----------
    name : str
        ``"cpu"`` or ``"cuda"``.
    xp : module
        ``numpy`` or ``cupy``.
    """

    name: str
    xp: ModuleType
    #: whether host-only accelerations (pandas' hash tables, thread pools over NumPy)
    #: may run; False on a GPU and in the strict device mode, which run the xp path
    host_fast_paths: bool = False

    # -- identity -------------------------------------------------------------------
    @abstractmethod
    def owns(self, array: Any) -> bool:
        """True when ``array`` is an array of this backend's namespace."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    # -- crossings ------------------------------------------------------------------
    def to_host(self, array: Any) -> np.ndarray:
        """Copy a device array into host memory (counted; see ``hw.transfer_stats``)."""
        return to_host(array)

    def to_device(self, array: Any, dtype: Any = None) -> Any:
        """Upload host data (NumPy array, list, scalar) onto this device, counted.

        On the CPU this is ``np.asarray`` (no copy when it already is an array of
        that dtype); it is still counted as an upload so that tests on the CPU see
        the same number of crossings as a GPU run would make.
        """
        host = np.asarray(array, dtype=dtype)
        count_upload(host.nbytes)
        return self._upload(host)

    @abstractmethod
    def _upload(self, host: np.ndarray) -> Any:
        """Move a NumPy array onto the device without counting."""

    # -- sparse matrices -------------------------------------------------------------
    @property
    @abstractmethod
    def sparse(self) -> ModuleType:
        """The sparse-matrix module of this device: ``scipy.sparse`` or ``cupyx.scipy.sparse``.

        Both have the same API (``csr_matrix((data, indices, indptr), shape)``,
        products with ``@``, ``.T``, ``.multiply``), so sparse code is written once.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.get_backend("cpu").sparse.__name__
        'scipy.sparse'
        """

    # -- synchronisation ------------------------------------------------------------
    def synchronize(self) -> None:
        """Wait for queued device work to finish (a no-op on the CPU)."""

    # -- random numbers -------------------------------------------------------------
    @abstractmethod
    def random_state(self, seed: int | None) -> Any:
        """A random generator on this device seeded with ``seed``."""

    # -- relational primitives: factorize -----------------------------------------------
    def factorize(self, values: Any, mask: Any = None, sort: bool = True) -> tuple[Any, Any]:
        """Dense int64 ids for ``values``, and the distinct values they index.

        Integers in a small range become ``value - min`` (no hashing); other keys are
        hashed on the CPU and sorted on the GPU.

        Parameters
        ----------
        values : xp array, 1-d
            Numeric, bool or integer codes.
        mask : xp bool array, optional
            True where the row is valid. Null rows, and NaN in floats, get id -1.
        sort : bool
            ``uniques`` ascending when True, else in order of first appearance.

        Returns
        -------
        (ids, uniques)
            ``ids`` int64 with ``uniques[ids[i]] == values[i]`` on valid rows.

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> ids, uniques = be.factorize(be.xp.asarray([30, 10, 30, 20]))
        >>> ids.tolist(), uniques.tolist()
        ([2, 0, 2, 1], [10, 20, 30])
        """
        return _factorize.factorize(self, values, mask, sort)

    def _factorize_general(self, values: Any, valid: Any, sort: bool) -> tuple[Any, Any]:
        """Factorize keys that are not a small integer range (by sorting here)."""
        return _factorize.factorize_by_sort(self.xp, values, valid, sort)

    def distinct(self, values: Any) -> Any:
        """The distinct values of a 1-d integer array, in no promised order.

        Cheaper than :meth:`factorize` when only the values are wanted (no id per row):
        a sort here, a hash table on the CPU.

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> sorted(be.distinct(be.xp.asarray([4, 1, 4, 4])).tolist())
        [1, 4]
        """
        return self.xp.unique(values)

    def combine_ids(self, ids_list: list[Any], sizes: list[int], sort: bool = True) -> tuple[Any, int]:
        """Combine several factorized keys into one dense id per distinct combination.

        ``id1 * n2 + id2 ...``, re-factorized before the product would overflow
        int64, then made dense. A row with -1 in any key gets -1. With ``sort=True``
        the ids follow the lexicographic order of the key ids; one key is returned
        as it is.

        Returns
        -------
        (ids, n)
            int64 ids in ``[0, n)`` (or -1) and the number of combinations present.

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> ids, n = be.combine_ids([be.xp.asarray([1, 0, 1, -1]), be.xp.asarray([0, 2, 0, 1])], [2, 3])
        >>> ids.tolist(), n
        ([1, 0, 1, -1], 2)
        """
        return _factorize.combine_ids(self, ids_list, sizes, sort)

    def stable_argsort(self, keys: Any, bound: int | None = None) -> Any:
        """Stable argsort of ``keys`` (ties keep row order).

        ``bound``, when given, says the keys are integers in ``[0, bound)``, which
        lets the CPU use a radix sort on narrow ints. (CuPy's sort is always stable.)
        """
        return self.xp.argsort(keys)

    def segment_argsort(self, ids: Any, n: int, values: Any = None, mask: Any = None) -> Any:
        """Row order grouped by id (-1 and masked rows last), by ``values`` within a group.

        Ties keep row order. Rows with id -1, or a False in ``mask``, or NaN in
        ``values``, come after every segment.

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> be.segment_argsort(be.xp.asarray([1, 0, 1, 0]), 2, be.xp.asarray([5., 9., 1., 2.])).tolist()
        [3, 1, 2, 0]
        """
        return _ordered.segment_argsort(self, ids, n, values, mask)

    def take(self, array: Any, indices: Any, checked: bool = False) -> Any:
        """``array[indices]`` along the first axis (a gather; the CPU splits long ones over threads).

        ``checked=True`` promises every index is in ``[0, len(array))`` (the caller
        made them so), which saves a bounds pass.

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> be.take(be.xp.asarray([5, 6, 7]), be.xp.asarray([2, 0])).tolist()
        [7, 5]
        """
        return self.xp.take(array, indices, axis=0)

    def repeat(self, values: Any, counts: Any, total: int | None = None) -> Any:
        """``values[i]`` repeated ``counts[i]`` times (CuPy's repeat takes no array counts).

        ``total``, the sum of ``counts`` when the caller already knows it, saves the
        device read of that sum (one host synchronisation on a GPU).

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> be.repeat(be.xp.asarray([7, 8, 9]), be.xp.asarray([2, 0, 1])).tolist()
        [7, 7, 9]
        """
        xp = self.xp
        ends = xp.cumsum(counts)
        if total is None:
            total = int(self.to_host(ends[-1])) if len(ends) else 0
        source = xp.searchsorted(ends, xp.arange(total, dtype=ends.dtype), side="right")
        return values[source]

    # -- relational primitives: segment reductions --------------------------------------
    # Shared signature: (values, ids, n, mask=None, *, skipna=True, ids_checked=False).
    # Rows with id -1, mask False or (skipna) NaN are skipped; ids_checked=True promises
    # every id is in [0, n), which saves a pass.
    def segment_sum(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Sum per segment (int64/uint64 for integers and bools, float64 for floats).

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> be.segment_sum(be.xp.asarray([1., 2., 4., float('nan')]), be.xp.asarray([0, 1, 0, 1]), 2).tolist()
        [5.0, 2.0]
        """
        return _segments.segment_sum(self.xp, values, ids, n, mask, **kw)

    def segment_count(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Valid values per segment (int64)."""
        return _segments.segment_count(self.xp, values, ids, n, mask, **kw)

    def segment_mean(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Mean per segment (float64, NaN for a segment without values)."""
        return _segments.segment_mean(self.xp, values, ids, n, mask, **kw)

    def segment_var(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Variance per segment (``ddof=1`` by default; float64)."""
        return _segments.segment_var(self.xp, values, ids, n, mask, **kw)

    def segment_min(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Minimum per segment, in the values' dtype."""
        return _segments.segment_min(self.xp, values, ids, n, mask, **kw)

    def segment_max(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Maximum per segment, in the values' dtype."""
        return _segments.segment_max(self.xp, values, ids, n, mask, **kw)

    def segment_prod(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Product per segment (int64/uint64 or float64; 1 for an empty segment)."""
        return _ordered.segment_prod_by_scan(self, values, ids, n, mask, **kw)

    def segment_first(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """First valid value of each segment in row order."""
        return _segments.segment_first(self.xp, values, ids, n, mask, **kw)

    def segment_last(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Last valid value of each segment in row order."""
        return _segments.segment_last(self.xp, values, ids, n, mask, **kw)

    def segment_any(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Whether any valid value of each segment is truthy."""
        return _segments.segment_any(self.xp, values, ids, n, mask, **kw)

    def segment_all(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Whether every valid value of each segment is truthy."""
        return _segments.segment_all(self.xp, values, ids, n, mask, **kw)

    def segment_nunique(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Distinct valid values per segment (int64)."""
        return _ordered.segment_nunique(self, values, ids, n, mask, **kw)

    def segment_quantile(self, values: Any, ids: Any, n: int, mask: Any = None, q: float = 0.5,
                         **kw: Any) -> Any:
        """Quantile ``q`` per segment, linear interpolation (float64).

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> be.segment_quantile(be.xp.asarray([1., 9., 3., 5.]), be.xp.asarray([0, 0, 1, 1]), 2, q=0.25).tolist()
        [3.0, 3.5]
        """
        return _ordered.segment_quantile(self, values, ids, n, mask, q, **kw)

    def segment_median(self, values: Any, ids: Any, n: int, mask: Any = None, **kw: Any) -> Any:
        """Median per segment (float64)."""
        return _ordered.segment_quantile(self, values, ids, n, mask, 0.5, **kw)

    def segment_first_index(self, ids: Any, n: int, last: bool = False, ids_checked: bool = False) -> Any:
        """Row index of the first (``last=True``: last) row of each segment; -1 if empty.

        ``ids_checked=True`` promises there is no -1 id, which saves a pass.

        Examples
        --------
        >>> import headwater as hw
        >>> be = hw.get_backend("cpu")
        >>> be.segment_first_index(be.xp.asarray([1, 0, 1, -1]), 3).tolist()
        [1, 0, -1]
        """
        routed = _segments.route(self.xp, ids, n, None, ids_checked)
        return _segments.first_rows(self.xp, routed, n, last)
