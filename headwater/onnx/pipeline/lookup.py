"""Vocabulary lookups in ONNX: a column's rows as positions in a fitted vocabulary.

The same contract as :func:`headwater.dataframe.features.vocab.lookup`: int64
positions, ``-1`` for null and for values the vocabulary never saw. Strings go
through ``ai.onnx.ml.LabelEncoder`` (string equality has no default-domain op before
opset 19); numbers compare in float64 against the vocabulary at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.onnx.pipeline.columns import NUMBER, STRING, ColumnGraph

__all__ = ["vocab_kind", "lookup_ids"]


def vocab_kind(vocab: dict[str, Any]) -> str:
    return STRING if vocab["kind"] == "string" else NUMBER


def _strings(vocab: dict[str, Any]) -> list[str]:
    values = vocab["values"]
    return [str(v) for v in (values.to_pylist() if hasattr(values, "to_pylist") else list(values))]


def lookup_ids(cols: ColumnGraph, name: str, vocab: dict[str, Any]) -> str:
    """int64 position of each row of column ``name`` in ``vocab`` (-1: null or unseen)."""
    b = cols.b
    col = cols.read(name, vocab_kind(vocab))
    if vocab["kind"] == "string":
        if col.kind != STRING:
            raise TypeError(f"column {name!r} was fitted on strings but holds numbers here")
        keys = _strings(vocab)
        pairs = {k: i for i, k in enumerate(keys) if k != ""}  # "" stands for null
        if col.null_as is not None:
            pairs[""] = keys.index(col.null_as) if col.null_as in keys else -1
        if not pairs:
            return b.op("Expand", [b.const(-1, np.int64), b.op("Shape", [col.value])])
        return b.op("LabelEncoder", [col.value], domain="ai.onnx.ml", keys_strings=list(pairs),
                    values_int64s=list(pairs.values()), default_int64=-1)
    if col.kind != NUMBER:
        raise TypeError(f"column {name!r} was fitted on numbers but holds strings here")
    values = np.asarray(vocab["values"]).astype(np.float64).reshape(-1)
    if values.size == 0:
        return b.op("Expand", [b.const(-1, np.int64), b.op("Shape", [col.value])])
    match = b.cast(b.op("Equal", [b.unsqueeze(col.value, [1]), b.const(values[None, :], np.float64)]), np.int32)
    pos = b.op("ArgMax", [match], axis=1, keepdims=0)
    hit = b.cast(b.reduce("ReduceMax", match, [1], False), np.bool_)
    return b.op("Where", [hit, pos, b.const(-1, np.int64)])
