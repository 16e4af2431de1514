"""Accepting and rejecting the machine's suggestions, with the keys of the contract."""

from __future__ import annotations

from annotations.store import open_store
from tests.tui.conftest import settle
from tui.widgets.article_view import ArticleView

TEXT = (
    "Angela Merkel met Emmanuel Macron in Berlin on Monday.\n"
    "The chancellor said the talks were productive, according to a spokesman.\n"
)


def saved(tmp_path, app):
    store = open_store(tmp_path / "db.json")
    try:
        return store.annotations(app.document.sha256), store.rejected_suggestions(app.document.sha256)
    finally:
        store.close()


async def test_a_accepts_the_entity_under_the_cursor_recording_its_origin(make_app, tmp_path):
    app = make_app(TEXT, run_analysis=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one(ArticleView).move_cursor(TEXT.index("Berlin") + 2)
        await pilot.press("a")
        await pilot.pause()
        if app.screen.__class__.__name__ == "SpanPicker":  # a claim covers Berlin too: take the innermost
            await pilot.press("enter")
            await pilot.pause()
    anns, _ = saved(tmp_path, app)
    assert [(a.text, a.label) for a in anns] == [("Berlin", "GPE")]
    assert anns[0].origin.startswith("suggestion:entity:")


async def test_r_rejects_hides_and_undo_brings_back(make_app, tmp_path):
    app = make_app(TEXT, run_analysis=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one(ArticleView).move_cursor(1)
        await pilot.press("r")
        await pilot.pause()
        if screen.app.screen.__class__.__name__ == "SpanPicker":
            await pilot.press("enter")
            await pilot.pause()
        _, rejected = saved(tmp_path, app)
        assert len(rejected) == 1
        [key] = rejected
        assert key not in {item.key for item in screen.suggestions}
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert key in {item.key for item in screen.suggestions}
    _, rejected = saved(tmp_path, app)
    assert rejected == set()


async def test_braces_jump_between_pending_suggestions(make_app):
    app = make_app(TEXT, run_analysis=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        article = screen.query_one(ArticleView)
        starts = sorted({item.start for item in screen.suggestions})
        assert len(starts) >= 3
        article.move_cursor(starts[0])
        await pilot.press("right_curly_bracket")
        assert article.cursor == starts[1]
        await pilot.press("right_curly_bracket")
        assert article.cursor == starts[2]
        await pilot.press("left_curly_bracket")
        assert article.cursor == starts[1]


async def test_palette_accepts_all_suggestions_of_one_label(make_app, tmp_path):
    app = make_app(TEXT, run_analysis=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        people = [i for i in app.screen.suggestions if i.kind == "entity" and i.label == "PERSON"]
        assert len(people) >= 2
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"accept all PERSON")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
    anns, _ = saved(tmp_path, app)
    assert sorted(a.text for a in anns) == sorted(i.prompt.plain.split(maxsplit=1)[1] for i in people)
    assert {a.label for a in anns} == {"PERSON"}


async def test_accepted_claim_carries_the_label_and_note_the_exports_give_it(make_app, tmp_path):
    from annotations.suggestions import suggestion_records

    app = make_app(TEXT, run_analysis=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        claim = next(i for i in app.screen.suggestions if i.kind == "claim")
        app.screen.accept_all("claim", None)
        await pilot.pause()
        records = {r["key"]: r for r in suggestion_records(app.screen.analysis, app.document.text)}
    anns, _ = saved(tmp_path, app)
    accepted = next(a for a in anns if a.origin == f"suggestion:{claim.key}")
    assert accepted.label == "CLAIM"
    assert accepted.note == records[claim.key]["note"]
