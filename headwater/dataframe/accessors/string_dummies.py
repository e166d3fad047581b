"""``Series.str.get_dummies(sep)``: one 0/1 column per distinct token of the values
split on ``sep``, named by the token and sorted, as pandas (a missing value is all 0)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.column import column_from_host

__all__ = ["string_dummies"]


def string_dummies(series: Any, sep: str = "|", dtype: Any = None) -> Any:
    """The indicator frame of ``series.str.get_dummies(sep)`` (int64 unless ``dtype``).

    The split runs on the host (pyarrow's kernel over the values, one counted read).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.Series(["a|b", None, "b"]).str.get_dummies().to_dict()
    {'a': [1, 0, 0], 'b': [1, 0, 1]}
    """
    from headwater.dataframe.frame import DataFrame

    values = series._column.to_arrow()
    if isinstance(values, pa.DictionaryArray):
        values = values.cast(pa.string())
    lists = pc.split_pattern(values, sep)
    flat = pc.list_flatten(lists)
    parents = np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False), dtype=np.int64)
    tokens = sorted(t for t in set(flat.to_pylist()) if t != "")
    table = np.zeros((len(values), len(tokens)), dtype=np.int64)
    if tokens:
        codes = pc.index_in(flat, pa.array(tokens, pa.string())).to_numpy(zero_copy_only=False)
        hit = ~np.isnan(codes.astype(np.float64))
        table[parents[hit], codes[hit].astype(np.int64)] = 1
    device = series._column.device
    out = {tok: column_from_host(np.ascontiguousarray(table[:, i]), dtype=dtype, device=device)
           for i, tok in enumerate(tokens)}
    return DataFrame._from_columns(out, keys=series._keys, rows=series._rows)
