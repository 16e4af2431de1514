"""The library: every article given on the command line, one row each, sortable and filterable.

``LibraryTable`` is a Line-API ``ScrollView``: ``render_line`` draws only the rows on
screen from a list of small ``Entry`` objects (``annotations.library``), so 10,000
articles cost one list and a sort, never 10,000 widgets. The entries are filled in by a
thread worker (file, cached analysis, store counts), the rows on screen first; the list
is usable while that runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from annotations.library import ANALYSED, NOT_ANALYSED, SORT_KEYS, UNREADABLE, Entry, describe, sorted_filtered
from tui.commands import CommandListProvider
from tui.safe_text import safe_line

# (key, heading, width; 0 = the rest), in display order
COLUMNS = (
    ("title", "Title", 0),
    ("outlet", "Outlet", 16),
    ("date", "Date", 10),
    ("chars", "Length", 7),
    ("status", "Analysis", 12),
    ("claims", "Claims", 6),
    ("notes", "Notes", 5),
    ("mine", "Mine", 5),
)
SORT_LABELS = {"path": "input order", **{key: heading for key, heading, _ in COLUMNS}}
TITLE_MIN = 28  # the title keeps at least this many cells: other columns give way first
DROP_ORDER = ("date", "chars", "notes", "outlet")  # the columns left out first on a narrow screen
QUEUED, ANALYSING = "queued", "analysing…"  # a row's state while "Analyse all" runs (then its percent)


@dataclass
class EntriesFilled(Message):
    """The describe worker filled these entries (indexes)."""

    indexes: list[int]


@dataclass
class EntryChosen(Message):
    """enter on a row: open this entry (index into the entries)."""

    index: int


def _number(value: int | None) -> str:
    return "·" if value is None else str(value)


def _length(chars: int) -> str:
    if chars >= 1_000_000:
        return f"{chars / 1_000_000:.1f}M"
    if chars >= 10_000:
        return f"{chars // 1000}k"
    return str(chars)


class LibraryTable(ScrollView, can_focus=True):
    """The rows of the library (Line API). ``rows`` are entry indexes in display order."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="library.up", tooltip="Previous article"),
        Binding("down", "move(1)", "Down", show=False, id="library.down", tooltip="Next article"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="library.page-up", tooltip="One page up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="library.page-down", tooltip="One page down"),
        Binding("home", "jump(0)", "First", show=False, id="library.first", tooltip="First article"),
        Binding("end", "jump(-1)", "Last", show=False, id="library.last", tooltip="Last article"),
        Binding("enter", "choose", "Read", id="library.open", tooltip="Open the article under the cursor"),
    ]

    COMPONENT_CLASSES = {"library-table--cursor", "library-table--muted"}

    DEFAULT_CSS = """
    LibraryTable { height: 1fr; overflow-x: hidden; }
    LibraryTable > .library-table--cursor { background: $accent 40%; text-style: bold; }
    LibraryTable:focus > .library-table--cursor { background: $accent; }
    LibraryTable > .library-table--muted { color: $text-muted; }
    """

    def __init__(self, entries: list[Entry], **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries = entries
        self.rows: list[int] = list(range(len(entries)))
        self.cursor = 0
        self.progress: dict[int, str] = {}  # entry index -> "queued" / "41%" while "Analyse all" runs

    # -- data

    def set_rows(self, rows: list[int], keep_entry: bool = True) -> None:
        current = self.current_entry_index() if keep_entry else None
        self.rows = rows
        self.virtual_size = Size(0, len(rows))
        if current is not None and current in rows:
            self.cursor = rows.index(current)
        self.cursor = max(0, min(self.cursor, len(rows) - 1))
        self.scroll_to_cursor()
        self.refresh()

    def current_entry_index(self) -> int | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def visible_entry_indexes(self) -> list[int]:
        top = int(self.scroll_offset.y)
        return self.rows[top: top + max(self.size.height, 1) + 1]

    # -- cursor

    def move_to(self, row: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(row, len(self.rows) - 1))
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(self.size.height - 1, 1))

    def action_jump(self, row: int) -> None:
        self.move_to(row if row >= 0 else len(self.rows) - 1)

    def action_choose(self) -> None:
        index = self.current_entry_index()
        if index is not None:
            self.post_message(EntryChosen(index))

    def on_click(self, event) -> None:
        row = int(self.scroll_offset.y) + event.y
        if 0 <= row < len(self.rows):
            if row == self.cursor and event.chain >= 2:
                self.action_choose()
            self.move_to(row)

    # -- drawing

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))

    @staticmethod
    def columns(width: int) -> list[tuple[str, str, int]]:
        """(key, heading, width) of the columns that fit: on a narrow screen the columns of
        DROP_ORDER give way, so the title keeps a readable width (TITLE_MIN)."""
        shown = list(COLUMNS)

        def title_width() -> int:
            fixed = sum(w for _, _, w in shown) + len(shown)  # one space after each column
            return width - fixed - 1

        for key in DROP_ORDER:
            if title_width() >= TITLE_MIN:
                break
            shown = [column for column in shown if column[0] != key]
        return [(key, heading, max(title_width(), 10) if w == 0 else w) for key, heading, w in shown]

    @classmethod
    def widths(cls, width: int) -> list[int]:
        return [w for _, _, w in cls.columns(width)]

    @classmethod
    def header_text(cls, width: int, sort_key: str, reverse: bool) -> Text:
        text = Text(" ", no_wrap=True, end="")
        for key, heading, w in cls.columns(width):
            mark = (" ▼" if reverse else " ▲") if key == sort_key else ""
            cell = Text(heading + mark, style="bold")
            cell.truncate(w, pad=True)
            text.append_text(cell)
            text.append(" ")
        return text

    def row_text(self, entry: Entry, width: int, index: int | None = None) -> Text:
        progress = self.progress.get(index) if index is not None else None
        values = {
            "title": entry.title, "outlet": entry.outlet or "—", "date": entry.date or "—",
            "chars": _length(entry.chars) if entry.loaded and entry.status != UNREADABLE else "",
            "status": progress or entry.status, "claims": _number(entry.claims), "notes": _number(entry.notes),
            "mine": _number(entry.mine),
        }
        text = Text(" ", no_wrap=True, end="")
        for key, _, w in self.columns(width):
            style = ""
            if key == "status":
                style = {ANALYSED: "green", NOT_ANALYSED: "yellow", UNREADABLE: "red"}.get(entry.status, "dim")
                if progress:
                    style = "bold cyan" if progress != QUEUED else "cyan"
            cell = safe_line(values[key], w, style=style)
            if key in ("chars", "claims", "notes", "mine"):
                cell.align("right", w)
            else:
                cell.truncate(w, pad=True)
            text.append_text(cell)
            text.append(" ")
        return text

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = int(self.scroll_offset.y) + y
        if not (0 <= row < len(self.rows)):
            return Strip.blank(width, self.rich_style)
        entry = self.entries[self.rows[row]]
        text = self.row_text(entry, width, self.rows[row])
        base = self.rich_style
        if row == self.cursor:
            base = base + self.get_component_rich_style("library-table--cursor")
        elif entry.status == UNREADABLE:
            base = base + self.get_component_rich_style("library-table--muted")
        segments = [Segment(s.text, base + s.style if s.style else base) for s in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, base).simplify()


