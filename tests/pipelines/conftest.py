"""Fixtures of the pipeline tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pipeline_helpers import PIPELINE, make_table


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with ``table.csv`` and ``tiny.yaml``; returns the folder."""
    make_table().to_csv(tmp_path / "table.csv", index=False)
    (tmp_path / "tiny.yaml").write_text(PIPELINE)
    return tmp_path
