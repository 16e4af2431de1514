"""Keys that do what they say: panel tabs, tagging, suggestions, dialogs, toasts (issue 15)."""

from __future__ import annotations

import pytest

from annotations.store import open_store
from tests.tui.conftest import notifications
from tui.widgets.article_view import ArticleView

TEXT = (
    "Officials in Paris said on Monday that the talks had failed.\n\n"
    "A spokesman for the Kremlin denied the report, calling it false.\n"
)


def saved(tmp_path, app) -> list:
    store = open_store(tmp_path / "db.json")
    try:
        return store.annotations(app.document.sha256)
    finally:
        store.close()


async def until_ready(pilot) -> None:
    """The reader mounts its panel and opens the store right after first paint; a loaded
    machine can take seconds."""
    import asyncio

    await pilot.pause()
    for _ in range(600):
        if getattr(pilot.app.screen, "ready", True):
            break
        await asyncio.sleep(0.05)
    await pilot.pause()


async def select(pilot, app, start: int, end: int) -> None:
    app.screen.query_one(ArticleView).select_range(start, end)
    await pilot.pause()


async def test_panel_tab_keys_show_each_tab_and_the_cursor_leaves_a_chosen_tab_alone(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        panel = app.screen.side_panel
        article = app.screen.query_one(ArticleView)
        start = TEXT.index("Paris")
        await select(pilot, app, start, start + 5)
        await pilot.press("1")
        await pilot.pause()
        # Not chosen yet: the cursor on your annotation shows the tab that lists it.
        article.move_cursor(0)
        await pilot.pause()
        article.move_cursor(start + 1)
        await pilot.pause()
        assert panel.active_tab == "mine"
        for key, tab in (("C", "claims"), ("R", "reliability"), ("E", "entities"), ("M", "mine"), ("C", "claims")):
            await pilot.press(key)
            await pilot.pause()
            assert panel.active_tab == tab
            assert isinstance(app.focused, ArticleView)  # the article keeps the keys
        article.move_cursor(0)
        await pilot.pause()
        article.move_cursor(start + 1)
        await pilot.pause()
        assert panel.active_tab == "claims"


async def test_the_footer_and_help_name_the_panel_tab_keys(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(160, 30)) as pilot:
        await until_ready(pilot)
        help_rows = [row for _title, rows in app.screen.help_sections() for row in rows]
        for key, title in (("E", "Entities"), ("C", "Claims"), ("R", "Reliability"), ("M", "My annotations")):
            assert any(keys == key and title in text for keys, text in help_rows)
        assert ("ECRM", "Panel tab") in app.screen.query_one("KeyBar").entries


async def test_the_footer_at_80_columns_keeps_help_and_export_and_names_only_the_labels_there_are(make_app):
    from annotations.labels import Label

    labels = [Label("PERSON", "a person"), Label("PLACE", "a place")]
    app = make_app(TEXT, labels=labels)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_ready(pilot)
        footer = str(app.screen.query_one("KeyBar").render())
        assert "? Help" in footer and "e Export" in footer
        assert ("1–2", "Label") in app.screen.query_one("KeyBar").entries


async def test_a_remapped_key_shows_in_the_footer_help_and_palette(make_app, isolated_user_folders, tmp_path):
    from tui.commands import AnnotateCommands

    config = isolated_user_folders / "config"
    config.mkdir()
    (config / "config.toml").write_text('[keymap]\n"annotate.tag" = "T"\n', encoding="utf-8")
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        assert ("T", "Tag") in app.screen.query_one("KeyBar").entries
        help_rows = dict((text, keys) for _title, rows in app.screen.help_sections() for keys, text in rows)
        assert help_rows["Tag the selection (label picker)"] == "T"
        commands = {name: help_text for name, help_text, _ in AnnotateCommands(app.screen).commands()}
        assert commands["Annotate: Tag"].endswith("(T)")
        assert commands["Annotate: Label 1: PERSON"].startswith("Tag the selection with PERSON")
        # and the new key tags
        await select(pilot, app, 0, 9)
        await pilot.press("T")
        await pilot.pause()
        assert type(app.screen).__name__ == "TagPicker"


async def test_palette_entries_name_each_label_and_only_the_labels_there_are(make_app):
    from annotations.labels import Label
    from tui.commands import AnnotateCommands

    app = make_app(TEXT, labels=[Label("PERSON"), Label("PLACE")])
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        names = [name for name, _help, _ in AnnotateCommands(app.screen).commands()]
        assert "Annotate: Label 1: PERSON" in names and "Annotate: Label 2: PLACE" in names
        assert not any(name.startswith("Annotate: Label 3") for name in names)


async def test_after_tagging_n_x_and_the_boundary_keys_act_on_the_new_annotation(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        start = TEXT.index("Paris")
        article = app.screen.query_one(ArticleView)
        article.move_cursor(start)
        await pilot.press(*["shift+right"] * 5, "1")  # the cursor ends after "Paris"
        await pilot.pause()
        await pilot.press("n", *"which Paris?", "ctrl+s")
        await pilot.pause()
        [ann] = saved(tmp_path, app)
        assert (ann.text, ann.label, ann.note) == ("Paris", "PERSON", "which Paris?")
        await pilot.press("full_stop")  # the start one right
        await pilot.pause()
        [ann] = saved(tmp_path, app)
        assert ann.text == "aris"
        await pilot.press("x")
        await pilot.pause()
    assert saved(tmp_path, app) == []


async def test_the_tagged_word_stays_under_the_cursor_after_a_label_picked_in_the_picker(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        start = TEXT.index("Kremlin")
        await select(pilot, app, start, start + 7)
        await pilot.press("t", *"org", "enter")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
    assert saved(tmp_path, app) == []


def analysis_with(entities: list[tuple[str, str]]) -> dict:
    return {"entities": [{"start": TEXT.index(t), "end": TEXT.index(t) + len(t), "text": t, "label": label}
                         for t, label in entities], "claims": [], "notes": [], "contradictions": []}


async def show_analysis(pilot, app, analysis: dict) -> None:
    from tui.messages import AnalysisReady

    app.screen.post_message(AnalysisReady(analysis, from_cache=True))
    await pilot.pause()


async def test_accepting_a_suggestion_you_already_tagged_adds_nothing(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        await show_analysis(pilot, app, analysis_with([("Paris", "GPE"), ("Kremlin", "ORG")]))
        start = TEXT.index("Paris")
        await select(pilot, app, start, start + 5)
        await pilot.press("t", *"gpe", "enter")  # tagged by hand first
        await pilot.pause()
        app.screen.query_one(ArticleView).move_cursor(start + 1)
        await pilot.press("a")
        await pilot.pause()
        assert "already annotated" in notifications(app).lower()
        assert [(a.text, a.label) for a in saved(tmp_path, app)] == [("Paris", "GPE")]
        app.screen.accept_all("entity", None)  # the palette's "accept all entity suggestions"
        await pilot.pause()
    anns = sorted((a.text, a.label) for a in saved(tmp_path, app))
    assert anns == [("Kremlin", "ORG"), ("Paris", "GPE")]


async def test_undo_and_redo_toasts_say_what_in_words(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        await show_analysis(pilot, app, analysis_with([("Kremlin", "ORG")]))
        start = TEXT.index("Kremlin")
        await select(pilot, app, start, start + 7)
        await pilot.press("1", "ctrl+z")
        await pilot.pause()
        assert "Undone: tag PERSON on ‘Kremlin’" in notifications(app)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert "Redone: tag PERSON on ‘Kremlin’" in notifications(app)
        app.screen.query_one(ArticleView).move_cursor(start + 1)
        await pilot.press("x", "r", "ctrl+z", "ctrl+z")
        await pilot.pause()
        text = notifications(app)
        assert "Undone: reject entity suggestion on ‘Kremlin’" in text
        assert "Undone: remove PERSON on ‘Kremlin’" in text
        assert "entity:" not in text and "ann:" not in text


async def test_a_failed_export_keeps_the_dialog_open_with_the_error_and_the_typed_path(make_app, tmp_path):
    from tests.tui.conftest import screen_text

    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    target = str(blocker / "out.json")
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path").value = target
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExportDialog"
        assert app.screen.query_one("#export-path").value == target
        assert "Export failed" in screen_text(app) and "plain-file" in screen_text(app)
        # fixing the path and exporting again works, and closes the dialog
        app.screen.query_one("#export-path").value = str(tmp_path / "out.json")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
    assert (tmp_path / "out.json").exists()


async def test_escape_in_the_note_editor_asks_before_discarding_typed_text(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        await select(pilot, app, 0, 9)
        await pilot.press("n", *"draft", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("n")  # keep editing: the text is still there
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteEditor"
        assert app.screen.query_one("TextArea").text == "draft"
        await pilot.press("escape", "y")  # discard
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
        await pilot.press("n", "escape")  # nothing typed: closes at once
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
    assert saved(tmp_path, app) == []


async def test_library_keys_with_one_article_say_why_they_do_nothing(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        for key in ("W", "N", "P", "L"):
            app._notifications.clear()
            await pilot.press(key)
            await pilot.pause()
            assert "Only one article is open" in notifications(app), key
        assert not any(keys in ("N", "P", "L", "W") for keys, _ in app.screen.query_one("KeyBar").entries)


@pytest.mark.parametrize("key, screen", [("question_mark", "HelpScreen"), ("l", "LayersScreen")])
async def test_q_quits_from_a_screen_over_the_reader_and_escape_goes_back(make_app, key, screen):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_ready(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == screen
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
        await pilot.press(key)
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
