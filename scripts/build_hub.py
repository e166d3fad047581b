"""Rebuild the pretrained hub artifacts shipped in headwater/hub/artifacts/.

    python scripts/build_hub.py                 # all entries, about a minute on a laptop CPU
    python scripts/build_hub.py penguins        # one entry

Every entry is trained from data that ships with the repository (examples/data) or
with scikit-learn (its bundled digits), seeded, on the CPU, and published with the
metrics it reached and the rows they were measured on (``meta.json``'s
``evaluation``), so tests/hub can check each shipped entry still reaches them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "examples"))

import headwater as hw  # noqa: E402

OUT = ROOT / "headwater" / "hub" / "artifacts"
PIPELINES = {"penguins": ("penguins.yaml", "accuracy"), "diabetes": ("diabetes.yaml", "rmse")}
VERSION = "1.0"


def build_pipeline(name: str) -> Path:
    """Run the example pipeline and publish its run, recording the test rows it was scored on."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from headwater.pipelines.config import load_pipeline
    from headwater.pipelines.runner import run_pipeline

    yaml_name, metric = PIPELINES[name]
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = load_pipeline(ROOT / "examples" / yaml_name, [
            f"output.dir={tmp}/run", "output.plots=false", "output.tensorboard=false", "train.device=cpu"])
        result = run_pipeline(pipeline, overwrite=True)
        table = pq.read_table(result.run_dir / "predictions.parquet")
        rows = table.filter(pc.equal(table["split"], "test"))["row"].to_pylist()
        source = pipeline.config.data.sources[next(iter(pipeline.config.data.sources))]
        evaluation = {"data": f"examples/{source.path}", "split": "test", "rows": rows, "metric": metric,
                      "value": result.metrics["test"][metric]}
        return hw.hub.publish(result.run_dir, name, OUT / name, version=VERSION, overwrite=True,
                              metadata={"evaluation": evaluation})


def digits_split(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The images (N, 1, 8, 8) in [0, 1], the labels, and the held-out rows of examples/digits_cnn.py."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]
    order = np.random.default_rng(seed).permutation(len(images))
    return images, digits.target, order[int(0.8 * len(images)):]


def digits_accuracy(model: Any, rows: list[int]) -> float:
    """The model's accuracy on the given rows of scikit-learn's digits."""
    images, labels, _ = digits_split()
    model.eval()
    with hw.no_grad():
        predicted = model(hw.as_tensor(images[rows])).argmax(dim=1).numpy()
    return float((predicted == labels[rows]).mean())


def build_digits() -> Path:
    import digits_cnn

    hw.set_device("cpu")
    result = digits_cnn.main()
    model = result["model"]
    rows = [int(r) for r in digits_split()[2]]
    accuracy = digits_accuracy(model, rows)
    evaluation = {"data": "sklearn.datasets.load_digits", "split": "test", "rows": rows, "metric": "accuracy",
                  "value": accuracy}
    return hw.hub.publish_model(
        model, "digits_cnn", "digits_cnn", OUT / "digits_cnn", task="classification", version=VERSION,
        description="CNN for scikit-learn's 8x8 digits (examples/digits_cnn.py)",
        inputs=[{"name": "images", "dtype": "float32", "shape": [None, 1, 8, 8]}],
        metrics={"train": {"loss": result["final_train_loss"]}, "test": {"accuracy": accuracy}},
        metadata={"evaluation": evaluation, "classes": list(range(10))}, overwrite=True)


def char_loss(model: Any, vocabulary: list[str], windows: list[str]) -> float:
    """Mean next-character cross-entropy (nats) of the model over text windows."""
    index = {c: i for i, c in enumerate(vocabulary)}
    codes = hw.as_tensor(np.array([[index[c] for c in w] for w in windows], dtype=np.int64))
    model.eval()
    with hw.no_grad():
        logits, _ = model(codes[:, :-1])
        loss = hw.nn.CrossEntropyLoss()(logits.reshape(-1, len(vocabulary)), codes[:, 1:].reshape(-1))
    return float(loss.item())


def build_char_lstm() -> Path:
    import char_lstm

    hw.set_device("cpu")
    kwargs = {"embed": 32, "hidden": 64, "layers": 1}
    result = char_lstm.main(steps=400, hidden=kwargs["hidden"], layers=kwargs["layers"], sample=False)
    vocabulary, windows = result["chars"], result["valid_windows"]
    loss = char_loss(result["model"], vocabulary, windows)
    evaluation = {"data": "the last 10% of README.md when built (the windows are stored here)", "split": "validation",
                  "windows": windows, "metric": "loss", "value": loss}
    return hw.hub.publish_model(
        result["model"], "char_lstm", "char_lstm", OUT / "char_lstm", kwargs={"vocab": len(vocabulary), **kwargs},
        task="language_model", version=VERSION,
        description="Character LSTM language model trained on Headwater's README (examples/char_lstm.py)",
        inputs=[{"name": "codes", "dtype": "int64", "shape": [None, None]}],
        metrics={"train": {"loss": result["train_loss"]}, "validation": {"loss": loss},
                 "uniform": {"loss": result["uniform_loss"]}},
        metadata={"evaluation": evaluation, "vocabulary": vocabulary}, overwrite=True)


BUILDERS = {"penguins": lambda: build_pipeline("penguins"), "diabetes": lambda: build_pipeline("diabetes"),
            "digits_cnn": build_digits, "char_lstm": build_char_lstm}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[[], *BUILDERS], help="entries to rebuild (default: all)")
    args = parser.parse_args(argv)
    for name in args.names or list(BUILDERS):
        path = BUILDERS[name]()
        size = sum(p.stat().st_size for p in path.iterdir())
        print(f"{name}: {path.relative_to(ROOT)} ({size / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
