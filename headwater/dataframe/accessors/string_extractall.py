"""``Series.str.extractall``: one row per match, keyed by (source row, match number).

pandas indexes the result by a MultiIndex of the source row's label and ``match``
(0, 1, ... within each value). Rows here are positional, so the result carries those
two as its keys: the Series' own keys when it has them, else its row position (an
unnamed key, pandas' unnamed index), which is pandas' label only while the rows are in
their original order (after a filter or sort this raises and names the alternative).

The matches are found with Python's ``re`` (pandas' engine) once per distinct value
(once per non-null row for the plain layout); the rows, match numbers and group
values are then gathered on the device.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from headwater.dataframe.accessors.string_regex import capture_groups
from headwater.dataframe.column import build_column, column_from_host
from headwater.dataframe.keys import require_labels

__all__ = ["extractall"]


def _units(col: Any) -> tuple[Any, Any]:
    """(xp int64 unit of each row, xp bool valid): the distinct value (dictionary code)
    or the non-null row (plain layout) whose matches each row has."""
    xp = col.xp
    valid = xp.ones(len(col), dtype=bool) if col.mask is None else col.mask
    if col.layout == "plain":
        return xp.cumsum(valid.astype(np.int64)) - 1, valid
    return col.data.astype(np.int64), valid


def extractall(series: Any, values: Any, pat: str, flags: int = 0) -> Any:
    """The frame of every match's groups in ``series`` (strings ``values`` per unit)."""
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.keys import reordered

    names, _ = capture_groups(pat)
    if not names:
        raise ValueError(f"pattern {pat!r} contains no capture groups; wrap the part to extract in (...)")
    if not series._keys:
        require_labels(series, "str.extractall (its result is keyed by the source row labels)",
                       "reset_index(drop=True) before extractall (rows numbered 0..n-1)")
    regex = re.compile(pat, flags)
    counts, groups = [], [[] for _ in names]
    for value in values.to_pylist():
        found = 0
        if value is not None:
            for m in regex.finditer(value):
                found += 1
                for k in range(len(names)):
                    groups[k].append(m.group(k + 1))
        counts.append(found)
    col = series._column
    backend = col.backend
    xp = backend.xp
    unit, valid = _units(col)
    per_unit = backend.to_device(np.asarray(counts + [0], dtype=np.int64))
    starts = xp.cumsum(per_unit) - per_unit
    safe = xp.where(valid, unit, len(counts))
    per_row = xp.take(per_unit, safe)
    total = int(backend.to_host(per_row.sum()))
    rows = backend.repeat(xp.arange(len(col), dtype=np.int64), per_row)
    first = xp.cumsum(per_row) - per_row
    match = xp.arange(total, dtype=np.int64) - xp.take(first, rows)
    at = xp.take(xp.take(starts, safe), rows) + match
    out = {}
    for name, found_values in zip(names, groups):
        out[name] = column_from_host(found_values, dtype="str", device=col.device).take(at, checked=True) \
            if total else column_from_host([], dtype="str", device=col.device)
    if series._keys:
        keys = {name: key.take(rows, checked=True) for name, key in series._keys.items()}
    else:
        keys = {None: build_column(rows)}
    keys["match"] = build_column(match)
    return DataFrame._from_columns(out, keys=keys, rows=reordered())
