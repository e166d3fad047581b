"""The shipped entries: list/help/load, their recorded metrics reached again, and refusals
of unknown names, tampered files and unsafe archives."""

from __future__ import annotations

import importlib.util
import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest

import headwater as hw
from headwater.hub import HubError, IntegrityError, UnknownEntryError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["penguins", "diabetes", "digits_cnn", "char_lstm"]


def _build_hub():
    spec = importlib.util.spec_from_file_location("build_hub", ROOT / "scripts" / "build_hub.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _meta(name: str) -> dict:
    return json.loads((hw.hub.artifact_path(name) / "meta.json").read_text())


def test_list_help_and_the_shipped_files():
    assert set(SHIPPED) <= set(hw.hub.list())
    for name in SHIPPED:
        text = hw.hub.help(name)
        meta = _meta(name)
        assert "Metrics (recorded in the artifact's meta.json" in text and "Examples" in text
        value = meta["evaluation"]["value"]
        assert f"{meta['evaluation']['metric']} {value:.4g}" in text
        folder = hw.hub.artifact_path(name)
        assert sum(p.stat().st_size for p in folder.iterdir()) < 256 * 1024  # small enough to ship
        assert set(meta["files"]) | {"meta.json"} == {p.name for p in folder.iterdir()}
        assert meta["name"] == name and meta["version"] and meta["task"] and meta["inputs"]


def test_pyproject_ships_the_artifacts():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"hub/artifacts/*/*"' in text


@pytest.mark.parametrize("name", ["penguins", "diabetes"])
def test_a_shipped_pipeline_reaches_its_recorded_metric(name):
    meta = _meta(name)
    evaluation = meta["evaluation"]
    config = hw.hub.load(name).config
    source = next(iter(config.data.sources.values()))
    df = hw.read_csv(str(ROOT / evaluation["data"]), na_values=source.na_values)
    model = hw.hub.load(name)
    rows = np.asarray(evaluation["rows"])
    predicted = np.asarray(model.predict(df).tolist(), dtype=object)[rows]
    truth = np.asarray(df[model.target].tolist(), dtype=object)[rows]
    if evaluation["metric"] == "accuracy":
        value = float(np.mean(predicted == truth))
    else:
        value = float(np.sqrt(np.mean((predicted.astype(float) - truth.astype(float)) ** 2)))
    assert value == pytest.approx(evaluation["value"], rel=1e-6)
    assert evaluation["value"] == pytest.approx(meta["metrics"]["test"][evaluation["metric"]], rel=1e-9)
    if name == "penguins":
        assert value >= 0.95
        proba = model.predict_proba(df)
        assert proba.columns == [f"prob_{c}" for c in model.classes]
        np.testing.assert_allclose(proba.to_numpy().sum(axis=1), 1.0, rtol=1e-6)
    else:
        assert value < 65
        with pytest.raises(AttributeError, match="regression pipeline"):
            model.predict_proba(df)


def test_the_digits_cnn_reaches_its_recorded_accuracy():
    pytest.importorskip("sklearn")
    build_hub = _build_hub()
    meta = _meta("digits_cnn")
    model = hw.hub.load("digits_cnn")
    assert isinstance(model, hw.nn.Module) and not model.training
    accuracy = build_hub.digits_accuracy(model, meta["evaluation"]["rows"])
    assert accuracy == pytest.approx(meta["evaluation"]["value"], abs=1e-12)
    assert accuracy > 0.95
    untrained = hw.hub.load("digits_cnn", pretrained=False)
    assert type(untrained) is type(model)


def test_the_char_lstm_reaches_its_recorded_loss():
    build_hub = _build_hub()
    meta = _meta("char_lstm")
    model = hw.hub.load("char_lstm")
    assert model.vocabulary == meta["vocabulary"]
    loss = build_hub.char_loss(model, model.vocabulary, meta["evaluation"]["windows"])
    assert loss == pytest.approx(meta["evaluation"]["value"], rel=1e-5)
    assert loss < 0.75 * meta["metrics"]["uniform"]["loss"]  # it learned something about the text
    assert hw.hub.load("char_lstm", pretrained=False).vocabulary == model.vocabulary


def test_unknown_names_list_the_closest():
    with pytest.raises(UnknownEntryError, match=r"did you mean 'penguins'\?"):
        hw.hub.load("penguin")
    with pytest.raises(UnknownEntryError, match="did you mean 'digits_cnn'"):
        hw.hub.help("digit_cnn")
    with pytest.raises(UnknownEntryError, match="never fetches or runs a hubconf.py"):
        hw.hub.load("pytorch/vision", "resnet18")
    with pytest.raises(TypeError, match="torch.hub's repository options"):
        hw.hub.load("penguins", source="github", trust_repo=True)


def test_a_tampered_or_missing_file_is_named_and_refused(tmp_path):
    art = tmp_path / "penguins"
    shutil.copytree(hw.hub.artifact_path("penguins"), art)
    weights = art / "weights.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1
    weights.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match=r"weights.safetensors: sha256 .* refusing to load"):
        hw.hub.load(art)
    shutil.copy(hw.hub.artifact_path("penguins") / "weights.safetensors", weights)
    prep = json.loads((art / "preprocessing.json").read_text())
    prep["target"]["classes"].reverse()  # an edit that would silently swap labels
    (art / "preprocessing.json").write_text(json.dumps(prep))
    with pytest.raises(IntegrityError, match="preprocessing.json"):
        hw.hub.load(art)
    (art / "preprocessing.json").unlink()
    with pytest.raises(IntegrityError, match="'preprocessing.json' that meta.json lists is missing"):
        hw.hub.load(art)


