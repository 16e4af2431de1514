"""Issue 15, for a first-time reader: plain words (never a cue id), explanations in full,
quiet highlights (layers, confident cues first), several items under the cursor, search
counts. The analysis is a hand-made contract dict carrying every cue and note kind, so
every kind is checked, not the few one article happens to have."""

from __future__ import annotations

import json
import re

from textual.geometry import Region

from annotations.analysis.kinds import kinds
from tests.tui.conftest import notifications, screen_text, settle
from tui.layers import LAYERS, LAYERS_FILENAME, load_layers
from tui.messages import AnalysisReady
from tui.screens.explain import ExplainScreen
from tui.screens.help import HelpScreen
from tui.screens.layers import LayersScreen
from tui.screens.span_picker import SpanPicker
from tui.widgets.article_view import ArticleView
from tui.widgets.side_panel import SidePanel

TEXT = (
    "Officials said the TASS report was false, according to a source familiar with the matter.\n"
    "Donald Trump wrote on Truth Social that thousands of troops are surrounded and will surely die.\n"
    "The ministry denied it, calling the “evacuation” a lie.\n"
)
# Every internal id a reader could meet: the cue and note kinds, and the source table's kinds.
IDS = sorted({kind for kind in kinds() if "_" in kind} | {"state_media", "state_funded", "self_published"})
SNAKE = re.compile(r"\b(?:%s)\b" % "|".join(IDS))
CITATION = ("Wikipedia: Reliable sources/Perennial sources (en.wikipedia.org/wiki/Wikipedia:Reliable_sources/"
            "Perennial_sources), TASS entry (2022 RfC: generally unreliable for contested claims)")
RELIABILITY = ("usable for what Kremlin and Russian officials said; generally unreliable for contested facts, "
               "especially about the war in Ukraine, and never alone for casualty figures or troop positions")


def span(text: str, after: int = 0) -> dict:
    start = TEXT.index(text, after)
    return {"start": start, "end": start + len(text), "text": text}


def analysis() -> dict:
    """Claims whose cues are of every kind in the kind table, a note of every kind, weak cues,
    a contradiction and a source note with a long explanation and its citation."""
    first, second = TEXT.index("Officials"), TEXT.index("Donald")
    line2_end = TEXT.index("\n", second)
    words = ["Officials", "said", "TASS", "report", "false", "source familiar", "Donald Trump", "Truth Social",
             "thousands", "troops", "surrounded", "surely", "denied", "“evacuation”", "lie"]
    ids = sorted(kinds())
    cues = [{"kind": kind, **span(words[n % len(words)])} for n, kind in enumerate(ids)]
    claims = [
        {"id": "c1", "start": first, "end": TEXT.index("\n"), "text": TEXT[first:TEXT.index("\n")],
         "speaker": {"text": "Officials", "start": first, "end": first + 9}, "channel": {**span("TASS")},
         "cues": [c for c in cues if c["start"] < second], "score": 0.8,
         "weak_cues": [{"kind": "prediction", **span("report"), "confidence": 0.4}]},
        {"id": "c2", "start": second, "end": line2_end, "text": TEXT[second:line2_end],
         "speaker": {"text": "Donald Trump", **{k: v for k, v in span("Donald Trump").items() if k != "text"}},
         "channel": {**span("Truth Social")}, "cues": [c for c in cues if c["start"] >= second], "score": 0.65,
         "weak_cues": [{"kind": "hedge", **span("troops"), "confidence": 0.35}]},
    ]
    notes = [
        {**cue, "severity": kinds()[cue["kind"]].severity, "claims": ["c1" if cue["start"] < second else "c2"],
         "note": f"{kinds()[cue['kind']].what}: “{cue['text']}” — {kinds()[cue['kind']].why}."}
        for cue in cues if cue["kind"] != "source"
    ]
    notes.append({**span("TASS"), "kind": "source", "severity": "warning", "source": "TASS",
                  "source_kind": "state_media", "note": f"TASS: Russian state news agency: {RELIABILITY}",
                  "citation": CITATION, "date": "2022-04"})
    entities = [{**span("Donald Trump"), "label": "PERSON"}, {**span("TASS"), "label": "ORG"},
                {**span("thousands"), "label": "CARDINAL"}]
    return {"schema": "annotate.analysis/1", "document": {"path": "article.txt", "sha256": "", "chars": len(TEXT)},
            "model": {"name": "x", "version": "0"}, "entities": entities, "claims": claims, "notes": notes,
            "contradictions": [{"claims": ["c1", "c2"], "note": "Officials call false what Trump reports"}]}


