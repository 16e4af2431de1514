"""Snapshots of the screens a user sees: the first screen and each dialog.

Update with ``pytest tests/snapshots --snapshot-update`` after a deliberate change, and
look at the SVGs (``tests/snapshots/__snapshots__``) before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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


# ----- issue 15: plain words, the help with its glossary, the layers menu ---------------------

SIZES = {"80x24": (80, 24), "160x45": (160, 45)}


def plain_words_app(tmp_path) -> AnnotateApp:
    from tests.tui.test_plain_words import TEXT

    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return AnnotateApp(load_document(path), open_store(tmp_path / "db.json"), run_analysis=False)


async def _with_analysis(pilot) -> None:
    from tests.tui.test_plain_words import analysis
    from tui.messages import AnalysisReady

    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    pilot.app.screen.post_message(AnalysisReady(analysis(), from_cache=True))
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_help_with_glossary(snap_compare, tmp_path, size):
    async def open_help(pilot):
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        # The part a newcomer needs most: the highlights and the glossary.
        pilot.app.screen.query_one("#glossary-title").scroll_visible(top=True, animate=False)
        await pilot.pause()

    assert snap_compare(seed_app(tmp_path), terminal_size=SIZES[size], run_before=open_help)


@pytest.mark.parametrize("size", SIZES)
def test_panel_in_plain_words(snap_compare, tmp_path, size):
    async def show_reliability(pilot):
        await _with_analysis(pilot)
        screen = pilot.app.screen
        screen.article.move_cursor(screen.document.text.index("Trump"))
        await pilot.pause()
        screen.side_panel.show_tab("reliability")
        await pilot.pause()

    assert snap_compare(plain_words_app(tmp_path), terminal_size=SIZES[size], run_before=show_reliability)


@pytest.mark.parametrize("size", SIZES)
def test_layers_menu(snap_compare, tmp_path, size):
    async def open_layers(pilot):
        await _with_analysis(pilot)
        await pilot.press("l")
        await pilot.pause()

    assert snap_compare(plain_words_app(tmp_path), terminal_size=SIZES[size], run_before=open_layers)
