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
        footer = "".join(str(key.render()) for key in app.screen.query("FooterKey"))
        assert "ECRM" in footer.replace(" ", "")
