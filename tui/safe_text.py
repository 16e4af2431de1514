"""Text from outside (articles, file names, notes, database rows) made safe to show.

Two dangers, both measured (see ``docs/design.md``):

1. Rich markup: a plain ``str`` handed to ``Static``, ``Label``, ``notify`` ... is parsed
   as markup, so ``[/bold]`` crashes the app and ``[@click=app.quit]`` runs an action.
   Everything here returns :class:`rich.text.Text`, which is never parsed.
2. Control characters reach the terminal: ESC starts escape sequences (``ESC ] 0;``
   sets the window title), C1 bytes are 8-bit escapes, bidi controls reorder what is
   shown. :func:`display_text` swaps each of them for a visible one-cell symbol,
   **one code point for one code point**, so offsets into the displayed string are the
   offsets into the stored text. The stored text is never changed.

The translation table:

============================  ==========================================
input                         shown as
============================  ==========================================
U+0000..U+001F (C0) but LF    U+2400 + n (control pictures, ``␀``..``␟``)
U+0009 TAB                    ``→`` (U+2192), one cell (no tab stops)
U+000A LF                     kept (the article view breaks paragraphs
                              there; :func:`safe_line` shows ``␤``)
U+007F DEL                    ``␡`` (U+2421)
U+0080..U+009F (C1)           ``�`` (U+FFFD)
bidi controls: U+061C,        ``⇄`` (U+21C4): they could reorder or hide
U+200E, U+200F,               text on a terminal that implements bidi,
U+202A..U+202E,               so they are made visible rather than obeyed
U+2066..U+2069
U+2028 LINE SEPARATOR         ``↵`` (U+21B5) (some terminals break lines)
U+2029 PARAGRAPH SEPARATOR    ``¶`` (U+00B6)
============================  ==========================================

Kept as they are: ZWJ/ZWNJ (emoji sequences and scripts need them), zero-width space,
word joiner, variation selectors, combining marks, RTL letters: they change no layout
in a way that can hide or run anything, and text needs them.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size
from rich.text import Text

__all__ = [
    "BIDI_SYMBOL",
    "TAB_SYMBOL",
    "NEWLINE_SYMBOL",
    "display_text",
    "safe",
    "safe_line",
]

TAB_SYMBOL = "\u2192"  # →
BIDI_SYMBOL = "\u21c4"  # ⇄
NEWLINE_SYMBOL = "\u2424"  # ␤ (used by safe_line only)
ELLIPSIS = "\u2026"

_BIDI_CONTROLS = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if code == 0x0A:
            continue
        table[code] = chr(0x2400 + code)
    table[0x09] = TAB_SYMBOL
    table[0x7F] = "\u2421"
    for code in range(0x80, 0xA0):
        table[code] = "\ufffd"
    for code in _BIDI_CONTROLS:
        table[code] = BIDI_SYMBOL
    table[0x2028] = "\u21b5"
    table[0x2029] = "\u00b6"
    return table


DISPLAY_TABLE: dict[int, str] = _build_table()
"""Code point -> replacement (always exactly one code point)."""

_LINE_TABLE = dict(DISPLAY_TABLE)
_LINE_TABLE[0x0A] = NEWLINE_SYMBOL

_needs_translation = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted(DISPLAY_TABLE)) + "]"
).search


def display_text(text: str) -> str:
    """Return ``text`` with every control/bidi character swapped for a visible symbol.

    One code point in, one code point out: ``len(display_text(s)) == len(s)`` and
    offsets hold. ``\\n`` is kept (the caller decides how to show line breaks).
    Text that needs nothing is returned as is (a C-speed regex scan), so this is cheap
    on a clean 1 MB article.
    """
    if _needs_translation(text) is None:
        return text
    return text.translate(DISPLAY_TABLE)


def safe(text: str, style: str = "") -> Text:
    """A :class:`Text` showing ``text`` literally (never markup), controls made visible."""
    return Text(display_text(text), style=style, end="")


def safe_line(text: str, max_len: int | None = None, style: str = "") -> Text:
    """A one-line :class:`Text` for titles, list rows and notifications.

    Line breaks show as ``␤``; when ``max_len`` (in terminal cells) is given and the text
    is wider, it is cut and ends with ``…``.
    """
    shown = text.translate(_LINE_TABLE)
    if max_len is not None:
        max_len = max(0, max_len)
        if cell_len(shown) > max_len:
            if max_len == 0:
                shown = ""
            else:
                # Cut by code points first so a 5 MB line is cheap to shorten.
                shown = set_cell_size(shown[: max_len * 2], max_len - 1).rstrip() + ELLIPSIS
    return Text(shown, style=style, end="", no_wrap=True, overflow="ellipsis")
