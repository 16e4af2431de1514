"""ArticleView: the article as a Line-API ``ScrollView`` that stays fast on 1-5 MB.

Shape (after Textual's OptionList and toolong's LogLines, see ``docs/exemplars.md``):

* **Paragraphs** are the text between ``"\\n"``; their start offsets are found once per
  text (a C-speed regex scan): before the first paint only in a fixed head of the text
  (``_SCAN_HEAD``), the rest counting as one estimated paragraph until the first
  background tick (or a jump into it) scans it, so a 20 MB article of a million short
  lines paints as soon as a 1 MB one.
* **Rows.** Each paragraph is soft-wrapped at the widget width *lazily*: only when a row
  of it is needed (on screen, under the cursor) or by a background job that wraps the
  rest in small time slices after the first paint. A paragraph's wrap is a list of row
  start offsets (code points). Paragraphs not yet wrapped count with an *estimated*
  height; the heights live in a Fenwick tree, so ``row -> (paragraph, row in paragraph)``
  and back are O(log n) and a corrected estimate is an O(log n) update. When estimates
  are corrected the row at the top of the view is kept in place (no jumps).
* **Wrapping** is by terminal cells (``rich.cells``): a fast path for text whose
  characters are all one cell wide (``str.rfind`` on spaces), and a grapheme path
  (``rich.cells.split_graphemes``) for wide characters (CJK, emoji, ZWJ sequences) and
  combining marks. Words wrap at spaces/tabs; a word longer than the width is broken
  hard; spaces at a break hang past the edge; a paragraph whose last row is full gets
  an empty row so the cursor can sit after its last character.
* **Strips** are cached in an ``LRUCache`` keyed by the row's offsets, the width, and
  where the cursor/selection cut the row. ``set_layer`` evicts only the cached rows
  that overlap the spans that changed; a style (theme/CSS) change clears the cache.
* **Safety**: every character goes through :func:`tui.safe_text.display_text` (one for
  one, so offsets hold) and is put in ``Segment``s directly: nothing is parsed as markup.
* **Graphemes**: left/right step over a whole user-perceived character (a letter with
  its combining marks, an emoji ZWJ sequence); highlights, the cursor and the selection
  are drawn cut at grapheme boundaries, so every strip measures exactly the width.
  Known limit: a terminal that reorders right-to-left text itself (bidi) shows RTL runs
  in another order than the cells the view computes; bidi *controls* are shown as
  symbols (see ``safe_text``), so they cannot reorder anything.

Keys (ids are for the user's keymap; all movement keys take ``shift`` to select):

| key | id | action |
| --- | --- | --- |
| left / right | article.left / article.right | character (grapheme) |
| up / down | article.up / article.down | visual row, keeping the column |
| ctrl+left / ctrl+right | article.word_left / article.word_right | word |
| home / end | article.row_start / article.row_end | start / end of the row |
| ctrl+up / ctrl+down | article.paragraph_up / article.paragraph_down | paragraph |
| pageup / pagedown | article.page_up / article.page_down | page |
| ctrl+home / ctrl+end | article.text_start / article.text_end | start / end of the text |
| escape | article.clear_selection | clear the selection |
| ctrl+c | article.copy | copy the selection (else the word) to the clipboard |

Mouse: click sets the cursor, drag selects, shift+click extends, double click selects
the word, triple click the sentence, the wheel scrolls.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from math import ceil
from operator import add, floordiv, sub
from time import perf_counter
from typing import Iterable, NamedTuple

from rich.cells import cell_len, split_graphemes
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from tui.layers import ENTITY_LAYERS
from tui.safe_text import display_text

__all__ = ["ArticleView", "Span", "LEGEND", "KINDS"]


class Span(NamedTuple):
    """A highlighted range of the text: code-point offsets, ``end`` exclusive."""

    start: int
    end: int
    kind: str
    key: str


ENTITY_KINDS = tuple(layer.id for layer in ENTITY_LAYERS)
KINDS = ("entity", *ENTITY_KINDS, "claim", "note", "user", "focus", "search")
"""Span kinds the view knows how to draw (``entity-person`` ...: an entity of that type)."""

LEGEND: list[tuple[str, str]] = [
    *((layer.id, layer.name) for layer in ENTITY_LAYERS),
    ("claim", "▎claim"),
    ("note", "reliability note"),
    ("user", "yours"),
    ("user-note", "yours on a note"),
    ("user-overlap", "overlapping annotations"),
    ("focus", "chosen item"),
    ("search", "search match"),
    ("selection", "selection"),
]
"""(kind, description) for a legend line; the kind names a component class."""

SHORT_LEGEND = ("claim", "note", "user", "user-note", "search")
"""What the reader's one-line legend names besides the entity types shown."""

# The order in which component styles are stacked (later wins for colours).
_STYLE_ORDER = (
    "entity",
    *ENTITY_KINDS,
    "note",
    "claim",
    "user",
    "user-note",
    "user-overlap",
    "search",
    "focus",
    "selection",
    "cursor",
)
_ORDER_INDEX = {name: index for index, name in enumerate(_STYLE_ORDER)}

# Fallback Rich styles for the legend when no mounted view is at hand; they follow
# DEFAULT_CSS in spirit (theme colours are only known to a mounted widget).
_FALLBACK_STYLES = {
    "entity": Style(color="bright_cyan", bold=True),
    **{layer.id: Style(color=layer.colour) for layer in ENTITY_LAYERS},
    "claim": Style(color="#8a8a8a"),
    "note": Style(bgcolor="#5f4b00"),
    "user": Style(bgcolor="#1f5f2f"),
    "user-note": Style(bgcolor="#00707a"),
    "user-overlap": Style(bgcolor="#2f8f3f", bold=True, underline=True),
    "focus": Style(bgcolor="#204a87", bold=True),
    "search": Style(bgcolor="#7a3d8a"),
    "selection": Style(bgcolor="#3a5a9a"),
    "cursor": Style(reverse=True),
}

# Characters known to be exactly one cell wide and to combine with nothing (checked
# against rich.cells when this table was written; U+00AD soft hyphen is excluded).
# A chunk made only of these takes the fast wrapping path.
_not_single_cell = re.compile(
    "[^\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e"
    "\u2190-\u21ff\u2400-\u2426\u2500-\u25fc\ufffd]"
).search

_WRAP_CHUNK = 8192  # code points measured at a time when wrapping
_BUCKET_SHIFT = 8
_BUCKET = 1 << _BUCKET_SHIFT  # span index granularity (code points)
_BACKGROUND_SLICE = 0.008  # seconds of background wrapping per timer tick
# Paragraphs are found at load only in the text's first _SCAN_HEAD code points (bounded
# work before the first paint, whatever the size); the rest of the text counts as one
# estimated "tail" paragraph until the first background tick, or a jump into it, scans it.
_SCAN_HEAD = 1 << 18
_NEWLINE = re.compile("\n")

# A word: letters/digits with the marks that belong to them (``\w`` alone would cut
# "cafe\u0301" or a voweled Hebrew/Arabic word in two) and joiners; any other run of
# non-space characters (punctuation) is a word of its own for moves.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
)
_WORD = f"[\\w{_MARKS}]+"
_OTHER = f"[^\\w\\s{_MARKS}]+"


