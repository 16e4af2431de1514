"""Keys that do what they say: panel tabs, tagging, suggestions, dialogs, toasts (issue 15)."""

from __future__ import annotations

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


async def select(pilot, app, start: int, end: int) -> None:
    app.screen.query_one(ArticleView).select_range(start, end)
    await pilot.pause()


async def test_panel_tab_keys_show_each_tab_and_the_cursor_leaves_a_chosen_tab_alone(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
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
        await pilot.pause()
        help_rows = [row for _title, rows in app.screen.help_sections() for row in rows]
        for key, title in (("E", "Entities"), ("C", "Claims"), ("R", "Reliability"), ("M", "My annotations")):
            assert any(keys == key and title in text for keys, text in help_rows)
        assert ("ECRM", "Panel tab") in app.screen.query_one("KeyBar").entries


async def test_the_footer_at_80_columns_keeps_help_and_export_and_names_only_the_labels_there_are(make_app):
    from annotations.labels import Label

    labels = [Label("PERSON", "a person"), Label("PLACE", "a place")]
    app = make_app(TEXT, labels=labels)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
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
        await pilot.pause()
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
        await pilot.pause()
        names = [name for name, _help, _ in AnnotateCommands(app.screen).commands()]
        assert "Annotate: Label 1: PERSON" in names and "Annotate: Label 2: PLACE" in names
        assert not any(name.startswith("Annotate: Label 3") for name in names)
