"""The whole default suite under HEADWATER_DEVICE=cpu-strict (slow: about 25 minutes
on 2 cores). Tests marked ``host_only`` skip there, each with its reason; see
docs/strict-mode.md."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_suite_passes_under_the_strict_device_mode():
    env = {**os.environ, "HEADWATER_DEVICE": "cpu-strict"}
    workers = ["-n", "2"] if importlib.util.find_spec("xdist") else []
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *workers, "-m", "not slow",
         "--deselect", "tests/test_strict_suite.py", "tests", "headwater"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=3 * 3600)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
