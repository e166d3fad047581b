"""A string column from integer codes into a small host list of names."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column, and_masks
from headwater.dataframe.column.dictionary import encode_arrow, upload_codes
from headwater.dataframe.dtypes import StringDtype
from headwater.tensor.devices import backend_of

__all__ = ["codes_column"]


def codes_column(codes: Any, mask: Any, names: Any) -> Column:
    """A string column whose row ``i`` is ``names[codes[i]]``: null where ``mask`` is
    False, ``codes[i]`` is negative or the name is null.

    ``names`` may repeat values; they are re-encoded so that equal strings share a code.

    Examples
    --------
    >>> import headwater as hw
    >>> codes_column(hw.get_backend().xp.asarray([1, 0, -1]), None, ["a", "b"]).to_arrow().to_pylist()
    ['b', 'a', None]
    """
    backend = backend_of(codes, mask)
    xp = backend.xp
    values = names if isinstance(names, pa.Array) else pa.array(list(names), pa.string())
    indices, dictionary = encode_arrow(values)
    if not len(values):
        return build_column(xp.zeros(len(codes), np.int32), xp.zeros(len(codes), bool), StringDtype(),
                            dictionary=dictionary)
    remap, remap_mask = upload_codes(indices, backend)
    valid = codes >= 0
    safe = xp.where(valid, codes, 0)
    named = None if remap_mask is None else xp.take(remap_mask, safe)
    return build_column(xp.take(remap, safe), and_masks(mask, valid, named), StringDtype(),
                        dictionary=dictionary)
