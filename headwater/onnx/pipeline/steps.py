"""One ONNX writer per pipeline step, reading the step's fitted state.

Each writer takes the :class:`~headwater.onnx.pipeline.columns.ColumnGraph` and a
fitted step (as ``headwater predict`` loads it) and replaces or adds columns, as the
step's ``transform`` does. Steps whose result depends on other rows (filters, rolling
windows, lags, group statistics) or on calendar arithmetic have no writer: they are
named in :data:`INEXPRESSIBLE` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.onnx.pipeline.columns import NUMBER, STRING, ColumnGraph
from headwater.onnx.pipeline.expression import expression_to_onnx
from headwater.onnx.pipeline.lookup import lookup_ids, vocab_kind

__all__ = ["WRITERS", "INEXPRESSIBLE", "write_step"]

WRITERS: dict[str, Callable[[ColumnGraph, Any], None]] = {}
INEXPRESSIBLE = {
    "filter": "it drops rows, and an ONNX model maps each input row to one prediction; filter the rows before "
              "calling the model",
    "rolling": "its windows read the rows before each row, which one row of input does not hold",
    "lag": "it reads earlier rows, which one row of input does not hold",
    "group_stats": "its per-group statistics are a lookup on several key columns that the exporter does not write yet",
    "datetime_parts": "calendar parts of datetimes are not written by the exporter yet",
}


def _writer(name: str) -> Callable[[Callable[[ColumnGraph, Any], None]], Callable[[ColumnGraph, Any], None]]:
    def register(fn: Callable[[ColumnGraph, Any], None]) -> Callable[[ColumnGraph, Any], None]:
        WRITERS[name] = fn
        return fn
    return register


def _scalar(value: Any) -> float:
    return float(np.asarray(value, dtype=np.float64).reshape(-1)[0])


@_writer("drop")
def _drop(cols: ColumnGraph, step: Any) -> None:
    for name in step.options.columns:
        cols.drop(name)


@_writer("select")
def _select(cols: ColumnGraph, step: Any) -> None:
    keep = set(step.options.columns)
    for name in list(cols.columns):
        if name not in keep:
            cols.drop(name)
    cols.keep_only = keep  # raw columns not read yet are gone too


@_writer("derive")
def _derive(cols: ColumnGraph, step: Any) -> None:
    from headwater.dataframe.expressions import compile_expression

    for name, text in step.options.root.items():
        value, kind = expression_to_onnx(cols, compile_expression(text))
        cols.write(name, cols.b.cast(value, np.float64) if kind == "bool" else value, NUMBER)


@_writer("fillna")
def _fillna(cols: ColumnGraph, step: Any) -> None:
    b, op = cols.b, step.op
    strategy = op.options["strategy"]
    for name in op.columns:
        if strategy == "constant" and isinstance(op.options["fill_value"], str):
            col = cols.read(name, STRING)
            missing = cols.missing(name, STRING) if op.options["indicator"] else None
            cols.columns[name] = type(col)(col.value, STRING, op.options["fill_value"])
        else:
            x = cols.number(name)
            missing = b.op("IsNaN", [x])
            fill = float(op.options["fill_value"]) if strategy == "constant" else _scalar(op._state[name]["value"])
            cols.write(name, b.op("Where", [missing, b.const(fill, np.float64), x]), NUMBER)
        if op.options["indicator"]:
            cols.write(f"{name}_missing", b.cast(missing, np.float64), NUMBER)


@_writer("normalize")
def _normalize(cols: ColumnGraph, step: Any) -> None:
    b, op = cols.b, step.op
    for name in op.columns:
        state = op._state[name]
        x = cols.number(name)
        centred = b.op("Sub", [x, b.const(_scalar(state["center"]), np.float64)])
        cols.write(name, b.op("Div", [centred, b.const(_scalar(state["scale"]), np.float64)]), NUMBER)


@_writer("categorify")
def _categorify(cols: ColumnGraph, step: Any) -> None:
    b, op = cols.b, step.op
    for name in op.columns:
        state = op._state[name]
        ids = lookup_ids(cols, name, state["vocab"])
        table = np.concatenate([np.asarray(state["codes"], dtype=np.int64), [0]])  # id -1 -> code 0
        cols.write(name, b.cast(b.op("Gather", [b.const(table, np.int64), ids], axis=0), np.float64), NUMBER)


@_writer("one_hot")
def _one_hot(cols: ColumnGraph, step: Any) -> None:
    b, op = cols.b, step.op
    skip = 1 if op.options["drop_first"] else 0
    new = {}
    for name in op.columns:
        state = op._state[name]
        vocab = state["vocab"]
        ids = lookup_ids(cols, name, vocab)
        n_values = len(vocab["values"])
        for k, out_name in enumerate(state["names"]):
            if k < skip:
                continue
            hit = b.op("Equal", [ids, b.const(k, np.int64)]) if k < n_values else cols.missing(name, vocab_kind(vocab))
            new[out_name] = b.cast(hit, np.float64)
    for name in op.columns:
        cols.drop(name)
    for out_name, value in new.items():
        cols.write(out_name, value, NUMBER)


@_writer("bucketize")
def _bucketize(cols: ColumnGraph, step: Any) -> None:
    b, op = cols.b, step.op
    for name in op.columns:
        x = cols.number(name)
        inner = np.asarray(op.edges(name), dtype=np.float64)[1:-1]
        if inner.size == 0:
            codes = b.op("Mul", [x, b.const(0.0, np.float64)])  # one bin: 0, NaN stays NaN
        else:
            above = b.cast(b.op("GreaterOrEqual", [b.unsqueeze(x, [1]), b.const(inner[None, :], np.float64)]),
                           np.float64)
            codes = b.reduce("ReduceSum", above, [1], False)
            codes = b.op("Where", [b.op("IsNaN", [x]), b.const(float("nan"), np.float64), codes])
        cols.write(name, codes, NUMBER)


@_writer("target_encode")
def _target_encode(cols: ColumnGraph, step: Any) -> None:
    b, op = cols.b, step.op
    suffix = op.options["suffix"]
    for name in op.columns:
        state = op._state[name]
        vocab = state["vocab"]
        ids = lookup_ids(cols, name, vocab)
        k = len(vocab["values"])
        ids = b.op("Where", [cols.missing(name, vocab_kind(vocab)), b.const(k, np.int64), ids])  # null: its own slot
        table = np.concatenate([np.asarray(state["encoding"], dtype=np.float64).reshape(-1),
                                [_scalar(state["prior"])]])  # id -1 (unseen) -> the prior
        cols.write(f"{name}{suffix}" if suffix else name, b.op("Gather", [b.const(table, np.float64), ids], axis=0),
                   NUMBER)


def write_step(cols: ColumnGraph, step: Any) -> None:
    """Write ``step`` (fitted) into the graph; KeyError/TypeError when its columns do not fit."""
    WRITERS[step.name](cols, step)
