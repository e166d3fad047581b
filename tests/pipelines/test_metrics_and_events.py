"""Metrics against scikit-learn; TensorBoard event files decoded back."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from sklearn import metrics as skm

from headwater.pipelines.metrics import compute_metrics, confusion_matrix
from headwater.utils.event_file import EventWriter, crc32c, masked_crc32c, read_events


def _proba(rng, n, k):
    logits = rng.normal(size=(n, k))
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("k", [2, 4])
def test_classification_metrics_match_scikit_learn(k):
    rng = np.random.default_rng(k)
    y = rng.integers(0, k, 300)
    proba = _proba(rng, 300, k)
    pred = proba.argmax(axis=1)
    got = compute_metrics(["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"], y, proba)
    average = "binary" if k == 2 else "macro"
    assert got["accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    assert got["precision"] == pytest.approx(skm.precision_score(y, pred, average=average, zero_division=0))
    assert got["recall"] == pytest.approx(skm.recall_score(y, pred, average=average, zero_division=0))
    assert got["f1"] == pytest.approx(skm.f1_score(y, pred, average=average, zero_division=0))
    auc = skm.roc_auc_score(y, proba[:, 1]) if k == 2 else skm.roc_auc_score(y, proba, multi_class="ovr")
    assert got["roc_auc"] == pytest.approx(auc)
    assert got["log_loss"] == pytest.approx(skm.log_loss(y, proba, labels=list(range(k))))


def test_roc_auc_with_ties_matches_scikit_learn():
    y = np.array([0, 1, 1, 0, 1, 0, 1])
    score = np.array([0.5, 0.5, 0.9, 0.1, 0.5, 0.5, 0.2])
    proba = np.stack([1 - score, score], axis=1)
    assert compute_metrics(["roc_auc"], y, proba)["roc_auc"] == pytest.approx(skm.roc_auc_score(y, score))


def test_regression_metrics_match_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.normal(size=100)
    pred = y + rng.normal(scale=0.3, size=100)
    got = compute_metrics(["rmse", "mae", "r2"], y, pred)
    assert got["rmse"] == pytest.approx(np.sqrt(skm.mean_squared_error(y, pred)))
    assert got["mae"] == pytest.approx(skm.mean_absolute_error(y, pred))
    assert got["r2"] == pytest.approx(skm.r2_score(y, pred))


def test_confusion_matrix_matches_scikit_learn():
    rng = np.random.default_rng(1)
    y, pred = rng.integers(0, 3, 50), rng.integers(0, 3, 50)
    np.testing.assert_array_equal(confusion_matrix(y, pred, 3), skm.confusion_matrix(y, pred, labels=[0, 1, 2]))


def test_empty_split_gives_nan():
    got = compute_metrics(["accuracy"], np.array([], dtype=np.int64), np.zeros((0, 2)))
    assert np.isnan(got["accuracy"])


# -- TensorBoard --------------------------------------------------------------------------------
def test_crc32c_known_values():
    # RFC 3720 test vectors for CRC-32C
    assert crc32c(b"") == 0
    assert crc32c(bytes(32)) == 0x8A9136AA
    assert crc32c(bytes([0xFF] * 32)) == 0x62A8AB43
    assert masked_crc32c(b"") == (((0 >> 15) | (0 << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def test_events_round_trip(tmp_path):
    with EventWriter(tmp_path) as writer:
        writer.add_scalars({"train/loss": 0.25, "validation/accuracy": 0.875}, step=1)
        writer.add_scalars({"train/loss": 0.125}, step=2)
    events = read_events(writer.path)
    assert writer.path.name.startswith("events.out.tfevents.")
    assert events[0]["file_version"] == "brain.Event:2"
    assert [(e["step"], e["scalars"]) for e in events[1:]] == [
        (1, {"train/loss": 0.25, "validation/accuracy": 0.875}),
        (2, {"train/loss": 0.125}),
    ]
    assert all(e["wall_time"] > 1e9 for e in events)


def test_corrupt_event_file_is_detected(tmp_path):
    with EventWriter(tmp_path) as writer:
        writer.add_scalars({"x": 1.0}, step=1)
    data = bytearray(writer.path.read_bytes())
    data[-6] ^= 0xFF  # flip a byte of the last payload
    writer.path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="bad payload CRC"):
        read_events(writer.path)


def test_record_framing_layout(tmp_path):
    with EventWriter(tmp_path) as writer:
        pass
    data = writer.path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    assert len(data) == 8 + 4 + length + 4
    assert struct.unpack("<I", data[8:12])[0] == masked_crc32c(data[:8])
