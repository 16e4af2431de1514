"""The library screen with Pilot: open, next/previous, filter, sort, Sources; and 10,000 rows."""

from __future__ import annotations

import json
import os

from annotations.analysis import analysis_cache_key
from annotations.analysis_cache import AnalysisCache
from annotations.corpus import build_corpus
from annotations.inputs import expand, load_input
from annotations.store import open_store
from tui.app import AnnotateApp, ReaderScreen
from tui.screens.library import LibraryScreen, LibraryTable
from tui.screens.sources import SourcesScreen
from tests.tui.conftest import screen_text, settle


def make_library(paths, tmp_path):
    store = open_store(tmp_path / "db.json")
    return AnnotateApp(None, store, run_analysis=False, paths=[str(p) for p in paths]), store


# what the analysis says each fake claim is about (``topic``: subjects, predicates, negated)
TOPICS = {
    "standstill,": {"subjects": ["e:harbor", "h:termin"], "predicates": ["w:stands"], "negated": False},
    "not at a standstill": {"subjects": ["e:harbor", "h:termin"], "predicates": ["w:stands"], "negated": True},
}


def fake_analysis(document, claims):
    """A contract dict with the given claims ((text, speaker) pairs found in the document)."""
    out = []
    for number, (text, speaker) in enumerate(claims, 1):
        start = document.text.index(text)
        s_start = document.text.index(speaker) if speaker else 0
        out.append({"id": f"c{number}", "start": start, "end": start + len(text), "text": text,
                    "speaker": {"text": speaker, "start": s_start, "end": s_start + len(speaker)} if speaker else None,
                    "channel": None, "cues": [], "score": 0.8})
        topic = next((t for fragment, t in TOPICS.items() if fragment in text), None)
        if topic:
            out[-1]["topic"] = topic
    return {"schema": "annotate.analysis/1",
            "document": {"path": document.path, "sha256": document.sha256, "chars": document.chars},
            "model": {"name": "x", "version": "0"}, "entities": [], "claims": out, "notes": [], "contradictions": []}


async def test_library_lists_articles_with_metadata_and_enter_opens_one(story, tmp_path):
    paths = expand([str(story)]).paths
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        shown = screen_text(app)
        assert "Port workers walk out over pay" in shown and "Harbor Gazette" in shown and "2026-03-14" in shown
        assert "Authority says port is open" in shown  # a Markdown heading is the title
        assert "4 articles" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.document.path == paths[0]
    store.close()


async def test_next_and_previous_move_along_the_list_and_l_returns(story, tmp_path):
    paths = expand([str(story)]).paths
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        assert app.screen.document.path == paths[1]
        await pilot.press("N")
        await settle(pilot)
        assert app.screen.document.path == paths[2]
        await pilot.press("P")
        await settle(pilot)
        assert app.screen.document.path == paths[1]
        assert len(app.screen_stack) == 2  # the reader replaced, never stacked
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.library.table.current_entry_index() == 1
    store.close()


async def test_annotations_made_in_the_reader_show_in_the_library_count(story, tmp_path):
    paths = expand([str(story)]).paths
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("w", "1")  # select a word, tag it with label 1
        await settle(pilot)
        assert len(store.annotations(app.screen.document.sha256)) == 1
        await pilot.press("L")
        await settle(pilot)
        assert app.entries[0].mine == 1
    store.close()


async def test_filter_narrows_the_list_and_enter_opens_the_match(story, tmp_path):
    paths = expand([str(story)]).paths
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"gazette")
        await settle(pilot)
        table = app.library.table
        assert [app.entries[i].path for i in table.rows] == [str(story / "page.html")]
        assert "1 of 4 articles shown" in screen_text(app)
        await pilot.press("enter", "enter")  # keep the filter, then open
        await settle(pilot)
        assert app.screen.document.path.endswith("page.html")
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("slash", "escape")  # escape clears the filter
        await settle(pilot)
        assert len(table.rows) == 4
    store.close()


async def test_sort_by_column_and_reverse(story, tmp_path):
    paths = expand([str(story)]).paths
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")  # title
        await settle(pilot)
        titles = [app.entries[i].title for i in app.library.table.rows]
        assert titles == sorted(titles, key=str.casefold)
        await pilot.press("r")
        await settle(pilot)
        assert [app.entries[i].title for i in app.library.table.rows] == titles[::-1]
        assert "▼" in screen_text(app)
    store.close()


