"""The columns of a pipeline while its steps are written as ONNX nodes.

Each column is one 1-D ONNX value of length ``N`` (the rows): numbers and bools as
float64 with NaN for null, strings as ONNX strings with ``""`` for null. A column
the steps read before any step made it is a raw data column and becomes a graph
input the first time it is read, typed by what reads it (:meth:`ColumnGraph.read`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from headwater.onnx.builder import GraphBuilder

__all__ = ["Column", "ColumnGraph", "NUMBER", "STRING", "BATCH"]

NUMBER, STRING = "number", "string"
BATCH = "batch"


@dataclass
class Column:
    """An ONNX value holding a column, its kind, and for strings the value that
    stands for null when a ``fillna`` with a constant has been applied."""

    value: str
    kind: str
    null_as: str | None = None


class ColumnGraph:
    """Pipeline column name -> :class:`Column`, with raw inputs declared on first read."""

    def __init__(self, builder: GraphBuilder, exclude: set[str]) -> None:
        self.b = builder
        self.columns: dict[str, Column] = {}
        self.raw: dict[str, str] = {}
        self.gone: set[str] = set()
        self.exclude = exclude
        self.keep_only: set[str] | None = None  # after a select step: the raw columns still there

    def read(self, name: str, kind: str = NUMBER) -> Column:
        """The column ``name``; a raw input of ``kind`` if no step has made it."""
        if name in self.columns:
            return self.columns[name]
        if name in self.gone:
            raise KeyError(f"column {name!r} was dropped by an earlier step")
        if name in self.exclude or (self.keep_only is not None and name not in self.keep_only):
            raise KeyError(f"column {name!r} is the target or was left out by a select step; the exported "
                           f"model does not read it")
        dtype = np.dtype(np.float64) if kind == NUMBER else np.dtype(object)
        self.b.add_input(name, dtype, [BATCH])
        self.raw[name] = kind
        self.columns[name] = Column(name, kind)
        return self.columns[name]

    def write(self, name: str, value: str, kind: str = NUMBER) -> None:
        self.columns[name] = Column(value, kind)
        self.gone.discard(name)

    def drop(self, name: str) -> None:
        self.columns.pop(name, None)
        self.gone.add(name)

    def number(self, name: str) -> str:
        """The column as float64 (NaN = null)."""
        col = self.read(name, NUMBER)
        if col.kind != NUMBER:
            raise TypeError(f"column {name!r} holds strings where a number is needed")
        return col.value

    def missing(self, name: str, kind: str = NUMBER) -> str:
        """A bool value: True where the column is null (NaN, or "" for strings)."""
        col = self.read(name, kind)
        if col.kind == NUMBER:
            return self.b.op("IsNaN", [col.value])
        if col.null_as is not None:
            return self.b.op("Expand", [self.b.const(False, np.bool_), self.b.op("Shape", [col.value])])
        hit = self.b.op("LabelEncoder", [col.value], domain="ai.onnx.ml", keys_strings=[""], values_int64s=[1],
                        default_int64=0)
        return self.b.cast(hit, np.bool_)
