"""The new domain modules load no UI; the batch command loads no Textual."""

from __future__ import annotations

from tests.unit.test_import_contract import loaded


def test_many_article_modules_import_no_ui_and_no_spacy():
    modules = ["annotations.html", "annotations.inputs", "annotations.library", "annotations.corpus",
               "annotations.batch", "tui.batch_cli"]
    assert loaded(modules, forbidden=("textual", "rich", "spacy")) == ""