async def with_analysis(pilot, data: dict | None = None) -> None:
    await settle(pilot)
    pilot.app.screen.post_message(AnalysisReady(data or analysis(), from_cache=True))
    await settle(pilot)


def squeeze(text: str) -> str:
    """Text without spaces and frame characters: what wraps the same at any width."""
    return re.sub(r"[\s▊▎▏│]", "", text)


def shown(widget) -> str:
    """What a widget shows on screen, as plain text."""
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


def panel_words(app) -> str:
    panel = app.screen.query_one(SidePanel)
    return "\n".join(item.prompt.plain + "\n" + item.detail.plain
                     for tab in ("entities", "claims", "reliability", "mine") for item in panel.item_list(tab).items)


async def test_no_cue_id_anywhere_a_reader_looks(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(160, 45)) as pilot:
        await with_analysis(pilot)
        screen = app.screen
        assert not SNAKE.findall(panel_words(app))
        for tab in ("claims", "reliability"):
            screen.side_panel.show_tab(tab)
            await pilot.pause()
            assert not SNAKE.findall(screen_text(app)), tab
        assert not SNAKE.findall(shown(screen.query_one("#legend")))
        # Every item's explanation (the words behind `i`), and on screen for one of each kind.
        from tui.panel_items import explain

        panel = screen.side_panel
        items = [item for tab in ("entities", "claims", "reliability") for item in panel.item_list(tab).items
                 if item.kind != "header"]
        for item in items:
            title, body = explain(item, screen.analysis)
            assert not SNAKE.findall(title + body.plain), item.key
        for kind in ("entity", "claim", "note"):
            item = next(i for i in screen.suggestions if i.kind == kind)
            screen.article.move_cursor(item.start)
            await pilot.pause()
            assert not SNAKE.findall(shown(screen.query_one("#detail-line")))
            screen.choose_item(item)
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, ExplainScreen)
            assert not SNAKE.findall(screen_text(app)), item.key
            await pilot.press("escape")
        # The glossary in the help, and the palette.
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert not SNAKE.findall(" ".join(f"{term} {meaning}" for term, meaning in help_screen.glossary))
        await pilot.press("escape")
        from tui.commands import AnnotateCommands

        names = [name + help_text for name, help_text, _ in AnnotateCommands.commands(type("P", (), {
            "screen": screen, "app": app})())]
        assert not SNAKE.findall(" ".join(names))
        # Accepting a note: your annotation's note is in words too (the toast and the panel).
        note = next(i for i in screen.suggestions if i.kind == "note" and i.record["kind"] == "interested_party")
        screen.article.move_cursor(note.start)
        screen.accept_all("note", None)
        await pilot.pause()
        assert not SNAKE.findall(panel_words(app) + notifications(app))


