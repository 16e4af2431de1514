"""The one-for-one display translation and markup-free Text builders."""

from __future__ import annotations

import unicodedata

import pytest
from rich.cells import cell_len
from rich.text import Text

from tui.safe_text import BIDI_SYMBOL, TAB_SYMBOL, display_text, safe, safe_line

INJECTION = "[/bold] [@click=app.quit]x [link=file:///etc/passwd]y[/link]"
ESCAPES = "\x1b]0;pwned\x07\x1b[31m"


def test_every_code_point_below_a0_keeps_length_and_loses_controls():
    for code in range(0xA0):
        ch = chr(code)
        shown = display_text(ch)
        assert len(shown) == 1, hex(code)
        if code == 0x0A:
            assert shown == "\n"
        else:
            assert unicodedata.category(shown) != "Cc", hex(code)
            assert shown.isprintable(), hex(code)


def test_c0_controls_become_control_pictures():
    assert display_text("\x00\x01\x1b\x1f") == "\u2400\u2401\u241b\u241f"


def test_tab_del_and_c1_have_their_symbols():
    assert display_text("\t") == TAB_SYMBOL
    assert display_text("\x7f") == "\u2421"
    assert display_text("\x85\x9b") == "\ufffd\ufffd"


def test_bidi_controls_are_shown_not_obeyed():
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        assert display_text(ch) == BIDI_SYMBOL


def test_every_replacement_is_one_cell_wide():
    for code in list(range(0xA0)) + [0x202E, 0x2028, 0x2029]:
        if code == 0x0A:
            continue
        assert cell_len(display_text(chr(code))) == 1, hex(code)


def test_terminal_escape_comes_out_visible_and_same_length():
    shown = display_text(ESCAPES)
    assert len(shown) == len(ESCAPES)
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "\u241b]0;pwned\u2407\u241b[31m"


def test_markup_is_kept_literally_by_safe():
    text = safe(INJECTION + ESCAPES)
    assert isinstance(text, Text)
    assert text.plain == INJECTION + display_text(ESCAPES)
    assert text.spans == []  # nothing was parsed as markup
    assert len(text.plain) == len(INJECTION + ESCAPES)


def test_clean_text_is_returned_unchanged():
    s = "President Donald Trump “said” — 😀 مرحبا e\u0301"
    assert display_text(s) is s


def test_zwj_emoji_combining_and_rtl_are_kept():
    s = "👨\u200d👩\u200d👧 e\u0301 שלום"
    assert display_text(s) == s


@pytest.mark.parametrize(
    "source",
    ["", "a", "\n\n", "x" * 100_000, "\x00" * 50 + "\n" + "\x9f" * 50, "😀\x1b😀"],
)
def test_length_always_holds(source):
    assert len(display_text(source)) == len(source)


def test_safe_line_shows_newlines_and_truncates_by_cells():
    line = safe_line("a\nb")
    assert line.plain == "a\u2424b"
    cut = safe_line("中文中文中文中文", 7)
    assert cell_len(cut.plain) <= 7
    assert cut.plain.endswith("…")
    assert safe_line("short", 10).plain == "short"
    assert safe_line("abc", 0).plain == ""


def test_safe_line_of_injection_is_literal():
    line = safe_line(INJECTION + ESCAPES, 500)
    assert line.plain.startswith("[/bold] [@click=app.quit]")
    assert "\x1b" not in line.plain