async def test_markup_in_titles_and_names_is_shown_as_text(tmp_path):
    odd = tmp_path / "[bold]odd[@click=app.quit].txt"
    odd.write_text("[red]Title[/red] [@click=app.quit]x[/]\n\nBody.\n", encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Plain\n", encoding="utf-8")
    app, store = make_library([odd, plain], tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        assert "[red]Title[/red]" in screen_text(app)
    store.close()


async def test_sources_view_lists_speakers_across_articles_and_opens_the_claim(story, tmp_path):
    paths = [str(story / "strike.txt"), str(story / "denial.md"), str(story / "council.txt")]
    cache = AnalysisCache()
    claims = {
        "strike.txt": [("\"The container terminal is at a standstill,\" said Maria Okafor", "Maria Okafor")],
        "denial.md": [("\"The container terminal is not at a standstill; reports of a shutdown are false,\" "
                       "said Paul Brennan", "Paul Brennan")],
        "council.txt": [("The city council approved the budget on Tuesday, Mayor Lena Ortiz said.", "Lena Ortiz")],
    }
    for path in paths:
        document = load_input(path)
        cache.put(analysis_cache_key(document), fake_analysis(document, claims[os.path.basename(path)]))
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 34)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, SourcesScreen)
        shown = screen_text(app)
        assert "Maria Okafor" in shown and "Paul Brennan" in shown and "Lena Ortiz" in shown
        assert "Contradictions across articles (1)" in shown
        # the contradiction list: header row, then both claims; open the second (denial.md)
        await pilot.press("tab")
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.document.path.endswith("denial.md")
        start = reader.document.text.index("\"The container")
        assert reader.article.cursor == start
    store.close()


def test_ten_thousand_entries_sort_and_filter_without_reading_files(tmp_path):
    from annotations.library import Entry, sorted_filtered

    entries = [Entry(f"/news/{n:05d}.txt", title=f"Story {n}", outlet=f"Outlet {n % 7}") for n in range(10_000)]
    rows = sorted_filtered(entries, "outlet 3", "title", False)
    assert len(rows) == 10_000 // 7 + (1 if 10_000 % 7 > 3 else 0)
    assert rows == sorted(rows, key=lambda i: entries[i].title.casefold())


async def test_library_with_ten_thousand_articles_stays_responsive(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(10_000):
        (folder / f"{n:05d}.txt").write_text(f"Story number {n}\n\nBody {n}.\n", encoding="utf-8")
    paths = expand([str(folder)]).paths
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await pilot.pause()
        table = app.library.table
        assert isinstance(table, LibraryTable) and len(table.rows) == 10_000
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == 9_999
        await settle(pilot)
        assert "Story number 9999" in screen_text(app), screen_text(app)
        await pilot.press("slash", *"number 42")
        await pilot.pause()
        assert all("number 42" in app.entries[i].title for i in table.rows)
        assert 1 <= len(table.rows) <= 200
    store.close()


def test_cross_article_contradiction_is_found_and_same_article_pairs_are_not(story):
    strike = load_input(str(story / "strike.txt"))
    denial = load_input(str(story / "denial.md"))
    a = fake_analysis(strike, [("\"The container terminal is at a standstill,\" said Maria Okafor", "Maria Okafor")])
    b = fake_analysis(denial, [("\"The container terminal is not at a standstill; reports of a shutdown are false,\" "
                                "said Paul Brennan", "Paul Brennan")])
    corpus = build_corpus([(0, strike.path, "Strike", a), (1, denial.path, "Denial", b)])
    assert len(corpus.contradictions) == 1
    found = corpus.contradictions[0]
    assert {found.a.speaker, found.b.speaker} == {"Maria Okafor", "Paul Brennan"}
    assert {"harbor", "termin", "stands"} <= set(found.shared)
    # the same two claims inside one article are that article's business, not a cross-article one
    corpus = build_corpus([(0, strike.path, "Strike", a), (0, strike.path, "Strike", b)])
    assert corpus.contradictions == []
    names = {s.name: s.articles for s in build_corpus([(0, "a", "A", a), (1, "b", "B", b)]).sources}
    assert names == {"Maria Okafor": 1, "Paul Brennan": 1}


def test_a_surname_joins_its_full_name_across_articles_only_as_an_alias(story):
    strike = load_input(str(story / "strike.txt"))
    a = fake_analysis(strike, [("\"The container terminal is at a standstill,\" said Maria Okafor", "Maria Okafor")])
    b = json.loads(json.dumps(a))
    b["claims"][0]["speaker"]["text"] = "Okafor"
    corpus = build_corpus([(0, "a", "A", a), (1, "b", "B", b)])
    assert sorted((s.name, s.articles) for s in corpus.sources) == [("Maria Okafor", 1), ("Okafor", 1)]
    # the article's speakers list says "Okafor" there is Maria Okafor: one source
    b["speakers"] = [{"id": "s1", "name": "Okafor", "kind": "person", "generic": False,
                      "variants": ["Okafor", "Maria Okafor"]}]
    b["claims"][0]["speaker_id"] = "s1"
    corpus = build_corpus([(0, "a", "A", a), (1, "b", "B", b)])
    assert [(s.name, s.articles) for s in corpus.sources] == [("Maria Okafor", 2)]


async def test_palette_and_help_list_the_article_keys(story, tmp_path):
    paths = expand([str(story)]).paths
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"sort")
        await settle(pilot)
        assert "Library: Sort" in screen_text(app)
        await pilot.press("escape", "enter")
        await settle(pilot)
        await pilot.press("ctrl+p", *"next article")
        await settle(pilot)
        assert "Articles: Next article" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        sections = dict(app.screen.help_sections())
        assert ("N", app.BINDINGS[0].tooltip) in sections["Articles (library)"]
    store.close()


