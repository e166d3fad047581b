"""The penguins pipeline against scikit-learn's MLPClassifier on the same split.

Runs ``examples/penguins.yaml`` in-process, reads which rows it used for train and
test from its ``predictions.parquet``, and fits scikit-learn on exactly those rows
with the same preprocessing (median fill, standard scaling, the derived bill ratio;
island and sex one-hot encoded, since scikit-learn's MLP has no embeddings) and the
same hidden layers. Prints test accuracy and wall time of both; the times include
reading the CSV and the preprocessing.

Run: ``python examples/compare_sklearn.py`` (needs scikit-learn: ``pip install -e ".[dev]"``)
"""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "bill_ratio"]


def run_headwater(workdir: Path) -> tuple[float, float, pd.DataFrame]:
    """(test accuracy, seconds, predictions) of the penguins pipeline."""
    from headwater.pipelines.config import load_pipeline
    from headwater.pipelines.runner import run_pipeline

    start = time.perf_counter()
    pipeline = load_pipeline(HERE / "penguins.yaml", [f"output.dir={workdir / 'penguins'}", "output.plots=false",
                                                      "output.tensorboard=false"])
    result = run_pipeline(pipeline, device="cpu")
    seconds = time.perf_counter() - start
    predictions = pq.read_table(result.run_dir / "predictions.parquet").to_pandas()
    return result.metrics["test"]["accuracy"], seconds, predictions


def run_sklearn(predictions: pd.DataFrame, seed: int = 0) -> tuple[float, float]:
    """(test accuracy, seconds) of MLPClassifier on the pipeline's own train and test rows."""
    from sklearn.compose import ColumnTransformer
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.impute import SimpleImputer
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    start = time.perf_counter()
    df = pd.read_csv(HERE / "data" / "penguins.csv")
    df["bill_ratio"] = df.bill_length_mm / df.bill_depth_mm
    split = predictions.set_index("row")["split"]
    train_rows = split.index[split == "train"]
    test_rows = split.index[split == "test"]
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["island", "sex"]),
    ])
    model = make_pipeline(pre, MLPClassifier(hidden_layer_sizes=(32, 16), learning_rate_init=0.01,
                                             batch_size=32, max_iter=200, random_state=seed))
    features = df[NUMERIC + ["island", "sex"]].astype({"island": str, "sex": str})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(features.loc[train_rows], df.species.loc[train_rows])
    accuracy = float((model.predict(features.loc[test_rows]) == df.species.loc[test_rows]).mean())
    return accuracy, time.perf_counter() - start


def compare() -> dict[str, Any]:
    """Both accuracies and wall times, on the same split."""
    with tempfile.TemporaryDirectory() as d:
        hw_acc, hw_s, predictions = run_headwater(Path(d))
    sk_acc, sk_s = run_sklearn(predictions)
    counts = predictions["split"].value_counts().to_dict()
    return {"headwater_accuracy": hw_acc, "headwater_seconds": hw_s, "sklearn_accuracy": sk_acc,
            "sklearn_seconds": sk_s, "train_rows": counts.get("train", 0), "test_rows": counts.get("test", 0)}


def main() -> None:
    r = compare()
    print(f"penguins, {r['train_rows']} train rows, {r['test_rows']} test rows (same split)")
    print(f"headwater pipeline      test accuracy {r['headwater_accuracy']:.4f}   {r['headwater_seconds']:.2f} s")
    print(f"scikit-learn MLP        test accuracy {r['sklearn_accuracy']:.4f}   {r['sklearn_seconds']:.2f} s")
    print(f"difference {100 * abs(r['headwater_accuracy'] - r['sklearn_accuracy']):.2f} points")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
