"""Vocabularies: the distinct values a column had in ``fit``, and lookups against them.

A vocabulary is part of an op's fitted state: ``{"kind", "values", "counts"}``.
For string and categorical columns the values are a host ``pyarrow`` string array
(the dictionary lives on the host), found from the device codes with one bincount;
for numbers, bools and datetimes they are a sorted device array from the backend's
``factorize``. ``counts`` (a device array) is how often each value occurred.

:func:`lookup` maps any column onto a fitted vocabulary: int64 ids on the device,
-1 for null rows and for values the vocabulary never saw. String columns are
matched once per distinct value on the host dictionary (``pyarrow.compute``) and
the codes carry the answer to every row; numbers by a device ``searchsorted``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.column.base import Column
from headwater.dataframe.features.base import FeatureOpError
from headwater.dataframe.features.state import host_values, on_device
from headwater.tensor.transfer import to_host

__all__ = ["fit_vocabulary", "lookup", "labels", "size", "is_dictionary"]

_DICTIONARY_KINDS = ("string", "categorical")
_NUMBER_KINDS = ("int", "uint", "float", "bool", "datetime", "timedelta")


def is_dictionary(col: Column) -> bool:
    """True for string and categorical columns (codes into a host dictionary)."""
    return col.kind in _DICTIONARY_KINDS


def _key_values(col: Column, name: str, who: str) -> tuple[Any, Any]:
    if col.kind not in _NUMBER_KINDS:
        raise FeatureOpError(f"{who} cannot use column {name!r} of dtype {col.dtype}")
    return col.data, col.missing_mask()


def fit_vocabulary(col: Column, name: str, who: str, present_only: bool = False) -> dict[str, Any]:
    """The sorted distinct values of ``col`` and their counts (nulls left out).

    For string and categorical columns the vocabulary is the whole dictionary
    (sorted for strings, in category order for categoricals), with a count of 0
    for entries no row uses; this needs no host read. ``present_only=True`` keeps
    only the values that occur (one dictionary-sized host read), except for
    categoricals, whose categories all stay (as ``pd.get_dummies`` does).

    Examples
    --------
    >>> from headwater.dataframe.column import column_from_host
    >>> from headwater.dataframe.features.vocab import fit_vocabulary, lookup
    >>> vocab = fit_vocabulary(column_from_host(["b", "a", "b"]), "s", "doc")
    >>> vocab["values"].to_pylist(), vocab["counts"].tolist()
    (['a', 'b'], [1, 2])
    >>> lookup(column_from_host(["a", "z", None]), vocab, "s", "doc").tolist()
    [0, -1, -1]
    """
    xp = col.xp
    if is_dictionary(col):
        col = col.as_dictionary()  # plain-layout strings are encoded once, on the host
        dictionary = col.dictionary
        n = len(dictionary)
        slot = col.data if col.mask is None else xp.where(col.mask, col.data, n)
        counts_all = xp.bincount(slot, minlength=n + 1)[:n]
        if col.kind == "categorical":
            order = np.arange(n, dtype=np.int64)
        else:
            order = pc.sort_indices(dictionary).to_numpy().astype(np.int64)
        if present_only and col.kind != "categorical":
            present = to_host(counts_all > 0)  # one dictionary-sized read
            order = order[present[order]]
        keep = col.backend.to_device(order)
        return {
            "kind": "string",
            "values": dictionary.take(pa.array(order, pa.int64())),
            "counts": xp.take(counts_all, keep) if n else xp.zeros(0, dtype=xp.int64),
        }
    values, valid = _key_values(col, name, who)
    ids, uniques = col.backend.factorize(values, valid, sort=True)
    n = int(uniques.shape[0])
    counts = xp.bincount(xp.where(ids >= 0, ids, n), minlength=n + 1)[:n]
    return {"kind": "number", "dtype": str(values.dtype), "values": uniques, "counts": counts}


def size(vocab: dict[str, Any]) -> int:
    """Number of values in the vocabulary (no device read)."""
    return len(vocab["values"])


def labels(vocab: dict[str, Any], col: Column | None = None) -> list[str]:
    """The vocabulary's values as text, for output column names (a host read)."""
    if vocab["kind"] == "string":
        return [str(v) for v in vocab["values"].to_pylist()]
    host = host_values(vocab["values"])
    if col is not None and col.kind in ("datetime", "timedelta"):
        return [str(col.box(v)) for v in host.tolist()]
    return [str(v) for v in host.tolist()]


def lookup(col: Column, vocab: dict[str, Any], name: str, who: str) -> Any:
    """int64 ids of ``col``'s rows in ``vocab``: -1 for nulls and unseen values."""
    xp = col.xp
    if vocab["kind"] == "string":
        if not is_dictionary(col):
            raise FeatureOpError(
                f"{who} was fitted on text in column {name!r}, which is now {col.dtype}; "
                f"transform a frame with the same column types as the training frame"
            )
        fitted = vocab["values"]
        col = col.as_dictionary()
        n = len(col.dictionary)
        if n == 0:
            return xp.full(len(col), -1, dtype=xp.int64)
        index = pc.index_in(col.dictionary, value_set=fitted)
        remap = col.backend.to_device(pc.fill_null(index, -1).to_numpy().astype(np.int64))
        ids = xp.take(remap, col.data)
        return ids if col.mask is None else xp.where(col.mask, ids, -1)
    if is_dictionary(col):
        raise FeatureOpError(
            f"{who} was fitted on numbers in column {name!r}, which is now {col.dtype}; "
            f"transform a frame with the same column types as the training frame"
        )
    values, valid = _key_values(col, name, who)
    fitted = on_device(vocab, "values", col.backend)
    n = int(fitted.shape[0])
    if n == 0:
        return xp.full(len(col), -1, dtype=xp.int64)
    if fitted.dtype != values.dtype:  # compare 2 with 2.0, never truncate 2.5 to 2
        common = np.result_type(fitted.dtype, values.dtype)
        fitted, values = fitted.astype(common), values.astype(common)
    pos = xp.minimum(xp.searchsorted(fitted, values), n - 1)
    hit = xp.take(fitted, pos) == values
    if valid is not None:
        hit &= valid
    return xp.where(hit, pos.astype(xp.int64), -1)
