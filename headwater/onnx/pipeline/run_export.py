"""``headwater export RUN_DIR --format onnx``: a finished run as one ONNX model.

The graph takes the raw data columns the fitted steps read, one input per column
(numbers and bools as float64 with NaN for null, strings as ONNX strings with ``""``
for null), applies the fitted steps (:mod:`headwater.onnx.pipeline.steps`), stacks
the model's inputs exactly as :func:`headwater.pipelines.prepare.to_inputs` does
(numeric features as float32, category codes as int64), runs the model
(:func:`headwater.onnx.module_export.convert_traces`) and names its outputs:
``label`` (the class in the target's own values, or the regression value on the
target's scale) and, for classification, ``probabilities`` (one column per class in
the order of ``headwater predict``'s ``prob_<class>``). ``model_only=True`` writes the
model alone, with inputs ``numeric`` and ``codes``, when a step has no ONNX form.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from headwater.onnx.builder import GraphBuilder
from headwater.onnx.errors import InexpressibleStepError
from headwater.onnx.module_export import convert_traces, trace_sets
from headwater.onnx.opsets import require_onnx
from headwater.onnx.pipeline.columns import BATCH, ColumnGraph
from headwater.onnx.pipeline.steps import INEXPRESSIBLE, WRITERS, write_step

__all__ = ["export_run"]


def _check_steps(steps: list[Any]) -> None:
    refused = [(i, s.name, INEXPRESSIBLE.get(s.name, "the exporter has no writer for it"))
               for i, s in enumerate(steps) if s.name not in WRITERS]
    if refused:
        listed = "; ".join(f"step {i} ({name}): {why}" for i, name, why in refused)
        raise InexpressibleStepError(f"the pipeline cannot be exported whole: {listed}. Export the model alone with "
                                     f"--model-only (inputs: the numeric feature matrix and the category codes) and "
                                     f"apply the steps before calling it")


def _model_inputs(cols: ColumnGraph, layout: Any) -> tuple[str | None, str | None]:
    b = cols.b
    numeric = codes = None
    if layout.numeric:
        parts = [b.unsqueeze(b.cast(cols.number(name), np.float32), [1]) for name in layout.numeric]
        numeric = parts[0] if len(parts) == 1 else b.op("Concat", parts, axis=1)
    if layout.categorical:
        parts = [b.unsqueeze(b.cast(cols.number(name), np.int64), [1]) for name in layout.categorical]
        codes = parts[0] if len(parts) == 1 else b.op("Concat", parts, axis=1)
    return numeric, codes


class _Call:
    """``model(numeric, codes)`` with the inputs the layout has, as one traced callable."""

    def __init__(self, model: Any, has_numeric: bool, has_codes: bool) -> None:
        self.model, self.has_numeric, self.has_codes = model, has_numeric, has_codes

    def __call__(self, *args: Any) -> Any:
        it = iter(args)
        numeric = next(it) if self.has_numeric else None
        codes = next(it) if self.has_codes else None
        return self.model(numeric, codes)


def _head(b: GraphBuilder, logits: str, encoder: Any) -> None:
    """The named outputs: ``label`` and, for classification, ``probabilities``."""
    if encoder.task == "regression":
        value = b.cast(b.op("Reshape", [logits, b.ints([-1])]), np.float64)
        label = b.op("Add", [b.op("Mul", [value, b.const(encoder.std, np.float64)]), b.const(encoder.mean, np.float64)])
        b.add_output(label, "label", np.float64, [BATCH])
        return
    probs = b.op("Softmax", [logits], axis=1)
    index = b.op("ArgMax", [probs], axis=1, keepdims=0)
    classes = list(encoder.classes)
    if all(isinstance(c, str) for c in classes):
        table, dtype = np.asarray(classes, dtype=object), np.dtype(object)
    elif all(isinstance(c, bool) for c in classes):
        table, dtype = np.asarray(classes, dtype=np.bool_), np.dtype(np.bool_)
    elif all(isinstance(c, int) for c in classes):
        table, dtype = np.asarray(classes, dtype=np.int64), np.dtype(np.int64)
    else:
        table, dtype = np.asarray([float(c) for c in classes], dtype=np.float64), np.dtype(np.float64)
    b.add_output(b.op("Gather", [b.initializer(table, "classes"), index], axis=0), "label", dtype, [BATCH])
    b.add_output(probs, "probabilities", np.float32, [BATCH, len(classes)])


def export_run(run_dir: str | os.PathLike[str], out: str | os.PathLike[str], *, model_only: bool = False,
               opset_version: int = 17) -> Any:
    """Write a finished run's fitted steps and best model as one ONNX model at ``out``.

    Parameters
    ----------
    run_dir : path
        A directory written by ``headwater run``.
    out : path
        Where the ``.onnx`` file goes.
    model_only : bool
        Export the model alone (inputs ``numeric``: float32 ``[N, n_numeric]`` and
        ``codes``: int64 ``[N, n_categorical]``, as the layout orders them), for
        pipelines whose steps have no ONNX form.
    opset_version : int

    Returns
    -------
    onnx.ModelProto

    Raises
    ------
    InexpressibleStepError
        A step cannot be written as ONNX (each one is named, with the reason).
    """
    from headwater.pipelines.predict import load_run

    onnx = require_onnx()
    config, steps, encoder, layout, model = load_run(run_dir)
    if not model_only:
        _check_steps(steps)
    b = GraphBuilder(opset_version)
    b.reserve(["label", "probabilities"])
    if model_only:
        numeric = b.add_input("numeric", np.float32, [BATCH, len(layout.numeric)]) if layout.numeric else None
        codes = b.add_input("codes", np.int64, [BATCH, len(layout.categorical)]) if layout.categorical else None
    else:
        cols = ColumnGraph(b, exclude={encoder.column})
        for i, step in enumerate(steps):
            try:
                write_step(cols, step)
            except (KeyError, TypeError) as exc:
                raise InexpressibleStepError(f"step {i} ({step.name}): {exc.args[0] if exc.args else exc}") from None
        numeric, codes = _model_inputs(cols, layout)
    feeds = [v for v in (numeric, codes) if v is not None]
    examples = []
    from headwater.tensor.creation import zeros

    if numeric is not None:
        examples.append(zeros(2, len(layout.numeric), dtype="float32"))
    if codes is not None:
        examples.append(zeros(2, len(layout.categorical), dtype="int64"))
    ts = trace_sets(_Call(model, numeric is not None, codes is not None), tuple(examples),
                    [{0: BATCH} for _ in examples])
    (logits,) = convert_traces(ts, b, [], bind=dict(enumerate(feeds)), root=type(model).__name__)
    _head(b, logits.name, encoder)
    proto = b.build(config.name, doc=f"headwater pipeline {config.name!r}: raw columns in, label out")
    onnx.checker.check_model(proto, full_check=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    onnx.save(proto, os.fspath(out))
    return proto
