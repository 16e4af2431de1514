"""Label sets: the defaults, TOML files, clear errors naming the file."""

from __future__ import annotations

import pytest

from annotations import paths
from annotations.labels import DEFAULT_LABELS, Label, LabelError, load_labels, user_labels


def test_defaults_cover_entities_claims_and_verdicts():
    names = [label.name for label in DEFAULT_LABELS]
    assert names == ["PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "DATE", "CLAIM", "SOURCE", "EVIDENCE",
                     "OPINION", "TRUE", "FALSE", "MISLEADING", "UNVERIFIED", "CHECK"]
    groups = {label.name: label.group for label in DEFAULT_LABELS}
    assert groups["PERSON"] == "entity" and groups["EVIDENCE"] == "claim" and groups["MISLEADING"] == "verdict"
    assert all(label.description for label in DEFAULT_LABELS)


def test_load_labels_keeps_the_file_order(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_text(
        '[[label]]\nname = "HEDGE"\ndescription = "Hedged wording"\ngroup = "claim"\ncolor = "#ffaa00"\n'
        '[[label]]\nname = "WRONG"\ngroup = "verdict"\n',
        encoding="utf-8",
    )
    assert load_labels(path) == [Label("HEDGE", "Hedged wording", "claim", "#ffaa00"), Label("WRONG", "", "verdict")]


def test_table_form_is_accepted(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_text('[labels.SPIN]\ndescription = "Spin"\n[labels.FACT]\ngroup = "verdict"\n', encoding="utf-8")
    assert [label.name for label in load_labels(path)] == ["SPIN", "FACT"]


@pytest.mark.parametrize(
    "content, problem",
    [
        ('[[label]\nname = "X"', "not valid TOML"),
        ('[[label]]\ndescription = "no name"\n', "needs a non-empty string 'name'"),
        ('[[label]]\nname = "TWO WORDS"\n', "one word"),
        ('[[label]]\nname = "X"\n[[label]]\nname = "X"\n', "defined twice"),
        ('[[label]]\nname = "X"\ndescripton = "typo"\n', "unknown key"),
        ('[[label]]\nname = "X"\ngroup = "mood"\n', "group 'mood'"),
        ('title = "labels"\n', "unknown top-level"),
        ("", "no labels"),
    ],
)
def test_bad_label_files_name_the_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "labels.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LabelError) as caught:
        load_labels(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_missing_and_folder_label_files(tmp_path):
    with pytest.raises(LabelError, match="no such label file"):
        load_labels(tmp_path / "missing.toml")
    with pytest.raises(LabelError, match="folder"):
        load_labels(tmp_path)


def test_user_labels_come_from_the_config_folder():
    assert user_labels() == DEFAULT_LABELS
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "labels.toml").write_text('[[label]]\nname = "MINE"\n', encoding="utf-8")
    assert [label.name for label in user_labels()] == ["MINE"]
