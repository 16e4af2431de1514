"""The reader: opens at once, fills the panel from the analysis worker, syncs panel and article."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import screen_text, settle
from tui.layers import entity_kind
from tui.widgets.article_view import ArticleView
from tui.widgets.side_panel import ItemList, SidePanel

SEED = Path(__file__).resolve().parents[2] / "seeds" / "article.txt"
INJECTION = "Before [/bold] [@click=app.quit]x [link=file:///etc/passwd]y[/link] \x1b]0;pwned\x07\x1b[31m after.\n"


async def test_seed_opens_showing_its_first_sentence(make_app):
    app = make_app(path=SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "President Donald Trump has asked" in screen_text(app)
        assert "article.txt" in screen_text(app)


async def test_analysis_worker_fills_entities_and_choosing_one_scrolls_the_article(make_app):
    app = make_app(path=SEED, run_analysis=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        entities = app.screen.query_one("#list-entities", ItemList)
        putin = [i for i in entities.items if app.screen.document.text[i.start:i.end] == "Vladimir Putin"]
        assert putin and putin[0].label == "PERSON"
        # Choose the last entity of the article, so the article has to scroll to show it.
        target = max(entities.items, key=lambda item: item.start)
        article = app.screen.query_one(ArticleView)
        assert article.scroll_offset.y == 0
        entities.focus()
        entities.highlighted = entities.index_of(target.key)
        await pilot.press("enter")
        await pilot.pause()
        assert article.cursor == target.start
        assert article.has_focus
        assert article.scroll_offset.y > 0
        assert app.screen.document.text[target.start:target.end] in screen_text(app)


async def test_moving_the_cursor_onto_an_entity_selects_it_in_the_panel(make_app):
    app = make_app(path=SEED, run_analysis=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(SidePanel)
        entities = panel.item_list("entities")
        article = app.screen.query_one(ArticleView)
        shown = [i for i in entities.items if entity_kind(i.label) not in article.hidden_kinds]
        item = shown[3]
        article.move_cursor(item.start)
        await pilot.pause()
        assert panel.active_tab == "entities"
        assert entities.highlighted_item is not None
        assert entities.highlighted_item.start <= item.start < entities.highlighted_item.end


async def test_second_open_fills_the_panel_from_the_cache_without_spacy(make_app, tmp_path):
    app = make_app(path=SEED, run_analysis=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    again = make_app(path=SEED, run_analysis=True, db=tmp_path / "db2.json")
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "(cached)" in screen_text(again)
        assert again.screen.query_one("#list-entities", ItemList).items


async def test_injection_article_shows_text_literally_and_runs_nothing(make_app):
    app = make_app(INJECTION)
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "[/bold] [@click=app.quit]x [link=file:///etc/passwd]y[/link]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "␛]0;pwned␇␛[31m" in shown
        # Clicking on the would-be link runs no action.
        await pilot.click(ArticleView, offset=(30, 0))
        await pilot.pause()
        assert app.is_running
        assert app.title.endswith("article.txt")


async def test_empty_article_opens(make_app):
    app = make_app("")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "right", "end", "pagedown")
        assert app.is_running


async def test_help_screen_lists_the_contract_keys(make_app):
    app = make_app("Some text.")
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        for key in ("ctrl+z", "ctrl+y", "f3", "delete"):
            assert key in shown, key
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReaderScreen"


async def test_tab_moves_focus_between_article_and_panel(make_app):
    app = make_app("Some text.")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, ArticleView)
        await pilot.press("tab")
        assert app.focused is not None and not isinstance(app.focused, ArticleView)
        await pilot.press("tab")
        assert isinstance(app.focused, ArticleView)


async def test_a_long_article_fills_the_entity_list_before_the_analysis_ends(make_app, monkeypatch):
    import annotations.analysis.run as run
    from tui.app import ReaderScreen

    split_text = run.split_text
    monkeypatch.setattr(run, "split_text", lambda text, max_chars: split_text(text, max_chars=2000))
    seen: list[tuple[int, bool]] = []
    real = ReaderScreen.on_entities_found

    def spy(screen, message):
        seen.append((len(message.entities), screen.analysis is None))
        real(screen, message)

    monkeypatch.setattr(ReaderScreen, "on_entities_found", spy)
    paragraph = "Angela Merkel met Emmanuel Macron in Berlin on Monday, officials said.\n"
    app = make_app(paragraph * 400, run_analysis=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.analysis is not None
    assert seen and all(before_end for _, before_end in seen)
    assert seen[0][0] > 0


async def test_claims_and_reliability_tabs_show_speakers_cues_and_severity(make_app):
    text = (
        "The mayor said on Monday that the bridge would reopen in May.\n"
        "According to an unnamed official, thousands of residents may have been affected.\n"
        "A spokesman denied the report, calling it false.\n"
    )
    app = make_app(text, run_analysis=True)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(SidePanel)
        claims = panel.item_list("claims")
        said = [item for item in claims.items if item.kind == "claim" and "mayor" in item.prompt.plain.lower()]
        assert said, [item.prompt.plain for item in claims.items]
        notes = panel.item_list("reliability")
        headers = [item.prompt.plain for item in notes.items if item.kind == "header"]
        assert headers and {h.split()[0] for h in headers} <= {"CRITICAL", "ERROR", "DANGER", "WARNING", "CAUTION", "INFO"}
        assert any(item.kind == "note" for item in notes.items)
        # Choosing a claim in the panel highlights it in the article and explains it below.
        panel.show_tab("claims")
        claims.focus()
        await pilot.pause()
        claims.highlighted = claims.index_of(said[0].key)
        await pilot.press("enter")
        await pilot.pause()
        article = app.screen.query_one(ArticleView)
        assert article.cursor == said[0].start
        assert "Claim" in str(app.screen.query_one("#detail-line").render())
