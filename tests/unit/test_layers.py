"""The remembered layer choice (tui/layers.py): defaults, a foreign or broken file, a folder
that cannot be written; and the readable width setting of config.toml."""

from __future__ import annotations

from annotations import paths
from tui.config import DEFAULT_MAX_WIDTH, reader_max_width
from tui.layers import LAYERS, LAYERS_FILENAME, defaults, entity_kind, hidden_kinds, load_layers, save_layers


def test_quiet_defaults_and_a_saved_choice_round_trips():
    chosen = load_layers()
    assert chosen == defaults()
    assert {"entity-date", "entity-number", "weak"} == {key for key, on in chosen.items() if not on}
    chosen["claim"] = False
    assert save_layers(chosen) is None
    assert load_layers()["claim"] is False
    assert "claim" in hidden_kinds(load_layers()) and "weak" not in hidden_kinds(load_layers())


def test_a_broken_or_foreign_file_means_the_defaults_never_a_crash():
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for content in ("{not json", '["a list"]', '{"claim": "no", "unknown": false}', "\x00\xff"):
        (folder / LAYERS_FILENAME).write_text(content, "utf-8", errors="surrogateescape")
        assert load_layers() == defaults()


def test_a_config_folder_that_cannot_be_written_is_reported_not_raised(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv("ANNOTATE_CONFIG_DIR", str(blocker / "config"))
    problem = save_layers(defaults())
    assert problem and str(blocker) in problem


def test_every_entity_label_has_a_layer_and_unknown_labels_one_too():
    labels = [label for layer in LAYERS for label in layer.labels]
    assert len(labels) == len(set(labels))
    assert entity_kind("PERSON") == "entity-person" and entity_kind("GPE") == "entity-place"
    assert entity_kind("SOMETHING_NEW").startswith("entity-")


def test_max_width_from_config_toml():
    assert reader_max_width({}) == DEFAULT_MAX_WIDTH
    assert reader_max_width({"reader": {"max_width": 72}}) == 72
    assert reader_max_width({"reader": {"max_width": 0}}) == 0
    for bad in (5, "wide", True, -3, 1.5):
        assert reader_max_width({"reader": {"max_width": bad}}) == DEFAULT_MAX_WIDTH
