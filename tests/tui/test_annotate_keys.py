"""The contract's keys, pressed with Pilot; what counts is what the store file holds afterwards."""

from __future__ import annotations

from annotations.store import open_store
from tui.widgets.article_view import ArticleView

TEXT = (
    "Officials in Paris said on Monday that the talks had failed.\n\n"
    "A spokesman denied the report, calling it false.\n"
)


def saved(tmp_path, app) -> list:
    """The annotations for the app's document, read back from the file by a new store."""
    store = open_store(tmp_path / "db.json")
    try:
        return store.annotations(app.document.sha256)
    finally:
        store.close()


async def select(pilot, app, start: int, end: int) -> None:
    app.screen.query_one(ArticleView).select_range(start, end)
    await pilot.pause()


async def test_shift_right_then_1_tags_with_the_first_label(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*["shift+right"] * 9)
        await pilot.press("1")
        await pilot.pause()
    anns = saved(tmp_path, app)
    assert [(a.start, a.end, a.text, a.label) for a in anns] == [(0, 9, "Officials", "PERSON")]


async def test_t_opens_picker_type_to_filter_enter_tags(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        start = TEXT.index("Paris")
        await select(pilot, app, start, start + 5)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("g", "p", "e")
        await pilot.press("enter")
        await pilot.pause()
    anns = saved(tmp_path, app)
    assert [(a.text, a.label, a.origin) for a in anns] == [("Paris", "GPE", "user")]


async def test_n_writes_a_multiline_note_and_ctrl_s_saves(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        start = TEXT.index("talks")
        await select(pilot, app, start, start + 5)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"which talks", "enter", *"check")
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one(ArticleView).move_cursor(start + 1)
        await pilot.pause()
        assert "which talks" in str(app.screen.query_one("#detail-line").render())
    anns = saved(tmp_path, app)
    assert [(a.text, a.note) for a in anns] == [("talks", "which talks\ncheck")]


async def test_escape_cancels_the_note(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 9)
        await pilot.press("n", "h", "i", "escape")
        await pilot.pause()
    assert saved(tmp_path, app) == []


async def test_x_removes_and_ctrl_z_ctrl_y_undo_and_redo(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 9)
        await pilot.press("2")  # ORG
        await pilot.pause()
        assert len(saved(tmp_path, app)) == 1
        app.screen.query_one(ArticleView).move_cursor(3)
        await pilot.press("x")
        await pilot.pause()
        assert saved(tmp_path, app) == []
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [a.label for a in saved(tmp_path, app)] == ["ORG"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert saved(tmp_path, app) == []
        await pilot.press("ctrl+y", "ctrl+y")
        await pilot.pause()
        assert saved(tmp_path, app) == []
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [a.label for a in saved(tmp_path, app)] == ["ORG"]


async def test_delete_key_removes_too(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 9)
        await pilot.press("1")
        app.screen.query_one(ArticleView).move_cursor(0)
        await pilot.press("delete")
        await pilot.pause()
    assert saved(tmp_path, app) == []


async def test_undo_survives_a_restart(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 9)
        await pilot.press("1")
        await pilot.pause()
    again = make_app(TEXT)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(saved(tmp_path, again)) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
    assert saved(tmp_path, again) == []


async def test_overlapping_annotations_ask_which_one_to_remove(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 18)
        await pilot.press("1")
        await select(pilot, app, 14, 19)
        await pilot.press("3")
        await pilot.pause()
        assert len(saved(tmp_path, app)) == 2
        app.screen.query_one(ArticleView).move_cursor(15)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SpanPicker"
        await pilot.press("down", "enter")
        await pilot.pause()
    anns = saved(tmp_path, app)
    assert [(a.start, a.end) for a in anns] == [(14, 19)]


async def test_brackets_jump_between_annotations(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        second = TEXT.index("spokesman")
        await select(pilot, app, 0, 9)
        await pilot.press("1")
        await select(pilot, app, second, second + 9)
        await pilot.press("1")
        article = app.screen.query_one(ArticleView)
        article.move_cursor(0)
        await pilot.press("right_square_bracket")
        assert article.cursor == second
        await pilot.press("left_square_bracket")
        assert article.cursor == 0


async def test_search_enter_selects_the_match_and_f3_finds_the_next(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"the", "enter")
        await pilot.pause()
        article = app.screen.query_one(ArticleView)
        assert article.has_focus
        first = TEXT.lower().index("the")
        assert article.selection == (first, first + 3)
        await pilot.press("f3")
        second = TEXT.lower().index("the", first + 1)
        assert article.selection == (second, second + 3)
        await pilot.press("shift+f3")
        assert article.selection == (first, first + 3)


async def test_letters_type_in_the_search_bar_instead_of_acting(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 9)
        await pilot.press("slash", "t", "1", "x", "q", "ctrl+z")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#search-bar").value == "t1xq"
    assert saved(tmp_path, app) == []


async def test_boundary_keys_move_the_annotation_under_the_cursor(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 9)
        await pilot.press("1")
        app.screen.query_one(ArticleView).move_cursor(2)
        await pilot.press("greater_than_sign", "greater_than_sign", "full_stop")
        await pilot.pause()
    [ann] = saved(tmp_path, app)
    assert (ann.start, ann.end, ann.text) == (1, 11, TEXT[1:11])


async def test_q_quits_with_everything_saved(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 9)
        await pilot.press("1", "q")
        await pilot.pause()
        assert not app.is_running
    assert len(saved(tmp_path, app)) == 1


async def test_x_on_nested_annotations_removes_the_innermost_without_asking(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await select(pilot, app, 0, 30)
        await pilot.press("1")
        await select(pilot, app, 14, 19)
        await pilot.press("3")
        app.screen.query_one(ArticleView).move_cursor(15)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReaderScreen"
    assert [(a.start, a.end) for a in saved(tmp_path, app)] == [(0, 30)]
