"""``hw.concat``: frames stacked by rows, or placed side by side by columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.dataframe.column import full_null
from headwater.dataframe.column.cast import concat_columns
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series

__all__ = ["concat"]


def concat(objs: Sequence[DataFrame | Series], axis: int | str = 0, join: str = "outer",
           ignore_index: bool = False, keys: Any = None, levels: Any = None, names: Any = None,
           verify_integrity: bool = False, sort: bool = False, copy: bool | None = None) -> Any:
    """Stack frames by rows (``axis=0``) or join them side by side (``axis=1``).

    By rows, columns are matched by name; a column missing from one frame is null in its
    rows (``join="inner"`` keeps the shared columns only), and dtypes are promoted (int +
    float -> float, dictionaries unified). Keyed inputs stack their keys. Without
    ``ignore_index=True`` the result's row labels are the inputs' (repeated), which
    rows do not keep: label reads on it raise; ``ignore_index=True`` numbers the rows.

    Examples
    --------
    >>> import headwater as hw
    >>> a = hw.DataFrame({"x": [1, 2]})
    >>> b = hw.DataFrame({"x": [3.5], "y": ["s"]})
    >>> hw.concat([a, b]).to_dict()
    {'x': [1.0, 2.0, 3.5], 'y': [None, None, 's']}
    >>> hw.concat([a, hw.DataFrame({"z": [0, 0]})], axis=1).columns
    ['x', 'z']
    """
    if keys is not None or levels is not None or names is not None:
        raise NotImplementedError("concat(keys=, levels=, names=) is not supported; add a column naming each "
                                  "piece (df.assign(part=...)) before concatenating")
    if join not in ("outer", "inner"):
        raise ValueError(f"join must be 'outer' or 'inner', got {join!r}")
    if isinstance(objs, Mapping):
        raise NotImplementedError("concat of a dict (its keys as labels) is not supported; pass a list")
    objs = [o for o in objs if o is not None]
    if not objs:
        raise ValueError("concat needs at least one DataFrame or Series")
    if axis not in (1, "columns"):
        out = _by_rows(objs, axis, join, sort)
        if verify_integrity and out._keys and not out.index.is_unique:
            raise ValueError("concat(verify_integrity=True): the stacked keys repeat")
        return _labelled(out, objs, ignore_index)
    return _by_columns(objs, join, sort)


def _labelled(out: Any, objs: Sequence[Any], ignore_index: bool) -> Any:
    """The stacked keys when every input has the same keys; fresh positions with
    ``ignore_index``; otherwise repeated labels that rows do not keep."""
    from headwater.dataframe.keys import ORIGINAL, reordered

    names = [list(o._keys) for o in objs]
    if ignore_index or not any(names):
        out._keys, out._rows = {}, ORIGINAL if (ignore_index or len(objs) == 1 and objs[0]._rows is ORIGINAL) else reordered()
        return out
    if any(n != names[0] for n in names):
        raise ValueError(f"concat: the inputs have different keys {names}; reset_index() them first")
    out._keys = {name: concat_columns([o._keys[name] for o in objs]) for name in names[0]}
    out._rows = reordered()
    return out


def _by_rows(objs: Sequence[Any], axis: Any, join: str, sort: bool) -> Any:
    if axis not in (0, "rows", "index"):
        raise ValueError(f"axis must be 0/'rows' or 1/'columns', got {axis!r}")
    if all(isinstance(o, Series) for o in objs):
        col = concat_columns([o._column for o in objs])
        return Series._from_column(col, objs[0].name)
    frames = [o.to_frame() if isinstance(o, Series) else o for o in objs]
    names: list[str] = []
    for f in frames:
        names += [n for n in f.columns if n not in names]
    if join == "inner":
        names = [n for n in names if all(n in f._columns for f in frames)]
    if sort:
        names = sorted(names)
    out = {}
    for name in names:
        like = next(f._columns[name] for f in frames if name in f._columns)
        parts = [
            f._columns[name] if name in f._columns else full_null(len(f), like.dtype, like.backend)
            for f in frames
        ]
        try:
            out[name] = concat_columns(parts)
        except TypeError as exc:
            raise type(exc)(f"column {name!r}: {exc}") from None
    return DataFrame._from_columns(out)


def _by_columns(objs: Sequence[DataFrame | Series], join: str, sort: bool) -> DataFrame:
    """Side by side, aligned on the row labels as pandas: the same labels row for row
    are placed as they are; different keys (or lengths in original order) are aligned
    on their union (``join="inner"``: intersection) in order of appearance."""
    from headwater.dataframe.keys import check_same_rows

    named, unnamed = [], 0
    for o in objs:
        if isinstance(o, Series):
            name = o.name if o.name is not None else str(unnamed)
            unnamed += o.name is None
            named.append((o, {name: o._column}))
        else:
            named.append((o, dict(o._columns)))
    seen: dict[str, int] = {}
    for i, (_, cols) in enumerate(named):
        for name in cols:
            if name in seen:
                raise ValueError(
                    f"concat(axis=1): column {name!r} is in input {seen[name]} and input {i}; a frame's column "
                    f"names are unique here (pandas allows repeats), so rename one side first: "
                    f"df.add_suffix('_2') or df.rename(columns={{{name!r}: ...}})"
                )
            seen[name] = i
    first = objs[0]
    aligned = all(len(o) == len(first) and check_same_rows(first, o, "concat(axis=1)") == "positional"
                  for o in objs[1:])
    if aligned:
        out = {name: col for _, cols in named for name, col in cols.items()}
        return DataFrame._from_columns(out, keys=first._keys, rows=first._rows)
    return _aligned_columns(named, join, sort)


def _labels_of(obj: Any) -> dict[str, Any]:
    from headwater.dataframe.column import build_column
    from headwater.dataframe.keys import require_labels

    if obj._keys:
        return dict(obj._keys)
    require_labels(obj, "concat(axis=1) of inputs with different rows (aligned on row labels)",
                   "reset_index(drop=True) on each input to place them by position")
    xp = obj._backend().xp
    return {None: build_column(xp.arange(len(obj), dtype=xp.int64))}


def _aligned_columns(named: list[tuple[Any, dict[str, Any]]], join: str, sort: bool) -> DataFrame:
    from headwater.dataframe.reindex import key_rows
    from headwater.dataframe.unique import duplicated_rows

    labels = [_labels_of(o) for o, _ in named]
    names = [list(lab) for lab in labels]
    if any(n != names[0] for n in names):
        raise ValueError(f"concat(axis=1): the inputs are labelled by different keys {names}; "
                         f"reset_index() them, or merge(...) on the key columns")
    union = {k: concat_columns([lab[k] for lab in labels]) for k in names[0]}
    first = union[names[0][0]].xp.flatnonzero(~duplicated_rows(list(union.values()), "first"))
    target = {k: c.take(first, checked=True) for k, c in union.items()}
    rows = [key_rows(lab, target, "concat(axis=1)") for lab in labels]
    if join == "inner":
        keep = rows[0] >= 0
        for r in rows[1:]:
            keep = keep & (r >= 0)
        kept = target[names[0][0]].xp.flatnonzero(keep)
        target = {k: c.take(kept, checked=True) for k, c in target.items()}
        rows = [r[kept] for r in rows]
    out = {name: col.take(r, allow_missing=True) for (_, cols), r in zip(named, rows) for name, col in cols.items()}
    if names[0] == [None]:  # positions on every side: the union is 0..n-1, pandas' RangeIndex
        return DataFrame._from_columns(out)
    frame = DataFrame._from_columns(out, keys=target, rows=reordered_token())
    if sort:
        frame = frame.sort_index()
    return frame


def reordered_token() -> Any:
    from headwater.dataframe.keys import reordered

    return reordered()
