"""Run a pipeline end to end and fill its run directory.

Order of work: check files, column names and leakage (nothing is read yet), claim
the run directory (its lock, and no other run's outputs in it), read and join the data,
run the steps, split, fit the learning steps on the training split and check the
features (:mod:`headwater.pipelines.pretrain`, shared with ``validate``), build the
model, train (resuming from the last checkpoint when asked), reload the best epoch,
evaluate every split, and write metrics, predictions, the report with its plots and
feature importance, and the fitted preprocessing state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import yaml

from headwater.distributed.errors import DistError
from headwater.pipelines.checkpoint import load_checkpoint
from headwater.pipelines.classic_models import CLASSIC_TYPES, fit_classic
from headwater.pipelines.config import Pipeline
from headwater.pipelines.distributed import RankFailedError, Ranks, checkpoint_of, start_ranks
from headwater.pipelines.errors import ConfigIssue, DeviceError
from headwater.pipelines.model import build_model
from headwater.pipelines.preflight import check_data
from headwater.pipelines.prepare import ROW, apply_steps, to_inputs
from headwater.pipelines.pretrain import Prepared, prepare
from headwater.pipelines.report import write_report
from headwater.pipelines.rundir import (
    check_same_config,
    claim_run_dir,
    find_resumable,
    make_run_dir,
    write_json,
    write_parquet,
    write_text,
)
from headwater.pipelines.split import SPLITS
from headwater.pipelines.targets import TargetEncoder
from headwater.pipelines.trainer import (
    Trainer,
    TrainerCallbacks,
    baseline_outputs,
    predict_outputs,
    score_outputs,
)
from headwater.tensor.devices import DeviceUnavailableError, set_device
from headwater.tensor.random import manual_seed
from headwater.tensor.transfer import to_host
from headwater.utils.event_file import EventWriter

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
    spec = requested or configured
    if spec and spec != "auto":
        try:
            set_device(spec)
        except DeviceUnavailableError as exc:
            source = "--device" if requested else "train.device"
            raise DeviceError(ConfigIssue("train.device", str(exc), None, None, source)) from None


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


def _write_preprocessing(pipeline: Pipeline, run_dir: Path, data: Prepared) -> None:
    write_json(run_dir / PREPROCESSING_FILE, {
        "steps": [{"name": s.name, "config": s.config()[s.name], "state": s.state()} for s in pipeline.steps],
        "target": data.encoder.to_dict(),
        "layout": data.layout.to_dict(),
        "data_dir": str(pipeline.base_dir),  # where the other sources of a join are read from at predict time
    })


def _saved_config(run_dir: Path) -> dict[str, Any] | None:
    """The resolved config stored in the last checkpoint (None in checkpoints that predate it)."""
    payload = load_checkpoint(run_dir, "last")
    return None if payload is None else payload["trainer"].get("config")


def run_pipeline(pipeline: Pipeline, *, device: str | None = None, resume: bool = False,
                 overwrite: bool = False, callbacks: TrainerCallbacks | None = None, cwd: Path | None = None,
                 log: Any = None) -> RunResult:
    """Run ``pipeline``; see the module docstring for the order of work.

    Parameters
    ----------
    device : {"cpu", "cuda", "auto"}, optional
        Overrides ``train.device``; the choice becomes the default device
        (``hw.set_device``), as data is read onto it.
    resume : bool
        Continue the run in ``output.dir`` (or the newest ``runs/<name>-*``) from its
        last checkpoint; refused when the checkpoint was made with another config
        (only ``train.epochs``, ``train.device``, ``train.distributed`` and
        ``output.*`` may change).
    overwrite : bool
        Replace the outputs of an earlier run in ``output.dir``. Without it (or
        ``resume``) a directory holding another run's outputs is refused.
    callbacks : TrainerCallbacks, optional
        Progress hooks (the CLI's progress bar).
    log : callable, optional
        Receives one-line status messages.

    Raises
    ------
    ConfigError, DataError
        Before any work (exit code 2); :class:`RunDirectoryError` and
        :class:`DeviceError` are ConfigErrors.
    RunError
        During the run (exit code 1), e.g. a non-finite loss.

    With ``train.distributed`` every rank calls this (see
    :mod:`headwater.pipelines.distributed`): rank 0 claims and writes the run
    directory, and every rank returns the same result.
    """
    started = time.perf_counter()
    cfg = pipeline.config
    check_data(pipeline)
    _choose_device(device, cfg.train.device)
    ranks = start_ranks(cfg.train.distributed, device, cfg.train.device)
    try:
        if not ranks.is_main:  # rank 0 reports; the other ranks only train
            return _run(pipeline, Path(ranks.receive("claiming the run directory")), {}, resume, None,
                        lambda message: None, started, ranks)
        say = log or (lambda message: None)
        resolved = pipeline.resolved()
        try:
            run_dir = (find_resumable(cfg.name, cfg.output.dir, cwd) if resume
                       else make_run_dir(cfg.name, cfg.output.dir, cwd))
            lock = claim_run_dir(run_dir, resume=resume, overwrite=overwrite)
        except BaseException as exc:
            ranks.refuse(exc)
            raise
        try:
            if resume:
                try:
                    check_same_config(run_dir, _saved_config(run_dir), resolved)
                except BaseException as exc:
                    ranks.refuse(exc)
                    raise
            if ranks.world_size > 1:
                ranks.share(str(run_dir))
            return _run(pipeline, run_dir, resolved, resume, callbacks, say, started, ranks)
        finally:
            lock.release()
    finally:
        ranks.close()


def _run(pipeline: Pipeline, run_dir: Path, resolved: dict[str, Any], resume: bool,
         callbacks: TrainerCallbacks | None, say: Any, started: float, ranks: Ranks) -> RunResult:
    cfg = pipeline.config
    if ranks.is_main:
        write_text(run_dir / "config.yaml", yaml.safe_dump(resolved, sort_keys=False))
        say(f"run directory: {run_dir}")

    data = prepare(pipeline, say)
    if ranks.is_main:
        _write_preprocessing(pipeline, run_dir, data)
    encoder, layout = data.encoder, data.layout
    inputs = [to_inputs(frame, layout, encoder.encode) for frame in data.frames]

    manual_seed(cfg.train.seed)
    task = cfg.target.task
    if cfg.model.type in CLASSIC_TYPES:
        model = fit_classic(cfg.model, task, inputs, encoder.n_outputs, say)
        model.save(run_dir)
        history, best_epoch, epochs, stopped, resumed_from = [], None, 0, False, 0
        write_json(run_dir / "history.json", history)

        def score(inp: Any, out: np.ndarray) -> dict[str, float]:
            return score_outputs(task, cfg.metrics, lambda a: a * encoder.std + encoder.mean, inp, out)
    else:
        model, trainer, resumed_from = _train_network(cfg, layout, encoder, inputs, run_dir, resolved, resume,
                                                      callbacks, say, ranks)
        history, best_epoch, epochs = trainer.history, trainer.best_epoch or None, trainer.epoch
        stopped, score = trainer.stopped_early, trainer.score
        if not ranks.is_main:
            metrics = ranks.receive("evaluating and writing the run's outputs")
            return RunResult(run_dir, metrics, history, resumed_from, stopped, time.perf_counter() - started,
                             data.rows)
    try:
        metrics = _evaluate_and_write(pipeline, run_dir, data, inputs, model, history, best_epoch, epochs, stopped,
                                      score, say)
    except BaseException as exc:
        ranks.refuse(exc)
        raise
    if ranks.world_size > 1:
        ranks.share(metrics)
    return RunResult(run_dir, metrics, history, resumed_from, stopped, time.perf_counter() - started, data.rows)


def _evaluate_and_write(pipeline: Pipeline, run_dir: Path, data: Prepared, inputs: list[Any], model: Any,
                        history: list[dict[str, Any]], best_epoch: int | None, epochs: int, stopped: bool,
                        score: Any, say: Any) -> dict[str, dict[str, float]]:
    """Rank 0: final metrics, predictions and the report, from the best epoch's model."""
    cfg = pipeline.config
    encoder, layout, learned, head = data.encoder, data.layout, data.learned, data.head
    train_df, val_df, test_df = data.frames
    task = cfg.target.task

    # final numbers come from the saved, fitted transforms (as `headwater predict` applies
    # them); a step such as target_encode encodes its own training rows differently
    if any(s.fit_differs for s in learned):
        train_eval = apply_steps(learned, data.parts[0], offset=head)
        inputs[0] = to_inputs(train_eval, layout, encoder.encode)
    else:
        train_eval = train_df
    outputs = [to_host(predict_outputs(model, inp, task).array).astype(np.float64) if inp.n
               else np.zeros((0, encoder.n_outputs)) for inp in inputs]
    metrics = {name: score(inp, out) for name, inp, out in zip(SPLITS, inputs, outputs)}
    # what the model is worth: the same metrics for the training mean / the majority class
    baseline = {name: score(inp, baseline_outputs(task, inputs[0], inp.n, encoder.n_outputs))
                for name, inp in zip(SPLITS, inputs) if inp.n}
    write_json(run_dir / "metrics.json", {**metrics, "baseline": baseline})
    write_json(run_dir / "history.json", history)
    tables = [prediction_table(frame, out, encoder, np.full(inp.n, k))
              for k, (frame, inp, out) in enumerate(zip((train_eval, val_df, test_df), inputs, outputs)) if inp.n]
    write_parquet(run_dir / "predictions.parquet", pa.concat_tables(tables).sort_by("row"))

    kind = cfg.model.type
    summary = {"model": kind if kind != "mlp" else f"mlp {list(cfg.model.hidden)}",
               "features": f"{len(layout.numeric)} numeric, {len(layout.categorical)} categorical",
               "rows": ", ".join(f"{n} {k}" for k, n in data.rows.items()),
               "epochs trained": epochs, "stopped early": stopped, "seed": cfg.train.seed}
    if kind == "sklearn":
        summary["model"] = f"sklearn {cfg.model.estimator}"
    write_report(run_dir, name=cfg.name, task=task, model=model, history=history,
                 best_epoch=best_epoch, inputs=inputs, outputs=outputs, encoder=encoder,
                 metrics=metrics, feature_names=[*layout.numeric, *layout.categorical],
                 loss=lambda inp, out: score(inp, out)["loss"], summary=summary,
                 plots=cfg.output.plots, say=say)
    return metrics


def _train_network(cfg: Any, layout: Any, encoder: Any, inputs: list[Any], run_dir: Path, resolved: dict[str, Any],
                   resume: bool, callbacks: TrainerCallbacks | None, say: Any,
                   ranks: Ranks) -> tuple[Any, Trainer, int]:
    """Build the network, train it (resuming when asked) and reload its best epoch (rank 0)."""
    model = build_model(cfg.model, len(layout.numeric), layout.categorical, encoder.n_outputs)
    board = EventWriter(run_dir / "tensorboard") if cfg.output.tensorboard and ranks.is_main else None
    user = callbacks or TrainerCallbacks()

    def epoch_end(record: dict[str, Any]) -> None:
        if board is not None:
            scalars = {f"{split}/{name}": value for split in ("train", "validation")
                       for name, value in record.get(split, {}).items() if value == value}
            board.add_scalars({**scalars, "lr": record["lr"]}, step=record["epoch"])
        if ranks.is_main:
            write_json(run_dir / "history.json", trainer.history)
        user.epoch_end(record)

    trainer = Trainer(model, cfg.train, cfg.target.task, cfg.metrics, run_dir,
                      decode_regression=lambda a: a * encoder.std + encoder.mean,
                      callbacks=TrainerCallbacks(user.epoch_start, user.batch_end, epoch_end),
                      run_config=resolved, ranks=ranks)
    resumed_from = 0
    if resume and trainer.resume():
        resumed_from = trainer.epoch
        say(f"resuming after epoch {resumed_from}")
    try:
        trainer.fit(inputs[0], inputs[1])
    except DistError as exc:
        raise RankFailedError(str(exc), checkpoint_of(run_dir), trainer.epoch) from exc
    finally:
        if board is not None:
            board.close()
    if ranks.is_main:
        trainer.load_best()
    return model, trainer, resumed_from
