"""YAML loading keeps line and column of every value; --set overrides."""

from __future__ import annotations

import pytest

from headwater.pipelines.errors import ConfigError
from headwater.pipelines.yamlfile import apply_override, load_yaml, parse_yaml


def test_marks_point_at_values_and_keys():
    doc = parse_yaml("train:\n  epochs: 3\n  lr: 0.1\nfeatures:\n  - drop: [a]\n")
    assert doc.value == {"train": {"epochs": 3, "lr": 0.1}, "features": [{"drop": ["a"]}]}
    assert doc.marks[("train", "lr")] == (3, 7)
    assert doc.key_marks[("train", "lr")] == (3, 3)
    assert doc.marks[("features", 0, "drop", 0)] == (5, 12)


def test_locate_falls_back_to_the_nearest_parent():
    doc = parse_yaml("train:\n  epochs: 3\n")
    # the value of `train` (a mapping) starts on line 2, column 3
    assert doc.locate(("train", "missing")) == ("<config>", 2, 3)


def test_keys_are_names_as_written_not_yaml_booleans():
    # YAML 1.1 reads a bare `on` as True; a join's `on:` must stay "on"
    doc = parse_yaml("joins:\n  - {right: r, on: [id]}\n")
    assert doc.value == {"joins": [{"right": "r", "on": ["id"]}]}


def test_duplicate_key_is_an_error_with_its_position():
    with pytest.raises(ConfigError) as err:
        parse_yaml("name: a\nname: b\n", source="p.yaml")
    assert "p.yaml:2:1: name: duplicate key" in str(err.value)


def test_malformed_yaml_names_line_and_column():
    with pytest.raises(ConfigError) as err:
        parse_yaml("train:\n  epochs: [1, 2\n", source="p.yaml")
    issue = err.value.issues[0]
    assert issue.line is not None and "not valid YAML" in issue.message


def test_missing_file():
    with pytest.raises(ConfigError, match="pipeline file not found"):
        load_yaml("/no/such/pipeline.yaml")


def test_overrides_parse_values_as_yaml_and_mark_their_source():
    doc = parse_yaml("train:\n  epochs: 3\nfeatures:\n  - drop: [a]\n")
    apply_override(doc, "train.epochs=7")
    apply_override(doc, "model.hidden=[8, 4]")
    apply_override(doc, "features.0.drop=[b]")
    assert doc.value["train"]["epochs"] == 7
    assert doc.value["model"] == {"hidden": [8, 4]}
    assert doc.value["features"][0]["drop"] == ["b"]
    assert doc.locate(("train", "epochs")) == ("--set", None, None)


@pytest.mark.parametrize("bad, message", [
    ("train.epochs", "expects key.path=value"),
    ("features.5.drop=[a]", "no list item"),
    ("train.epochs.x=1", "cannot set"),
])
def test_bad_overrides(bad, message):
    doc = parse_yaml("train:\n  epochs: 3\nfeatures:\n  - drop: [a]\n")
    with pytest.raises(ConfigError, match=message):
        apply_override(doc, bad)