async def test_analyse_all_fills_status_and_counts_in_the_background(story, tmp_path):
    paths = [str(story / "strike.txt"), str(story / "council.txt")]
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        assert [e.status for e in app.entries] == ["not analysed", "not analysed"]
        await pilot.press("A")
        await settle(pilot)
        assert [e.status for e in app.entries] == ["analysed", "analysed"]
        assert all(e.claims is not None and e.claims >= 1 for e in app.entries)
        assert "2 analysed" in screen_text(app)
    store.close()


async def test_next_pressed_faster_than_the_reader_starts_leaves_one_working_reader(story, tmp_path):
    # Each N replaces a reader whose panel and store are still coming (after its first
    # paint): the replaced ones must stop quietly and the last one must work.
    paths = expand([str(story)]).paths
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(3):
            await pilot.press("N", "P", "N")
        await settle(pilot)
        assert app.is_running
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.ready
        assert len(app.screen_stack) == 2
        assert reader.document.path == paths[app.current]
        reader.article.select_range(0, 4)
        await pilot.press("1")
        await settle(pilot)
        assert [a.text for a in store.annotations(reader.document.sha256)] == [reader.document.text[:4]]
    store.close()


async def test_analyse_all_shows_each_rows_progress_and_the_title_stays_readable_at_80_columns(story, tmp_path):
    paths = [str(story / "strike.txt"), str(story / "council.txt")]
    app, store = make_library(paths, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        library = app.library
        seen: list[tuple[int, str | None]] = []
        show = library.show_row_progress

        def record(index, progress):
            seen.append((index, progress))
            show(index, progress)

        library.show_row_progress = record
        queued = []
        start = library.analyse_entries

        def spy(indexes):
            queued.append(dict(library.table.progress))
            return start(indexes)

        library.analyse_entries = spy
        await pilot.press("A")
        await settle(pilot)
        assert queued == [{0: "queued", 1: "queued"}]  # every row says it is waiting
        for index in (0, 1):
            steps = [progress for i, progress in seen if i == index]
            assert steps[0] == "analysing…" and steps[-1] is None  # its own state, then its result
            assert all(step.endswith("%") for step in steps[1:-1])
        assert not library.table.progress
        assert [e.status for e in app.entries] == ["analysed", "analysed"]
        # The Title column keeps a readable width at 80 columns: whole titles are shown.
        widths = dict((key, width) for key, _, width in LibraryTable.columns(80))
        assert widths["title"] >= 28 and "status" in widths and "claims" in widths
        text = screen_text(app)
        for entry in app.entries:
            assert entry.title[:28] in text
    store.close()