class LibraryScreen(Screen):
    """The list of articles; enter reads one, the reader's N/P move along this list."""

    BINDINGS = [
        Binding("enter", "open", "Read", id="library.read", tooltip="Read the article under the cursor"),
        Binding("slash", "filter", "Filter", key_display="/", id="library.filter",
                tooltip="Filter the list: type words from the title, outlet, date, path or status"),
        Binding("s", "sort", "Sort", id="library.sort", tooltip="Sort by the next column (input order first)"),
        Binding("r", "reverse", "Reverse", id="library.reverse", tooltip="Reverse the sort order"),
        Binding("A", "analyse_all", "Analyse all", key_display="A", id="library.analyse-all",
                tooltip="Analyse every article not analysed yet (in the background)"),
        Binding("W", "app.sources", "Who said what", key_display="W", id="library.sources",
                tooltip="Sources: every speaker and channel across the articles, and contradictions"),
        Binding("question_mark", "help", "Help", key_display="?", id="library.help", tooltip="Show every key"),
        Binding("q", "app.quit", "Quit", id="library.quit", tooltip="Quit (everything is already saved)"),
    ]
    TYPING_SAFE_ACTIONS = {"help", "open"}

    DEFAULT_CSS = """
    #library-header { height: 1; background: $boost; }
    #library-filter { dock: bottom; display: none; }
    #library-filter.open { display: block; }
    #library-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, entries: list[Entry], store=None, archive=None) -> None:
        super().__init__(id="library")
        self.entries = entries
        self.store = store
        self.archive = archive
        self.sort_key = "path"
        self.reverse = False
        self.needle = ""
        self.loaded = 0
        self.analysing = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(""), id="library-header")
        yield LibraryTable(self.entries, id="library-table")
        yield Input(placeholder="filter: type words; enter keeps the filter, escape clears it", id="library-filter")
        yield Static(Text(""), id="library-status")
        yield Footer()

    @property
    def table(self) -> LibraryTable:
        return self.query_one(LibraryTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.show_header()
        self.show_status()
        self.call_after_refresh(self.fill_entries)  # the list paints first, then the files are read

    def on_resize(self) -> None:
        self.show_header()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.focused, Input) and action not in self.TYPING_SAFE_ACTIONS:
            return False
        return True

    # -- filling in

    @work(thread=True, exclusive=True, group="library", exit_on_error=False, description="library")
    def fill_entries(self) -> None:
        worker = get_current_worker()
        first = list(self.table.rows[:200])  # the rows on screen first
        seen = set(first)
        order = first + [i for i in range(len(self.entries)) if i not in seen]
        describe(self.entries, store=self.store, archive=self.archive, cancel=worker.cancelled_event,
                 on_batch=lambda done: self.post_message(EntriesFilled(list(done))), order=order)

    def on_entries_filled(self, message: EntriesFilled) -> None:
        self.loaded += len(message.indexes)
        if self.needle or self.sort_key != "path":
            self.apply_view()
        else:
            self.table.refresh()
        self.show_status()

    def refresh_entry(self, sha256: str, analysis: dict | None = None, mine: int | None = None) -> None:
        """After reading an article: its analysis and the user's annotation count changed."""
        for entry in self.entries:
            if entry.sha256 == sha256:
                if analysis is not None:
                    entry.set_analysis(analysis)
                if mine is not None:
                    entry.mine = mine
        self.table.refresh()
        self.show_status()

    # -- view

    def apply_view(self) -> None:
        self.table.set_rows(sorted_filtered(self.entries, self.needle, self.sort_key, self.reverse))
        self.show_header()
        self.show_status()

    def show_header(self) -> None:
        width = self.size.width or 80
        self.query_one("#library-header", Static).update(LibraryTable.header_text(width, self.sort_key, self.reverse))

    def show_status(self) -> None:
        total = len(self.entries)
        shown = len(self.table.rows)
        analysed = sum(1 for e in self.entries if e.status == ANALYSED)
        parts = [f"{shown} of {total} articles shown" if shown != total else f"{total} articles",
                 f"{analysed} analysed", f"sorted by {SORT_LABELS[self.sort_key]}{' (reversed)' if self.reverse else ''}"]
        if self.loaded < total:
            parts.append(f"reading {self.loaded}/{total}…")
        if self.analysing:
            left = len(self.table.progress)
            parts.append(f"analysing: {left} to go" if left else "analysing…")
        if self.needle:
            parts.append("filter: ")
        text = Text(" · ".join(parts), no_wrap=True, end="")
        if self.needle:
            text.append_text(safe_line(self.needle, 40, style="bold"))
        self.query_one("#library-status", Static).update(text)

    def action_open(self) -> None:
        self.table.action_choose()

    def action_filter(self) -> None:
        bar = self.query_one("#library-filter", Input)
        bar.add_class("open")
        bar.value = self.needle
        bar.focus()

    @on(Input.Changed, "#library-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.needle = event.value
        self.apply_view()

    @on(Input.Submitted, "#library-filter")
    def filter_submitted(self) -> None:
        self.table.focus()
        if not self.needle:
            self.query_one("#library-filter", Input).remove_class("open")

    def on_key(self, event) -> None:
        bar = self.query_one("#library-filter", Input)
        if event.key == "escape" and bar.has_focus:
            bar.value = ""
            bar.remove_class("open")
            self.table.focus()
            event.stop()

    def action_sort(self) -> None:
        keys = ("path",) + SORT_KEYS[:-1]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.reverse = self.sort_key in ("chars", "claims", "notes", "mine", "date")
        self.apply_view()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.apply_view()

    def on_entry_chosen(self, message: EntryChosen) -> None:
        self.app.open_entry(message.index)

    # -- analysing in the background

    def action_analyse_all(self) -> None:
        if self.analysing:
            self.notify("Already analysing", timeout=2, markup=False)
            return
        todo = [index for index, e in enumerate(self.entries) if e.status in (NOT_ANALYSED,)]
        if not todo:
            self.notify("Every readable article is analysed already (wait for the list to be read)", timeout=3,
                        markup=False)
            return
        self.analysing = True
        self.table.progress = {index: QUEUED for index in todo}
        self.table.refresh()
        self.show_status()
        self.analyse_entries(todo)

    @work(thread=True, exclusive=True, group="library-analysis", exit_on_error=False, description="analyse all")
    def analyse_entries(self, indexes: list[int]) -> None:
        """One article after the other, each row showing how far its analysis is."""
        from annotations.analysis import AnalysisCancelled, analyze
        from annotations.document import DocumentError
        from annotations.inputs import load_input

        worker = get_current_worker()
        call = self.app.call_from_thread
        try:
            for index in indexes:
                if worker.is_cancelled:
                    return
                call(self.show_row_progress, index, ANALYSING)
                try:
                    document = load_input(self.entries[index].path, self.archive)
                except DocumentError as error:
                    call(self.show_row_progress, index, None)
                    call(self.notify, str(error), title="Cannot analyse", severity="warning", markup=False)
                    continue
                # the worker thread throttles itself: a row is redrawn at most every whole percent
                shown = [-1]

                def progress(fraction: float, index: int = index) -> None:
                    percent = int(fraction * 100)
                    if percent != shown[0] and percent > 0:
                        shown[0] = percent
                        call(self.show_row_progress, index, f"{percent}%")

                result = analyze(document, progress=progress, cancel=worker.cancelled_event)
                call(self.show_row_progress, index, None)
                call(self.refresh_entry, result["document"]["sha256"], result)
        except AnalysisCancelled:
            return
        except Exception as error:  # noqa: BLE001 - shown, never raised into the UI
            call(self.notify, f"Analysis stopped: {type(error).__name__}: {error}", severity="error", markup=False)
        finally:
            if not worker.is_cancelled:
                call(self.analysis_done)

    def show_row_progress(self, index: int, progress: str | None) -> None:
        if progress is None:
            self.table.progress.pop(index, None)
        else:
            self.table.progress[index] = progress
        self.table.refresh()
        self.show_status()

    def analysis_done(self) -> None:
        self.analysing = False
        self.table.progress.clear()
        self.table.refresh()
        self.show_status()

    # -- help

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        def rows(bindings) -> list[tuple[str, str]]:
            return [(b.key_display or b.key, b.tooltip or b.description) for b in bindings]

        sections = [("Library", rows(self.BINDINGS)), ("List", rows(LibraryTable.BINDINGS))]
        sections += getattr(self.app, "document_help_sections", lambda: [])()
        self.app.push_screen(HelpScreen(sections, Text("")))


class LibraryCommands(CommandListProvider):
    """The command palette's entries for the library and moving between articles."""

    def commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        out = []
        library = getattr(app, "library", None)
        if library is not None and self.screen is library:
            for binding in LibraryScreen.BINDINGS:
                out.append((f"Library: {binding.description}", f"{binding.tooltip} ({binding.key_display or binding.key})",
                            partial(library.run_action, binding.action)))
        reading = any(type(screen).__name__ == "ReaderScreen" for screen in app.screen_stack)
        for binding in type(app).BINDINGS:
            if library is None or not isinstance(binding, Binding) or not (binding.id or "").startswith("library."):
                continue
            if binding.action in ("next_document", "previous_document", "library") and not reading:
                continue
            out.append((f"Articles: {binding.description}", f"{binding.tooltip} ({binding.key_display})",
                        partial(app.run_action, binding.action)))
        return out