async def test_the_glossary_names_every_kind_in_plain_words_and_help_titles_are_whole(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        terms = dict(help_screen.glossary)
        for entry in kinds().values():
            assert entry.label in terms and entry.why in terms[entry.label]
        assert "score 0.80" in terms and "⇄ c17" in terms
        for layer in LAYERS:
            assert layer.name in terms
        titles = {" ".join(shown(widget).split()) for widget in help_screen.query(".help-title")}
        for title, rows in help_screen.sections:  # each title whole on screen, never cut
            assert title in titles
        assert "Glossary: the words of the analysis" in titles


async def test_a_note_is_explained_in_full_with_its_citation_at_any_width(make_app):
    for size in ((80, 24), (300, 60)):
        app = make_app(TEXT)
        async with app.run_test(size=size) as pilot:
            await with_analysis(pilot)
            screen = app.screen
            notes = screen.side_panel.item_list("reliability")
            source = next(item for item in notes.items if item.kind == "note" and item.record.get("kind") == "source")
            assert RELIABILITY in source.prompt.plain and CITATION in source.prompt.plain
            assert "…" not in source.prompt.plain
            # The panel row wraps: on a screen tall enough every character of it is shown.
            screen.side_panel.show_tab("reliability")
            notes.focus()
            notes.highlighted = notes.index_of(source.key)
            await pilot.pause()
            if size[1] >= 60:
                on_screen = squeeze(screen_text(app))
                assert squeeze(RELIABILITY) in on_screen and squeeze(CITATION) in on_screen
            # i on the row explains it: what, why, the citation; the box wraps it whole.
            await pilot.press("i")
            await pilot.pause()
            body = app.screen.body.plain
            assert RELIABILITY in body and CITATION in body and "…" not in body
            widget = app.screen.query_one("#explain-body")
            lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
            assert squeeze(RELIABILITY) in squeeze("".join(strip.text for strip in lines))
            assert squeeze(CITATION) in squeeze("".join(strip.text for strip in lines))
            await pilot.press("escape")


async def test_i_explains_a_cue_why_it_matters_for_its_claim(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 40)) as pilot:
        await with_analysis(pilot)
        screen = app.screen
        note = next(i for i in screen.suggestions if i.kind == "note" and i.record["kind"] == "interested_party")
        screen.article.move_cursor(note.start)
        await pilot.pause()
        screen.choose_item(note)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        body = app.screen.body.plain
        assert "party to the dispute" in body
        assert kinds()["interested_party"].why in body  # why it matters
        claim = analysis()["claims"][0 if note.start < TEXT.index("Donald") else 1]
        assert claim["text"] in body  # the claim it bears on, whole
        await pilot.press("escape")
        assert not isinstance(app.screen, ExplainScreen)
        # A claim: the score and the ⇄ explained where they are shown.
        claims = screen.side_panel.item_list("claims")
        row = next(item for item in claims.items if item.kind == "claim")
        assert "score 0.80" in row.prompt.plain and "⇄ contradicts c2" in row.prompt.plain
        header = claims.items[0]
        assert header.kind == "header" and "score" in header.prompt.plain and "⇄" in header.prompt.plain
        screen.article.move_cursor(row.start + 1)
        screen.choose_item(row)
        await pilot.press("i")
        await pilot.pause()
        body = app.screen.body.plain
        assert "How sure the analysis is" in body and "⇄ Contradicted" in body
        # Nothing under the cursor: i says so.
        await pilot.press("escape")
        screen.article.move_cursor(len(TEXT))
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(app.screen, ExplainScreen)
        assert "Nothing to explain here" in notifications(app)


async def test_several_items_under_the_cursor_are_listed_and_one_is_chosen(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 40)) as pilot:
        await with_analysis(pilot)
        screen = app.screen
        at = TEXT.index("Trump")
        screen.article.move_cursor(at)
        await pilot.pause()
        here = screen.items_here()
        assert len(here) >= 3
        assert f"+{len(here) - 1} more here: m lists them" in shown(screen.query_one("#detail-line"))
        await pilot.press("m")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SpanPicker) and len(picker.candidates) == len(here)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        chosen = here[2]
        assert screen.chosen_key == chosen.key
        assert screen.article.layer_spans("focus")[0].key == chosen.key
        assert chosen.detail.plain[:40] in shown(screen.query_one("#detail-line"))
        await pilot.press("i")  # i now explains the chosen one
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        assert app.screen.title_text.split()[0].lower().startswith(
            {"entity": "entity", "claim": "claim", "note": "reliability", "contradiction": "⇄"}[chosen.kind])


async def test_confident_cues_by_default_and_c_shows_the_less_certain_ones(make_app):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 40)) as pilot:
        await with_analysis(pilot)
        screen = app.screen
        claims = screen.side_panel.item_list("claims")
        notes = screen.side_panel.item_list("reliability")
        assert not any("less certain" in item.prompt.plain for item in notes.items)
        assert not any("prediction?" in item.prompt.plain for item in claims.items)
        note_spans = len(screen.article.layer_spans("note"))
        await pilot.press("c")
        await pilot.pause()
        weak = [item for item in notes.items if "less certain" in item.prompt.plain]
        assert len(weak) == 2 and {w.record["kind"] for w in weak} == {"prediction", "hedge"}
        assert any("prediction?" in item.prompt.plain for item in claims.items)
        assert len(screen.article.layer_spans("note")) == note_spans + 2
        assert load_layers()["weak"] is True  # remembered
        # Accepting a less certain cue's note keeps its words in your annotation.
        screen.accept_all("note", None)
        await pilot.pause()
        hedge_key = next(w.key for w in weak if w.record["kind"] == "hedge")
        hedge = next(a for a in screen.annotations if a.origin == f"suggestion:{hedge_key}")
        assert hedge.note.startswith("hedged: ") and kinds()["hedge"].why in hedge.note
        await pilot.press("c")
        await pilot.pause()
        assert not any("less certain" in item.prompt.plain for item in notes.items)
        assert load_layers()["weak"] is False


