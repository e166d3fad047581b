"""The image and language examples learn: the digits CNN above 95% test accuracy, the
character LSTM's validation loss well below the uniform guess, and the notebook runs."""

from __future__ import annotations

import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
sys.path.insert(0, str(EXAMPLES))

import char_lstm  # noqa: E402
import digits_cnn  # noqa: E402
import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


def test_digits_cnn_learns_above_95_percent():
    result = digits_cnn.main(epochs=10)
    assert result["test_accuracy"] >= 0.95


def test_char_lstm_validation_loss_falls_below_the_bound():
    # 100 steps of a small model: the uniform guess scores log(89) = 4.49 nats/char. Its
    # products are small, where one BLAS thread beats two spinning ones.
    with threadpool_limits(1):
        result = char_lstm.main(steps=100, hidden=64, seq=32, sample=False)
    assert result["valid_loss"] < 3.3 < result["uniform_loss"]
    assert result["train_loss"] < 3.3


def test_char_lstm_samples_text():
    model = char_lstm.CharLSTM(5, embed=4, hidden=8)
    text = char_lstm.generate(model, list("abcde"), {c: i for i, c in enumerate("abcde")}, "ab", 10)
    assert len(text) == 12 and set(text) <= set("abcde")


@pytest.mark.slow
def test_digits_notebook_executes(monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("HEADWATER_DEVICE", "cpu")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(EXAMPLES / "digits_cnn.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert float(text.split("test accuracy")[1].split()[0]) >= 0.95
    assert any("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
