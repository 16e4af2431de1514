"""The user's config.toml remaps keys by binding id; a broken one is reported, not fatal."""

from __future__ import annotations

from annotations.store import open_store
from tests.tui.conftest import notifications
from tui.widgets.article_view import ArticleView


async def test_keymap_remaps_a_binding_by_id(make_app, isolated_user_folders, tmp_path):
    config = isolated_user_folders / "config"
    config.mkdir()
    (config / "config.toml").write_text('[keymap]\n"annotate.label-1" = "f5"\n', encoding="utf-8")
    app = make_app("Some words here.")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(ArticleView).select_range(0, 4)
        await pilot.press("f5")
        await pilot.pause()
    store = open_store(tmp_path / "db.json")
    assert [(a.text, a.label) for a in store.annotations(app.document.sha256)] == [("Some", "PERSON")]


async def test_broken_config_is_reported_and_the_app_runs(make_app, isolated_user_folders):
    config = isolated_user_folders / "config"
    config.mkdir()
    (config / "config.toml").write_text("[keymap\n", encoding="utf-8")
    app = make_app("Some words here.")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.is_running
        assert "not valid TOML" in notifications(app)


async def test_broken_label_file_is_reported_at_start_and_the_defaults_are_used(make_app, isolated_user_folders):
    from annotations.labels import DEFAULT_LABELS

    config = isolated_user_folders / "config"
    config.mkdir()
    (config / "labels.toml").write_text("[[label]]\nname = \n", encoding="utf-8")
    app = make_app("Some words here.")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert "labels.toml" in notifications(app)  # before any key asked for a label
        assert [label.name for label in app.labels] == [label.name for label in DEFAULT_LABELS]
