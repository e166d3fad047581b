"""``headwater predict``: apply a finished run to new data.

The run directory holds everything needed: the resolved config (which data options
and steps), ``preprocessing.json`` (the fitted state of every step, the target
encoding and the input layout) and the best checkpoint. New data goes through exactly
the fitted transforms (nothing is refitted) into the same model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import yaml

from headwater.pipelines.classic_models import CLASSIC_TYPES, load_classic
from headwater.pipelines.data import load_data, read_source
from headwater.pipelines.errors import ConfigError, ConfigIssue, DataError
from headwater.pipelines.model import build_model
from headwater.pipelines.prepare import FeatureLayout, add_row_ids, apply_steps, to_inputs
from headwater.pipelines.runner import PREPROCESSING_FILE, prediction_table
from headwater.pipelines.schema import DataSection, PipelineConfig, Source
from headwater.pipelines.steps import STEPS
from headwater.pipelines.targets import TargetEncoder
from headwater.pipelines.trainer import predict_outputs
from headwater.tensor.transfer import to_host

__all__ = ["predict", "predict_frame", "load_run", "read_fitted", "fitted_model"]


def read_fitted(folder: str | Path) -> tuple[PipelineConfig, list[Any], TargetEncoder, FeatureLayout]:
    """The config, fitted steps, target encoding and input layout stored in ``folder``
    (a run directory, or a hub artifact, which holds the same two files)."""
    folder = Path(folder)
    needed = [folder / "config.yaml", folder / PREPROCESSING_FILE]
    absent = [p.name for p in needed if not p.exists()]
    if absent:
        raise ConfigError(ConfigIssue("", f"{folder} is not a finished run directory (no {', '.join(absent)})",
                                      None, None, str(folder)))
    config = PipelineConfig.model_validate(yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8")))
    prep = json.loads((folder / PREPROCESSING_FILE).read_text(encoding="utf-8"))
    steps = []
    for entry in prep["steps"]:
        step = STEPS[entry["name"]].from_config(entry["config"])
        step.target = config.target.column
        step.load_state(entry["state"])
        steps.append(step)
    return config, steps, TargetEncoder.from_dict(prep["target"]), FeatureLayout.from_dict(prep["layout"])


def fitted_model(config: PipelineConfig, layout: FeatureLayout, encoder: TargetEncoder, state: dict[str, Any]) -> Any:
    """The pipeline's model for ``layout`` and ``encoder``, holding ``state`` (a state dict), in eval mode."""
    model = build_model(config.model, len(layout.numeric), layout.categorical, encoder.n_outputs)
    model.load_state_dict(state)
    model.eval()
    return model


def load_run(run_dir: str | Path) -> tuple[PipelineConfig, list[Any], TargetEncoder, FeatureLayout, Any]:
    """The config, fitted steps, target encoding, layout and best model of a run."""
    from headwater.pipelines.checkpoint import load_checkpoint

    run_dir = Path(run_dir)
    config, steps, encoder, layout = read_fitted(run_dir)
    if config.model.type in CLASSIC_TYPES:
        return config, steps, encoder, layout, load_classic(run_dir, config.model, config.target.task,
                                                            encoder.n_outputs)
    payload = load_checkpoint(run_dir, "best") or load_checkpoint(run_dir, "last")
    if payload is None:
        raise ConfigError(ConfigIssue("", f"{run_dir} has no checkpoint (checkpoints/best.hwt)", None, None, str(run_dir)))
    return config, steps, encoder, layout, fitted_model(config, layout, encoder, payload["model"])


def predict_frame(config: PipelineConfig, steps: list[Any], encoder: TargetEncoder, layout: FeatureLayout,
                  model: Any, df: Any) -> pa.Table:
    """Predictions for a frame as the run read it (after its joins): the fitted steps, then the model.

    Returns the table :func:`predict` returns: ``row``, the target when ``df`` has it,
    ``prediction`` and, for classification, ``prob_<class>``, sorted by ``row``.
    """
    df = apply_steps(steps, add_row_ids(df))
    inputs = to_inputs(df, layout)
    output = to_host(predict_outputs(model, inputs, config.target.task).array).astype(np.float64)
    return prediction_table(df, output, encoder).sort_by("row")  # steps such as rolling reorder rows


def _read_like_the_run(config: PipelineConfig, data: Path, data_dir: Path) -> Any:
    """``data`` read with the main source's options, joined with the run's other sources."""
    names = list(config.data.sources)
    main = config.data.sources[names[0]]
    sources = {names[0]: Source(**{**main.model_dump(), "path": str(data.resolve()), "format": None, "columns": None})}
    for name in names[1:]:
        sources[name] = config.data.sources[name]
    section = DataSection(sources=sources, joins=config.data.joins)
    if not config.data.joins:
        return read_source(sources[names[0]], data_dir)
    return load_data(section, data_dir)


def predict(run_dir: str | Path, data: str | Path, out: str | Path | None = None) -> pa.Table:
    """Predict with a finished run on ``data`` (CSV or Parquet, read like the main source).

    ``data`` takes the place of the run's main (first) source; when the run joined
    other sources, they are read again from where the run read them and joined the
    same way. Returns an Arrow table with ``row`` (the row's position in ``data``), the target
    when ``data`` has it, ``prediction`` and, for classification, ``prob_<class>``.
    Written to ``out`` (Parquet or CSV by suffix) when given.

    Raises
    ------
    ConfigError
        ``run_dir`` is not a finished run.
    DataError
        ``data`` is missing, or lacks columns the fitted steps need.
    """
    import pyarrow.csv as pacsv

    from headwater.autograd.serialization import atomic_open
    from headwater.pipelines.rundir import write_parquet

    config, steps, encoder, layout, model = load_run(run_dir)
    prep = json.loads((Path(run_dir) / PREPROCESSING_FILE).read_text(encoding="utf-8"))
    data_dir = Path(prep.get("data_dir") or Path.cwd())
    data = Path(data)
    if not data.exists():
        raise DataError(f"no data file {data}")
    table = predict_frame(config, steps, encoder, layout, model, _read_like_the_run(config, data, data_dir))
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".csv":
            with atomic_open(out) as fh:
                pacsv.write_csv(table, fh)
        else:
            write_parquet(out, table)
    return table