async def test_layers_menu_switches_layers_and_the_choice_is_remembered(make_app, tmp_path):
    app = make_app(TEXT)
    async with app.run_test(size=(120, 40)) as pilot:
        await with_analysis(pilot)
        screen = app.screen
        article = screen.article
        assert {"entity-number", "entity-date"} <= article.hidden_kinds  # quiet by default
        assert "claim" not in article.hidden_kinds and "entity-person" not in article.hidden_kinds
        legend = shown(screen.query_one("#legend"))
        assert "people" in legend and "organisations" in legend and "numbers" not in legend
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LayersScreen)
        claims_row = [layer.id for layer in LAYERS].index("claim")
        await pilot.press(*["down"] * claims_row, "space")
        await pilot.pause()
        assert "claim" in article.hidden_kinds
        await pilot.press("escape")
        await pilot.pause()
        row = article.render_line(0)
        assert row[0].text == " "  # no claim mark in the margin now
        from annotations import paths

        saved = json.loads((paths.config_dir() / LAYERS_FILENAME).read_text("utf-8"))
        assert saved["claim"] is False and load_layers()["claim"] is False
        # From the palette: "Layers: hide people" (and "show claims", now that they are hidden).
        from tui.commands import AnnotateCommands

        commands = {name: run for name, _, run in AnnotateCommands.commands(type("P", (), {
            "screen": screen, "app": app})())}
        assert "Layers: show claims" in commands
        commands["Layers: hide people"]()
        await pilot.pause()
        assert "entity-person" in article.hidden_kinds
        assert "people" not in shown(screen.query_one("#legend"))
    app = make_app(TEXT)  # the next article opens with the same layers
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert {"claim", "entity-person"} <= app.screen.article.hidden_kinds


async def test_search_counts_and_highlights_every_match(make_app):
    text = "Kyiv said. " * 9 + "\nThe end.\n"
    app = make_app(text)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kyiv")
        await pilot.pause()
        assert app.screen._search_bar.border_title == "9 matches"
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.screen.article.layer_spans("search")) == 9
        assert "match 1/9" in notifications(app)
        await pilot.press("f3", "f3")
        await pilot.pause()
        assert "match 3/9" in notifications(app)
        await pilot.press("shift+f3")
        await pilot.pause()
        assert "match 2/9" in notifications(app)


async def test_lines_are_capped_at_the_width_set_in_config_toml(make_app):
    from annotations import paths

    paths.config_dir().mkdir(parents=True, exist_ok=True)
    (paths.config_dir() / "config.toml").write_text("[reader]\nmax_width = 60\n", "utf-8")
    app = make_app("word " * 400)
    async with app.run_test(size=(300, 40)) as pilot:
        await settle(pilot)
        article = app.screen.article
        assert article.max_line_width == 60
        assert all(len(article.row_text(row).rstrip()) <= 60 for row in range(4))
    (paths.config_dir() / "config.toml").write_text("[reader]\nmax_width = 0\n", "utf-8")
    app = make_app("word " * 400)
    async with app.run_test(size=(300, 40)) as pilot:
        await settle(pilot)
        assert len(app.screen.article.row_text(0).rstrip()) > 100


def test_counts_say_one_claim_and_two_claims():
    from tui.panel_items import count

    assert count(1, "claim") == "1 claim" and count(2, "claim") == "2 claims"
    assert count(1, "entity") == "1 entity" and count(3, "entity") == "3 entities"
    assert count(0, "match", "matches") == "0 matches"
