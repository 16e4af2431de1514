"""Snapshots of the screens a user sees: the first screen and each dialog.

Update with ``pytest tests/snapshots --snapshot-update`` after a deliberate change, and
look at the SVGs (``tests/snapshots/__snapshots__``) before committing them.
"""

from __future__ import annotations

from pathlib import Path

from annotations.document import load_document
from annotations.model import new_annotation
from annotations.store import open_store
from tui.app import AnnotateApp
from tui.widgets.article_view import ArticleView

SEED = Path(__file__).resolve().parents[2] / "seeds" / "article.txt"
SIZE = (110, 32)


def seed_app(tmp_path) -> AnnotateApp:
    return AnnotateApp(load_document(SEED), open_store(tmp_path / "db.json"), run_analysis=False)


def test_first_screen(snap_compare, tmp_path):
    assert snap_compare(seed_app(tmp_path), terminal_size=SIZE)


def test_label_picker_filtered(snap_compare, tmp_path):
    async def select_and_tag(pilot):
        await pilot.pause()
        pilot.app.screen.query_one(ArticleView).select_range(11, 23)
        await pilot.press("t", "p", "e")
        await pilot.pause()

    assert snap_compare(seed_app(tmp_path), terminal_size=SIZE, run_before=select_and_tag)


def test_note_dialog(snap_compare, tmp_path):
    async def select_and_note(pilot):
        await pilot.pause()
        pilot.app.screen.query_one(ArticleView).select_range(11, 23)
        await pilot.press("n", *"Check the source.")
        await pilot.pause()

    assert snap_compare(seed_app(tmp_path), terminal_size=SIZE, run_before=select_and_note)


def test_overlap_picker(snap_compare, tmp_path):
    document = load_document(SEED)
    store = open_store(tmp_path / "db.json")
    store.add(new_annotation(document, 1, 23, label="PERSON"))
    store.add(new_annotation(document, 11, 30, label="GPE"))

    async def remove_where_two_overlap(pilot):
        await pilot.pause()
        pilot.app.screen.query_one(ArticleView).move_cursor(15)
        await pilot.press("x")
        await pilot.pause()

    app = AnnotateApp(document, store, run_analysis=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=remove_where_two_overlap)
