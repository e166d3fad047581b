"""Run a pipeline end to end and fill its run directory.

Order of work: check files and column names (nothing is read yet), read and join the
data, drop rows without a target, split, fit the steps on the training split and
apply them to the others, build the model, train (resuming from the last checkpoint
when asked), reload the best epoch, evaluate every split, and write metrics,
predictions, plots and the fitted preprocessing state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from headwater.pipelines.config import Pipeline
from headwater.pipelines.data import load_data
from headwater.pipelines.errors import ConfigError, ConfigIssue, DataError
from headwater.pipelines.metrics import confusion_matrix
from headwater.pipelines.model import build_model
from headwater.pipelines.preflight import check_data
from headwater.pipelines.prepare import (
    ROW,
    FeatureLayout,
    add_row_ids,
    apply_steps,
    fit_steps,
    leading_stateless,
    to_inputs,
)
from headwater.pipelines.rundir import (
    check_same_config,
    find_resumable,
    make_run_dir,
    write_json,
    write_text,
)
from headwater.pipelines.split import SPLITS, split_labels, take_split
from headwater.pipelines.targets import TargetEncoder
from headwater.pipelines.tensorboard import EventWriter
from headwater.pipelines.trainer import Trainer, TrainerCallbacks, predict_outputs
from headwater.tensor.transfer import to_host

__all__ = ["RunResult", "run_pipeline", "prediction_table", "PREPROCESSING_FILE"]

PREPROCESSING_FILE = "preprocessing.json"


@dataclass
class RunResult:
    """What a run produced."""

    run_dir: Path
    metrics: dict[str, dict[str, float]]
    history: list[dict[str, Any]]
    resumed_from: int = 0
    stopped_early: bool = False
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


def _choose_device(requested: str | None, configured: str) -> None:
    import headwater as hw

    spec = requested or configured
    if spec and spec != "auto":
        try:
            hw.set_device(spec)
        except hw.DeviceUnavailableError as exc:
            source = "--device" if requested else "train.device"
            raise ConfigError(ConfigIssue("train.device", f"{exc}; use cpu or auto", None, None, source)) from None


def prediction_table(df: Any, output: np.ndarray, encoder: TargetEncoder, split: np.ndarray | None = None) -> pa.Table:
    """Predictions as an Arrow table: row, [split], [target], prediction, [prob_<class>...]."""
    columns: dict[str, Any] = {"row": pa.array(to_host(df._columns[ROW].data))}
    if split is not None:
        columns["split"] = pa.array([SPLITS[int(k)] for k in split])
    if encoder.column in df._columns:
        columns[encoder.column] = df[encoder.column].to_arrow()
    decoded = encoder.decode(output)
    columns["prediction"] = pa.array(decoded if isinstance(decoded, list) else np.asarray(decoded))
    if encoder.task != "regression":
        for k, label in enumerate(encoder.classes):
            columns[f"prob_{label}"] = pa.array(output[:, k])
    return pa.table(columns)


@dataclass
class _Prepared:
    """The data of a run after the split and the fitted steps."""

    parts: list[Any]  # train, validation, test before the learning steps
    frames: list[Any]  # the same after them
    encoder: TargetEncoder
    layout: FeatureLayout
    learned: list[Any]  # the steps fitted on the training split
    head: int  # how many leading steps ran before the split
    rows: dict[str, int]


def _prepare(pipeline: Pipeline, run_dir: Path, say: Any) -> _Prepared:
    """Read and join, run the leading steps, split, fit the rest; save the fitted state."""
    cfg = pipeline.config
    df = add_row_ids(load_data(cfg.data, pipeline.base_dir))
    head = leading_stateless(pipeline.steps)
    df = apply_steps(pipeline.steps[:head], df)
    target = cfg.target.column
    if target not in df.columns:
        raise DataError(f"the target column {target!r} is not in the data after the joins and the first steps")
    df = df[df[target].notna()]
    labels = split_labels(df, cfg.split)
    parts = [take_split(df, labels, k) for k in range(3)]
    rows = {name: len(p) for name, p in zip(SPLITS, parts)}
    say(f"rows: {rows['train']} train, {rows['validation']} validation, {rows['test']} test")
    learned = pipeline.steps[head:]
    train_df, (val_df, test_df) = fit_steps(learned, parts[0], parts[1:], offset=head)
    encoder = TargetEncoder(target, cfg.target.task, cfg.target.positive).fit(train_df)
    layout = FeatureLayout.infer(train_df, pipeline.steps, target, cfg.model.embeddings.enabled)
    write_json(run_dir / PREPROCESSING_FILE, {
        "steps": [{"name": s.name, "config": s.config()[s.name], "state": s.state()} for s in pipeline.steps],
        "target": encoder.to_dict(),
        "layout": layout.to_dict(),
        "data_dir": str(pipeline.base_dir),  # where the other sources of a join are read from at predict time
    })
    return _Prepared(parts, [train_df, val_df, test_df], encoder, layout, learned, head, rows)


def run_pipeline(pipeline: Pipeline, *, device: str | None = None, resume: bool = False,
                 callbacks: TrainerCallbacks | None = None, cwd: Path | None = None,
                 log: Any = None) -> RunResult:
    """Run ``pipeline``; see the module docstring for the order of work.

    Parameters
    ----------
    device : {"cpu", "cuda", "auto"}, optional
        Overrides ``train.device``; the choice becomes the default device
        (``hw.set_device``), as data is read onto it.
    resume : bool
        Continue the run in ``output.dir`` (or the newest ``runs/<name>-*``) from its
        last checkpoint.
    callbacks : TrainerCallbacks, optional
        Progress hooks (the CLI's progress bar).
    log : callable, optional
        Receives one-line status messages.

    Raises
    ------
    ConfigError, DataError
        Before any work (exit code 2).
    RunError
        During the run (exit code 1), e.g. a non-finite loss.
    """
    say = log or (lambda message: None)
    started = time.perf_counter()
    cfg = pipeline.config
    check_data(pipeline)
    _choose_device(device, cfg.train.device)
    resolved = pipeline.resolved()
    if resume:
        run_dir = find_resumable(cfg.name, cfg.output.dir, cwd)
        check_same_config(run_dir, resolved)
    else:
        run_dir = make_run_dir(cfg.name, cfg.output.dir, cwd)
    run_dir.mkdir(parents=True, exist_ok=True)
    write_text(run_dir / "config.yaml", yaml.safe_dump(resolved, sort_keys=False))
    say(f"run directory: {run_dir}")

    data = _prepare(pipeline, run_dir, say)
    encoder, layout, learned, head = data.encoder, data.layout, data.learned, data.head
    train_df, val_df, test_df = data.frames
    inputs = [to_inputs(frame, layout, encoder.encode) for frame in (train_df, val_df, test_df)]

    import headwater as hw

    hw.manual_seed(cfg.train.seed)
    model = build_model(cfg.model, len(layout.numeric), layout.categorical, encoder.n_outputs)
    board = EventWriter(run_dir / "tensorboard") if cfg.output.tensorboard else None
    user = callbacks or TrainerCallbacks()

    def epoch_end(record: dict[str, Any]) -> None:
        if board is not None:
            scalars = {f"{split}/{name}": value for split in ("train", "validation")
                       for name, value in record.get(split, {}).items() if value == value}
            board.add_scalars({**scalars, "lr": record["lr"]}, step=record["epoch"])
        write_json(run_dir / "history.json", trainer.history)
        user.epoch_end(record)

    trainer = Trainer(model, cfg.train, cfg.target.task, cfg.metrics, run_dir,
                      decode_regression=lambda a: a * encoder.std + encoder.mean,
                      callbacks=TrainerCallbacks(user.epoch_start, user.batch_end, epoch_end))
    resumed_from = 0
    if resume and trainer.resume():
        resumed_from = trainer.epoch
        say(f"resuming after epoch {resumed_from}")
    try:
        trainer.fit(inputs[0], inputs[1])
    finally:
        if board is not None:
            board.close()
    trainer.load_best()

    # final numbers come from the saved, fitted transforms (as `headwater predict` applies
    # them); a step such as target_encode encodes its own training rows differently
    if any(s.fit_differs for s in learned):
        train_eval = apply_steps(learned, data.parts[0], offset=head)
        inputs[0] = to_inputs(train_eval, layout, encoder.encode)
    else:
        train_eval = train_df
    outputs = [to_host(predict_outputs(model, inp, cfg.target.task).array).astype(np.float64) if inp.n
               else np.zeros((0, encoder.n_outputs)) for inp in inputs]
    metrics = {name: trainer.score(inp, out) for name, inp, out in zip(SPLITS, inputs, outputs)}
    write_json(run_dir / "metrics.json", metrics)
    write_json(run_dir / "history.json", trainer.history)
    tables = [prediction_table(frame, out, encoder, np.full(inp.n, k))
              for k, (frame, inp, out) in enumerate(zip((train_eval, val_df, test_df), inputs, outputs)) if inp.n]
    pq.write_table(pa.concat_tables(tables).sort_by("row"), run_dir / "predictions.parquet")

    if cfg.output.plots:
        _write_plots(run_dir, trainer.history, inputs, outputs, encoder, cfg.target.task, say)
    return RunResult(run_dir, metrics, trainer.history, resumed_from, trainer.stopped_early,
                     time.perf_counter() - started, data.rows)


def _write_plots(run_dir: Path, history: list[dict[str, Any]], inputs: list[Any], outputs: list[np.ndarray],
                 encoder: TargetEncoder, task: str, say: Any) -> None:
    try:
        from headwater.pipelines.plots import plot_confusion, plot_history

        plot_history(history, run_dir / "plots")
    except ImportError as exc:  # matplotlib is a dependency, but a stripped install may lack it
        say(f"plots skipped: {exc}; pip install matplotlib")
        return
    if task != "regression":
        which = 2 if inputs[2].n else 1
        if inputs[which].n:
            y = to_host(inputs[which].target.array)
            pred = outputs[which].argmax(axis=1)
            cm = confusion_matrix(y, pred, len(encoder.classes))
            plot_confusion(cm, encoder.classes, run_dir / "plots" / "confusion_matrix.png",
                           title=f"Confusion matrix ({SPLITS[which]})")
