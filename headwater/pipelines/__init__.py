"""The declarative pipeline runner: YAML schema, steps, trainer, run directory, CLI.

The entry points load lazily, so that ``import headwater`` does not pay for pydantic,
rich and typer until a pipeline is used::

    from headwater.pipelines import load_pipeline, run_pipeline, predict
    result = run_pipeline(load_pipeline("examples/penguins.yaml"))
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_pipeline", "run_pipeline", "predict", "Pipeline", "RunResult", "PipelineConfig"]

_WHERE = {
    "load_pipeline": "headwater.pipelines.config",
    "Pipeline": "headwater.pipelines.config",
    "run_pipeline": "headwater.pipelines.runner",
    "RunResult": "headwater.pipelines.runner",
    "predict": "headwater.pipelines.predict",
    "PipelineConfig": "headwater.pipelines.schema",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater.pipelines' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
