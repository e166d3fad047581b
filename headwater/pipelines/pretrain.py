"""Everything a run does before training, and the checks on it; nothing is written.

``headwater validate`` and ``headwater run`` share this module, so a pipeline that
validates has already met its data: the sources are read and joined, every step runs
(the learning ones fitted on the training split), and the result is checked as the
training loop would meet it. A problem is a :class:`DataError` (exit code 2) that
says where it arises and what fixes it:

- rows: the data, or a filter, leaves no rows; every target is null; the training
  split is empty (after naming how many rows the steps left);
- each step's dtypes: a step given a column it cannot use fails here, named by its
  position and name;
- the target: its kind suits the task (numbers for regression, two classes for
  binary);
- the features: every column is numeric or encoded, and no feature holds nulls, NaN
  or infinities in any split, naming the column, the step that made it and the step
  that would fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from headwater.pipelines.config import Pipeline
from headwater.pipelines.data import load_data
from headwater.pipelines.errors import DataError
from headwater.pipelines.prepare import (
    ROW,
    FeatureLayout,
    add_row_ids,
    apply_steps,
    fit_steps,
    leading_stateless,
)
from headwater.pipelines.split import SPLITS, split_labels, take_split
from headwater.pipelines.steps import ColumnSet, Step
from headwater.pipelines.targets import TargetEncoder
from headwater.tensor.transfer import to_host

__all__ = ["Prepared", "prepare", "check_features"]


@dataclass
class Prepared:
    """The data of a run after the split and the fitted steps."""

    parts: list[Any]  # train, validation, test before the learning steps
    frames: list[Any]  # the same after them
    encoder: TargetEncoder
    layout: FeatureLayout
    learned: list[Any]  # the steps fitted on the training split
    head: int  # how many leading steps ran before the split
    rows: dict[str, int]


def _describe(step: Step) -> str:
    if step.name == "filter":
        return f"filter {step.options.expr!r}"
    return step.name


def _leading(steps: list[Step], df: Any, head: int) -> tuple[Any, list[str]]:
    """Apply the leading steps one by one, refusing one that leaves no rows."""
    trail = [f"{len(df)} rows read"]
    for i, step in enumerate(steps[:head]):
        before = len(df)
        df = apply_steps([step], df, offset=i)
        if len(df) != before:
            trail.append(f"{len(df)} after step {i} ({_describe(step)})")
        if len(df) == 0:
            raise DataError(f"step {i} ({_describe(step)}) leaves no rows of the {before} it receives; loosen it "
                            f"or check the data it reads")
    return df, trail


def prepare(pipeline: Pipeline, say: Any = None) -> Prepared:
    """Read and join, run the leading steps, split, fit the rest, and check the result.

    Raises
    ------
    DataError
        See the module docstring.
    """
    say = say or (lambda message: None)
    cfg = pipeline.config
    df = add_row_ids(load_data(cfg.data, pipeline.base_dir))
    data_columns = [c for c in df.columns if c != ROW]
    if len(df) == 0:
        first = next(iter(cfg.data.sources.values()))
        raise DataError(f"the data has no rows ({first.path} holds a header only, or the joins drop every row)")
    head = leading_stateless(pipeline.steps)
    df, trail = _leading(pipeline.steps, df, head)
    target = cfg.target.column
    if target not in df.columns:
        raise DataError(f"the target column {target!r} is not in the data after the joins and the first steps")
    df = df[df[target].notna()]
    if len(df) == 0:
        raise DataError(f"every row's target {target!r} is null, so there is nothing to learn from "
                        f"({'; '.join(trail)})")
    try:
        labels = split_labels(df, cfg.split)
    except DataError as exc:
        raise DataError(f"{exc} ({'; '.join(trail)}; {len(df)} with a target)") from None
    parts = [take_split(df, labels, k) for k in range(3)]
    rows = {name: len(p) for name, p in zip(SPLITS, parts)}
    say(f"rows: {rows['train']} train, {rows['validation']} validation, {rows['test']} test")
    learned = pipeline.steps[head:]
    train_df, (val_df, test_df) = fit_steps(learned, parts[0], parts[1:], offset=head)
    encoder = TargetEncoder(target, cfg.target.task, cfg.target.positive).fit(train_df)
    layout = FeatureLayout.infer(train_df, pipeline.steps, target, cfg.model.embeddings.enabled)
    frames = [train_df, val_df, test_df]
    check_features(dict(zip(SPLITS, frames)), layout, pipeline.steps, data_columns)
    return Prepared(parts, frames, encoder, layout, learned, head, rows)


def _origin(steps: list[Step], name: str, available: list[str]) -> tuple[int, Step] | None:
    """The step that makes column ``name`` (None when it comes from the data)."""
    names = ColumnSet(list(available))
    found = None
    for i, step in enumerate(steps):
        after = step.columns_after(names)
        if (name in after.names and name not in names.names) or (step.name == "derive" and name in step.options.root):
            found = i, step  # the last step that wrote it
        names = after
    return found


def _fix(steps: list[Step], name: str, problem: str) -> str:
    for i, step in enumerate(steps):
        if step.name == "fillna" and name in step.options.columns and problem != "infinite":
            return (f"step {i} (fillna) fills {name!r} but learned no value: the column has none in the "
                    f"training split; use strategy: constant, or drop the column (- drop: [{name}])")
    if problem == "infinite":
        return (f"drop those rows before the learning steps (- filter: \"abs({name}) < inf\") or replace them "
                f"(- derive: {{{name}: \"where(abs({name}) < inf, {name}, 0)\"}})")
    return f"add a fillna step (- fillna: {{columns: [{name}], strategy: median}}), or a filter that drops those rows"


def check_features(frames: dict[str, Any], layout: FeatureLayout, steps: list[Step], data_columns: list[str]) -> None:
    """Refuse nulls, NaN and infinities in the numeric features of any split.

    One host read for all the counts. The message names the column, the split, the
    step that made the column (when a step did, walking the steps from
    ``data_columns``, the columns read) and the step that would fix it.

    Raises
    ------
    DataError
    """
    checks: list[tuple[str, str, str]] = []
    counts: list[Any] = []
    xp = None
    for split, frame in frames.items():
        if not len(frame):
            continue
        for name in layout.numeric:
            col = frame._columns[name]
            xp = col.xp
            valid = col.mask
            if valid is not None:
                checks.append((split, name, "null"))
                counts.append(xp.count_nonzero(~valid))
            if col.kind == "float":
                data = col.data if valid is None else xp.where(valid, col.data, 0)
                checks.append((split, name, "NaN"))
                counts.append(xp.count_nonzero(xp.isnan(data)))
                checks.append((split, name, "infinite"))
                counts.append(xp.count_nonzero(xp.isinf(data)))
    if not counts:
        return
    host = to_host(xp.stack([xp.asarray(c, dtype=xp.int64) for c in counts]))
    for (split, name, problem), n in zip(checks, host.tolist()):
        if n:
            rows = len(frames[split])
            made = _origin(steps, name, data_columns)
            where = f", made by step {made[0]} ({made[1].name})," if made else ""
            raise DataError(f"feature column {name!r}{where} has {n} {problem} value{'s' if n != 1 else ''} in the "
                            f"{split} split ({rows} rows), which the model cannot take; "
                            f"{_fix(steps, name, 'infinite' if problem == 'infinite' else 'missing')}")
