"""ArticleView in a tiny app: safe display, wrapping, keys, mouse, layers, huge texts."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, split_graphemes
from textual.app import App, ComposeResult

from tui.safe_text import display_text
from tui.widgets import article_view as article_view_module
from tui.widgets.article_view import LEGEND, ArticleView

INJECTION = "[/bold] [@click=app.quit]x [link=file:///etc/passwd]y[/link]"
ESCAPES = "\x1b]0;pwned\x07\x1b[31m"
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi".split()


class ViewApp(App):
    """One ArticleView filling the screen; records CursorMoved messages."""

    CSS = "ArticleView { padding: 0; }"

    def __init__(self, text: str, **options) -> None:
        super().__init__()
        self.text = text
        self.options = options
        self.moves: list[ArticleView.CursorMoved] = []

    def compose(self) -> ComposeResult:
        yield ArticleView(self.text, **self.options)

    def on_article_view_cursor_moved(self, message: ArticleView.CursorMoved) -> None:
        self.moves.append(message)


def shown_rows(view: ArticleView) -> list[str]:
    """The text of the strips the view renders for its visible rows."""
    return ["".join(segment.text for segment in view.render_line(y)) for y in range(view.size.height)]


def words_text(count: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(count))


def check_rows(view: ArticleView, width: int) -> None:
    """Rows rebuild the text exactly, and every row fits the width (hanging spaces aside)."""
    view.wrap_all()
    text = view.text
    pieces = []
    for row in range(view.row_count):
        piece = view.row_text(row)
        assert piece is not None
        shown = display_text(piece).rstrip(" \u2192")
        # Measured by graphemes, as the view wraps (rich's cell_len counts a ZWJ that
        # follows nothing differently; such a row is cropped when drawn).
        assert split_graphemes(shown)[1] <= max(width, 2), (row, piece)
        pieces.append(piece)
    paragraphs = text.split("\n")
    assert "\n".join(paragraphs) == text
    rebuilt = "".join(pieces)
    assert rebuilt == text.replace("\n", "")


# ----- safety -------------------------------------------------------------------------------


async def test_injection_text_shows_literally_and_runs_nothing():
    app = ViewApp(f"{INJECTION}\n{ESCAPES}\nend")
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        rows = shown_rows(view)
        assert rows[0].startswith(INJECTION)
        assert rows[1].startswith("\u241b]0;pwned\u2407\u241b[31m")
        assert all("\x1b" not in row and "\x07" not in row for row in rows)
        # Clicking on the "x" of [@click=app.quit]x and moving over it runs no action.
        await pilot.click(ArticleView, offset=(INJECTION.index("]x") + 1, 0))
        await pilot.press("right", "end", "down")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        screenshot = app.export_screenshot()
        assert "pwned" in screenshot
        assert "\x1b]0" not in screenshot


async def test_segments_never_carry_markup_styles_from_the_text():
    app = ViewApp("[bold red]not bold[/bold red]")
    async with app.run_test(size=(60, 5)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("end")  # the cursor away from the first cell
        await pilot.pause()
        strip = view.render_line(0)
        assert "".join(segment.text for segment in strip).startswith("[bold red]not bold[/bold red]")
        plain = [segment for segment in strip if segment.text.strip()]
        assert not any(segment.style and segment.style.bold for segment in plain)


# ----- wrapping -----------------------------------------------------------------------------


async def test_wraps_words_at_the_widget_width():
    text = words_text(200)
    app = ViewApp(text)
    async with app.run_test(size=(30, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        width = view.scrollable_content_region.width
        assert width < 30  # the vertical scrollbar takes its share
        check_rows(view, width)
        # Words are not cut: every row starts at a word start.
        for row in range(view.row_count):
            start_piece = view.row_text(row)
            assert start_piece.split(" ")[0] in WORDS or start_piece == ""
        assert view.row_count > 200 * 4 // width


async def test_resize_rewraps():
    text = words_text(300)
    app = ViewApp(text)
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        view.wrap_all()
        narrow_rows = view.row_count
        await pilot.resize_terminal(100, 20)
        await pilot.pause()
        width = view.scrollable_content_region.width
        assert width > 90
        check_rows(view, width)
        assert view.row_count < narrow_rows / 2


async def test_long_word_is_broken_hard_and_paragraphs_break_at_newlines():
    text = "x" * 100 + "\n\nshort\n"
    app = ViewApp(text)
    async with app.run_test(size=(21, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        width = view.scrollable_content_region.width
        check_rows(view, width)
        assert view.row_text(0) == "x" * width
        rows = [view.row_text(r) for r in range(view.row_count)]
        assert "short" in rows
        assert rows.count("") >= 2  # the empty paragraph and the one after the last \n


async def test_double_width_characters_wrap_by_cells():
    text = "中文字符" * 30
    app = ViewApp(text)
    async with app.run_test(size=(21, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        width = view.scrollable_content_region.width
        check_rows(view, width)
        assert cell_len(view.row_text(0)) in (width, width - 1)
        assert len(view.row_text(0)) <= width // 2


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("ab cd\n\t") + ["中", "😀", "e", "\u0301", "\u200d", "ש", "\x1b", "\u202e"]),
        max_size=300,
    ),
    width=st.integers(min_value=1, max_value=30),
)
def test_wrapping_covers_the_text_exactly_at_any_width(text, width):
    view = ArticleView(text)
    view._content_width = lambda: width  # no app: wrap at a given width
    check_rows(view, width)
    # Wrapping in small chunks (as a 5 MB line is wrapped) gives the same rows.
    rows = [view.row_text(r) for r in range(view.row_count)]
    chunked = ArticleView(text)
    chunked._content_width = lambda: width
    original = article_view_module._WRAP_CHUNK
    article_view_module._WRAP_CHUNK = 64
    try:
        chunked.wrap_all()
    finally:
        article_view_module._WRAP_CHUNK = original
    assert [chunked.row_text(r) for r in range(chunked.row_count)] == rows
    # Every offset maps to a row that contains it (or ends at it).
    for offset in range(0, len(text) + 1, 7):
        row = view._row_of_offset(offset)
        para, k = view._locate(row)
        start, end, last = view._row_bounds(para, k)
        assert start <= offset <= end


# ----- cursor and keys ------------------------------------------------------------------------


async def test_arrows_move_by_character_and_by_row_keeping_the_column():
    text = "first line here\nsecond line\nthird line is long"
    app = ViewApp(text)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("right", "right", "right")
        assert view.cursor == 3
        await pilot.press("left")
        assert view.cursor == 2
        await pilot.press("down")
        assert view.cursor == text.index("second") + 2
        await pilot.press("end")
        assert view.cursor == text.index("\nthird")
        await pilot.press("down")  # column 11 on the third row
        assert view.cursor == text.index("third") + 11
        await pilot.press("up", "up")
        assert view.cursor == 11  # the goal column held
        await pilot.press("home")
        assert view.cursor == 0
        await pilot.press("up")
        assert view.cursor == 0
        await pilot.press("ctrl+end")
        assert view.cursor == len(text)
        await pilot.press("down", "right")
        assert view.cursor == len(text)
        await pilot.press("ctrl+home")
        assert view.cursor == 0


async def test_up_and_down_follow_visual_rows_of_a_wrapped_paragraph():
    text = words_text(100)
    app = ViewApp(text)
    async with app.run_test(size=(30, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        await pilot.press("down")
        second_row = view.row_text(1)
        assert view.cursor == len(view.row_text(0))
        assert text.startswith(second_row, view.cursor)
        await pilot.press("end")
        row, _x = view.cursor_location()
        assert row == 1


async def test_shift_arrows_extend_the_selection_and_escape_clears_it():
    text = "hello world\nsecond"
    app = ViewApp(text)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert view.selection == (0, 3)
        await pilot.press("shift+down")
        assert view.selection == (0, text.index("second") + 3)
        await pilot.press("shift+up", "shift+left")
        assert view.selection == (0, 2)
        await pilot.press("escape")
        assert view.selection is None
        assert view.cursor == 2
        await pilot.press("shift+end")
        assert view.selection == (2, len("hello world"))
        await pilot.press("left")  # collapses to the selection start
        assert view.selection is None and view.cursor == 2
        await pilot.pause()
        assert app.moves and app.moves[-1].cursor == 2


async def test_word_and_paragraph_moves():
    text = "One two, three.\nSecond paragraph here.\n\nFourth."
    app = ViewApp(text)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("ctrl+right")
        assert view.cursor == 3
        await pilot.press("ctrl+right")
        assert view.cursor == 7
        await pilot.press("ctrl+right")
        assert view.cursor == 8  # the comma is a word of its own
        await pilot.press("ctrl+left")
        assert view.cursor == 7
        await pilot.press("ctrl+left")
        assert view.cursor == 4
        await pilot.press("ctrl+shift+right")
        assert view.selection == (4, 7)
        await pilot.press("ctrl+down")
        assert view.cursor == text.index("Second") and view.selection is None
        await pilot.press("ctrl+down", "ctrl+down")
        assert view.cursor == text.index("Fourth")
        await pilot.press("ctrl+up")
        assert view.cursor == text.index("\n\n") + 1
        await pilot.press("ctrl+shift+up")
        assert view.selection == (text.index("Second"), text.index("\n\n") + 1)
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")
        assert view.cursor == len(text)


async def test_page_keys_move_a_screen():
    text = "\n".join(f"line {n}" for n in range(200))
    app = ViewApp(text)
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        await pilot.press("pagedown")
        row, _ = view.cursor_location()
        assert row == 19
        assert view.scroll_y > 0
        await pilot.press("shift+pagedown")
        assert view.selection == (text.index("line 19\n"), text.index("line 38\n"))
        await pilot.press("pageup", "pageup")
        assert view.cursor == 0
        assert view.scroll_y == 0


async def test_mouse_click_sets_the_cursor_and_drag_selects():
    text = "click somewhere in this line\nand on this one"
    app = ViewApp(text)
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.click(ArticleView, offset=(6, 0))
        assert view.cursor == 6
        await pilot.click(ArticleView, offset=(4, 1))
        assert view.cursor == text.index("and") + 4
        await pilot.click(ArticleView, offset=(55, 0))  # past the end of the row
        assert view.cursor == text.index("\n")
        await pilot.mouse_down(ArticleView, offset=(6, 0))
        await pilot.hover(ArticleView, offset=(15, 0))
        await pilot.mouse_up(ArticleView, offset=(15, 0))
        await pilot.pause()
        assert view.selection == (6, 15)


async def test_cursor_and_selection_are_drawn_in_the_text():
    app = ViewApp("abcdef")
    async with app.run_test(size=(40, 5)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("shift+right", "shift+right")
        await pilot.pause()
        strip = list(view.render_line(0))
        selection_bg = view._style(("selection",)).bgcolor
        by_text = {segment.text: segment.style for segment in strip}
        assert by_text["ab"].bgcolor == selection_bg
        assert by_text["c"].reverse
        await pilot.press("ctrl+end")
        strip = list(view.render_line(0))
        cursor_cells = [segment for segment in strip if segment.style and segment.style.reverse]
        assert [segment.text for segment in cursor_cells] == [" "]  # a cell after the last character


# ----- layers --------------------------------------------------------------------------------


async def test_layers_render_with_their_component_style_and_combine():
    text = "Donald Trump said the war would end."
    app = ViewApp(text)
    async with app.run_test(size=(60, 5)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("end")
        view.set_layer("entity", [(0, 12, "entity", "e1")])
        view.set_layer("claim", [(0, 36, "claim", "c1")])
        view.set_layer("user", [(13, 21, "user", "u1"), (18, 25, "user", "u2")])
        await pilot.pause()
        strip = list(view.render_line(0))
        styles = {segment.text: segment.style for segment in strip}
        entity = view.get_component_rich_style("article-view--entity", partial=True)
        assert styles["Donald Trump"].color == entity.color
        assert not styles["Donald Trump"].underline and not styles[" would end."].underline  # claims: no underline
        assert styles["said "].bgcolor == view._style(("user",)).bgcolor
        assert styles[" war"].bgcolor == view._style(("user",)).bgcolor
        overlap = styles["the"]
        assert overlap.bgcolor == view._style(("user-overlap",)).bgcolor
        assert overlap.bgcolor != styles["said "].bgcolor
        assert overlap.bold
        assert not styles[" would end."].color == entity.color
        assert [s.key for s in view.spans_at(19)] == ["u2", "u1", "c1"]
        view.set_layer("entity", [])
        await pilot.pause()
        strip = list(view.render_line(0))
        assert not any(segment.style.color == entity.color and segment.text == "Donald Trump" for segment in strip)


async def test_focus_and_search_layers_have_their_own_colours():
    text = "alpha beta gamma"
    app = ViewApp(text)
    async with app.run_test(size=(60, 5)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("end")
        view.set_layer("focus", [(0, 5, "focus", "f")])
        view.set_layer("search", [(6, 10, "search", "s")])
        view.set_layer("note", [(11, 16, "note", "n")])
        await pilot.pause()
        styles = {segment.text: segment.style for segment in view.render_line(0)}
        backgrounds = {styles["alpha"].bgcolor, styles["beta"].bgcolor, styles["gamma"].bgcolor, styles[" "].bgcolor}
        assert len(backgrounds) == 4


async def test_claims_are_marked_in_the_margin_not_on_the_text():
    text = "First claim here.\nNo claim in this one.\nA second claim."
    app = ViewApp(text, margin_marks=True)
    async with app.run_test(size=(40, 5)) as pilot:
        view = app.query_one(ArticleView)
        view.set_layer("claim", [(0, 17, "claim", "c1"), (40, 55, "claim", "c2")])
        await pilot.pause()
        rows = [list(view.render_line(y)) for y in range(3)]
        assert [row[0].text for row in rows] == ["▎", " ", "▎"]
        assert rows[0][0].style.color == view._style(("claim",)).color
        assert "".join(segment.text for segment in rows[0])[1:].startswith("First claim here.")
        width = view.scrollable_content_region.width
        assert all(sum(len(segment.text) for segment in row) == width for row in rows)
        assert not any(segment.style.underline for row in rows for segment in row)
        # A click lands on the character under the mouse, the margin taken into account.
        await pilot.click(ArticleView, offset=(1 + 6, 0))
        assert view.cursor == 6
        view.set_hidden_kinds({"claim"})
        await pilot.pause()
        assert view.render_line(0)[0].text == " "


async def test_entity_types_have_distinct_colours_and_hidden_layers_are_not_drawn():
    text = "Angela Merkel of the CDU visited Berlin on Monday."
    app = ViewApp(text)
    async with app.run_test(size=(60, 5)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("end")
        view.set_layer("entity", [(0, 13, "entity-person", "p"), (21, 24, "entity-org", "o"),
                                  (33, 39, "entity-place", "g"), (43, 49, "entity-date", "d")])
        await pilot.pause()
        styles = {segment.text: segment.style for segment in view.render_line(0)}
        colours = {styles[word].color for word in ("Angela Merkel", "CDU", "Berlin", "Monday")}
        assert len(colours) == 4 and styles[" of the "].color not in colours
        view.set_hidden_kinds({"entity-date", "entity-org"})
        await pilot.pause()
        styles = {segment.text: segment.style for segment in view.render_line(0)}
        assert "Monday" not in styles and "CDU" not in styles  # drawn as plain text now
        assert styles["Angela Merkel"].color in colours
        assert [span.key for span in view.spans_at(44)] == []  # hidden: not "under the cursor" either
        legend = ArticleView.legend_text(view, short=True).plain
        assert "people" in legend and "dates" not in legend and "organisations" not in legend


async def test_your_annotation_over_a_note_has_the_colour_the_legend_names():
    text = "alpha beta gamma"
    app = ViewApp(text)
    async with app.run_test(size=(60, 5)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("end")
        view.set_layer("note", [(0, 10, "note", "n")])
        view.set_layer("user", [(6, 16, "user", "u")])
        await pilot.pause()
        styles = {segment.text: segment.style for segment in view.render_line(0)}
        over = styles["beta"].bgcolor
        assert over == view._style(("user-note",)).bgcolor
        assert over not in (styles["alpha "].bgcolor, styles[" gamma"].bgcolor)
        legend = ArticleView.legend_text(view, short=True)
        named = [span for span in legend.spans if legend.plain[span.start:span.end] == "yours on a note"]
        assert named and named[0].style.bgcolor == over


async def test_lines_are_capped_at_the_readable_width():
    text = "word " * 200
    app = ViewApp(text)
    async with app.run_test(size=(200, 10)) as pilot:
        view = app.query_one(ArticleView)
        view.max_line_width = 60
        await pilot.pause()
        assert all(len(view.row_text(row).rstrip()) <= 60 for row in range(5))
        assert len(view.row_text(0).rstrip()) > 50
        assert view.render_line(0).cell_length == view.scrollable_content_region.width  # the rest of the row is blank, not garbage
        view.max_line_width = 0
        await pilot.pause()
        assert len(view.row_text(0).rstrip()) > 150


def test_legend_lists_every_kind_in_its_style():
    legend = ArticleView.legend_text()
    for _kind, description in LEGEND:
        assert description in legend.plain
    assert len(legend.spans) == len(LEGEND)


# ----- helpers ---------------------------------------------------------------------------------


def test_word_and_sentence_bounds():
    text = "He said: “It is over.” Then he left! Did he? Yes.\nNext para."
    view = ArticleView(text)
    assert view.word_at(text.index("said") + 1) == (3, 7)
    assert view.word_at(text.index("said") + 4) == (3, 7)  # just after the word
    start, end = view.sentence_at(text.index("over"))
    assert text[start:end] == "He said: “It is over.”"
    start, end = view.sentence_at(text.index("left"))
    assert text[start:end] == "Then he left!"
    start, end = view.sentence_at(text.index("Next"))
    assert text[start:end] == "Next para."


# ----- hard texts ------------------------------------------------------------------------------


async def test_five_megabyte_single_line_opens_and_ctrl_end_works():
    text = words_text(900_000)[:5_000_000]
    app = ViewApp(text)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        assert shown_rows(view)[0].startswith(text[:20])
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert view.cursor == len(text)
        rows = shown_rows(view)
        assert any(text[-8:] in row for row in rows)
        await pilot.press("up", "pageup", "ctrl+home")
        assert view.cursor == 0


async def test_empty_text_and_only_newlines():
    for text in ("", "\n", "\n\n\n\n"):
        app = ViewApp(text)
        async with app.run_test(size=(40, 10)) as pilot:
            view = app.query_one(ArticleView)
            await pilot.press("down", "right", "end", "ctrl+end", "pagedown", "shift+up", "ctrl+left", "ctrl+up")
            await pilot.pause()
            assert 0 <= view.cursor <= len(text)
            assert view.word_at(0) == (0, 0)
            shown_rows(view)
        assert app.return_code in (None, 0)


async def test_narrow_widths_with_hard_scripts_do_not_crash():
    text = "👨\u200d👩\u200d👧 family 中文 e\u0301\u0301 שלום עולם مرحبا\t\x1b[31m\n" * 3
    for width in (1, 2, 3, 4):
        app = ViewApp(text)
        async with app.run_test(size=(width + 2, 8)) as pilot:  # +2 for the scrollbar
            view = app.query_one(ArticleView)
            await pilot.pause()
            shown_rows(view)
            for key in ("down", "down", "end", "right", "ctrl+right", "shift+down", "pagedown", "ctrl+end", "up"):
                await pilot.press(key)
            shown_rows(view)
            assert view.scrollable_content_region.width == width
            view.wrap_all()
            assert view.row_count >= len(text) // (2 * width)


async def test_cursor_moved_messages_coalesce():
    app = ViewApp(words_text(50))
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(ArticleView)
        first = ArticleView.CursorMoved(view, 1, None)
        second = ArticleView.CursorMoved(view, 2, None)
        assert second.can_replace(first)
        await pilot.press("right")
        await pilot.pause()
        assert app.moves[-1].cursor == 1 and app.moves[-1].view is view


async def test_double_click_selects_the_word_and_triple_click_the_sentence():
    text = "First sentence here. Second one follows."
    app = ViewApp(text)
    async with app.run_test(size=(60, 5)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.click(ArticleView, offset=(text.index("Second") + 2, 0), times=2)
        assert view.selection == (text.index("Second"), text.index("Second") + 6)
        await pilot.click(ArticleView, offset=(2, 0), times=3)
        assert view.selection == (0, len("First sentence here."))


class TwoWidgets(App):
    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        yield ArticleView("hello world")
        yield Input()


async def test_cursor_is_reverse_when_focused_and_underlined_when_not():
    app = TwoWidgets()
    async with app.run_test(size=(40, 6)) as pilot:
        view = app.query_one(ArticleView)
        view.focus()
        await pilot.pause()
        first = view.render_line(0)
        assert list(first)[0].text == "h" and list(first)[0].style.reverse
        await pilot.press("tab")
        await pilot.pause()
        assert not view.has_focus
        cell = list(view.render_line(0))[0]
        assert cell.text == "h" and cell.style.underline and not cell.style.reverse


async def test_changing_a_layer_redraws_only_the_rows_it_touches():
    text = "\n".join(f"line {n} " * 3 for n in range(10))
    app = ViewApp(text)
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        before = [view.render_line(y) for y in range(10)]
        start = text.index("line 5")
        view.set_layer("note", [(start, start + 6, "note", "n1")])
        after = [view.render_line(y) for y in range(10)]
        assert all(after[y] is before[y] for y in range(10) if y != 5)  # the cached strips
        assert after[5] is not before[5]
        note_bg = view._style(("note",)).bgcolor
        assert any(segment.text == "line 5" and segment.style.bgcolor == note_bg for segment in after[5])
        view.set_layer("note", [])
        again = view.render_line(5)
        assert not any(segment.style.bgcolor == note_bg for segment in again)


async def test_arrows_step_over_whole_graphemes_and_strips_measure_right():
    family = "👨\u200d👩\u200d👧"
    text = f"a{family}e\u0301b\n中x"
    app = ViewApp(text)
    async with app.run_test(size=(30, 5)) as pilot:
        view = app.query_one(ArticleView)
        width = view.scrollable_content_region.width
        stops = [view.cursor]
        for _ in range(7):
            await pilot.press("right")
            stops.append(view.cursor)
        one = len(family)
        assert stops == [0, 1, 1 + one, 3 + one, 4 + one, 5 + one, 6 + one, 7 + one]
        for _ in range(7):
            await pilot.press("left")
        assert view.cursor == 0
        # Wherever the cursor and a selection fall, a row's strip is exactly the width.
        for offset in range(len(text) + 1):
            view.move_cursor(offset)
            view.select_range(max(0, offset - 2), offset)
            for y in range(2):
                strip = view.render_line(y)
                assert strip.cell_length == width
                assert sum(cell_len(segment.text) for segment in strip) == width


def test_words_keep_their_combining_marks():
    text = "Le cafe\u0301 est bon. שָׁלוֹם"
    view = ArticleView(text)
    assert view.word_at(text.index("caf")) == (3, 8)
    start = text.index("ש")
    assert view.word_at(start + 1) == (start, len(text))


def test_sentences_do_not_end_at_common_abbreviations():
    text = "Mr. Smith met the U.S. envoy on Jan. 5. Then J. Doe left! Next one."
    view = ArticleView(text)
    start, end = view.sentence_at(text.index("Smith"))
    assert text[start:end] == "Mr. Smith met the U.S. envoy on Jan. 5."
    start, end = view.sentence_at(text.index("Doe"))
    assert text[start:end] == "Then J. Doe left!"


async def test_ctrl_c_copies_the_selected_text_as_stored():
    text = "tab\there and more"
    app = ViewApp(text)
    async with app.run_test(size=(40, 5)) as pilot:
        view = app.query_one(ArticleView)
        view.select_range(0, 8)
        await pilot.press("ctrl+c")
        assert app.clipboard == "tab\there"
        assert app.is_running


async def test_the_scrollbar_follows_page_after_page_though_it_redraws_only_when_its_thumb_moves():
    # The view updates the scrollbar's position silently while its thumb would be drawn
    # the same; the screen must still show exactly what a full redraw of the bar shows.
    text = "\n".join(words_text(12, seed=n) for n in range(3000))
    app = ViewApp(text)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ArticleView)
        view.focus()
        await pilot.pause()
        bar = view.vertical_scrollbar
        drawn = []
        for _ in range(60):
            await pilot.press("pagedown")
            await pilot.pause()
            shown = app.screen._compositor.render_strips()
            bar.refresh()  # what a redraw at this position paints
            await pilot.pause()
            assert app.screen._compositor.render_strips() == shown, f"stale scrollbar at row {view.scroll_y}"
            drawn.append([str(list(strip)[-1].style) for strip in shown])  # the scrollbar column
        assert bar.position == int(view.scroll_y * 8) / 8
        assert len({tuple(column) for column in drawn}) > 3  # the thumb did move down


# ----- huge texts: the work before the first paint is bounded --------------------------------


class FirstPaintView(ArticleView):
    """Records how much of the text the view had indexed and wrapped when it first rendered."""

    first_paint: dict | None = None

    def render_lines(self, crop):
        strips = super().render_lines(crop)
        if self.first_paint is None:
            self.first_paint = {
                "paragraphs indexed": len(self._para_starts),
                "paragraphs wrapped": sum(rows is not None for rows in self._rows),
                "rows wrapped": sum(len(rows) for rows in self._rows if rows is not None),
                "shown": [strip.text for strip in strips],
            }
        return strips


class FirstPaintApp(App):
    CSS = "ArticleView { padding: 0; }"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield FirstPaintView(self.text)


def short_lines(count: int) -> str:
    """``count`` lines of three words (the benchmark's million short lines, scaled)."""
    rng = random.Random(3)
    return "\n".join(" ".join(rng.choice(WORDS) for _ in range(3)) for _ in range(count))


async def first_paint_of(text: str) -> tuple[dict, FirstPaintView, App]:
    app = FirstPaintApp(text)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(FirstPaintView)
        await pilot.pause()
        assert view.first_paint is not None
        return view.first_paint, view, app


async def test_work_before_the_first_paint_does_not_grow_with_the_text():
    # A text 8x larger (short lines: the case where per-line tables cost most) is indexed
    # and wrapped exactly as far as the smaller one before the first frame: what that
    # frame needs plus a fixed head (_SCAN_HEAD), never the whole text.
    small, large = short_lines(60_000), short_lines(480_000)
    assert len(small) > 2 * article_view_module._SCAN_HEAD
    seen = [await first_paint_of(text) for text in (small, large)]
    (before_small, _, _), (before_large, view, _) = seen
    assert before_large == before_small
    assert before_large["rows wrapped"] <= 2 * 20
    assert before_large["paragraphs indexed"] * 10 < large.count("\n")
    lines = large.split("\n")
    assert [row.rstrip() for row in before_large["shown"]] == lines[:20]
    # Afterwards the whole text is indexed and wraps exactly as it reads.
    view.wrap_all()
    assert len(view._para_starts) == len(lines)
    assert view.row_count == len(lines)
    assert view.row_text(len(lines) - 1) == lines[-1]


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab \n") + ["中", "\u0301"]), max_size=200),
    width=st.integers(min_value=1, max_value=12),
    head=st.integers(min_value=1, max_value=40),
    offset=st.integers(min_value=0, max_value=200),
)
def test_a_text_indexed_in_two_steps_wraps_as_one_indexed_at_once(text, width, head, offset):
    reference = ArticleView(text)
    reference._content_width = lambda: width
    reference._ensure_wrap()
    original = article_view_module._SCAN_HEAD
    article_view_module._SCAN_HEAD = head
    try:
        view = ArticleView(text)
    finally:
        article_view_module._SCAN_HEAD = original
    view._content_width = lambda: width
    view._ensure_wrap()
    # An offset in the unscanned tail (a jump, a search hit) finds its true row at once.
    offset = min(offset, len(text))
    assert view._row_of_offset(offset) == reference._row_of_offset(offset)
    assert view.paragraph_at(offset) == reference.paragraph_at(offset)
    reference.wrap_all()
    rows = [reference.row_text(r) for r in range(reference.row_count)]
    view.wrap_all()
    assert view._para_starts == reference._para_starts and view._para_ends == reference._para_ends
    assert [view.row_text(r) for r in range(view.row_count)] == rows


async def test_keys_reach_the_end_of_a_text_whose_tail_is_not_indexed_yet():
    text = short_lines(3_000)
    original = article_view_module._SCAN_HEAD
    article_view_module._SCAN_HEAD = 200
    try:
        app = ViewApp(text)
        async with app.run_test(size=(60, 20)) as pilot:
            view = app.query_one(ArticleView)
            view.focus()
            await pilot.press("ctrl+end")
            assert view.cursor == len(text)
            assert any(text.rsplit("\n", 1)[1] in row for row in shown_rows(view))
            await pilot.press("ctrl+up")
            assert view.cursor == text.rindex("\n") + 1
            await pilot.press("ctrl+home", "pagedown", "pagedown")
            await pilot.pause()
            lines = text.split("\n")
            assert [row.rstrip() for row in shown_rows(view)] == lines[view.scroll_y : view.scroll_y + 20]
    finally:
        article_view_module._SCAN_HEAD = original
