"""Keys in the Sources view: enter opens the article with the claim on screen and
selected, q quits, escape goes back (issue 15)."""

from __future__ import annotations

import os

from annotations.analysis import analysis_cache_key
from annotations.analysis_cache import AnalysisCache
from annotations.inputs import load_input
from tests.many.test_library import fake_analysis, make_library
from tests.tui.conftest import screen_text, settle
from tui.app import ReaderScreen
from tui.screens.sources import SourcesScreen

CLAIMS = {
    "strike.txt": [("\"The container terminal is at a standstill,\" said Maria Okafor", "Maria Okafor")],
    "council.txt": [("The city council approved the budget on Tuesday, Mayor Lena Ortiz said.", "Lena Ortiz")],
}


def library_with_claims(story, tmp_path):
    paths = [str(story / "strike.txt"), str(story / "council.txt")]
    cache = AnalysisCache()
    for path in paths:
        document = load_input(path)
        cache.put(analysis_cache_key(document), fake_analysis(document, CLAIMS[os.path.basename(path)]))
    return make_library(paths, tmp_path)


async def test_enter_on_a_claim_opens_the_article_with_the_claim_selected_and_on_screen(story, tmp_path):
    app, store = library_with_claims(story, tmp_path)
    async with app.run_test(size=(100, 14)) as pilot:  # short: the claim must be scrolled to
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, SourcesScreen)
        listing = app.screen.query_one("#sources-list")
        keys = app.screen.keys
        listing.highlighted = keys.index(next(k for k in keys if "lena" in k.lower()))
        await pilot.pause()
        await pilot.press("enter", "enter")  # to the claims, then open
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.document.path.endswith("council.txt")
        claim = CLAIMS["council.txt"][0][0]
        start = reader.document.text.index(claim)
        assert reader.article.selection == (start, start + len(claim))
        assert "city council approved" in screen_text(app)
    store.close()


async def test_q_quits_from_the_sources_view_and_escape_goes_back(story, tmp_path):
    app, store = library_with_claims(story, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, SourcesScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SourcesScreen)
        await pilot.press("W")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running and app.return_code == 0
    store.close()
