"""``examples/quickstart.ipynb`` runs from top to bottom (nbclient)."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from .pipeline_helpers import EXAMPLES


def test_quickstart_notebook_executes(tmp_path, monkeypatch):
    monkeypatch.setenv("HEADWATER_DEVICE", "cpu")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel draws inline
    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    outputs = ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells if c.cell_type == "code"]
    accuracy_line = next(line for line in outputs if line.startswith("test accuracy"))
    assert float(accuracy_line.split()[2]) >= 0.95
    figures = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert figures, "the plot cell drew no figure"
    last = nb.cells[-1].outputs[-1]["data"]["text/plain"]
    assert "'accuracy'" in last