class _LazyPattern:
    """A regular expression compiled on first use. Word and sentence patterns with these
    Unicode classes take ~0.7 ms each to compile; the first paint does not need them."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):  # match, search, finditer
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return getattr(self._compiled, name)


_word_forward = _LazyPattern(f"\\s*(?:{_WORD}|{_OTHER})")
_word_backward = _LazyPattern(f"(?:{_WORD}|{_OTHER})\\s*\\Z")
_word_chars = _LazyPattern(_WORD)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st gen lt col sgt capt cmdr adm sen rep gov pres "
    "vs etc e.g i.e u.s u.k u.n no jan feb mar apr jun jul aug sep sept oct nov dec "
    "inc ltd co corp dept approx est fig vol".split()
)
_sentence_break = _LazyPattern(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+")


class LegendFlow:
    """Legend entries in rows as wide as the space, an entry never split across rows."""

    def __init__(self, entries: list[Text], separator: str = "  ") -> None:
        self.entries = entries
        self.separator = separator

    def __rich_console__(self, console, options):
        width = options.max_width
        line = Text(end="\n")
        for entry in self.entries:
            if line.cell_len and line.cell_len + len(self.separator) + entry.cell_len > width:
                yield line
                line = Text(end="\n")
            if line.cell_len:
                line.append(self.separator)
            line.append_text(entry)
        yield line


class _WholeCellScrollBar(ScrollBarRender):
    """Textual's scrollbar drawn in whole cells (no eighth-of-a-cell end glyphs): on a long
    article the thumb then changes only every dozen pages, see ArticleView.watch_scroll_y."""

    VERTICAL_BARS = [" "] * 8


def _thumb(bar: ScrollBar, position: float) -> tuple[int, int] | None:
    """The cells ``bar`` paints as its thumb at ``position`` (the arithmetic of Textual's
    ScrollBarRender.render_bar, whole cells): equal results draw equal bars."""
    size = bar.size.height
    virtual_size = ceil(bar.window_virtual_size)
    window_size = ceil(bar.window_size if bar.window_size < bar.window_virtual_size else 0)
    if not (window_size and size and virtual_size and size != virtual_size):
        return None
    thumb_size = max(1, window_size / (virtual_size / size))
    start = int((size - thumb_size) * (position / (virtual_size - window_size)) * 8)
    return max(0, start) // 8, max(0, start + ceil(thumb_size * 8)) // 8


class _Fenwick:
    """Prefix sums of paragraph heights with O(log n) update and row lookup."""

    __slots__ = ("n", "tree", "top")

    def __init__(self, values: list[int]) -> None:
        n = len(values)
        # node i holds the sum of values (i - lowbit(i), i]: a difference of prefix sums,
        # one comprehension instead of a loop of updates (a million lines open in ~0.1 s)
        prefix = list(accumulate(values, initial=0))
        tree = [0]
        tree.extend([prefix[i] - prefix[i & (i - 1)] for i in range(1, n + 1)])
        self.n = n
        self.tree = tree
        top = 1
        while top * 2 <= n:
            top *= 2
        self.top = top if n else 0

    def add(self, index: int, delta: int) -> None:
        tree, n = self.tree, self.n
        i = index + 1
        while i <= n:
            tree[i] += delta
            i += i & -i

    def prefix(self, index: int) -> int:
        """Sum of the first ``index`` values."""
        tree = self.tree
        total = 0
        i = index
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def find(self, row: int) -> tuple[int, int]:
        """(index, remainder): the value index that contains ``row`` and the row in it."""
        tree, n = self.tree, self.n
        pos = 0
        step = self.top
        while step:
            nxt = pos + step
            if nxt <= n and tree[nxt] <= row:
                pos = nxt
                row -= tree[nxt]
            step >>= 1
        return pos, row


class ArticleView(ScrollView, can_focus=True):
    """The article text with a cursor, a selection and highlight layers."""

    ALLOW_SELECT = False  # the view has its own selection
    ALLOW_MAXIMIZE = True

    COMPONENT_CLASSES = {
        "article-view--entity",
        "article-view--claim",
        "article-view--note",
        "article-view--user",
        "article-view--user-overlap",
        "article-view--user-note",
        *(f"article-view--{layer.id}" for layer in ENTITY_LAYERS),
        "article-view--focus",
        "article-view--search",
        "article-view--cursor",
        "article-view--selection",
    }
    """
    | Class | Description |
    | :- | :- |
    | `article-view--entity` | A named entity found by the analysis. |
    | `article-view--entity-person` ... | An entity of one type (see ``tui.layers``). |
    | `article-view--claim` | The margin mark of rows in a claim (with ``margin_marks``). |
    | `article-view--note` | A span with a reliability note. |
    | `article-view--user` | The user's own annotation. |
    | `article-view--user-overlap` | Two or more of the user's annotations overlap. |
    | `article-view--user-note` | The user's annotation over a reliability note. |
    | `article-view--focus` | The item chosen in the side panel. |
    | `article-view--search` | A search match. |
    | `article-view--cursor` | The cursor cell. |
    | `article-view--selection` | The selection. |
    """

    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: scroll;
        padding: 0 1;
        & > .article-view--entity { color: $text-accent; text-style: bold; }
        & > .article-view--claim { color: $text-muted; }
        & > .article-view--note { background: $warning 30%; }
        & > .article-view--user { background: $success 30%; }
        & > .article-view--user-note { background: #00707a; }
        & > .article-view--user-overlap { background: $success 65%; text-style: bold underline; }
        & > .article-view--focus { background: $primary 55%; text-style: bold; }
        & > .article-view--search { background: $secondary 55%; }
        & > .article-view--selection { background: $accent 45%; }
        & > .article-view--cursor { text-style: reverse; }
        &:blur > .article-view--cursor { text-style: underline; }
        &:focus { background-tint: $foreground 3%; }
    }
    """ + "".join(
        f"ArticleView > .article-view--{layer.id} {{ color: {layer.colour}; }}\n" for layer in ENTITY_LAYERS
    )

    BINDINGS = [
        Binding("left", "cursor_left", "Left", show=False, id="article.left", tooltip="Cursor one character left"),
        Binding("right", "cursor_right", "Right", show=False, id="article.right", tooltip="Cursor one character right"),
        Binding("up", "cursor_up", "Up", show=False, id="article.up", tooltip="Cursor one row up"),
        Binding("down", "cursor_down", "Down", show=False, id="article.down", tooltip="Cursor one row down"),
        Binding("shift+left", "cursor_left(True)", "Select left", show=False, id="article.select_left", tooltip="Extend the selection one character left"),
        Binding("shift+right", "cursor_right(True)", "Select right", show=False, id="article.select_right", tooltip="Extend the selection one character right"),
        Binding("shift+up", "cursor_up(True)", "Select up", show=False, id="article.select_up", tooltip="Extend the selection one row up"),
        Binding("shift+down", "cursor_down(True)", "Select down", show=False, id="article.select_down", tooltip="Extend the selection one row down"),
        Binding("ctrl+left", "word_left", "Word left", show=False, id="article.word_left", tooltip="Cursor to the start of the previous word"),
        Binding("ctrl+right", "word_right", "Word right", show=False, id="article.word_right", tooltip="Cursor to the end of the next word"),
        Binding("ctrl+shift+left", "word_left(True)", "Select word left", show=False, id="article.select_word_left", tooltip="Extend the selection to the previous word start"),
        Binding("ctrl+shift+right", "word_right(True)", "Select word right", show=False, id="article.select_word_right", tooltip="Extend the selection to the next word end"),
        Binding("home", "row_start", "Row start", show=False, id="article.row_start", tooltip="Cursor to the start of the row"),
        Binding("end", "row_end", "Row end", show=False, id="article.row_end", tooltip="Cursor to the end of the row"),
        Binding("shift+home", "row_start(True)", "Select to row start", show=False, id="article.select_row_start", tooltip="Extend the selection to the row start"),
        Binding("shift+end", "row_end(True)", "Select to row end", show=False, id="article.select_row_end", tooltip="Extend the selection to the row end"),
        Binding("ctrl+up", "paragraph_up", "Paragraph up", show=False, id="article.paragraph_up", tooltip="Cursor to the start of this or the previous paragraph"),
        Binding("ctrl+down", "paragraph_down", "Paragraph down", show=False, id="article.paragraph_down", tooltip="Cursor to the start of the next paragraph"),
        Binding("ctrl+shift+up", "paragraph_up(True)", "Select paragraph up", show=False, id="article.select_paragraph_up", tooltip="Extend the selection a paragraph up"),
        Binding("ctrl+shift+down", "paragraph_down(True)", "Select paragraph down", show=False, id="article.select_paragraph_down", tooltip="Extend the selection a paragraph down"),
        Binding("pageup", "page_up", "Page up", show=False, id="article.page_up", tooltip="Cursor one page up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="article.page_down", tooltip="Cursor one page down"),
        Binding("shift+pageup", "page_up(True)", "Select page up", show=False, id="article.select_page_up", tooltip="Extend the selection one page up"),
        Binding("shift+pagedown", "page_down(True)", "Select page down", show=False, id="article.select_page_down", tooltip="Extend the selection one page down"),
        Binding("ctrl+home", "text_start", "Text start", show=False, id="article.text_start", tooltip="Cursor to the start of the article"),
        Binding("ctrl+end", "text_end", "Text end", show=False, id="article.text_end", tooltip="Cursor to the end of the article"),
        Binding("ctrl+shift+home", "text_start(True)", "Select to text start", show=False, id="article.select_text_start", tooltip="Extend the selection to the start of the article"),
        Binding("ctrl+shift+end", "text_end(True)", "Select to text end", show=False, id="article.select_text_end", tooltip="Extend the selection to the end of the article"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="article.clear_selection", tooltip="Clear the selection"),
        Binding("ctrl+c,super+c", "copy", "Copy", show=False, id="article.copy", tooltip="Copy the selection (or the word under the cursor) to the clipboard"),
    ]

    class CursorMoved(Message):
        """The cursor or the selection changed. Bursts coalesce (``can_replace``)."""

        def __init__(self, view: "ArticleView", cursor: int, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view = view
            self.cursor = cursor
            self.selection = selection

        @property
        def control(self) -> "ArticleView":
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.CursorMoved) and message.view is self.view

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        margin_marks: bool = False,
    ) -> None:
        """``margin_marks``: a one-cell margin on the left marks the rows of a claim
        (quieter than underlining most of the article); style the view with no left
        padding then, the margin takes its place."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._gutter = 1 if margin_marks else 0
        self._max_line_width = 0  # 0: lines as wide as the view
        self._hidden: frozenset[str] = frozenset()
        self._cursor = 0
        self._anchor: int | None = None
        self._goal_x: int | None = None
        self._drag = False
        self._layers: dict[str, list[Span]] = {}
        self._layer_index: dict[str, dict[int, list[Span]]] = {}
        self._style_cache: dict[tuple[str, ...], Style] = {}
        self._strip_cache: LRUCache[tuple, Strip] = LRUCache(2048)
        self._background_timer = None
        self._load_text(text)

    # ----- text and wrap state ------------------------------------------------------------

    def _load_text(self, text: str) -> None:
        self._text = text
        # map() keeps the per-line work in C; only the head is scanned now (see _SCAN_HEAD)
        ends = list(map(re.Match.start, _NEWLINE.finditer(text, 0, _SCAN_HEAD)))
        starts = [0]
        starts.extend(map(add, ends, repeat(1)))
        ends.append(len(text))
        self._para_starts: list[int] = starts
        self._para_ends: list[int] = ends
        # the last paragraph is the unscanned tail (its end is the text's end) until _scan_rest
        self._scanned = len(text) <= _SCAN_HEAD
        self._wrap_width = 0  # nothing wrapped yet
        self._rows: list[list[int] | None] = []
        self._partial: dict[int, int] = {}
        self._heights: list[int] = []
        self._fenwick = _Fenwick([])
        self._total_rows = 0
        self._wrapped_upto = 0  # background wrapping: paragraphs before this are done
        self._strip_cache.clear()

    def _scan_rest(self) -> None:
        """Find the paragraphs of the tail (once: the first background tick, or a need
        for a row or an offset in it), keeping the top visible row in place."""
        if self._scanned:
            return
        tail = len(self._para_starts) - 1
        anchor = None
        if self._wrap_width and self.is_mounted and int(self.scroll_y):
            top = int(self.scroll_y)
            if self._fenwick.find(top)[0] < tail:  # a top row in the estimated tail stays as it is
                anchor = self._top_offset()
        self._scanned = True
        ends = list(map(re.Match.start, _NEWLINE.finditer(self._text, self._para_starts[tail])))
        self._para_ends[tail:] = ends
        self._para_starts.extend(map(add, ends, repeat(1)))
        self._para_ends.append(len(self._text))
        if self._wrap_width:
            self._rewrap_heights(keep=tail)
            self._sync_virtual_size()
            if anchor is not None:
                self.set_scroll(None, self._row_of_offset(anchor))

    @property
    def text(self) -> str:
        """The article text (never changed by the view)."""
        return self._text

    def set_text(self, text: str) -> None:
        """Show another text; the cursor goes to its start, layers are dropped."""
        self._load_text(text)
        self._cursor = 0
        self._anchor = None
        self._goal_x = None
        self._layers.clear()
        self._layer_index.clear()
        if self.is_mounted:
            self.scroll_to(0, 0, animate=False)
            self._ensure_wrap()
            self.refresh()
            self._post_cursor_moved()

    def _content_width(self) -> int:
        """Width to wrap at: the content width (less the margin, at most the readable
        width when one is set), or (before the first layout) the width already used, else 80."""
        width = self.scrollable_content_region.width - self._gutter
        if width > 0:
            if self._max_line_width:
                width = min(width, self._max_line_width)
            return width
        return self._wrap_width or 80

    @property
    def max_line_width(self) -> int:
        """The widest a row may be (cells; 0: the view's width). Wide terminals keep a readable line."""
        return self._max_line_width

    @max_line_width.setter
    def max_line_width(self, width: int) -> None:
        self._max_line_width = max(0, int(width))
        if self.is_mounted:
            self._ensure_wrap(check=True)
            self.refresh()

    @property
    def hidden_kinds(self) -> frozenset[str]:
        """Span kinds that are kept but not drawn (layers switched off)."""
        return self._hidden

    def set_hidden_kinds(self, kinds: Iterable[str]) -> None:
        hidden = frozenset(kinds)
        if hidden != self._hidden:
            self._hidden = hidden
            self._strip_cache.clear()
            if self.is_mounted:
                self.refresh()

    def _estimate(self, length: int, width: int) -> int:
        return length // width + 1

    def _ensure_wrap(self, check: bool = False) -> int:
        """Make sure the wrap state is for the current width; return the width.

        The width is read from the layout (``check``) on mount, resize and each
        render; in between, the width of the current wrap is trusted (reading the
        region costs ~0.1 ms and a key used to read it six times)."""
        if self._wrap_width and not check:
            return self._wrap_width
        width = self._content_width()
        if width != self._wrap_width:
            self._rewrap(width)
        return width

    def _rewrap(self, width: int) -> None:
        anchor = self._top_offset() if self._wrap_width else None
        self._wrap_width = width
        self._rows = []
        self._partial = {}
        self._rewrap_heights(keep=0)
        self._wrapped_upto = 0
        self._strip_cache.clear()
        self._sync_virtual_size()
        if anchor is not None:
            self.set_scroll(None, self._row_of_offset(anchor))
        self._start_background_wrap()

    def _rewrap_heights(self, keep: int) -> None:
        """Estimated heights of the paragraphs from ``keep`` on (those before keep their
        wrap), and the Fenwick tree of all heights."""
        width = self._wrap_width
        starts, ends = self._para_starts, self._para_ends
        count = len(starts)
        del self._rows[keep:]
        self._rows.extend(repeat(None, count - len(self._rows)))
        # self._estimate for every paragraph, computed in C (no Python call per line)
        heights = self._heights[:keep]
        heights.extend(map(add, map(floordiv, map(sub, ends[keep:], starts[keep:]), repeat(width)), repeat(1)))
        if not self._scanned and count > 1:
            # the unscanned tail: as many rows per code point as the head has
            tail = count - 1
            head_rows = sum(heights[:tail])
            heights[tail] = max(heights[tail], (ends[tail] - starts[tail]) * head_rows // max(1, starts[tail]))
        self._heights = heights
        self._fenwick = _Fenwick(heights)
        self._total_rows = sum(heights)

    def _sync_virtual_size(self) -> None:
        size = Size(self._wrap_width, self._total_rows)
        if size != self.virtual_size:
            self.virtual_size = size

    def _set_height(self, para: int, height: int) -> None:
        delta = height - self._heights[para]
        if delta:
            self._heights[para] = height
            self._fenwick.add(para, delta)
            self._total_rows += delta

    def _wrap_para(self, para: int, need_rows: int | None = None, need_offset: int | None = None) -> None:
        """Wrap (more of) one paragraph: until it has ``need_rows`` rows, or the row
        holding ``need_offset`` is known, or it is complete (both None)."""
        if not self._scanned and para == len(self._para_starts) - 1:
            self._scan_rest()
        rows = self._rows[para]
        start = self._para_starts[para]
        end = self._para_ends[para]
        if rows is None:
            rows = self._rows[para] = []
            pos: int | None = start
        else:
            pos = self._partial.get(para)
            if pos is None:
                return
        width = self._wrap_width
        text = self._text
        if start == end:
            rows.append(start)
            pos = None
        while pos is not None:
            if need_rows is not None and len(rows) >= need_rows:
                break
            if need_offset is not None and pos > need_offset:
                break
            chunk_end = min(end, pos + max(_WRAP_CHUNK, 4 * width))
            shown = display_text(text[pos:chunk_end])
            if _not_single_cell(shown) is None:
                pos = _wrap_fast(text, pos, chunk_end, end, width, rows)
            else:
                pos = _wrap_graphemes(text, shown, pos, chunk_end, end, width, rows)
        if pos is None:
            self._partial.pop(para, None)
            self._set_height(para, len(rows))
        else:
            self._partial[para] = pos
            self._set_height(para, len(rows) + self._estimate(end - pos, width))

    def _is_wrapped(self, para: int) -> bool:
        return self._rows[para] is not None and para not in self._partial

    def _locate(self, row: int) -> tuple[int, int] | None:
        """(paragraph, row in paragraph) of a view row, wrapping as needed."""
        if row < 0:
            return None
        for _ in range(10_000):
            para, k = self._fenwick.find(row)
            if para >= self._fenwick.n:
                return None
            rows = self._rows[para]
            if rows is not None and k < len(rows):
                return para, k
            if self._is_wrapped(para):
                continue  # height was corrected; look again
            self._wrap_para(para, need_rows=k + 2)
        return None  # pragma: no cover - heights only ever become exact

    def _row_bounds(self, para: int, k: int) -> tuple[int, int, bool]:
        """(start, end, is_last_row_of_paragraph) of a wrapped row."""
        rows = self._rows[para]
        assert rows is not None
        start = rows[k]
        if k + 1 < len(rows):
            return start, rows[k + 1], False
        partial = self._partial.get(para)
        if partial is not None:
            return start, partial, False
        return start, self._para_ends[para], True

    def _para_of_offset(self, offset: int) -> int:
        para = max(0, bisect_right(self._para_starts, offset) - 1)
        if not self._scanned and para == len(self._para_starts) - 1:
            self._scan_rest()
            para = max(0, bisect_right(self._para_starts, offset) - 1)
        return para

    def _place(self, offset: int) -> tuple[int, int]:
        """(paragraph, row in paragraph) holding a text offset."""
        para = self._para_of_offset(offset)
        while not self._is_wrapped(para):
            partial = self._partial.get(para)
            if partial is not None and partial > offset:
                break
            self._wrap_para(para, need_offset=offset)
        rows = self._rows[para]
        assert rows is not None
        return para, max(0, bisect_right(rows, offset) - 1)

    def _row_of_offset(self, offset: int) -> int:
        offset = max(0, min(offset, len(self._text)))
        para, k = self._place(offset)
        return self._fenwick.prefix(para) + k

    def _top_offset(self) -> int:
        """Text offset at the start of the top visible row."""
        located = self._locate(int(self.scroll_y))
        if located is None:
            return len(self._text)
        return self._row_bounds(*located)[0]

    # ----- background wrapping ----------------------------------------------------------

    def _start_background_wrap(self) -> None:
        if not self.is_mounted:
            return
        if self._background_timer is not None:
            self._background_timer.stop()
        self._background_timer = self.set_interval(0.03, self._background_wrap, name="article-wrap")

    def _stop_background_wrap(self) -> None:
        if self._background_timer is not None:
            self._background_timer.stop()
            self._background_timer = None

    def _background_wrap(self) -> None:
        """Wrap paragraphs that are still estimated, a few ms at a time, keeping the top
        visible row where it is. Nothing is redrawn unless the top row moved; the
        scrollbar is corrected when all is wrapped (each repaint costs more than a slice)."""
        if not self._scanned:
            self._scan_rest()
            return  # one tick for the scan, the wrapping goes on at the next
        count = len(self._para_starts)
        if self._wrapped_upto >= count:
            self._stop_background_wrap()
            return
        top = self._top_offset()
        top_row = int(self.scroll_y)
        deadline = perf_counter() + _BACKGROUND_SLICE
        para = self._wrapped_upto
        rows = self._rows
        partial = self._partial
        while para < count and perf_counter() < deadline:
            if rows[para] is None or para in partial:
                current = rows[para]
                self._wrap_para(para, need_rows=(len(current) if current else 0) + 400)
                if para in partial:
                    continue
            para += 1
        self._wrapped_upto = para
        new_top = self._row_of_offset(top)
        if new_top != top_row:
            self._sync_virtual_size()
            self.set_scroll(None, new_top)
            self.refresh()
        if para >= count:
            self._stop_background_wrap()
            self._sync_virtual_size()

    def wrap_all(self) -> None:
        """Wrap every paragraph now (tests, benchmarks; the view does it in the background)."""
        self._ensure_wrap()
        self._scan_rest()
        while self._wrapped_upto < len(self._para_starts):
            para = self._wrapped_upto
            self._wrap_para(para)
            self._wrapped_upto = para + 1
        self._sync_virtual_size()

    # ----- mounting, resizing, styles -----------------------------------------------------

    def on_mount(self) -> None:
        super().on_mount()
        self.vertical_scrollbar.renderer = _WholeCellScrollBar
        if self.scrollable_content_region.width > 0:
            self._ensure_wrap(check=True)

    def on_resize(self, event: events.Resize) -> None:
        if self._content_width() != self._wrap_width:
            self._ensure_wrap(check=True)
            self.scroll_to_offset(self._cursor, center=False)
        self.refresh()

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        self._style_cache.clear()
        self._strip_cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        self._strip_cache.clear()
        super().notify_style_update()

    def on_unmount(self) -> None:
        if self._background_timer is not None:
            self._background_timer.stop()
            self._background_timer = None

    # ----- layers ---------------------------------------------------------------------------

    def set_layer(self, name: str, spans: Iterable[tuple[int, int, str, str]]) -> None:
        """Replace the spans of one highlight layer: ``(start, end, kind, key)`` tuples
        (or :class:`Span`), code-point offsets, ``end`` exclusive. Only the cached rows
        that show a changed span are dropped and only the visible ones are redrawn."""
        collecting = gc.isenabled()
        if collecting:
            gc.disable()  # tens of thousands of small objects: no collection passes meanwhile
        try:
            new, index = _index_spans(spans)
        finally:
            if collecting:
                gc.enable()
        old = self._layers.get(name, [])
        if new:
            self._layers[name] = new
        else:
            self._layers.pop(name, None)
        if index:
            self._layer_index[name] = index
        else:
            self._layer_index.pop(name, None)
        if len(old) + len(new) > 20_000:
            # A whole analysis layer: comparing costs more than redrawing the screen.
            self._strip_cache.clear()
            if self.is_mounted:
                self.refresh()
            return
        changed = set(old).symmetric_difference(new)
        self._evict(changed)
        self._refresh_spans(changed)

    def layer_spans(self, name: str) -> list[Span]:  # not "layer": Widget.layer is the CSS layer
        """The spans of one layer (a copy)."""
        return list(self._layers.get(name, []))

    def _evict(self, changed: set[Span]) -> None:
        """Drop the cached strips of rows that overlap any changed span."""
        if not changed:
            return
        if len(changed) > 256:
            self._strip_cache.clear()
            return
        ranges = sorted((span.start, max(span.end, span.start + 1)) for span in changed)
        starts = [start for start, _end in ranges]
        reach: list[int] = []  # reach[i]: the furthest end among ranges[: i + 1]
        furthest = -1
        for _start, end in ranges:
            furthest = max(furthest, end)
            reach.append(furthest)
        cache = self._strip_cache
        for key in list(cache.keys()):
            row_start, row_end = key[0], max(key[1], key[0] + 1)
            count = bisect_left(starts, row_end)  # ranges starting before the row ends
            if count and reach[count - 1] > row_start:
                cache.discard(key)

    def _refresh_spans(self, changed: set[Span]) -> None:
        """Redraw the visible rows that show any of ``changed`` (a full redraw costs
        Textual ~10 ms at 120x40 even when every strip is cached)."""
        if not changed or not self.is_mounted:
            return
        if len(changed) > 64 or not self._wrap_width:
            self.refresh()
            return
        top = int(self.scroll_y)
        height = self._view_height()
        size = len(self._text)
        top_offset = self._top_offset()
        bottom = self._locate(top + height - 1)
        bottom_offset = self._row_bounds(*bottom)[1] if bottom is not None else size
        for span in changed:
            start, end = max(0, span.start), min(size, max(span.end, span.start + 1))
            if end < top_offset or start > bottom_offset:
                continue
            self._refresh_offsets(max(start, top_offset), min(end, bottom_offset))

    def _spans_in(self, start: int, end: int) -> list[Span]:
        """Spans of all layers overlapping [start, end)."""
        found: dict[Span, None] = {}
        end = max(end, start + 1)
        buckets = range(start // _BUCKET, (end - 1) // _BUCKET + 1)
        for index in self._layer_index.values():
            for bucket in buckets:
                for span in index.get(bucket, ()):
                    if span.start < end and max(span.end, span.start + 1) > start:
                        found[span] = None
        return list(found)

    def spans_at(self, offset: int) -> list[Span]:
        """Every span (all layers) covering ``offset``, innermost (shortest) first."""
        hidden = self._hidden
        spans = [
            span
            for span in self._spans_in(offset, offset + 1)
            if span.start <= offset < max(span.end, span.start + 1) and span.kind not in hidden
        ]
        spans.sort(key=lambda span: (span.end - span.start, span.start, span.kind))
        return spans

    # ----- styles ---------------------------------------------------------------------------

    def _component_style(self, name: str, background: Color) -> tuple[Style, Color]:
        """The Rich style of one component drawn over ``background`` (alpha blended:
        Rich has no alpha, so ``$success 30%`` is composited here), and the new background."""
        styles = self.get_component_styles(f"article-view--{name}")
        style = self.get_component_rich_style(f"article-view--{name}", partial=True)
        if styles.has_rule("background"):
            background = background + styles.background
            style += Style(bgcolor=background.rich_color)
        if styles.has_rule("color"):
            color = styles.color
            if color.a < 1:
                color = background + color
            style += Style(color=color.rich_color)
        return style, background

    def _style(self, names: tuple[str, ...]) -> Style:
        style = self._style_cache.get(names)
        if style is None:
            style = self.rich_style
            background = self.background_colors[1]
            for name in names:
                layer, background = self._component_style(name, background)
                style += layer
            self._style_cache[names] = style
        return style

    @classmethod
    def legend_text(cls, view: "ArticleView | None" = None, separator: str = "  ", short: bool = False) -> Text:
        """A legend: each kind's description drawn in its own style (wraps between entries).

        Called on the class it uses fixed colours; pass a mounted view to use the
        theme's colours (``ArticleView.legend_text(view)``). ``short``: only the layers
        that view shows, and the marks a reader meets most (the reader's legend line).
        """
        text = Text(end="")
        hidden = view.hidden_kinds if view is not None else frozenset()
        entries = [
            (kind, description) for kind, description in LEGEND
            if not short or (kind not in hidden and (kind in ENTITY_KINDS or kind in SHORT_LEGEND))
        ]
        for index, (kind, description) in enumerate(entries):
            if index:
                text.append(separator)
            if view is not None and view.is_mounted:
                style = view._style((kind,))
            else:
                style = _FALLBACK_STYLES.get(kind, Style())
            text.append(description, style)
        return text

    def legend_flow(self) -> LegendFlow:
        """The reader's legend: the shown layers and the marks met most, wrapped between entries."""
        legend = self.legend_text(self, separator="\t", short=True)
        return LegendFlow(legend.split("\t", allow_blank=False))

    # ----- rendering ------------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # The scrollbar redraws all its rows whenever its position changes (as much CPU as
        # a page of text), though on a long article its thumb moves by a cell only every
        # dozen pages: its position is updated silently while the thumb would be drawn
        # the same (Widget.watch_scroll_y then finds nothing to change).
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            position = bar.validate_position(new_value)
            if _thumb(bar, position) == _thumb(bar, bar.position):
                bar.set_reactive(ScrollBar.position, position)
        super().watch_scroll_y(old_value, new_value)

    def render_lines(self, crop):  # type: ignore[override]
        self._ensure_wrap(check=True)
        strips = super().render_lines(crop)
        if self._background_timer is None:
            # While the background job runs it corrects the size once at its end:
            # every size change costs a relayout and a full repaint.
            self._sync_virtual_size()
        return strips

    def render_line(self, y: int) -> Strip:
        width = self._wrap_width or self._content_width()
        full = max(self.scrollable_content_region.width, width + self._gutter)
        located = self._locate(int(self.scroll_y) + y)
        if located is None:
            return Strip.blank(full, self._style(()))
        start, end, last = self._row_bounds(*located)
        strip = self._row_strip(start, end, last, width)
        if strip.cell_length < full:  # lines capped at a readable width
            strip = strip.extend_cell_length(full, self._style(()))
        return strip

    def _row_strip(self, start: int, end: int, last: bool, width: int) -> Strip:
        cursor = self._cursor
        cursor_key = cursor - start if start <= cursor < end or (last and cursor == end) else None
        selection = self.selection
        selection_key = None
        if selection is not None and selection[0] < max(end, start + 1) and selection[1] > start:
            selection_key = (max(selection[0], start) - start, min(selection[1], end) - start)
        key = (start, end, last, width, cursor_key, selection_key)
        strip = self._strip_cache.get(key)
        if strip is None:
            strip = self._build_strip(start, end, last, width, cursor_key, selection_key)
            self._strip_cache[key] = strip
        return strip

    def _build_strip(
        self,
        start: int,
        end: int,
        last: bool,
        width: int,
        cursor: int | None,
        selection: tuple[int, int] | None,
    ) -> Strip:
        shown = display_text(self._text[start:end])
        length = end - start
        marks: list[tuple[int, int, str]] = []
        user_ranges: list[tuple[int, int]] = []
        hidden = self._hidden
        in_claim = False
        for span in self._spans_in(start, end):
            a = max(span.start, start) - start
            b = min(span.end, end) - start
            if a >= b or span.kind in hidden:
                continue
            kind = span.kind if span.kind in _ORDER_INDEX else "user"
            if kind == "claim":
                in_claim = True  # a claim is marked in the margin, not on the text
            elif kind == "user":
                user_ranges.append((a, b))
            else:
                marks.append((a, b, kind))
        if selection is not None and selection[0] < selection[1]:
            marks.append((selection[0], selection[1], "selection"))
        single = _not_single_cell(shown) is None
        if cursor is not None and cursor < length:
            marks.append((cursor, cursor + 1, "cursor"))
        if not single and marks:
            # Cut only between graphemes: a piece of a ZWJ sequence or a letter without
            # its combining mark measures differently from the whole (and shows wrong).
            bounds = [g_start for g_start, _g_end, _w in split_graphemes(shown)[0]]
            bounds.append(length)

            def snap(point: int) -> int:
                return bounds[max(0, bisect_right(bounds, point) - 1)] if point < length else length

            snapped = []
            for a, b, kind in marks:
                a2, b2 = snap(a), snap(b)
                if kind == "cursor" or a2 == b2:
                    b2 = bounds[bisect_right(bounds, a2)] if a2 < length else length
                snapped.append((a2, b2, kind))
            marks = snapped
            user_ranges = [(snap(a), snap(b)) for a, b in user_ranges]
        cuts = {0, length}
        for a, b, _kind in marks:
            cuts.add(a)
            cuts.add(b)
        for a, b in user_ranges:
            cuts.add(a)
            cuts.add(b)
        points = sorted(cut for cut in cuts if 0 <= cut <= length)
        base = self._style(())
        segments: list[Segment] = []
        if self._gutter:
            segments.append(Segment("▎", self._style(("claim",))) if in_claim else Segment(" ", base))
            width += self._gutter
        for a, b in zip(points, points[1:]):
            if a >= b:
                continue
            names = {kind for ma, mb, kind in marks if ma <= a and mb >= b}
            users = sum(1 for ua, ub in user_ranges if ua <= a and ub >= b)
            if users == 1:
                names.add("user-note" if "note" in names else "user")
            elif users > 1:
                names.add("user-overlap")
            style = self._style(tuple(sorted(names, key=_ORDER_INDEX.__getitem__))) if names else base
            segments.append(Segment(shown[a:b], style))
        if cursor is not None and cursor >= length:
            names = {"cursor"}
            if selection is not None and selection[0] <= cursor < selection[1]:
                names.add("selection")
            segments.append(Segment(" ", self._style(tuple(sorted(names, key=_ORDER_INDEX.__getitem__)))))
        if single:
            cells = length + (1 if cursor is not None and cursor >= length else 0) + self._gutter
        else:
            # Measure as Textual will: segment by segment.
            cells = sum(cell_len(segment.text) for segment in segments)
        if cells <= width:
            # The common case: pad to the width ourselves and hand the Strip its length
            # (measuring segments again is a large share of a repaint).
            if cells < width:
                segments.append(Segment(" " * (width - cells), base))
            return Strip(segments, width)
        strip = Strip(segments, cells)
        if cursor is not None:
            # The cursor may sit on a space hanging past the edge: draw it in the last cell.
            cursor_cell = cell_len(shown[:cursor]) + self._gutter if cursor <= length else strip.cell_length
            if cursor_cell >= width:
                strip = strip.crop(0, width - 1) if width > 1 else Strip([])
                strip = Strip([*strip, Segment(" ", self._style(("cursor",)))])
        return strip.crop_extend(0, width, base)

    # ----- cursor and selection -----------------------------------------------------------

    @property
    def cursor(self) -> int:
        """The cursor: a code-point offset in ``0..len(text)``."""
        return self._cursor

    @cursor.setter
    def cursor(self, offset: int) -> None:
        self.move_cursor(offset)

    @property
    def selection(self) -> tuple[int, int] | None:
        """(start, end) of the selection with start < end, or None."""
        anchor = self._anchor
        if anchor is None or anchor == self._cursor:
            return None
        return (anchor, self._cursor) if anchor < self._cursor else (self._cursor, anchor)

    def move_cursor(self, offset: int, select: bool = False, *, keep_goal: bool = False, scroll: bool = True) -> None:
        """Move the cursor; with ``select`` extend the selection from where it was."""
        offset = max(0, min(int(offset), len(self._text)))
        old_cursor, old_selection, old_anchor = self._cursor, self.selection, self._anchor
        if select:
            if self._anchor is None:
                self._anchor = old_cursor
        else:
            self._anchor = None
        self._cursor = offset
        if not keep_goal:
            self._goal_x = None
        if not self.is_mounted:
            return
        top = int(self.scroll_y)
        if scroll:
            self._scroll_cursor_into_view()
        new_selection = self.selection
        if offset == old_cursor and new_selection == old_selection:
            return
        if int(self.scroll_y) == top:
            # Redraw only the rows whose cursor/selection changed.
            low, high = min(old_cursor, offset), max(old_cursor, offset)
            if self._anchor != old_anchor:
                for selection in (old_selection, new_selection):
                    if selection is not None:
                        low, high = min(low, selection[0]), max(high, selection[1])
            self._refresh_offsets(low, high)
        else:
            self.refresh()
        self._post_cursor_moved()

    def _refresh_offsets(self, low: int, high: int) -> None:
        """Redraw the visible rows showing offsets low..high."""
        top = int(self.scroll_y)
        bottom = top + self._view_height()
        first = self._row_of_offset(low)
        last = self._row_of_offset(high)
        first, last = max(first, top), min(last, bottom - 1)
        if first <= last:
            self.refresh_lines(first, last - first + 1)

    def select_range(self, start: int, end: int) -> None:
        """Select [start, end): the anchor goes to ``start``, the cursor to ``end``."""
        size = len(self._text)
        start = max(0, min(int(start), size))
        self.move_cursor(end)
        self._anchor = start
        self.refresh()
        self._post_cursor_moved()

    def clear_selection(self) -> None:
        if self._anchor is not None:
            had = self.selection is not None
            self._anchor = None
            if had:
                self.refresh()
                self._post_cursor_moved()

    def _post_cursor_moved(self) -> None:
        if self.is_attached:
            self.post_message(self.CursorMoved(self, self._cursor, self.selection))

    def _view_height(self) -> int:
        height = self.scrollable_content_region.height
        return height if height > 0 else 24

    def _scroll_cursor_into_view(self) -> None:
        self._ensure_wrap()
        row = self._row_of_offset(self._cursor)
        self._sync_virtual_size()
        top = int(self.scroll_y)
        height = self._view_height()
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def scroll_to_offset(self, offset: int, center: bool = True) -> None:
        """Scroll so that ``offset`` is visible (in the middle with ``center``)."""
        self._ensure_wrap()
        row = self._row_of_offset(offset)
        self._sync_virtual_size()
        height = self._view_height()
        top = int(self.scroll_y)
        if center:
            self.scroll_to(y=max(0, row - height // 2), animate=False)
        elif row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def scroll_to_span(self, start: int, end: int) -> None:
        """Scroll so that the span is visible: centred if it fits, else its start at the top."""
        self._ensure_wrap()
        first = self._row_of_offset(start)
        last = self._row_of_offset(max(start, end - 1))
        self._sync_virtual_size()
        height = self._view_height()
        top = int(self.scroll_y)
        if first >= top and last < top + height:
            return
        if last - first + 1 <= height:
            self.scroll_to(y=max(0, first - (height - (last - first + 1)) // 2), animate=False)
        else:
            self.scroll_to(y=first, animate=False)

    # ----- geometry helpers ---------------------------------------------------------------

    def _cell_x(self, row_start: int, offset: int) -> int:
        return cell_len(display_text(self._text[row_start:offset]))

    def _offset_at_x(self, start: int, end: int, last: bool, x: int) -> int:
        """The offset in a row [start, end) nearest to cell column ``x``."""
        shown = display_text(self._text[start:end])
        limit = end if last else max(start, end - 1)
        if _not_single_cell(shown) is None:
            return min(start + max(0, x), limit)
        spans, _total = split_graphemes(shown)
        column = 0
        for i, _j, w in spans:
            if column + w > x:
                return min(start + i, limit)
            column += w
        return limit

    def offset_at_row(self, row: int, x: int) -> int | None:
        """The text offset shown at view row ``row`` (0 = first row of the text), column ``x``."""
        self._ensure_wrap()
        located = self._locate(row)
        if located is None:
            return None
        start, end, last = self._row_bounds(*located)
        return self._offset_at_x(start, end, last, x)

    def cursor_location(self) -> tuple[int, int]:
        """(row, cell column) of the cursor in the wrapped text."""
        self._ensure_wrap()
        para, k = self._place(self._cursor)
        start, _end, _last = self._row_bounds(para, k)
        return self._fenwick.prefix(para) + k, self._cell_x(start, self._cursor)

    @property
    def row_count(self) -> int:
        """Rows of the wrapped text (exact once everything is wrapped)."""
        self._ensure_wrap()
        return self._total_rows

    def row_text(self, row: int) -> str | None:
        """The text offsets' slice shown on a row (for tests and tools)."""
        self._ensure_wrap()
        located = self._locate(row)
        if located is None:
            return None
        start, end, _last = self._row_bounds(*located)
        return self._text[start:end]

    # ----- word / sentence / paragraph ------------------------------------------------------

    def word_at(self, offset: int) -> tuple[int, int]:
        """(start, end) of the word at ``offset`` (or just before it); (offset, offset)
        when there is none."""
        text = self._text
        offset = max(0, min(offset, len(text)))
        probe = offset
        if not (probe < len(text) and _word_chars.match(text, probe)):
            if probe > 0 and _word_chars.match(text, probe - 1):
                probe -= 1
            else:
                return offset, offset
        low = max(0, probe - 1024)
        match = None
        for match in _word_chars.finditer(text, low, min(len(text), probe + 1024)):
            if match.start() <= probe < match.end():
                break
        else:
            return offset, offset
        return match.start(), match.end()

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """(start, end) of the sentence around ``offset`` (within its paragraph; a
        simple rule: a sentence ends at ., !, ? or … (and closing quotes) followed by
        space, unless the period ends a common abbreviation such as "Mr." or "U.S.")."""
        text = self._text
        offset = max(0, min(offset, len(text)))
        para = self._para_of_offset(offset)
        para_start, para_end = self._para_starts[para], self._para_ends[para]
        low = max(para_start, offset - 8192)
        high = min(para_end, offset + 8192)
        start, end = low, high
        for match in _sentence_break.finditer(text, low, high):
            if _is_abbreviation(text, match.start(), low):
                continue
            if match.end() <= offset:
                start = match.end()
            else:
                end = match.end()  # the closing quote stays; the space is stripped below
                break
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        return start, end

    def paragraph_at(self, offset: int) -> tuple[int, int]:
        """(start, end) of the paragraph (text between line breaks) around ``offset``."""
        para = self._para_of_offset(max(0, min(offset, len(self._text))))
        return self._para_starts[para], self._para_ends[para]

    # ----- actions ----------------------------------------------------------------------------

    def _vertical(self, rows: int, select: bool) -> None:
        self._ensure_wrap()
        row, x = self.cursor_location()
        if self._goal_x is not None:
            x = self._goal_x
        target = row + rows
        if target < 0:
            offset: int | None = 0  # up from the first row: the start of the text
        else:
            offset = self.offset_at_row(target, x)
        if offset is None:
            offset = len(self._text)  # down from the last row: the end of the text
        self.move_cursor(offset, select, keep_goal=True)
        self._goal_x = x

    def action_cursor_left(self, select: bool = False) -> None:
        selection = self.selection
        if selection and not select:
            self.move_cursor(selection[0])
        else:
            self.move_cursor(self.previous_boundary(self._cursor), select)

    def action_cursor_right(self, select: bool = False) -> None:
        selection = self.selection
        if selection and not select:
            self.move_cursor(selection[1])
        else:
            self.move_cursor(self.next_boundary(self._cursor), select)

    def next_boundary(self, offset: int) -> int:
        """The offset after the character (grapheme: a letter with its combining marks,
        an emoji ZWJ sequence) at ``offset``; a line break is a character of its own."""
        text = self._text
        if offset >= len(text):
            return len(text)
        if text[offset] == "\n":
            return offset + 1
        stop = text.find("\n", offset, offset + 64)
        window = display_text(text[offset : stop if stop != -1 else offset + 64])
        if _not_single_cell(window[:2]) is None:
            return offset + 1
        graphemes = split_graphemes(window)[0]
        return offset + (graphemes[0][1] if graphemes else 1)

    def previous_boundary(self, offset: int) -> int:
        """The start of the character (grapheme) before ``offset``."""
        text = self._text
        if offset <= 0:
            return 0
        if text[offset - 1] == "\n":
            return offset - 1
        low = max(0, offset - 64)
        newline = text.rfind("\n", low, offset)
        if newline != -1:
            low = newline + 1
        window = display_text(text[low:offset])
        if _not_single_cell(window[-2:]) is None:
            return offset - 1
        graphemes = split_graphemes(window)[0]
        return low + graphemes[-1][0] if graphemes else offset - 1

    def action_cursor_up(self, select: bool = False) -> None:
        self._vertical(-1, select)

    def action_cursor_down(self, select: bool = False) -> None:
        self._vertical(1, select)

    def action_page_up(self, select: bool = False) -> None:
        height = max(1, self._view_height() - 1)
        self.scroll_to(y=max(0, int(self.scroll_y) - height), animate=False)
        self._vertical(-height, select)
        self._schedule_prefetch(-1)

    def action_page_down(self, select: bool = False) -> None:
        height = max(1, self._view_height() - 1)
        self.scroll_to(y=int(self.scroll_y) + height, animate=False)
        self._vertical(height, select)
        self._schedule_prefetch(1)

    def _schedule_prefetch(self, direction: int) -> None:
        """After a page move, build the next page's strips while the app is idle, so
        the next page key only pays for Textual's repaint."""
        if self._anchor is None:
            self.call_after_refresh(self._prefetch, direction)

    def _prefetch(self, direction: int) -> None:
        if not self.is_mounted or self._anchor is not None:
            return
        height = self._view_height()
        top = int(self.scroll_y) + direction * height
        width = self._wrap_width or self._content_width()
        for row in range(max(0, top), max(0, top + height)):
            located = self._locate(row)
            if located is None:
                break
            self._row_strip(*self._row_bounds(*located), width)

    def action_word_left(self, select: bool = False) -> None:
        text = self._text
        low = max(0, self._cursor - 4096)
        match = _word_backward.search(text, low, self._cursor)
        self.move_cursor(match.start() if match else low, select)

    def action_word_right(self, select: bool = False) -> None:
        match = _word_forward.match(self._text, self._cursor)
        self.move_cursor(match.end() if match else len(self._text), select)

    def action_row_start(self, select: bool = False) -> None:
        self._ensure_wrap()
        para, k = self._place(self._cursor)
        self.move_cursor(self._row_bounds(para, k)[0], select)

    def action_row_end(self, select: bool = False) -> None:
        self._ensure_wrap()
        para, k = self._place(self._cursor)
        start, end, last = self._row_bounds(para, k)
        self.move_cursor(end if last else max(start, end - 1), select)

    def action_paragraph_up(self, select: bool = False) -> None:
        para = self._para_of_offset(self._cursor)
        start = self._para_starts[para]
        if self._cursor > start:
            self.move_cursor(start, select)
        elif para > 0:
            self.move_cursor(self._para_starts[para - 1], select)
        else:
            self.move_cursor(0, select)

    def action_paragraph_down(self, select: bool = False) -> None:
        para = self._para_of_offset(self._cursor)
        if para + 1 < len(self._para_starts):
            self.move_cursor(self._para_starts[para + 1], select)
        else:
            self.move_cursor(len(self._text), select)

    def action_text_start(self, select: bool = False) -> None:
        self.move_cursor(0, select)

    def action_text_end(self, select: bool = False) -> None:
        self.move_cursor(len(self._text), select)

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def action_copy(self) -> None:
        """Copy the selected text (else the word at the cursor) to the system clipboard
        (OSC 52, as Textual does). The stored text is copied, not the display symbols."""
        span = self.selection or self.word_at(self._cursor)
        if span[1] > span[0]:
            self.app.copy_to_clipboard(self._text[span[0] : span[1]])

    # ----- mouse ----------------------------------------------------------------------------

    def _offset_from_mouse(self, event: events.MouseEvent) -> int:
        x, y = event.get_content_offset_capture(self)
        x -= self._gutter
        row = max(0, int(self.scroll_y) + y)
        offset = self.offset_at_row(row, max(0, x))
        return len(self._text) if offset is None else offset

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self.focus()
        offset = self._offset_from_mouse(event)
        self.move_cursor(offset, select=event.shift)
        if not event.shift:
            self._anchor = offset  # a drag selects from here
        self._drag = True
        self.capture_mouse()
        event.stop()

    def on_click(self, event: events.Click) -> None:
        """Double click selects the word, triple click the sentence."""
        if event.chain == 2:
            start, end = self.word_at(self._cursor)
            if end > start:
                self.select_range(start, end)
        elif event.chain >= 3:
            self.select_range(*self.sentence_at(self._cursor))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag:
            self.move_cursor(self._offset_from_mouse(event), select=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag:
            self._drag = False
            self.capture_mouse(False)
            if self._anchor == self._cursor:
                self._anchor = None
            event.stop()


def _index_spans(spans: Iterable[tuple[int, int, str, str]]) -> tuple[list[Span], dict[int, list[Span]]]:
    """The spans as :class:`Span` and a bucket index: bucket number -> spans touching it."""
    make = tuple.__new__
    new = [span if type(span) is Span else make(Span, span if len(span) == 4 else tuple(span)[:4]) for span in spans]
    index: dict[int, list[Span]] = {}
    get = index.get
    shift = _BUCKET_SHIFT
    for span in new:
        first = span[0] >> shift
        last = (span[1] - 1) >> shift if span[1] > span[0] else first
        if first == last:
            bucket = get(first)
            if bucket is None:
                index[first] = [span]
            else:
                bucket.append(span)
        else:
            for number in range(first, last + 1):
                index.setdefault(number, []).append(span)
    return new, index


def _is_abbreviation(text: str, stop: int, low: int) -> bool:
    """Whether the period just before ``stop`` ends an abbreviation ("Mr.", "U.S.")."""
    if stop <= low or text[stop - 1] != ".":
        return False
    begin = stop - 1
    while begin > low and not text[begin - 1].isspace() and stop - begin < 12:
        begin -= 1
    word = text[begin : stop - 1].lstrip("\"'(\u201c\u2018[").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _wrap_fast(text: str, pos: int, chunk_end: int, end: int, width: int, rows: list[int]) -> int | None:
    """Wrap one-cell-per-code-point text in [pos, chunk_end); append row starts.

    Returns the start of the first row not appended (wrapping resumes there), or None
    when the paragraph (which ends at ``end``) is complete. Same rules as
    `_wrap_graphemes` (a row breaks before the first non-space character that would
    pass the width: after the last space before it, else hard at the width; spaces
    hang past the edge), only with ``str.rfind`` instead of a loop over characters.
    """
    final = chunk_end == end
    rfind = text.rfind
    append = rows.append
    first = pos
    while True:
        overflow = pos + width
        while overflow < chunk_end and text[overflow] in " \t":
            overflow += 1  # spaces at the edge hang
        if overflow >= chunk_end:
            if final:
                append(pos)
                if chunk_end - pos >= width:
                    append(end)  # room for the cursor after the last character
                return None
            if pos == first:
                # A run of spaces longer than the chunk: cut it at the chunk's end.
                append(pos)
                return chunk_end
            return pos
        space = rfind(" ", pos, overflow)
        tab = rfind("\t", pos, overflow)
        if tab > space:
            space = tab
        append(pos)
        pos = space + 1 if space >= pos else overflow


def _wrap_graphemes(
    text: str, shown: str, base: int, chunk_end: int, end: int, width: int, rows: list[int]
) -> int | None:
    """Wrap [base, chunk_end) by grapheme cell widths; same contract as `_wrap_fast`."""
    final = chunk_end == end
    spans, _total = split_graphemes(shown)
    if not final and len(spans) > 1:
        spans = spans[:-1]  # the last grapheme may continue in the next chunk
    row_start = base
    column = 0
    brk: int | None = None
    brk_column = 0
    appended = len(rows)
    for i, j, w in spans:
        ch = text[base + i]
        if (ch == " " or ch == "\t") and j - i == 1:  # a bare space (not one carrying a mark)
            column += w
            brk = base + j
            brk_column = column
            continue
        while column + w > width and column > 0:
            if brk is not None and brk > row_start:
                rows.append(row_start)
                row_start = brk
                column -= brk_column
            else:
                rows.append(row_start)
                row_start = base + i
                column = 0
            brk = None
        column += w
    if final:
        rows.append(row_start)
        if column >= width:
            rows.append(end)
        return None
    if len(rows) == appended:
        # No row ended inside this chunk (a very long run of spaces): cut it here.
        rows.append(row_start)
        stop = base + (spans[-1][1] if spans else len(shown))
        return stop if stop > row_start else row_start + 1
    return row_start