def test_archives_load_and_unsafe_ones_are_refused(tmp_path):
    src = hw.hub.artifact_path("digits_cnn")
    with tarfile.open(tmp_path / "cnn.tgz", "w:gz") as tf:
        tf.add(src, arcname="digits_cnn")  # one top folder, as `tar czf` makes it
    model = hw.hub.load(tmp_path / "cnn.tgz")
    reference = hw.hub.load("digits_cnn")
    x = hw.rand(3, 1, 8, 8)
    with hw.no_grad():
        np.testing.assert_array_equal(model(x).numpy(), reference(x).numpy())
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as zf:
        zf.writestr("meta.json", (src / "meta.json").read_text())
        zf.writestr("../escape.txt", "x")
    with pytest.raises(HubError, match="points outside"):
        hw.hub.load(tmp_path / "evil.zip")
    with tarfile.open(tmp_path / "link.tar", "w") as tf:
        tf.add(src / "meta.json", arcname="meta.json")
        info = tarfile.TarInfo("weights.safetensors")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(info)
    with pytest.raises(HubError, match="link or special file"):
        hw.hub.load(tmp_path / "link.tar")
    hw.save(reference.state_dict(), tmp_path / "bare.safetensors")
    with pytest.raises(HubError, match="names no architecture"):
        hw.hub.load(tmp_path / "bare.safetensors")


def test_bare_model_state_that_does_not_fit_is_listed(tmp_path):
    art = tmp_path / "cnn"
    shutil.copytree(hw.hub.artifact_path("digits_cnn"), art)
    meta = json.loads((art / "meta.json").read_text())
    meta["architecture"]["kwargs"] = {"num_classes": 5}
    (art / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(RuntimeError, match="size mismatch for '9.weight'"):
        hw.hub.load(art)
    meta["architecture"] = {"name": "char_lstm", "kwargs": {"vocab": 10, "hidden": 4}}
    (art / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(RuntimeError, match="missing keys"):
        hw.hub.load(art)
    model = hw.hub.load(art, strict=False)
    assert "embed.weight" in model.hub_incompatible_keys.missing_keys
    assert "0.weight" in model.hub_incompatible_keys.unexpected_keys
