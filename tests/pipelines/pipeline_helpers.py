"""Helpers of the pipeline tests: small data files, pipeline files, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``headwater ARGS`` in a subprocess (through ``python -m``), on the CPU."""
    env = dict(os.environ, HEADWATER_DEVICE="cpu", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "headwater.pipelines.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def make_table(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """A small classification table: numbers with nulls, a string column, a label."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n)
    colour = rng.choice(["red", "green", "blue"], n)
    logit = 2 * x1 - x2 + np.where(colour == "red", 1.5, 0.0)
    label = np.where(logit > 0.5, "yes", np.where(logit < -1.0, "no", "maybe"))
    x1_with_nulls = x1.copy()
    x1_with_nulls[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({"x1": x1_with_nulls, "x2": x2, "colour": colour, "label": label,
                         "y": logit + rng.normal(scale=0.1, size=n)})


PIPELINE = """\
name: tiny
data:
  sources:
    table: {path: table.csv}
features:
  - fillna: {columns: [x1], strategy: mean}
  - categorify: [colour]
  - normalize: [x1, x2]
  - drop: [y]
target: {column: label, task: classification}
split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}, seed: 1}
model: {type: mlp, hidden: [16]}
train: {epochs: 3, batch_size: 32, lr: 0.01, seed: 0}
evaluate: {metrics: [accuracy, f1]}
output: {dir: run}
"""



def write_yaml(folder: Path, text: str, name: str = "p.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path
